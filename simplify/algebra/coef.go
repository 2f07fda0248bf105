package algebra

import (
	"math"
	"math/big"
	"math/bits"
	"sync/atomic"
)

// Coefficient arithmetic with a fast path for small rationals. Most
// coefficients the display forms meet are small (1, -1, 2, 1/3): their
// sums and products are computed in int64, with every overflow falling
// back to math/big, and the small integers are shared (coefficients are
// never modified in place once in a polynomial), so that the common case
// allocates little or nothing. The results are the exact values math/big
// gives, normalised as math/big normalises them (TestCoefArithmetic).

// coefFast turns the int64 paths on (the tests compare them with math/big).
var coefFast = true

// smallMax bounds the shared integer coefficients.
const smallMax = 1024

var smallInts [2*smallMax + 1]atomic.Pointer[big.Rat]

// intRat is the integer n as a coefficient, shared when small.
func intRat(n int64) *big.Rat {
	if n == 1 {
		return ratOne
	}
	if n < -smallMax || n > smallMax {
		return new(big.Rat).SetInt64(n)
	}
	p := &smallInts[n+smallMax]
	if r := p.Load(); r != nil {
		return r
	}
	r := new(big.Rat).SetInt64(n)
	p.Store(r) // a racing store puts an equal value: either is fine
	return r
}

// frac64 returns c as n/d with d > 0 when both fit in an int64 (and n is
// not math.MinInt64, whose negation does not).
func frac64(c *big.Rat) (n, d int64, ok bool) {
	num := c.Num()
	if !num.IsInt64() {
		return 0, 0, false
	}
	n = num.Int64()
	if n == math.MinInt64 {
		return 0, 0, false
	}
	if c.IsInt() {
		return n, 1, true
	}
	den := c.Denom() // a reference: c is not an integer, so its denominator is set
	if !den.IsInt64() {
		return 0, 0, false
	}
	return n, den.Int64(), true
}

// newFrac is the coefficient n/d for n and d > 0 coprime.
func newFrac(n, d int64) *big.Rat {
	if d == 1 {
		return intRat(n)
	}
	// 1/d, then the numerator set in place: no gcd to compute, the
	// fraction being in lowest terms already.
	r := new(big.Rat).SetInt64(d)
	r.Inv(r)
	r.Num().SetInt64(n)
	return r
}

func gcd64(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs64(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

// mulInt64 is a*b, false on overflow (a result of math.MinInt64 counts
// as one: frac64 refuses it).
func mulInt64(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(abs64(a)), uint64(abs64(b)))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

// addInt64 is a+b, false on overflow.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) || s == math.MinInt64 {
		return 0, false
	}
	return s, true
}

// mul64 is an/ad * bn/bd in lowest terms (both in lowest terms, ad and
// bd > 0), false on overflow.
func mul64(an, ad, bn, bd int64) (int64, int64, bool) {
	if an == 0 || bn == 0 {
		return 0, 1, true
	}
	g1, g2 := gcd64(abs64(an), bd), gcd64(abs64(bn), ad)
	n, ok1 := mulInt64(an/g1, bn/g2)
	d, ok2 := mulInt64(ad/g2, bd/g1)
	return n, d, ok1 && ok2
}

// add64 is an/ad + bn/bd in lowest terms, false on overflow.
func add64(an, ad, bn, bd int64) (int64, int64, bool) {
	if ad == 1 && bd == 1 {
		s, ok := addInt64(an, bn)
		return s, 1, ok
	}
	g := gcd64(ad, bd)
	x, ok1 := mulInt64(an, bd/g)
	y, ok2 := mulInt64(bn, ad/g)
	d, ok3 := mulInt64(ad, bd/g)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, false
	}
	n, ok := addInt64(x, y)
	if !ok {
		return 0, 0, false
	}
	if n == 0 {
		return 0, 1, true
	}
	h := gcd64(abs64(n), d)
	return n / h, d / h, true
}

// ratAdd is a+b as a new (or shared) coefficient.
func ratAdd(a, b *big.Rat) *big.Rat {
	if c, ok := addFast(a, b); ok {
		return c
	}
	return new(big.Rat).Add(a, b)
}

// addFast is a+b by add64, false when a part does not fit.
func addFast(a, b *big.Rat) (*big.Rat, bool) {
	if !coefFast {
		return nil, false
	}
	an, ad, ok := frac64(a)
	if !ok {
		return nil, false
	}
	bn, bd, ok := frac64(b)
	if !ok {
		return nil, false
	}
	n, d, ok := add64(an, ad, bn, bd)
	if !ok {
		return nil, false
	}
	return newFrac(n, d), true
}

// ratNeg is -c.
func ratNeg(c *big.Rat) *big.Rat {
	if coefFast {
		if n, d, ok := frac64(c); ok {
			return newFrac(-n, d)
		}
	}
	return new(big.Rat).Neg(c)
}

// ratCopy is c as a coefficient of a polynomial: c itself may be the
// caller's to modify, a copy (or a shared small integer) is not.
func ratCopy(c *big.Rat) *big.Rat {
	if coefFast {
		if n, d, ok := frac64(c); ok && d == 1 && n >= -smallMax && n <= smallMax {
			return intRat(n)
		}
	}
	return new(big.Rat).Set(c)
}

// mulFast is a*b by mul64, false when a part does not fit.
func mulFast(a, b *big.Rat) (*big.Rat, bool) {
	if !coefFast {
		return nil, false
	}
	an, ad, ok := frac64(a)
	if !ok {
		return nil, false
	}
	bn, bd, ok := frac64(b)
	if !ok {
		return nil, false
	}
	n, d, ok := mul64(an, ad, bn, bd)
	if !ok {
		return nil, false
	}
	return newFrac(n, d), true
}

// quoFast is a/b (b not 0) by mul64 with b inverted, false when a part
// does not fit.
func quoFast(a, b *big.Rat) (*big.Rat, bool) {
	if !coefFast {
		return nil, false
	}
	an, ad, ok := frac64(a)
	if !ok {
		return nil, false
	}
	bn, bd, ok := frac64(b)
	if !ok || bn == 0 {
		return nil, false
	}
	if bn < 0 {
		bn, bd = -bn, -bd
	}
	n, d, ok := mul64(an, ad, bd, bn)
	if !ok {
		return nil, false
	}
	return newFrac(n, d), true
}
