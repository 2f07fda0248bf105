package algebra

import (
	"math/big"
	"math/rand/v2"
	"sync"
)

// Factorisation of univariate polynomials over Z by Zassenhaus's
// algorithm: factor modulo a small prime p (distinct-degree factorisation,
// then Cantor and Zassenhaus's equal-degree splitting), lift the factors
// to a power of p large enough to hold the coefficients of any true
// factor (Mignotte's bound) by quadratic Hensel lifting, and recombine
// subsets of the lifted factors, each candidate confirmed by exact
// division over Z. The multivariate factoriser reaches it through
// Kronecker's substitution (kron.go).

// zpoly is a polynomial over Z in one variable: zpoly[i] is the
// coefficient of t^i, with no zero leading coefficient.
type zpoly []*big.Int

// mpoly is a polynomial over Z/p (p a small odd prime), trimmed like
// zpoly, with coefficients in [0, p).
type mpoly []int64

// maxRecombine bounds the subsets of lifted factors tried.
const maxRecombine = 1 << 16

func trimZ(f zpoly) zpoly {
	for len(f) > 0 && f[len(f)-1].Sign() == 0 {
		f = f[:len(f)-1]
	}
	return f
}

func lcZ(f zpoly) *big.Int { return f[len(f)-1] }

func mulZ(a, b zpoly, w *work) zpoly {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	w.spend(int64(len(a)) * int64(len(b)))
	out := make(zpoly, len(a)+len(b)-1)
	for i := range out {
		out[i] = new(big.Int)
	}
	t := new(big.Int)
	for i, x := range a {
		if x.Sign() == 0 {
			continue
		}
		for j, y := range b {
			out[i+j].Add(out[i+j], t.Mul(x, y))
		}
	}
	return trimZ(out)
}

// divZ is a/b when b divides a over Z.
func divZ(a, b zpoly, w *work) (zpoly, bool) {
	if len(b) == 0 || len(a) < len(b) {
		return nil, len(a) == 0 && len(b) > 0
	}
	r := make(zpoly, len(a))
	for i, c := range a {
		r[i] = new(big.Int).Set(c)
	}
	q := make(zpoly, len(a)-len(b)+1)
	lb := lcZ(b)
	rem, t := new(big.Int), new(big.Int)
	for k := len(q) - 1; k >= 0; k-- {
		c := r[k+len(b)-1]
		q[k] = new(big.Int)
		if c.Sign() == 0 {
			continue
		}
		q[k].QuoRem(c, lb, rem)
		if rem.Sign() != 0 {
			return nil, false
		}
		w.spend(int64(len(b)))
		for i, y := range b {
			r[k+i].Sub(r[k+i], t.Mul(q[k], y))
		}
	}
	for _, c := range r[:len(b)-1] {
		if c.Sign() != 0 {
			return nil, false
		}
	}
	return trimZ(q), true
}

// contentZ is the positive gcd of the coefficients.
func contentZ(f zpoly) *big.Int {
	g := new(big.Int)
	for _, c := range f {
		g.GCD(nil, nil, g, new(big.Int).Abs(c))
	}
	return g
}

// primitiveZ divides f by its content and makes its leading coefficient
// positive.
func primitiveZ(f zpoly) zpoly {
	g := contentZ(f)
	if lcZ(f).Sign() < 0 {
		g.Neg(g)
	}
	out := make(zpoly, len(f))
	for i, c := range f {
		out[i] = new(big.Int).Quo(c, g)
	}
	return out
}

// ---- arithmetic modulo a small prime ----

func trimP(f mpoly) mpoly {
	for len(f) > 0 && f[len(f)-1] == 0 {
		f = f[:len(f)-1]
	}
	return f
}

func reduceP(f zpoly, p int64) mpoly {
	out := make(mpoly, len(f))
	bp := big.NewInt(p)
	m := new(big.Int)
	for i, c := range f {
		out[i] = m.Mod(c, bp).Int64()
	}
	return trimP(out)
}

func powModInt(a, e, p int64) int64 {
	r := int64(1)
	a %= p
	for e > 0 {
		if e&1 == 1 {
			r = r * a % p
		}
		a = a * a % p
		e >>= 1
	}
	return r
}

func invP(a, p int64) int64 { return powModInt(a, p-2, p) }

func subP(a, b mpoly, p int64) mpoly {
	out := make(mpoly, max(len(a), len(b)))
	copy(out, a)
	for i, c := range b {
		out[i] = (out[i] - c + p) % p
	}
	return trimP(out)
}

func mulP(a, b mpoly, p int64, w *work) mpoly {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	w.spend(int64(len(a)) * int64(len(b)) / 8)
	out := make(mpoly, len(a)+len(b)-1)
	for i, x := range a {
		if x == 0 {
			continue
		}
		for j, y := range b {
			out[i+j] = (out[i+j] + x*y) % p
		}
	}
	return trimP(out)
}

func scaleP(a mpoly, c, p int64) mpoly {
	out := make(mpoly, len(a))
	for i, x := range a {
		out[i] = x * c % p
	}
	return trimP(out)
}

// divmodP divides a by b (non-zero) modulo p.
func divmodP(a, b mpoly, p int64) (q, r mpoly) {
	r = append(mpoly(nil), a...)
	if len(r) < len(b) {
		return nil, r
	}
	q = make(mpoly, len(r)-len(b)+1)
	inv := invP(b[len(b)-1], p)
	for k := len(q) - 1; k >= 0; k-- {
		c := r[k+len(b)-1] * inv % p
		q[k] = c
		if c == 0 {
			continue
		}
		for i, y := range b {
			r[k+i] = (r[k+i] - c*y%p + p) % p
		}
	}
	return trimP(q), trimP(r[:len(b)-1])
}

func monicP(a mpoly, p int64) mpoly {
	if len(a) == 0 {
		return a
	}
	return scaleP(a, invP(a[len(a)-1], p), p)
}

func gcdP(a, b mpoly, p int64) mpoly {
	for len(b) > 0 {
		_, r := divmodP(a, b, p)
		a, b = b, r
	}
	return monicP(a, p)
}

// extGcdP returns s, t with s*a + t*b = 1 modulo p, for coprime a and b.
func extGcdP(a, b mpoly, p int64) (s, t mpoly) {
	r0, r1 := a, b
	s0, s1 := mpoly{1}, mpoly(nil)
	t0, t1 := mpoly(nil), mpoly{1}
	for len(r1) > 0 {
		q, r := divmodP(r0, r1, p)
		r0, r1 = r1, r
		s0, s1 = s1, subP(s0, mulP(q, s1, p, nil), p)
		t0, t1 = t1, subP(t0, mulP(q, t1, p, nil), p)
	}
	// r0 is a non-zero constant.
	inv := invP(r0[0], p)
	return scaleP(s0, inv, p), scaleP(t0, inv, p)
}

func derivP(a mpoly, p int64) mpoly {
	if len(a) <= 1 {
		return nil
	}
	out := make(mpoly, len(a)-1)
	for i := 1; i < len(a); i++ {
		out[i-1] = a[i] * int64(i) % p
	}
	return trimP(out)
}

// powModP is b^e modulo (m, p).
func powModP(b mpoly, e *big.Int, m mpoly, p int64, w *work) mpoly {
	r := mpoly{1}
	_, b = divmodP(b, m, p)
	for i := e.BitLen() - 1; i >= 0; i-- {
		_, r = divmodP(mulP(r, r, p, w), m, p)
		if e.Bit(i) == 1 {
			_, r = divmodP(mulP(r, b, p, w), m, p)
		}
	}
	return r
}

// factorModP splits a monic square-free polynomial modulo p into monic
// irreducible factors.
func factorModP(f mpoly, p int64, w *work) []mpoly {
	var out []mpoly
	x := mpoly{0, 1}
	h := x
	rng := rand.New(rand.NewPCG(uint64(p), uint64(len(f))))
	bp := big.NewInt(p)
	for d := 1; len(f)-1 >= 2*d; d++ {
		h = powModP(h, bp, f, p, w)
		g := gcdP(subP(h, x, p), f, p)
		if len(g) > 1 {
			out = append(out, splitEqualDeg(g, d, p, rng, w)...)
			f, _ = divmodP(f, g, p)
			_, h = divmodP(h, f, p)
		}
	}
	if len(f) > 1 {
		out = append(out, f)
	}
	return out
}

// splitEqualDeg splits a monic product of irreducibles of degree d
// (Cantor and Zassenhaus; p odd).
func splitEqualDeg(g mpoly, d int, p int64, rng *rand.Rand, w *work) []mpoly {
	n := len(g) - 1
	if n == d {
		return []mpoly{g}
	}
	// e = (p^d - 1)/2
	e := new(big.Int).Exp(big.NewInt(p), big.NewInt(int64(d)), nil)
	e.Sub(e, big.NewInt(1)).Rsh(e, 1)
	for range 200 {
		a := make(mpoly, n)
		for i := range a {
			a[i] = rng.Int64N(p)
		}
		a = trimP(a)
		if len(a) <= 1 {
			continue
		}
		b := subP(powModP(a, e, g, p, w), mpoly{1}, p)
		u := gcdP(b, g, p)
		if len(u) > 1 && len(u) < len(g) {
			v, _ := divmodP(g, u, p)
			return append(splitEqualDeg(u, d, p, rng, w), splitEqualDeg(monicP(v, p), d, p, rng, w)...)
		}
	}
	panic(errTooLarge) // practically unreachable: each try splits with probability about 1/2
}

// ---- Hensel lifting ----

func modZ(f zpoly, m *big.Int) zpoly {
	out := make(zpoly, len(f))
	for i, c := range f {
		out[i] = new(big.Int).Mod(c, m)
	}
	return trimZ(out)
}

func liftP(f mpoly) zpoly {
	out := make(zpoly, len(f))
	for i, c := range f {
		out[i] = big.NewInt(c)
	}
	return out
}

func addZ(a, b zpoly) zpoly {
	out := make(zpoly, max(len(a), len(b)))
	for i := range out {
		out[i] = new(big.Int)
		if i < len(a) {
			out[i].Add(out[i], a[i])
		}
		if i < len(b) {
			out[i].Add(out[i], b[i])
		}
	}
	return trimZ(out)
}

func negZ(a zpoly) zpoly {
	out := make(zpoly, len(a))
	for i, c := range a {
		out[i] = new(big.Int).Neg(c)
	}
	return out
}

// divremMonicZ divides a by the monic h modulo m.
func divremMonicZ(a, h zpoly, m *big.Int, w *work) (q, r zpoly) {
	r = modZ(a, m)
	if len(r) < len(h) {
		return nil, r
	}
	r = append(zpoly(nil), r...)
	for i := range r {
		r[i] = new(big.Int).Set(r[i])
	}
	q = make(zpoly, len(r)-len(h)+1)
	t := new(big.Int)
	for k := len(q) - 1; k >= 0; k-- {
		c := new(big.Int).Mod(r[k+len(h)-1], m)
		q[k] = c
		if c.Sign() == 0 {
			continue
		}
		w.spend(int64(len(h)))
		for i, y := range h {
			r[k+i].Sub(r[k+i], t.Mul(c, y))
			r[k+i].Mod(r[k+i], m)
		}
	}
	return trimZ(q), modZ(r[:len(h)-1], m)
}

// henselLift lifts f = g*h mod p (h monic, s*g + t*h = 1 mod p) to
// f = g*h mod M, quadratically.
func henselLift(f, g, h, s, t zpoly, p, M *big.Int, w *work) (zpoly, zpoly) {
	m := new(big.Int).Set(p)
	one := zpoly{big.NewInt(1)}
	for m.Cmp(M) < 0 {
		m2 := new(big.Int).Mul(m, m)
		e := modZ(addZ(f, negZ(mulZ(g, h, w))), m2)
		q, r := divremMonicZ(mulZ(s, e, w), h, m2, w)
		g2 := modZ(addZ(g, addZ(mulZ(t, e, w), mulZ(q, g, w))), m2)
		h2 := modZ(addZ(h, r), m2)
		b := modZ(addZ(addZ(mulZ(s, g2, w), mulZ(t, h2, w)), negZ(one)), m2)
		c, d := divremMonicZ(mulZ(s, b, w), h2, m2, w)
		s = modZ(addZ(s, negZ(d)), m2)
		t = modZ(addZ(t, negZ(addZ(mulZ(t, b, w), mulZ(c, g2, w)))), m2)
		g, h, m = g2, h2, m2
	}
	return modZ(g, M), modZ(h, M)
}

// liftAll lifts the monic factors fs of f modulo p (f = lc(f)*prod fs
// mod p) to monic factors modulo M.
func liftAll(f zpoly, fs []mpoly, p int64, M *big.Int, w *work) []zpoly {
	bp := big.NewInt(p)
	if len(fs) == 1 {
		inv := new(big.Int).ModInverse(new(big.Int).Mod(lcZ(f), M), M)
		out := make(zpoly, len(f))
		for i, c := range f {
			out[i] = new(big.Int).Mul(c, inv)
			out[i].Mod(out[i], M)
		}
		return []zpoly{out}
	}
	k := len(fs) / 2
	gp := mpoly{reduceP(zpoly{lcZ(f)}, p)[0]}
	for _, u := range fs[:k] {
		gp = mulP(gp, u, p, w)
	}
	hp := mpoly{1}
	for _, u := range fs[k:] {
		hp = mulP(hp, u, p, w)
	}
	s, t := extGcdP(gp, hp, p)
	g, h := henselLift(f, liftP(gp), liftP(hp), liftP(s), liftP(t), bp, M, w)
	return append(liftAll(g, fs[:k], p, M, w), liftAll(h, fs[k:], p, M, w)...)
}

// ---- Zassenhaus ----

// smallPrimes returns the first 200 odd primes, made on first use: not at
// every start of the command (beside a sync.Once: a package-level
// sync.OnceValue is itself a call at start-up).
func smallPrimes() []int64 {
	smallPrimesOnce.Do(func() {
		var ps []int64
		for n := int64(3); len(ps) < 200; n += 2 {
			prime := true
			for _, q := range ps {
				if q*q > n {
					break
				}
				if n%q == 0 {
					prime = false
					break
				}
			}
			if prime {
				ps = append(ps, n)
			}
		}
		smallPrimesOnce.v = ps
	})
	return smallPrimesOnce.v
}

var smallPrimesOnce struct {
	sync.Once
	v []int64
}

// factorSqfreeZ factors a primitive square-free polynomial of degree at
// least 1 over Z, with f(0) != 0, into primitive irreducible factors with
// positive leading coefficients. Complete unless the recombination
// exceeds maxRecombine subsets, which panics with errTooLarge.
func factorSqfreeZ(f zpoly, w *work) []zpoly {
	n := len(f) - 1
	if n <= 1 {
		return []zpoly{f}
	}
	// The prime with the fewest factors among the first few good ones.
	var best []mpoly
	var bestP int64
	good := 0
	bigLc := lcZ(f)
	for _, p := range smallPrimes() {
		if new(big.Int).Mod(bigLc, big.NewInt(p)).Sign() == 0 {
			continue
		}
		fp := reduceP(f, p)
		if len(fp) != len(f) || len(gcdP(fp, derivP(fp, p), p)) > 1 {
			continue
		}
		fs := factorModP(monicP(fp, p), p, w)
		if best == nil || len(fs) < len(best) {
			best, bestP = fs, p
		}
		if good++; good == 5 || len(best) == 1 {
			break
		}
	}
	if best == nil {
		panic(errTooLarge) // no suitable prime among the small ones
	}
	if len(best) == 1 {
		return []zpoly{f}
	}
	// Mignotte: every factor's coefficients, times lc(f), are below
	// B = |lc| * 2^n * ||f||_2; lift to p^k > 2B.
	norm := new(big.Int)
	for _, c := range f {
		norm.Add(norm, new(big.Int).Mul(c, c))
	}
	norm.Sqrt(norm).Add(norm, big.NewInt(1))
	B := new(big.Int).Lsh(norm, uint(n+1))
	B.Mul(B, new(big.Int).Abs(bigLc))
	M := big.NewInt(bestP)
	for M.Cmp(B) <= 0 {
		M.Mul(M, big.NewInt(bestP))
	}
	lifted := liftAll(f, best, bestP, M, w)
	return recombine(f, lifted, M, w)
}

// recombine finds the true factors of f among products of subsets of the
// lifted monic factors modulo M, smallest subsets first.
func recombine(f zpoly, us []zpoly, M *big.Int, w *work) []zpoly {
	var out []zpoly
	half := new(big.Int).Rsh(M, 1)
	tries := 0
	for size := 1; 2*size <= len(us); {
		found := false
		idx := make([]int, size)
		for i := range idx {
			idx[i] = i
		}
		for {
			if tries++; tries > maxRecombine {
				panic(errTooLarge)
			}
			g := zpoly{new(big.Int).Set(lcZ(f))}
			for _, i := range idx {
				g = modZ(mulZ(g, us[i], w), M)
			}
			for _, c := range g { // symmetric residues
				if c.Cmp(half) > 0 {
					c.Sub(c, M)
				}
			}
			g = trimZ(g)
			if len(g) > 1 {
				g = primitiveZ(g)
				if q, ok := divZ(f, g, w); ok {
					out = append(out, g)
					f = q
					var rest []zpoly
					j := 0
					for i := range us {
						if j < len(idx) && idx[j] == i {
							j++
							continue
						}
						rest = append(rest, us[i])
					}
					us = rest
					found = true
					break
				}
			}
			if !nextCombo(idx, len(us)) {
				break
			}
		}
		if !found {
			size++
		}
	}
	if len(f) > 1 {
		out = append(out, primitiveZ(f))
	}
	return out
}

// nextCombo steps idx to the next size-k subset of 0..n-1 in
// lexicographic order.
func nextCombo(idx []int, n int) bool {
	k := len(idx)
	for i := k - 1; i >= 0; i-- {
		if idx[i] < n-k+i {
			idx[i]++
			for j := i + 1; j < k; j++ {
				idx[j] = idx[j-1] + 1
			}
			return true
		}
	}
	return false
}
