package simplify_test

import (
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// Tidy of a product that repeats a base (a derivation step such as
// exp(x)*exp(x) + exp(x)*exp(x), which diff --json displays) keeps the
// value and returns: commonFactor took a base listed twice out twice, and
// the display recursed until the stack overflowed. Each form is compared
// with the float64 evaluation of the input at a few points.
func TestTidyRepeatedBase(t *testing.T) {
	x, a, b := ast.NewSym("x"), ast.NewSym("a"), ast.NewSym("b")
	ex := ast.NewCall("exp", x)
	two := ast.NewNum(ast.Int(2))
	for _, e := range []ast.Expr{
		ast.NewAdd(ast.NewMul(ex, ex), ast.NewMul(ex, ex)),
		ast.NewAdd(ast.NewMul(x, x, a), ast.NewMul(x, b)),
		ast.NewAdd(ast.NewMul(x, x, a), ast.NewMul(x, x, x, b)),
		ast.NewAdd(ast.NewMul(x, x, a), ast.NewMul(x, ast.NewPow(x, two), b)),
		ast.NewAdd(ast.NewMul(x, ast.NewPow(x, ast.NewNum(ast.Int(-1))), a), ast.NewMul(x, b)),
		ast.NewAdd(ast.NewMul(ex, x, ex, a), ast.NewMul(ex, ex, b), ast.NewMul(two, ex, ex)),
	} {
		got := simplify.Tidy(e)
		for _, p := range [][3]float64{{0.75, 2, -3}, {-1.5, 0.25, 5}, {3, -2, 0.5}} {
			bind := ast.Bindings{"x": ast.Scalar(p[0]), "a": ast.Scalar(p[1]), "b": ast.Scalar(p[2])}
			want, err1 := ast.Eval(e, nil, bind)
			have, err2 := ast.Eval(got, nil, bind)
			if err1 != nil || err2 != nil || math.Abs(want-have) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("Tidy(%s) = %s: at %v %v (%v), want %v (%v)", ast.String(e), ast.String(got), p, have, err2, want, err1)
			}
		}
	}
}
