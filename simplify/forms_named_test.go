package simplify_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestNamedLogSigma: the log-sigmoid is shown as log(sigma(u)), not as the
// canonical u - softplus(u) (the focal loss), and is cheaper by Cost. The
// printed result parses back and agrees with the input (a derivative with
// five-point differences) in float64 and in big.Float at points near 0,
// at |z| ~ 30 and far out where σ underflows (z = -200).
func TestNamedLogSigma(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"log(sigma(z))", "log(sigma(z))"},
		{"z - softplus(z)", "log(sigma(z))"},
		{"-softplus(-z)", "log(sigma(z))"},
		{"2*(z - softplus(z))", "2*log(sigma(z))"},
		{"x*(z - softplus(z)) + 1", "x*log(sigma(z)) + 1"},
		{"log(sigma(x*z))*y", "y*log(sigma(x*z))"},
		{"d(-(1 - sigma(z))^g*log(sigma(z)), z)", "g*sigma(z)*(1 - sigma(z))^g*log(sigma(z)) - (1 - sigma(z))^(g + 1)"},
		{"d(-(1 - sigma(z))^2*log(sigma(z)), z)", "(sigma(z) - 1)^2*(sigma(z)*(2*log(sigma(z)) + 1) - 1)"},
		// softplus alone stays: it is cheaper than -log(sigma(-z)).
		{"softplus(z)", "softplus(z)"},
		{"log(1 - sigma(z))", "-softplus(z)"},
	} {
		in, _, got := simplifyShown(t, c.in, c.want)
		rng := rand.New(rand.NewPCG(5, 5))
		agreesWithInput(t, in, got, "z", 40, func(i int) ast.Bindings {
			lo, hi := -2.0, 2.0
			switch i % 4 {
			case 1:
				lo, hi = -30, 30
			case 3:
				lo, hi = -800, -760 // σ(z) underflows to 0 in float64
			}
			pt := ast.Bindings{}
			for _, n := range []string{"x", "y", "z", "g"} {
				pt[n] = ast.Scalar(dyadic(lo + rng.Float64()*(hi-lo)))
			}
			pt["x"], pt["g"] = ast.Scalar(dyadic(0.5+4*rng.Float64())), ast.Scalar(dyadic(0.5+3*rng.Float64()))
			return pt
		}, true)
	}
	for _, c := range []struct{ named, canonical string }{
		{"log(sigma(z))", "z - softplus(z)"},
		{"2*log(sigma(z))", "2*(z - softplus(z))"},
	} {
		if a, b := simplify.Cost(mustParse(t, c.named, nil)), simplify.Cost(mustParse(t, c.canonical, nil)); a >= b {
			t.Errorf("Cost(%s) = %d is not below Cost(%s) = %d", c.named, a, c.canonical, b)
		}
	}
}
