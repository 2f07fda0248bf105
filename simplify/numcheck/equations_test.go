package numcheck

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestEquations: equality assumptions solved for a name hold exactly at
// every point drawn; a point that breaks one is not admitted; a value
// float64 cannot hold exactly is never used; and unsolved equalities stop
// the sampling with the reason.
func TestEquations(t *testing.T) {
	a, b, y := ast.NewSym("a"), ast.NewSym("b"), ast.NewIndex("y", ast.NewSym("j"))
	as := &Assumptions{Equations: []Equation{
		{Name: "a", Value: ast.NewAdd(b, ast.One)},
		{Name: "y", Indices: []ast.Expr{ast.NewSym("j")}, Value: ast.NewMul(ast.Two, ast.NewSym("j"))},
	}}
	claim := ast.NewAdd(a, y)
	var seen int
	g := &pointGen{rng: rand.New(rand.NewPCG(3, 4)), nm: classify(claim, b), as: as}
	{
		for range 100 {
			pt := g.next()
			if g.unmet {
				t.Fatalf("point %v not drawn", pt)
			}
			if pt["a"].Data[0] != pt["b"].Data[0]+1 {
				t.Fatalf("a = %v, b = %v: a == b + 1 broken", pt["a"].Data[0], pt["b"].Data[0])
			}
			for k, v := range pt["y"].Data {
				if v != float64(2*(k+1)) {
					t.Fatalf("y[%d] = %v, want %d", k+1, v, 2*(k+1))
				}
			}
			if !as.Admits(pt) {
				t.Fatalf("a point drawn is not admitted: %v", pt)
			}
			pt["a"] = ast.Scalar(pt["a"].Data[0] + 1.0/1024)
			if as.Admits(pt) {
				t.Fatalf("a point with a != b + 1 is admitted: %v", pt)
			}
			seen++
		}
	}
	if seen == 0 {
		t.Fatal("no point checked")
	}
	// a == exp(b): no float64 holds exp(b) exactly (b != 0); were the
	// rounded value used, the high-precision comparison would see its
	// rounding as a difference and refute a true claim.
	inexact := &Assumptions{Equations: []Equation{{Name: "a", Value: ast.NewCall("exp", b)}}}
	rep, err := RefuteAssuming(context.Background(), ast.NewCall("log", a), b, inexact)
	if err != nil || rep.Counter != nil {
		t.Errorf("log(a) == b under a == exp(b): %+v (%v)", rep, err)
	}
	unsolved := &Assumptions{Unsolved: []string{"a*b == 1"}}
	rep, err = RefuteAssuming(context.Background(), a, b, unsolved)
	if err != nil || rep.Counter != nil || rep.Valid != 0 || !strings.Contains(rep.Tried, "cannot draw points where a*b == 1 holds") {
		t.Errorf("a == b under a*b == 1: %+v (%v)", rep, err)
	}
}
