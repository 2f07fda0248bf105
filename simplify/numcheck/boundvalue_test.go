package numcheck

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestBoundValueIsEval: the shortcut for a range's bound gives ast.Eval's
// value bit for bit, and fails where it fails, at random points, some
// with an exact binding (which makes ast.Eval evaluate exactly).
func TestBoundValueIsEval(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	bounds := []ast.Expr{ast.NewInt(1), ast.NewInt(0), ast.NewInt(-3), ast.NewInt(1 << 53), ast.NewInt(1<<53 + 1),
		ast.NewNum(ast.Frac(1, 3)), ast.NewNum(ast.Frac(-7, 2)), ast.NewSym("n"), ast.NewSym("m"), ast.NewSym("v"),
		ast.NewAdd(ast.NewSym("n"), ast.NewInt(-1))}
	values := []float64{0, 1, 7, -2, 2.5, math.Inf(1), math.NaN(), 1e300, math.Nextafter(3, 4), 1 << 60}
	fast := 0
	for range 5000 {
		b := ast.Bindings{}
		if r.IntN(5) > 0 {
			b["n"] = ast.Scalar(values[r.IntN(len(values))])
		}
		switch r.IntN(3) {
		case 0:
			b["m"] = ast.RatScalar(big.NewRat(int64(r.IntN(9))-4, int64(1+r.IntN(3))))
		case 1:
			b["m"] = ast.Value{Shape: []int{2}, Data: []float64{1, 2}}
		}
		if r.IntN(3) == 0 {
			b["w"] = ast.RatScalar(big.NewRat(1, 3)) // an exact binding elsewhere
		}
		e := bounds[r.IntN(len(bounds))]
		want, werr := ast.Eval(e, nil, b)
		got, gerr := boundValue(e, b)
		if (werr == nil) != (gerr == nil) || werr == nil && math.Float64bits(want) != math.Float64bits(got) {
			t.Fatalf("%s at %v: boundValue %v (%v), ast.Eval %v (%v)", ast.String(e), b, got, gerr, want, werr)
		}
		if _, isNum := e.(*ast.Num); isNum || e == ast.Expr(ast.NewSym("n")) {
			fast++
		}
	}
	if fast < 1000 {
		t.Fatalf("the shortcut was tried %d times", fast)
	}
}
