package session

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// A definition whose body is a derivative (a := d(x^2, x)) is usable by
// eval and subs like any other: eval of a said "cannot evaluate d(x^2, x)
// numerically before it is differentiated", and subs(a, x = 3) put 3 in
// place of the variable differentiated by ("cannot differentiate with
// respect to 3"). The oracle is the derivative taken by hand.
func TestDefinedDerivative(t *testing.T) {
	defs := "a := d(x^2*y, x)\nb := d(sigma(x), x)\n"
	evals := []struct {
		expr string
		at   ast.Bindings
		want float64
	}{
		{"a", ast.Bindings{"x": ast.Scalar(3), "y": ast.Scalar(2)}, 12},       // 2*x*y
		{"a + b", ast.Bindings{"x": ast.Scalar(0), "y": ast.Scalar(5)}, 0.25}, // 0 + sigma'(0)
		{"b", ast.Bindings{"x": ast.Scalar(-700)}, math.Exp(-700) / math.Pow(1+math.Exp(-700), 2)},
	}
	for _, c := range evals {
		s := New()
		exec(t, s, defs)
		e, err := parser.ParseExpr(c.expr, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Eval(context.Background(), e, c.at)
		if err != nil {
			t.Errorf("eval %s: %v", c.expr, err)
			continue
		}
		if math.Abs(got-c.want) > 1e-14*math.Max(1, math.Abs(c.want)) {
			t.Errorf("eval %s = %g, want %g", c.expr, got, c.want)
		}
	}
	subs := []struct{ stmt, want string }{
		{"subs(a, x = 3)", "6*y"},
		{"subs(a, x = 3, y = 2)", "12"},
		{"subs(b, x = 0)", "0.25"},
	}
	for _, c := range subs {
		s := New()
		exec(t, s, defs)
		r := exec(t, s, c.stmt)[0]
		if got := ast.String(r.Value); got != c.want {
			t.Errorf("%s = %s, want %s", c.stmt, got, c.want)
		}
	}
}
