package simplify_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestNumericFactorKept: a common numeric factor stays out of a sum when
// that makes the coefficients inside simpler (GELU's tanh approximation
// keeps 0.7978845608*(x + 0.044715*x^3) as written), and a sum does not
// mix a/2 with a decimal 0.5. Each result parses back to the same node
// and agrees with its input (a derivative with five-point differences) in
// float64 and big.Float at points near 0 and at |x| ~ 30.
func TestNumericFactorKept(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0.7978845608*(x + 0.044715*x^3)", "0.7978845608*(x + 0.044715*x^3)"},
		{"0.7978845608*x + 0.035677408136172*x^3", "0.7978845608*(x + 0.044715*x^3)"},
		{"0.5*x*(1 + tanh(0.7978845608*(x + 0.044715*x^3)))", "x*(tanh(0.7978845608*(x + 0.044715*x^3)) + 1)/2"},
		{"d(0.5*x*(1 + tanh(0.7978845608*(x + 0.044715*x^3))), x)",
			"(tanh(0.7978845608*(x + 0.044715*x^3)) + 0.7978845608*x*(1 - tanh(0.7978845608*(x + 0.044715*x^3))^2)*(0.134145*x^2 + 1) + 1)/2"},
		// Short decimals read as typed, rather than over a number that
		// makes a new one: not (x + 0.5)/2 nor (x + 1.75)/5.
		{"x/2 + 0.25", "0.5*x + 0.25"},
		{"d(0.1*x^2 + 0.35*x, x)", "0.2*x + 0.35"},
		{"d(0.05*x^3 + 0.1*x, x)", "0.15*x^2 + 0.1"},
		// Left as they were: no decimal to mix with, or no saving.
		{"x/3 + 0.5", "x/3 + 0.5"},
		{"0.25*x + 0.125*y + 1", "x/4 + y/8 + 1"},
		{"x/2 + y/3", "x/2 + y/3"},
		{"2*x + 4", "2*x + 4"},
		{"d(x/2*(1 + tanh(c*(x + b*x^3))), x)", "(tanh(c*(x + b*x^3)) + c*x*(1 - tanh(c*(x + b*x^3))^2)*(3*b*x^2 + 1) + 1)/2"},
		// Numbers too large to multiply out stay as they are.
		{"x*2^30000*2^30000*2^30000 + 1", ""},
	} {
		if c.want == "" {
			res, err := simplify.Simplify(bg, mustParse(t, c.in, nil), simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(res.Expr, func(e ast.Expr) bool {
				if n, ok := e.(*ast.Num); ok && n.Value.Bits() > ast.MaxNumberBits {
					t.Errorf("%s: a %d-bit number was built", c.in, n.Value.Bits())
				}
				return true
			})
			continue
		}
		in, _, got := simplifyShown(t, c.in, c.want)
		rng := rand.New(rand.NewPCG(6, 6))
		agreesWithInput(t, in, got, "x", 40, func(i int) ast.Bindings {
			lo, hi := -2.0, 2.0
			if i%2 == 1 {
				lo, hi = -30, 30
			}
			pt := ast.Bindings{}
			for _, n := range []string{"x", "y", "b", "c"} {
				pt[n] = ast.Scalar(dyadic(lo + rng.Float64()*(hi-lo)))
			}
			return pt
		}, true)
	}
}
