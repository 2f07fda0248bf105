package simplify

import (
	"math/bits"

	"github.com/symdiff/symdiff/ast"
)

// Smart mode's add multiplies out the terms that are products with sums
// and keeps that only if fewer terms come out: only if two of the terms
// multiplied out (or one of them and a term left as it is) have the same
// monomial. On the MSE, -2/3*x11*(y1 - w1*x11 - w2*x12) + ... multiplied
// out has no two alike, and making the products to find that out was
// most of the second pass.
//
// expandsApart finds it without making them, where every factor is a
// name, an element or a call (other than exp and delta, which mul merges
// or folds) to a numeric power: mul then makes a monomial by adding the
// exponents of equal bases, a base whose exponent adds up to 0 drops
// out, and the product is its bases in order, each once (interned), so
// two monomials are the same node exactly when their exponents agree
// base by base. A monomial is hashed linearly in its exponents, modulo
// the prime 2^61 - 1 (each base's hash times its exponent, summed), so
// the hash of a product is the sum of its factors' hashes: equal
// monomials have equal hashes, and distinct hashes mean distinct
// monomials (a collision only sends the sum down the general path).

const hashPrime = 1<<61 - 1

// mulMod returns a*b mod 2^61 - 1, for a, b below it.
func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a*b = hi*2^64 + lo; 2^64 = 8 (mod 2^61 - 1), and lo = (lo>>61)*2^61 + low61
	r := (hi << 3) | (lo >> 61)
	r += lo & hashPrime
	for r >= hashPrime {
		r -= hashPrime
	}
	return r
}

func addMod(a, b uint64) uint64 {
	r := a + b
	if r >= hashPrime {
		r -= hashPrime
	}
	return r
}

// powMod is a^k mod 2^61 - 1.
func powMod(a, k uint64) uint64 {
	r := uint64(1)
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

// numMod maps a number with int64 parts to the field: p/q as p*q^-1.
func numMod(n ast.Number) (uint64, bool) {
	p, q := n.Parts()
	pv, ok1 := p.Int64()
	qv, ok2 := q.Int64()
	if !ok1 || !ok2 || qv <= 0 || uint64(qv) >= hashPrime {
		return 0, false
	}
	neg := pv < 0
	mag := uint64(pv)
	if neg {
		mag = -mag
	}
	r := mag % hashPrime
	if neg && r != 0 {
		r = hashPrime - r
	}
	if qv != 1 {
		r = mulMod(r, powMod(uint64(qv), hashPrime-2))
	}
	return r, true
}

// baseHash is a base's hash: its ID, mixed, nonzero below the prime.
func baseHash(b ast.Expr) uint64 {
	x := b.ID() * 0x9E3779B97F4A7C15
	x ^= x >> 29
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 32
	return x%(hashPrime-1) + 1
}

// factorHash is the hash of a factor base^e of the kinds above, false for
// another.
func factorHash(f ast.Expr) (uint64, bool) {
	b, e := splitPow(f)
	switch x := b.(type) {
	case *ast.Sym, *ast.Index:
	case *ast.Call:
		if x.Fn == "exp" || x.Fn == "delta" {
			return 0, false
		}
	default:
		return 0, false
	}
	h := baseHash(b)
	if e == ast.One {
		return h, true
	}
	n, ok := numOf(e)
	if !ok {
		return 0, false
	}
	r, ok := numMod(n)
	if !ok {
		return 0, false
	}
	return mulMod(h, r), true
}

// monoHash is the hash of the product of fs (no number among them).
func monoHash(fs []ast.Expr) (uint64, bool) {
	var h uint64
	for _, f := range fs {
		fh, ok := factorHash(f)
		if !ok {
			return 0, false
		}
		h = addMod(h, fh)
	}
	return h, true
}

// termHash splits a canonical term into its coefficient's size in bits
// and its monomial's hash.
func termHash(t ast.Expr) (int, uint64, bool) {
	switch x := t.(type) {
	case *ast.Num:
		// A term 0 drops out of the collected sum: add counts that as
		// a cancellation.
		return x.Value.Bits(), 0, !x.Value.IsZero()
	case *ast.Mul:
		fs := x.Factors
		k := 1
		if n, ok := fs[0].(*ast.Num); ok {
			k, fs = n.Value.Bits(), fs[1:]
		}
		h, ok := monoHash(fs)
		return k, h, ok
	}
	h, ok := factorHash(t)
	return 1, h, ok
}

// maxApartBits bounds the size of the coefficients expandsApart passes
// (the sum of their sizes for a term multiplied out): far below
// ast.MaxNumberBits, so that multiplying them out would not have stopped
// the simplifier.
const maxApartBits = 1024

// expandsApart reports that smart mode's add of the flattened canonical
// terms flat, multiplying out what it multiplies out, gets as many terms
// as it made, so that it keeps the collected sum as it is (add then goes
// on as if nothing had been multiplied out). False means that it does not
// know.
func expandsApart(flat []ast.Expr) bool {
	var buf [smallHashSet]uint64
	seen := hashSet{small: buf[:0]}
	note := seen.add
	var hs, next []uint64
	for _, t := range flat {
		m, isMul := t.(*ast.Mul)
		var fs []ast.Expr
		kBits := 1
		if isMul {
			fs = m.Factors
			if n, ok := fs[0].(*ast.Num); ok {
				kBits, fs = n.Value.Bits(), fs[1:]
			}
		}
		if !isMul || !smartExpandable(fs) || !hasSum(fs) {
			// Left as it is (see add).
			_, h, ok := termHash(t)
			if !ok || !note(h) {
				return false
			}
			continue
		}
		// distribute: the other factors, times one term of each sum.
		var h0 uint64
		for _, f := range fs {
			if _, ok := f.(*ast.Add); ok {
				continue
			}
			fh, ok := factorHash(f)
			if !ok {
				return false
			}
			h0 = addMod(h0, fh)
		}
		hs = append(hs[:0], h0)
		total := kBits
		for _, f := range fs {
			a, ok := f.(*ast.Add)
			if !ok {
				continue
			}
			most := 0
			next = next[:0]
			for _, u := range a.Terms {
				ub, uh, ok := termHash(u)
				if !ok {
					return false
				}
				most = max(most, ub)
				for _, h := range hs {
					next = append(next, addMod(h, uh))
				}
			}
			total += most
			hs, next = next, hs
		}
		if total > maxApartBits {
			return false
		}
		for _, h := range hs {
			if !note(h) {
				return false
			}
		}
	}
	return true
}

// apartOff turns expandsApart off (for the tests that compare it with
// the general path).
var apartOff bool

func hasSum(fs []ast.Expr) bool {
	for _, f := range fs {
		if _, ok := f.(*ast.Add); ok {
			return true
		}
	}
	return false
}

// smallHashSet is the most hashes a hashSet keeps in a list; past it,
// in a map. W2's gradient notes nine: filling a map for them cost more
// than the rest of expandsApart.
const smallHashSet = 32

// A hashSet is a set of hashes, in a list while it is small.
type hashSet struct {
	small []uint64
	big   map[uint64]struct{}
}

// add adds h and reports whether it was new.
func (s *hashSet) add(h uint64) bool {
	if s.big == nil {
		for _, g := range s.small {
			if g == h {
				return false
			}
		}
		if len(s.small) < smallHashSet {
			s.small = append(s.small, h)
			return true
		}
		s.big = make(map[uint64]struct{}, 4*smallHashSet)
		for _, g := range s.small {
			s.big[g] = struct{}{}
		}
	}
	if _, dup := s.big[h]; dup {
		return false
	}
	s.big[h] = struct{}{}
	return true
}
