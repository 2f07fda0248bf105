package prove_test

import (
	"testing"

	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestSpecialPointCounterexamples: claims false only on a thin set (at 0,
// at ±1, where a negative base has a whole exponent) were "unknown": the
// random points never land there. They are refuted now, at a point our
// own evaluation (ast.Eval, then 256 to 4096 bits) confirms. The claims
// true under the conventions (sign(0) = step(0) = 0; a power of a
// negative base is defined only for a whole exponent) must not be
// refuted at those points.
func TestSpecialPointCounterexamples(t *testing.T) {
	for _, c := range []struct {
		src     string
		refuted bool
	}{
		{"prove step(x^2) == 1", true},
		{"prove (x^2)^y == x^(2*y)", true},
		{"prove sign(x)^2 == 1", true},
		{"prove abs(x)^y == abs(x^y)", false},
		{"prove relu(x)*(1 - step(x)) == 0*x", false},
		{"prove relu(x)^2 + relu(-x)^2 == x^2", false},
		{"prove step(x^2) == sign(x)^2", false},
		{"prove sqrt(x^2) == abs(x)", false},
		{"prove (x^2)^(1/2) == abs(x)", false},
		{"prove x^2*y^2 == (x*y)^2", false},
		{"prove exp(y*log(x)) == x^y", false},
		{"prove (x^3)^(1/3) == x", false}, // (-1)^(1/3) is undefined: a power of a negative base needs a whole exponent
		{"prove max(x, y) + min(x, y) == x + y", false},
		{"prove abs(x)*step(x) == relu(x)", false},
		{"prove step(x)*step(y) == step(x*y)*step(x)", false},
	} {
		t.Run(c.src, func(t *testing.T) {
			ps := parseProve(t, c.src, nil)
			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			checkProof(t, pr, nil)
			if got := pr.Verdict == prove.Refuted; got != c.refuted {
				t.Fatalf("%s, want refuted=%v (%s)", pr.Verdict, c.refuted, summary(pr))
			}
			if !c.refuted {
				return
			}
			a, _, _ := derive.Expand(bg, ps.A, derive.Options{Rules: builtin})
			b, _, _ := derive.Expand(bg, ps.B, derive.Options{Rules: builtin})
			if d, why := reallyDiffer(a, b, nil, pr.Counter.Bindings); !d {
				t.Errorf("counterexample %s does not hold up: %s", pr.Counter.Summary(), why)
			}
		})
	}
}
