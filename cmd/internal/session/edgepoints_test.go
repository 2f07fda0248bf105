package session

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/simplify/prove"
)

// TestProveThinSliceAtAssumedBound: a claim false only on a thin slice
// next to a bound the user assumed (max(x^2, c*x) == x^2 under
// x > c - eps is false for x in (c - eps, c)) is refuted, with a counterexample inside
// the assumption and the slice; the same claim under x > c, true, is never
// refuted. Random points almost never fall in the slice: prove said
// unknown. The oracle is the test's: the slice is known by construction,
// and the counterexample's x is checked against it in exact arithmetic.
func TestProveThinSliceAtAssumedBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 7))
	refuted := 0
	const trials = 24
	for trial := range trials {
		// c > 0 a decimal with up to 3 places, 1e-2 .. 1e4; eps 10^-k of
		// max(1, c), k = 2..9. x^2 and c*x cross at x = c, a kink the
		// prover's cases cannot place by a linear solve.
		c := math.Round(float64(1+rng.IntN(100000))/100*math.Pow(10, float64(rng.IntN(3)-1))*1000) / 1000
		k := 2 + rng.IntN(8)
		eps := math.Pow(10, -float64(k)) * max(1, c)
		lower := trial%2 == 0
		cs, es := ratText(c), ratText(eps)
		var claim, thin, whole string
		if lower {
			// false for x in (c - eps, c), where x^2 < c*x
			claim = fmt.Sprintf("max(x^2, %s*x) == x^2", cs)
			thin = fmt.Sprintf("assume x > %s - %s", cs, es)
			whole = fmt.Sprintf("assume x > %s", cs)
		} else {
			// false for x in (c, c + eps), where c*x < x^2
			claim = fmt.Sprintf("min(x^2, %s*x) == x^2", cs)
			thin = fmt.Sprintf("assume 0 < x < %s + %s", cs, es)
			whole = fmt.Sprintf("assume 0 < x < %s", cs)
		}
		t.Run(fmt.Sprintf("%s/%s", claim, thin), func(t *testing.T) {
			rs := exec(t, New(), thin+"\nprove "+claim)
			p := rs[len(rs)-1].Proof
			if p.Verdict != prove.Refuted {
				t.Errorf("%s: %s, want refuted (false for x between c and the bound)", thin, p.Verdict)
				return
			}
			refuted++
			xv := p.Counter.Bindings["x"]
			x := new(big.Rat).SetFloat64(xv.Data[0]) // exactly the float64 evaluated
			if xv.Exact != nil {
				x = xv.Exact[0]
			}
			cr, _ := new(big.Rat).SetString(cs)
			er, _ := new(big.Rat).SetString(es)
			bound := new(big.Rat).Sub(cr, er)
			inSlice := x.Cmp(bound) > 0 && x.Cmp(cr) < 0
			if !lower {
				bound.Add(cr, er)
				inSlice = x.Cmp(bound) < 0 && x.Cmp(cr) > 0
			}
			if !inSlice {
				t.Errorf("%s: counterexample x = %s is not between %s and the bound %s", thin, x.FloatString(20), cs, bound.FloatString(20))
			}
		})
		t.Run(fmt.Sprintf("%s/%s", claim, whole), func(t *testing.T) {
			rs := exec(t, New(), whole+"\nprove "+claim)
			if p := rs[len(rs)-1].Proof; p.Verdict == prove.Refuted {
				t.Errorf("%s: refuted at %s, but the claim holds wherever x is", whole, p.Counter.Point())
			}
		})
	}
	if refuted < trials {
		t.Logf("%d of %d thin claims refuted", refuted, trials)
	}
}

// ratText writes f exactly as the decimal it was rounded to.
func ratText(f float64) string {
	return new(big.Rat).SetFloat64(f).FloatString(12)
}
