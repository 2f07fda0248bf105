package derive_test

import (
	"errors"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
)

// TestReview2EquationHoldingOnALine: a condition l == r whose difference
// is affine in x with slope 0 at the point holds for every x there (x == x
// everywhere; x*y == 0 at y = 0), so the piece it picks is the function
// on a whole neighbourhood and its derivative is that piece's.
// d(if(x != x, x, y), x) was undefined() everywhere, where the function is
// y and the derivative 0; d(if(x*y == 0, 1, x), x) was undefined at y = 0,
// where the function is 1 for every x. The expected values are worked out
// by hand (the function is one smooth piece near the point); where the
// point is isolated and the function jumps it stays undefined.
func TestReview2EquationHoldingOnALine(t *testing.T) {
	undef := math.NaN()
	for _, c := range []struct {
		expr string
		at   map[string]float64
		want float64 // NaN: undefined (the function jumps at an isolated point)
	}{
		{"if(x != x, x, y)", map[string]float64{"x": 0.5, "y": 2}, 0},
		{"if(x == x, y, x)", map[string]float64{"x": 0.5, "y": 2}, 0},
		{"if(x != x, x, x^2)", map[string]float64{"x": 1.5}, 3},
		{"if(not (x == x), x, x^3)", map[string]float64{"x": 2}, 12},
		{"if(x*y == 0, 1, x)", map[string]float64{"x": 0.5, "y": 0}, 0},
		{"if(x*y == 0, 1, x)", map[string]float64{"x": 1.5, "y": 2}, 1},
		{"if(x*y != 0, x, 1)", map[string]float64{"x": 0.5, "y": 0}, 0},
		{"if(x*y == 0, 1, x)", map[string]float64{"x": 0, "y": 2}, undef},
		{"if(x*y == 0, 0, x)", map[string]float64{"x": 0, "y": 2}, 1},
		{"if(x - y == 0, y^2, x^2)", map[string]float64{"x": 1.5, "y": 1.5}, 3},
	} {
		e := mustParse(t, c.expr, nil)
		raw, err := derive.D(bg, e, ast.NewSym("x"), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		b := ast.Bindings{}
		for n, v := range c.at {
			b[n] = ast.Scalar(v)
		}
		for _, d := range []ast.Expr{raw, res.Expr} {
			got, err := ast.Eval(d, nil, b)
			var de *ast.DomainError
			switch {
			case math.IsNaN(c.want) && !errors.As(err, &de):
				t.Errorf("d(%s, x) = %s at %v: %v, %v; want undefined (the function jumps there)", c.expr, ast.String(d), c.at, got, err)
			case !math.IsNaN(c.want) && (err != nil || math.Abs(got-c.want) > 1e-12):
				t.Errorf("d(%s, x) = %s at %v: %v, %v; want %v", c.expr, ast.String(d), c.at, got, err, c.want)
			}
		}
	}
}
