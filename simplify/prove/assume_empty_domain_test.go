package prove_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// A claim whose sides are defined nowhere under the assumption has no
// counterexample: a refutation must show a point where the assumption
// holds. When no drawn point was defined, the sampler walked the names
// out (numcheck's search) and kept the point it found if the equality
// assumptions held, not the order ones: assume x < 0, sqrt(x) == 5 was
// refuted at x = 9.5e-7. The oracle is the assumption written in Go.
func TestRefutationInsideAssumptionWhenDomainEmpty(t *testing.T) {
	tests := []struct {
		assume, claim string
		holds         func(x float64) bool
	}{
		{"x < 0", "sqrt(x) == 5", func(x float64) bool { return x < 0 }},
		{"x < -1", "sqrt(x + 1) == 2", func(x float64) bool { return x < -1 }},
		{"x > 0", "log(-x) == 2", func(x float64) bool { return x > 0 }},
		{"x <= 0", "log(x^2) == 2*log(x) + 1/10^30", func(x float64) bool { return x <= 0 }},
		{"x < 0", "log(x - 2) == log(x - 2) + 1/10^30", func(x float64) bool { return x < 0 }},
	}
	for _, tc := range tests {
		as, ps := parseClaim(t, tc.assume, tc.claim)
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: []*ast.AssumeStmt{as}})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != prove.Refuted {
			continue // unknown (nothing could be checked) is right
		}
		for _, f := range strings.Fields(pr.Counter.Point()) {
			k, v, _ := strings.Cut(f, "=")
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("point %q does not read back", pr.Counter.Point())
			}
			if k == "x" && !tc.holds(x) {
				t.Errorf("assume %s, %s: refuted at %s, where the assumption does not hold", tc.assume, tc.claim, pr.Counter.Point())
			}
		}
	}
}
