package algebra

import (
	"math/rand/v2"
	"testing"
)

// TestIrreducibleLinear: the test answers "irreducible" only for
// polynomials that the general factorisation (without its shortcuts)
// finds irreducible with no monomial factor, never for a product of two
// polynomials that are not constant, and does answer for many random
// polynomials of degree 1 in some variable.
func TestIrreducibleLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2))
	yes := 0
	for i := range 600 {
		sp := space{n: 4, w: &work{left: 1 << 40}}
		p := randFactorPoly(rng, sp, 2+rng.IntN(3), 2+rng.IntN(5), 1+rng.IntN(2))
		product := false
		if i%3 == 0 {
			q := randFactorPoly(rng, sp, 1+rng.IntN(4), 1+rng.IntN(3), 1+rng.IntN(2))
			product = !p.isConst() && !q.isConst()
			p = p.mul(q)
		}
		if !irreducibleLinear(p) {
			continue
		}
		if product {
			t.Fatalf("%d: a product of two polynomials %v found irreducible", i, p.terms)
		}
		yes++
		factorShortcuts = false
		f, err := factorPoly(p)
		factorShortcuts = true
		if err != nil {
			t.Fatal(err)
		}
		if len(f.fs) != 1 || f.fs[0].e != 1 || len(f.fs[0].p.terms) != len(p.terms) {
			t.Fatalf("%d: %v found irreducible, factored into %v", i, p.terms, keys(f))
		}
	}
	if yes < 100 {
		t.Fatalf("only %d of 600 random polynomials found irreducible: the test checks too little", yes)
	}
}
