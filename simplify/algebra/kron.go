package algebra

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Kronecker's substitution maps a polynomial in x1..xn with degree d_i in
// x_i to one in t, x_i ↦ t^(w_i) with w_1 = 1 and w_(i+1) = w_i*(d_i + 1).
// It is a ring map, and one-to-one on the polynomials whose degree in
// each x_i is at most d_i, which every factor of p is. So the image of a
// factor of p is, up to sign, a product of a sub-multiset of the
// irreducible factors of p's image over Z: trying the sub-multisets, the
// smallest first, mapping each product back (the base-(d_i + 1) digits
// of an exponent are the exponents of the x_i) and dividing p by it finds
// a factor of p, or proves p irreducible when none divides.

// maxKronDeg bounds the degree of the image: above it the search is not
// made and the factorisation is incomplete.
const maxKronDeg = 400

// kroneckerFactor returns a non-trivial factor of the square-free
// primitive p, or ok false when p is irreducible; complete is false when
// the search was beyond its limits.
func kroneckerFactor(p poly) (f poly, ok, complete bool) {
	vs := p.vars()
	weight := make([]int, p.n)
	radix := make([]int, p.n)
	size := 1
	for _, v := range vs {
		weight[v] = size
		radix[v] = p.deg(v) + 1
		size *= radix[v]
		if size > maxKronDeg+1 {
			return poly{}, false, false
		}
	}
	img := make(zpoly, size)
	for i := range img {
		img[i] = new(big.Int)
	}
	for _, t := range p.terms {
		k := 0
		for _, v := range vs {
			k += t.m[v] * weight[v]
		}
		img[k].Add(img[k], t.c.Num()) // p is normal: integer coefficients
	}
	img = trimZ(img)
	fs, complete := factorZFull(img, p.w)
	if !complete {
		return poly{}, false, false
	}
	if len(fs) <= 1 {
		return poly{}, false, true
	}
	back := func(g zpoly) poly {
		acc := map[string]*term{}
		for k, c := range g {
			if c.Sign() == 0 {
				continue
			}
			m := make(mono, p.n)
			r := k
			for _, v := range vs {
				m[v] = r % radix[v]
				r /= radix[v]
			}
			if r != 0 {
				return poly{} // beyond the degrees of p: no factor
			}
			acc[m.key()] = &term{m: m, c: new(big.Rat).SetInt(c)}
		}
		return fromMap(p.space, acc)
	}
	// Sub-multisets by increasing size up to half: a factor or its
	// cofactor is among them. Equal factors are told apart by an id so
	// that each sub-multiset is tried once.
	ids := make([]int, len(fs))
	for i := range fs {
		ids[i] = i
		for j := range i {
			if slices.EqualFunc(fs[i], fs[j], func(a, b *big.Int) bool { return a.Cmp(b) == 0 }) {
				ids[i] = ids[j]
				break
			}
		}
	}
	seen := map[string]bool{}
	tries, visited := 0, 0
	for k := 1; 2*k <= len(fs); k++ {
		idx := make([]int, k)
		for i := range idx {
			idx[i] = i
		}
		for {
			// Every combination visited costs work, the skipped repeats
			// too: with many equal factors (t^63 of x^63 - z^2's image)
			// the distinct sub-multisets are few but the combinations of
			// indices astronomically many, and the loop neither spent
			// work nor asked the context.
			if visited++; visited > 16*maxRecombine {
				return poly{}, false, false
			}
			p.w.spend(int64(k))
			key := make([]string, k)
			for i, j := range idx {
				key[i] = strconv.Itoa(ids[j])
			}
			slices.Sort(key)
			ks := strings.Join(key, ",")
			if !seen[ks] {
				seen[ks] = true
				if tries++; tries > maxRecombine {
					return poly{}, false, false
				}
				g := zpoly{big.NewInt(1)}
				for _, j := range idx {
					g = mulZ(g, fs[j], p.w)
				}
				if c := back(g); !c.isZero() && !c.isConst() {
					c = c.normal()
					if len(c.terms) < len(p.terms) || !c.equal(p) {
						if !mayDivide(p, c, vs[0]) {
							// excluded by a modular image
						} else if _, ok := exactDiv(p, c); ok {
							return c, true, true
						}
					}
				}
			}
			if !nextCombo(idx, len(fs)) {
				break
			}
		}
	}
	return poly{}, false, true
}

// factorZFull factors a non-zero polynomial over Z into irreducible
// primitive factors listed with repetition (the constant content is
// dropped); complete is false when the search was beyond its limits.
func factorZFull(f zpoly, w *work) (out []zpoly, complete bool) {
	defer func() {
		if r := recover(); r != nil {
			if r == errTooLarge && !w.exhausted() {
				out, complete = nil, false
				return
			}
			panic(r)
		}
	}()
	k := 0
	for k < len(f) && f[k].Sign() == 0 {
		k++
	}
	for range k {
		out = append(out, zpoly{big.NewInt(0), big.NewInt(1)})
	}
	f = f[k:]
	if len(f) <= 1 {
		return out, true
	}
	if squareFreeZ(f) {
		return append(out, factorSqfreeZ(primitiveZ(f), w)...), true
	}
	// Square-free parts by Yun's algorithm in the one-variable polynomials.
	sp := space{n: 1, w: w}
	acc := map[string]*term{}
	for i, c := range f {
		if c.Sign() != 0 {
			m := mono{i}
			acc[m.key()] = &term{m: m, c: new(big.Rat).SetInt(c)}
		}
	}
	p := fromMap(sp, acc).normal()
	for _, sf := range squareFree(p, 0) {
		g := make(zpoly, sf.p.deg(0)+1)
		for i := range g {
			g[i] = new(big.Int)
		}
		for _, t := range sf.p.normal().terms {
			g[t.m[0]].Set(t.c.Num())
		}
		for _, h := range factorSqfreeZ(g, w) {
			for range sf.e {
				out = append(out, h)
			}
		}
	}
	return out, true
}

// squareFreeZ reports that f is square-free over Z because it is modulo a
// prime that keeps its degree (a repeated factor would stay one); false
// means undecided.
func squareFreeZ(f zpoly) bool {
	for _, p := range smallPrimes()[len(smallPrimes())-3:] {
		fp := reduceP(f, p)
		if len(fp) == len(f) {
			return len(gcdP(fp, derivP(fp, p), p)) == 1
		}
	}
	return false
}
