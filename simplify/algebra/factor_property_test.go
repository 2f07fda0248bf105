package algebra

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randFactorPoly is a random polynomial in nv variables with small
// integer coefficients and degree up to deg in each variable.
func randFactorPoly(rng *rand.Rand, sp space, nv, terms, deg int) poly {
	acc := map[string]*term{}
	for range terms {
		m := make(mono, sp.n)
		for v := range nv {
			m[v] = rng.IntN(deg + 1)
		}
		c := big.NewRat(int64(rng.IntN(7)-3), 1)
		if c.Sign() == 0 {
			c.SetInt64(1)
		}
		if t, ok := acc[m.key()]; ok {
			t.c.Add(t.c, c)
		} else {
			acc[m.key()] = &term{m: m, c: c}
		}
	}
	return fromMap(sp, acc)
}

// keys lists the factors of a factorisation with their multiplicities,
// as sorted strings.
func keys(f factorization) []string {
	var out []string
	for _, g := range f.fs {
		for range g.e {
			var b strings.Builder
			for _, t := range g.p.terms {
				b.WriteString(t.m.key() + ":" + t.c.RatString() + ";")
			}
			out = append(out, b.String())
		}
	}
	slices.Sort(out)
	return out
}

// TestFactorProperty: the product of random polynomials (factors of
// degree up to 2 or 3 in each of two or three variables) is factored into
// exactly the factors of its parts (factorisation over Q is unique up to
// constants, which normalisation removes), the factors multiply back to
// the product, and a part that is irreducible by construction (degree 1
// in a variable and primitive in it) is among the factors.
func TestFactorProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 8))
	n := 60
	if testing.Short() {
		n = 20
	}
	for i := range n {
		sp := space{n: 3, w: &work{left: 1 << 40}}
		nv := 2 + rng.IntN(2)
		var parts []poly
		prod := intPoly(sp, 1)
		for range 2 + rng.IntN(2) {
			p := randFactorPoly(rng, sp, nv, 2+rng.IntN(3), 1+rng.IntN(2))
			if p.isConst() {
				continue
			}
			parts = append(parts, p)
			prod = prod.mul(p)
		}
		if prod.isConst() {
			continue
		}
		whole, err := factorPoly(prod)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		var want []string
		back := constPoly(sp, whole.c)
		for _, g := range whole.fs {
			back = back.mul(g.p.pow(g.e))
		}
		if !back.equal(prod) {
			t.Fatalf("%d: the factors do not multiply back", i)
		}
		for _, p := range parts {
			f, err := factorPoly(p)
			if err != nil {
				t.Fatalf("%d: %v", i, err)
			}
			want = append(want, keys(f)...)
			if irreducibleByConstruction(p) {
				q := p.shift(monomialContent(p).negate()).normal()
				found := false
				for _, g := range whole.fs {
					found = found || g.p.equal(q)
				}
				if !found && !q.isConst() && len(q.terms) > 1 {
					t.Errorf("%d: the irreducible part %v is not a factor of the product", i, q.terms)
				}
			}
		}
		slices.Sort(want)
		if got := keys(whole); !slices.Equal(got, want) {
			t.Errorf("%d: product factored into %d factors, its parts into %d:\n got %v\nwant %v", i, len(got), len(want), got, want)
		}
	}
}

// irreducibleByConstruction: degree 1 in a variable, primitive in it (no
// content), and no monomial factor.
func irreducibleByConstruction(p poly) bool {
	m := monomialContent(p)
	for _, e := range m {
		if e != 0 {
			return false
		}
	}
	for _, v := range p.vars() {
		if p.deg(v) == 1 && content(p, v).isConst() {
			return true
		}
	}
	return false
}

// TestFactorShortcut: factorRec's shortcut for a part of degree 1 in its
// first variable gives the factorisation the general path (square-free
// test and split) gives, on random products of polynomials in three
// variables, many of degree 1 in some variable, with coefficients near
// ±2^63 and huge rationals.
func TestFactorShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 63))
	huge, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
	bigs := []*big.Rat{big.NewRat(math.MaxInt64, 1), big.NewRat(math.MinInt64, 1), big.NewRat(1, math.MaxInt64),
		big.NewRat(math.MaxInt64-1, 3), new(big.Rat).SetInt(huge), new(big.Rat).SetFrac(big.NewInt(7), huge)}
	taken := 0
	for i := range 300 {
		sp := space{n: 3, w: &work{left: 1 << 40}}
		prod := intPoly(sp, 1)
		for range 1 + rng.IntN(3) {
			prod = prod.mul(randFactorPoly(rng, sp, 1+rng.IntN(3), 1+rng.IntN(3), 1+rng.IntN(2)))
		}
		if i%3 == 0 {
			prod = prod.scale(bigs[rng.IntN(len(bigs))])
		}
		if prod.isConst() {
			continue
		}
		got, err := factorPoly(prod)
		factorShortcuts = false
		want, werr := factorPoly(prod)
		factorShortcuts = true
		if (err == nil) != (werr == nil) {
			t.Fatalf("%d: errors %v, %v", i, err, werr)
		}
		if err != nil {
			continue
		}
		if got.c.Cmp(want.c) != 0 || !slices.Equal(keys(got), keys(want)) {
			t.Fatalf("%d: with the shortcut %s * %v, without %s * %v", i, got.c.RatString(), keys(got), want.c.RatString(), keys(want))
		}
		for _, g := range got.fs {
			if g.p.deg(g.p.vars()[0]) == 1 {
				taken++
				break
			}
		}
	}
	if taken < 50 {
		t.Errorf("only %d factorisations with a part of degree 1: the inputs do not exercise the shortcut", taken)
	}
}
