package algebra

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
)

// Factorisation over Q of polynomials in several variables.
//
// A polynomial is split into a rational constant, a monomial, its content
// and primitive part in each variable in turn (the content has fewer
// variables and is factored recursively), and the square-free parts of
// the primitive part (Yun's algorithm, with the multivariate gcd). Each
// square-free part is then split by:
//
//   - factors of degree 1 in some variable v: by Gauss's lemma such a
//     factor is q*v - p with q dividing the leading and p the trailing
//     coefficient in v; both are factored (they have fewer variables) and
//     their divisors tried. This finds every linear factor (x - y and
//     x + y of x^2 - y^2, 2*x - 1 of 4*x^2 - 1), unless the divisors are
//     too many to try (more than maxDivisors);
//   - any other factor: by Kronecker's substitution (kron.go) onto one
//     variable, Zassenhaus's algorithm there (zassenhaus.go), and trial
//     division of the products of subsets of the univariate factors.
//
// The search is complete: what is left is irreducible over Q, unless the
// image under Kronecker's substitution has degree above maxKronDeg or the
// recombination tries more than maxRecombine subsets, in which case the
// factorisation is marked incomplete (FactorReport says so) and the part
// is kept whole. Every factor found is confirmed by exact division, and
// factorPoly checks that the factors multiply back to the input.

var errTooLarge = errors.New("the polynomials are too large to reshape")

const maxDivisors = 256

type pfactor struct {
	p poly
	e int
}

// factorization is c * prod f.p^f.e.
type factorization struct {
	c  *big.Rat
	fs []pfactor
}

// factorPoly factors a polynomial (no negative exponents).
func factorPoly(p poly) (f factorization, err error) {
	defer catch(&err)
	if p.isConst() {
		return factorization{c: p.constant()}, nil
	}
	var fs []pfactor
	m := monomialContent(p)
	for v, e := range m {
		if e > 0 {
			fs = append(fs, pfactor{varPoly(p.space, v, 1), e})
		}
	}
	q := p.shift(m.negate())
	if !q.isConst() {
		fs = append(fs, factorRec(q.normal())...)
	}
	fs = merge(fs)
	// The constant is what is left when the factors are divided out.
	prod := intPoly(p.space, 1)
	for _, f := range fs {
		prod = prod.mul(f.p.pow(f.e))
	}
	c, ok := exactDiv(p, prod)
	if !ok || !c.isConst() {
		panic("algebra: factors do not multiply back")
	}
	return factorization{c: c.constant(), fs: fs}, nil
}

// merge joins equal factors and orders them: lower degree first, then
// by the order of their terms.
func merge(fs []pfactor) []pfactor {
	var out []pfactor
	for _, f := range fs {
		found := false
		for i := range out {
			if out[i].p.equal(f.p) {
				out[i].e += f.e
				found = true
				break
			}
		}
		if !found {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b pfactor) int {
		da, db := totalDeg(a.p), totalDeg(b.p)
		if da != db {
			return da - db
		}
		if len(a.p.terms) != len(b.p.terms) {
			return len(a.p.terms) - len(b.p.terms)
		}
		for i := range a.p.terms {
			if c := cmpMono(b.p.terms[i].m, a.p.terms[i].m); c != 0 {
				return c
			}
			if c := a.p.terms[i].c.Cmp(b.p.terms[i].c); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

func totalDeg(p poly) int {
	d := 0
	for _, t := range p.terms {
		s := 0
		for _, e := range t.m {
			s += e
		}
		d = max(d, s)
	}
	return d
}

// factorRec factors a normalised non-constant polynomial without monomial
// factors.
func factorRec(p poly) []pfactor {
	vs := p.vars()
	if len(vs) == 0 {
		return nil
	}
	v := vs[0]
	var out []pfactor
	c := content(p, v)
	if !c.isConst() {
		out = append(out, factorRec(c)...)
	}
	pp, _ := exactDiv(p, c)
	if factorShortcuts && pp.deg(v) == 1 {
		// Primitive in v and of degree 1 in it: irreducible (a factor
		// without v would divide the content), so square-free; split
		// would find exactly that, after computing the content again.
		return append(out, pfactor{pp.normal(), 1})
	}
	parts := []pfactor{{pp.normal(), 1}}
	if !squareFreeMod(pp, v) {
		parts = squareFree(pp.normal(), v)
	}
	for _, sf := range parts {
		for _, g := range split(sf.p) {
			out = append(out, pfactor{g, sf.e})
		}
	}
	return out
}

// factorShortcuts turns on factorRec's shortcut for a primitive part of
// degree 1 (the tests compare it with the general path).
var factorShortcuts = true

// squareFreeMod reports that p, primitive in v, is square-free, when an
// image of it is: the other variables set to random values modulo a prime
// q > deg(p, v), with p's degree in v kept. A repeated factor of p would
// stay a repeated factor of positive degree in the image, so a square-free
// image proves it. False means only that the test did not decide (Yun's
// algorithm decides then).
func squareFreeMod(p poly, v int) bool {
	n := p.deg(v)
	if n >= modQ {
		return false
	}
	rng := rand.New(rand.NewPCG(uint64(len(p.terms)), uint64(n)))
	for range 3 {
		vals := randomPoint(rng, p.n)
		f, ok := imageMod(p, v, vals)
		if !ok || len(f) != n+1 {
			continue
		}
		p.w.spend(int64(n * n))
		if len(gcdP(f, derivP(f, modQ), modQ)) == 1 {
			return true
		}
	}
	return false
}

// modQ is the prime of the modular tests.
const modQ = 32003

func randomPoint(rng *rand.Rand, n int) []int64 {
	vals := make([]int64, n)
	for i := range vals {
		vals[i] = 1 + rng.Int64N(modQ-1)
	}
	return vals
}

// imageMod is p with every variable but v set to vals, modulo modQ: a
// polynomial in v; false when a denominator vanishes.
func imageMod(p poly, v int, vals []int64) (mpoly, bool) {
	f := make(mpoly, max(p.deg(v)+1, 0))
	for _, t := range p.terms {
		num, den := modInt(t.c.Num()), modInt(t.c.Denom())
		if den == 0 {
			return nil, false
		}
		c := num * invP(den, modQ) % modQ
		for u, e := range t.m {
			if u != v && e != 0 {
				if e < 0 {
					return nil, false
				}
				c = c * powModInt(vals[u], int64(e), modQ) % modQ
			}
		}
		f[t.m[v]] = (f[t.m[v]] + c) % modQ
	}
	return trimP(f), true
}

// modInt is n mod modQ, in [0, modQ).
func modInt(n *big.Int) int64 {
	if n.IsInt64() {
		r := n.Int64() % modQ
		if r < 0 {
			r += modQ
		}
		return r
	}
	return new(big.Int).Mod(n, big.NewInt(modQ)).Int64()
}

// mayDivide is false when d certainly does not divide p: at a random
// point of the other variables, modulo a prime, the image of d (when not
// zero) must divide the image of p. True means only "not excluded".
func mayDivide(p, d poly, v int) bool {
	rng := rand.New(rand.NewPCG(uint64(len(p.terms)), uint64(len(d.terms))))
	vals := randomPoint(rng, p.n)
	fp, ok1 := imageMod(p, v, vals)
	fd, ok2 := imageMod(d, v, vals)
	if !ok1 || !ok2 || len(fd) == 0 {
		return true
	}
	if len(fp) < len(fd) {
		return len(fp) == 0
	}
	_, r := divmodP(fp, fd, modQ)
	return len(r) == 0
}

// squareFree is Yun's decomposition of p, primitive in v: p is a constant
// times the product of the parts to their multiplicities.
func squareFree(p poly, v int) []pfactor {
	var out []pfactor
	d := p.diff(v)
	g := gcd(p, d)
	w, _ := exactDiv(p, g)
	y, _ := exactDiv(d, g)
	z := y.sub(w.diff(v))
	for i := 1; w.has(v); i++ {
		h := gcd(w, z)
		if h.has(v) {
			out = append(out, pfactor{h.normal(), i})
		}
		w, _ = exactDiv(w, h)
		y, _ = exactDiv(z, h)
		z = y.sub(w.diff(v))
		if i > 10_000 {
			panic(errTooLarge)
		}
	}
	return out
}

// split factors a square-free polynomial, primitive in its first
// variable, into normalised irreducible factors. A factor it could not
// split within the limits of the search is returned whole, and the work
// is marked incomplete.
func split(p poly) []pfactor0 {
	if p.isConst() {
		return nil
	}
	p = p.normal()
	vs := p.vars()
	// Degree 1 in a variable and primitive in it: irreducible (a factor
	// without the variable would divide its content). Tried first, since
	// one content is cheaper than the contents in every variable (which
	// are all constant then).
	for _, v := range vs {
		if p.deg(v) == 1 {
			if content(p, v).isConst() {
				return []pfactor0{p}
			}
			break
		}
	}
	// Primitive in every variable: a content in v is a factor without v.
	for _, v := range vs[1:] {
		if c := content(p, v); !c.isConst() {
			q, _ := exactDiv(p, c)
			return append(split(c), split(q)...)
		}
	}
	// Degree 1 in a variable, primitive in it: irreducible.
	for _, v := range vs {
		if p.deg(v) == 1 {
			return []pfactor0{p}
		}
	}
	for _, v := range vs {
		if f, ok := linearFactor(p, v); ok {
			q, _ := exactDiv(p, f)
			return append([]pfactor0{f.normal()}, split(q)...)
		}
	}
	f, ok, complete := kroneckerBudget(p)
	if !complete {
		p.w.markIncomplete()
		return []pfactor0{p}
	}
	if !ok {
		return []pfactor0{p}
	}
	q, _ := exactDiv(p, f)
	return append(split(f), split(q)...)
}

// kroneckerBudget runs kroneckerFactor on at most half the work left, so
// that a search beyond the budget leaves the rest of the factorisation
// (and the other forms of an expression) their share: the part is then
// kept whole, and the factorisation is incomplete.
func kroneckerBudget(p poly) (f poly, ok, complete bool) {
	w := p.w
	if w == nil {
		return kroneckerFactor(p)
	}
	sub := &work{left: w.left / 2, ctx: w.ctx}
	q := poly{space: space{n: p.n, w: sub}, terms: p.terms}
	defer func() {
		w.spend(w.left/2 - max(sub.left, 0))
		if r := recover(); r != nil {
			if r != errTooLarge {
				panic(r)
			}
			f, ok, complete = poly{}, false, false
		}
		f.space.w = w
	}()
	return kroneckerFactor(q)
}

// pfactor0 is a factor without multiplicity.
type pfactor0 = poly

// linearFactor finds a factor q*v - r of p with q | lc and r | tc in v.
func linearFactor(p poly, v int) (poly, bool) {
	lc, tc := p.lc(v), p.coeff(v, 0)
	if tc.isZero() {
		return varPoly(p.space, v, 1), true
	}
	qs, ok1 := divisors(lc)
	rs, ok2 := divisors(tc)
	if !ok1 || !ok2 {
		return poly{}, false
	}
	x := varPoly(p.space, v, 1)
	for _, q := range qs {
		for _, r := range rs {
			for _, sign := range []int64{1, -1} {
				cand := q.mul(x).sub(r.scale(big.NewRat(sign, 1)))
				if !mayDivide(p, cand, v) {
					continue
				}
				if _, ok := exactDiv(p, cand); ok {
					return cand, true
				}
			}
		}
	}
	return poly{}, false
}

// divisors lists the divisors of a polynomial up to sign, or false when
// there are more than maxDivisors.
func divisors(p poly) ([]poly, bool) {
	f, err := factorPoly(p)
	if err != nil {
		return nil, false
	}
	c := new(big.Rat).Abs(f.c)
	if !c.IsInt() {
		return nil, false // p is normalised to integers by its caller
	}
	ints, ok := intDivisors(c.Num())
	if !ok {
		return nil, false
	}
	out := make([]poly, 0, len(ints))
	for _, d := range ints {
		out = append(out, constPoly(p.space, new(big.Rat).SetInt(d)))
	}
	for _, fac := range f.fs {
		var next []poly
		for _, d := range out {
			pw := intPoly(p.space, 1)
			for k := 0; k <= fac.e; k++ {
				next = append(next, d.mul(pw))
				pw = pw.mul(fac.p)
			}
		}
		out = next
		if len(out) > maxDivisors {
			return nil, false
		}
	}
	return out, true
}

// intDivisors lists the positive divisors of n by trial division.
func intDivisors(n *big.Int) ([]*big.Int, bool) {
	if n.Sign() == 0 {
		return nil, false
	}
	if n.BitLen() > 40 {
		return nil, false
	}
	v := n.Int64()
	if v < 0 {
		v = -v
	}
	var small, large []*big.Int
	for d := int64(1); d*d <= v; d++ {
		if v%d == 0 {
			small = append(small, big.NewInt(d))
			if d*d != v {
				large = append(large, big.NewInt(v/d))
			}
		}
		if len(small)+len(large) > maxDivisors {
			return nil, false
		}
	}
	slices.Reverse(large)
	return append(small, large...), true
}
