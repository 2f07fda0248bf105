package simplify_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestConstantsFirst: pi and the roots of numbers go with the numeric
// coefficient, before the names and calls of a product (pi*cos(pi*x),
// 2*pi*x, sqrt(2)*pi*x), and a term pi of a
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
		// A root of a number goes first too, before pi, as SymPy prints it.
		{"sqrt(2)*x*pi", "sqrt(2)*pi*x"},
		{"pi*x*sqrt(2)", "sqrt(2)*pi*x"},
		{"x*y*pi*sqrt(3)", "sqrt(3)*pi*x*y"},
		{"sqrt(2)*sin(x)*pi", "sqrt(2)*pi*sin(x)"},
		{"d(sqrt(2)*pi*x^2, x)", "2*sqrt(2)*pi*x"},
		{"sqrt(pi)*x", "sqrt(pi)*x"},
		{"x*log(2)", "x*log(2)"}, // as SymPy: a function of a number after the names
		{"x/sqrt(2)", "x/sqrt(2)"},
	} {
		in, res, got := simplifyShown(t, c.in, c.want)
		again, err := simplify.Simplify(bg, res, simplify.Options{Rules: builtin})
		if err != nil || again.Expr != res {
			t.Errorf("%s = %s simplifies again to %v (%v)", c.in, got, ast.String(again.Expr), err)
		}
		rng := rand.New(rand.NewPCG(4, 4))
		agreesWithInput(t, in, got, "x", 30, func(i int) ast.Bindings {
			lo, hi := -2.0, 2.0
			if i%2 == 1 {
				lo, hi = -30, 30
			}
			return ast.Bindings{"x": ast.Scalar(dyadic(lo + rng.Float64()*(hi-lo))), "y": ast.Scalar(dyadic(lo + rng.Float64()*(hi-lo)))}
		}, false)
	}
}
