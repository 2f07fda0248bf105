package simplify_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestConstantsFirst: pi goes with the numeric coefficient, before the
// names and calls of a product (pi*cos(pi*x), 2*pi*x), and a term pi of a
// sum stays where a person writes it (x + pi + 1). The printed result
// parses back to the same node, simplifies to itself, and agrees with
// the input (or with the derivative by finite differences) at points
// near 0 and at |x| ~ 30.
func TestConstantsFirst(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"cos(x*pi)*pi", "pi*cos(pi*x)"},
		{"d(sin(pi*x), x)", "pi*cos(pi*x)"},
		{"x*pi*2", "2*pi*x"},
		{"sigma(x)*pi*2", "2*pi*sigma(x)"},
		{"y*x^2*pi/2", "pi*x^2*y/2"},
		{"x^2*pi^2", "pi^2*x^2"},
		{"x + pi", "x + pi"},
		{"pi + 1 + x", "x + pi + 1"},
		{"d(x*sin(pi*x)/pi, x)", "x*cos(pi*x) + sin(pi*x)/pi"},
	} {
		in := mustParse(t, c.in, nil)
		res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		got := ast.String(res.Expr)
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.in, got, c.want)
		}
		back := mustParse(t, got, nil)
		if back != res.Expr {
			t.Errorf("%s = %s reads back as %s", c.in, got, ast.Sexpr(back))
		}
		again, err := simplify.Simplify(bg, back, simplify.Options{Rules: builtin})
		if err != nil || again.Expr != res.Expr {
			t.Errorf("%s = %s simplifies again to %v (%v)", c.in, got, ast.String(again.Expr), err)
		}
		rng := rand.New(rand.NewPCG(4, 4))
		for i := range 30 {
			lo, hi := -2.0, 2.0
			if i%2 == 1 {
				lo, hi = -30, 30
			}
			pt := ast.Bindings{"x": ast.Scalar(dyadic(lo + rng.Float64()*(hi-lo))), "y": ast.Scalar(dyadic(lo + rng.Float64()*(hi-lo)))}
			var want float64
			if d, ok := in.(*ast.Deriv); ok {
				want = fivePoint(t, d.X, pt)
			} else if want, err = ast.Eval(in, nil, pt); err != nil {
				t.Fatal(err)
			}
			v, err := ast.Eval(back, nil, pt)
			if err != nil || !near(v/max(1, abs(want)), want/max(1, abs(want))) {
				t.Errorf("%s = %s is %v (%v) at %v, want %v", c.in, got, v, err, pt, want)
				break
			}
		}
	}
}

func abs(v float64) float64 { return max(v, -v) }
