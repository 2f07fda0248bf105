package simplify

import (
	"math/rand/v2"
	"testing"
)

// TestRuleMaskPassesWhatMatches: rewrite's mask filter never passes over
// a rule that mayMatchKinds lets through (so it changes which rules are
// tried only where they cannot match), on random need lists and operand
// kinds over every rank and many function names (colliding bits
// included), numbers standing for products; and it does pass over some.
func TestRuleMaskPassesWhatMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 15))
	fns := []string{"", "exp", "log", "sigma", "softplus", "sin", "cos", "tanh", "abs", "sign", "step", "sqrt", "Phi", "phi", "max", "min", "relu", "f", "g", "delta", "pi"}
	kind := func() opKind {
		typ := uint8(rng.IntN(15))
		if typ == 3 { // a call
			return opKind{typ: typ, fn: fns[1+rng.IntN(len(fns)-1)]}
		}
		return opKind{typ: typ}
	}
	rejected := 0
	for range 200_000 {
		need := make([]opKind, 1+rng.IntN(3))
		for i := range need {
			need[i] = kind()
		}
		have := make([]opKind, rng.IntN(8))
		for i := range have {
			if rng.IntN(3) == 0 {
				have[i] = need[rng.IntN(len(need))]
			} else {
				have[i] = kind()
			}
		}
		passes := needMask(need)&^haveMask(have) == 0
		if mayMatchKinds(need, have) && !passes {
			t.Fatalf("need %v, operands %v: mayMatchKinds lets the rule through, the mask passes over it", need, have)
		}
		if !passes {
			rejected++
		}
	}
	if rejected < 50_000 {
		t.Errorf("the mask passed over only %d rules", rejected)
	}
}
