package simplify_test

import (
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
)

// TestFoldParamNotInBody: a function whose parameter does not occur in
// its body as it is folded back (unused, h(a, b) := b^2 + 1, or named
// like a definition that its normal form opens, a := x beside
// h(a, b) := a*b + exp(a)) cannot be folded back: there is no argument
// to give it. Simplifying an expression that uses it panicked (nil
// binding). The result must keep the input's value (oracle: ast.Eval
// with the definitions).
func TestFoldParamNotInBody(t *testing.T) {
	for _, c := range []struct{ defs, expr string }{
		{"h(a, b) := b^2 + 1", "h(x, y)*c"},
		{"a := x\nh(a, b) := a*b + exp(a)", "h(x, y)*c"},
		{"a := x\nh(a, b) := a*b + exp(a)", "h(z, y) + x"},
		{"q[k] := w^2 + 1", "q[j]*c"},
	} {
		defs := parsetest.DefsFrom(t, c.defs)
		e := mustParse(t, c.expr, defs)
		res, err := func() (r *simplify.Result, err error) {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s with %q: panic %v", c.expr, c.defs, p)
				}
			}()
			return simplify.Simplify(bg, e, simplify.Options{Rules: builtin, Defs: defs})
		}()
		if err != nil || res == nil {
			continue
		}
		pt := ast.Bindings{"x": ast.Scalar(0.75), "y": ast.Scalar(-1.25), "z": ast.Scalar(2), "c": ast.Scalar(3), "w": ast.Scalar(0.5), "j": ast.Scalar(1)}
		want, err1 := ast.Eval(e, defs, pt)
		got, err2 := ast.Eval(res.Expr, defs, pt)
		if err1 != nil || err2 != nil || math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
			t.Errorf("%s with %q is %s: %v, want %v (%v, %v)", c.expr, c.defs, ast.String(res.Expr), got, want, err1, err2)
		}
	}
}
