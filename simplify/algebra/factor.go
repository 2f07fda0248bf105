package algebra

import (
	"errors"
	"math/big"
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
//   - for a polynomial in one variable, factors of any degree up to half
//     its degree by Kronecker's method (interpolation through divisors of
//     its values), while the combinations stay below maxCombos.
//
// What is left is irreducible when it has degree at most 3 in some
// variable (no linear factor then means none at all), or is univariate and
// Kronecker's search finished; otherwise it may still factor into parts
// of degree 2 or more in every variable, which are not searched for.

var errTooLarge = errors.New("the polynomials are too large to reshape")

const (
	maxDivisors = 256
	maxCombos   = 50_000
)

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
	for _, sf := range squareFree(pp.normal(), v) {
		for _, g := range split(sf.p) {
			out = append(out, pfactor{g, sf.e})
		}
	}
	return out
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

// split factors a square-free primitive polynomial into normalised
// factors.
func split(p poly) []pfactor0 {
	if p.isConst() {
		return nil
	}
	vs := p.vars()
	// Degree 1 in a variable, primitive in it: irreducible.
	for _, v := range vs {
		if p.deg(v) == 1 && content(p, v).isConst() {
			return []pfactor0{p.normal()}
		}
	}
	for _, v := range vs {
		if f, ok := linearFactor(p, v); ok {
			q, _ := exactDiv(p, f)
			return append([]pfactor0{f.normal()}, split(q.normal())...)
		}
	}
	if len(vs) == 1 {
		if f, ok := kronecker(p, vs[0]); ok {
			q, _ := exactDiv(p, f)
			return append(split(f.normal()), split(q.normal())...)
		}
	}
	return []pfactor0{p.normal()}
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

// kronecker finds a factor of degree 2..deg/2 of a univariate polynomial
// with integer coefficients, by interpolating through divisors of its
// values at small integers.
func kronecker(p poly, v int) (poly, bool) {
	n := p.deg(v)
	for k := 2; k <= n/2; k++ {
		var xs []int64
		var divs [][]*big.Int
		combos := 1
		for i := 0; len(xs) <= k && i < 128; i++ {
			cand := int64((i + 1) / 2) // 0, 1, -1, 2, -2, ...
			if i%2 == 0 {
				cand = -cand
			}
			val := evalUni(p, v, cand)
			if val.Sign() == 0 || !val.IsInt() {
				continue
			}
			ds, ok := intDivisors(val.Num())
			if !ok {
				continue
			}
			xs = append(xs, cand)
			divs = append(divs, ds)
			combos *= 2 * len(ds)
			if combos > maxCombos {
				return poly{}, false
			}
		}
		if len(xs) <= k {
			return poly{}, false
		}
		ys := make([]*big.Rat, len(xs))
		var try func(i int) (poly, bool)
		try = func(i int) (poly, bool) {
			if i == len(xs) {
				g, ok := interpolate(p.space, v, xs, ys)
				if !ok || g.deg(v) != k {
					return poly{}, false
				}
				if _, ok := exactDiv(p, g); ok {
					return g, true
				}
				return poly{}, false
			}
			for _, d := range divs[i] {
				for _, s := range []int64{1, -1} {
					if i == 0 && s < 0 {
						continue // a factor and its negative are one
					}
					ys[i] = new(big.Rat).SetInt(new(big.Int).Mul(d, big.NewInt(s)))
					if g, ok := try(i + 1); ok {
						return g, true
					}
				}
			}
			return poly{}, false
		}
		if g, ok := try(0); ok {
			return g, true
		}
	}
	return poly{}, false
}

func evalUni(p poly, v int, x int64) *big.Rat {
	sum := new(big.Rat)
	bx := big.NewRat(x, 1)
	for _, t := range p.terms {
		pw := big.NewRat(1, 1)
		for i := 0; i < t.m[v]; i++ {
			pw.Mul(pw, bx)
		}
		sum.Add(sum, pw.Mul(pw, t.c))
	}
	return sum
}

// interpolate is the polynomial in v of degree < len(xs) through the
// points; false unless its coefficients are integers.
func interpolate(n space, v int, xs []int64, ys []*big.Rat) (poly, bool) {
	res := zeroPoly(n)
	for i := range xs {
		basis := intPoly(n, 1)
		den := big.NewRat(1, 1)
		for j := range xs {
			if j == i {
				continue
			}
			basis = basis.mul(varPoly(n, v, 1).sub(intPoly(n, xs[j])))
			den.Mul(den, big.NewRat(xs[i]-xs[j], 1))
		}
		res = res.add(basis.scale(new(big.Rat).Quo(ys[i], den)))
	}
	for _, t := range res.terms {
		if !t.c.IsInt() {
			return poly{}, false
		}
	}
	return res, true
}
