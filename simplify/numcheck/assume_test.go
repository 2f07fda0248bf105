package numcheck

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestAssumptionsApply: points drawn under assumptions satisfy them.
func TestAssumptionsApply(t *testing.T) {
	a := ast.NewSum(ast.OpSum, "c", ast.One, ast.NewSym("K"), ast.NewIndex("t", ast.NewSym("i"), ast.NewSym("c")))
	b := ast.NewAdd(ast.NewMul(ast.NewSym("p"), ast.NewIndex("y", ast.NewSym("i"))), ast.NewIndex("u", ast.NewSym("i"), ast.NewSym("c")))
	for _, oneHot := range []bool{false, true} {
		as := &Assumptions{
			Sets:      map[string][]float64{"y": {0, 1}},
			Intervals: map[string]Interval{"p": {Lo: 0, Hi: 1}},
			Sums:      []SumTo{{Array: "t", Pos: 1, Size: "K", Value: 1}, {Array: "u", Pos: 1, N: 3, Value: 2}},
		}
		if oneHot {
			as.Sets["t"] = []float64{0, 1}
		}
		g := &pointGen{rng: rand.New(rand.NewPCG(1, 2)), nm: classify(a, b), as: as}
		for range 50 {
			pt := g.next()
			if p := pt["p"].Data[0]; p <= 0 || p >= 1 {
				t.Fatalf("p = %v, outside (0, 1)", p)
			}
			for _, y := range pt["y"].Data {
				if y != 0 && y != 1 {
					t.Fatalf("y has %v, outside {0, 1}", y)
				}
			}
			K := int(pt["K"].Data[0])
			for _, s := range []struct {
				name string
				n    int
				want float64
			}{{"t", K, 1}, {"u", 3, 2}} {
				v := pt[s.name]
				cols := v.Shape[1]
				for row := 0; row < v.Shape[0]; row++ {
					total := 0.0
					for c := 0; c < s.n; c++ {
						x := v.Data[row*cols+c]
						total += x
						if s.name == "t" && oneHot && x != 0 && x != 1 {
							t.Fatalf("t[%d,%d] = %v in a one-hot row", row+1, c+1, x)
						}
					}
					if math.Abs(total-s.want) > 1e-12 {
						t.Fatalf("sum over the first %d of %s[%d,...] = %v, want %v", s.n, s.name, row+1, total, s.want)
					}
				}
			}
		}
	}
	// A refutation under assumptions uses such a point.
	rep, err := RefuteAssuming(context.Background(), ast.NewPow(ast.NewSym("y"), ast.Two), ast.NewSym("y"), &Assumptions{Sets: map[string][]float64{"y": {0, 1}}})
	if err != nil || rep.Counter != nil {
		t.Errorf("y^2 == y for y in {0, 1}: %v (%v)", rep, err)
	}
}
