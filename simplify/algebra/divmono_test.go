package algebra

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDivMonoMatchesLoop: exact division by a single term, term by term,
// gives the general loop's quotient, fails where it fails, and spends the
// same work, on random polynomials (divisible ones made as products, so
// both outcomes are exercised).
func TestDivMonoMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	show := func(p poly, ok bool) []string {
		out := []string{}
		if !ok {
			return append(out, "not exact")
		}
		for _, t := range p.terms {
			out = append(out, t.m.key()+" "+t.c.RatString())
		}
		return out
	}
	exact := 0
	for i := range 500 {
		w1, w2 := &work{left: 1 << 40}, &work{left: 1 << 40}
		sp1, sp2 := space{n: 4, w: w1}, space{n: 4, w: w2}
		m := make(mono, 4)
		for v := range 4 {
			m[v] = rng.IntN(3)
		}
		c := big.NewRat(int64(rng.IntN(9)-4), int64(1+rng.IntN(5)))
		if c.Sign() == 0 {
			c.SetInt64(-7)
		}
		b := poly{space: sp1, terms: []term{{m: m, c: c}}}
		a := randFactorPoly(rng, sp1, 4, 1+rng.IntN(30), 3)
		if i%2 == 0 {
			a = a.mul(b)
		}
		w1.left, w2.left = 1<<40, 1<<40
		a2, b2 := a, b
		a2.space, b2.space = sp2, sp2
		q1, ok1 := divMono(a, b.terms[0])
		q2, ok2 := divLoop(a2, b2)
		if ok1 {
			exact++
		}
		if diff := cmp.Diff(show(q2, ok2), show(q1, ok1)); diff != "" {
			t.Fatalf("case %d: quotient differs (-loop +mono):\n%s", i, diff)
		}
		if w1.left != w2.left {
			t.Fatalf("case %d: work spent %d, the loop %d", i, 1<<40-w1.left, 1<<40-w2.left)
		}
	}
	if exact < 200 {
		t.Fatalf("only %d exact divisions of 500", exact)
	}
}

// TestCoeffMatchesMap: the coefficient of v^k taken over term by term is
// what accumulating the terms and sorting them (fromMap) gives.
func TestCoeffMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 4))
	show := func(p poly) []string {
		out := []string{}
		for _, t := range p.terms {
			out = append(out, t.m.key()+" "+t.c.RatString())
		}
		return out
	}
	nonzero := 0
	for range 300 {
		sp := space{n: 4}
		p := randFactorPoly(rng, sp, 4, 1+rng.IntN(40), 3)
		if rng.IntN(2) == 0 {
			p = p.mul(randFactorPoly(rng, sp, 4, 1+rng.IntN(4), 2)).scale(big.NewRat(-3, 7))
		}
		for v := range 4 {
			for k := range 7 {
				acc := map[string]*term{}
				for _, t := range p.terms {
					if t.m[v] == k {
						m := slices.Clone(t.m)
						m[v] = 0
						acc[m.key()] = &term{m: m, c: t.c}
					}
				}
				want, got := fromMap(sp, acc), p.coeff(v, k)
				if len(got.terms) > 0 {
					nonzero++
				}
				if diff := cmp.Diff(show(want), show(got)); diff != "" {
					t.Fatalf("coeff(%d, %d) differs (-map +direct):\n%s", v, k, diff)
				}
			}
		}
	}
	if nonzero < 1000 {
		t.Fatalf("only %d non-zero coefficients", nonzero)
	}
}

// TestMulTermMatchesMap: a product with a single term, taken term by
// term, is the product accumulated through a map and sorted.
func TestMulTermMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 5))
	show := func(p poly) []string {
		out := []string{}
		for _, t := range p.terms {
			out = append(out, t.m.key()+" "+t.c.RatString())
		}
		return out
	}
	for range 500 {
		sp := space{n: 4}
		p := randFactorPoly(rng, sp, 4, 1+rng.IntN(30), 3).scale(big.NewRat(int64(1+rng.IntN(9)), int64(1+rng.IntN(9))))
		q := randFactorPoly(rng, sp, 4, 1, 3)
		if diff := cmp.Diff(show(p.mulMap(q)), show(p.mul(q))); diff != "" {
			t.Fatalf("p*t differs (-map +direct):\n%s", diff)
		}
		if diff := cmp.Diff(show(q.mulMap(p)), show(q.mul(p))); diff != "" {
			t.Fatalf("t*p differs (-map +direct):\n%s", diff)
		}
	}
}
