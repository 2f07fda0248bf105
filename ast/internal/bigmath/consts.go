package bigmath

import (
	"math/big"
	"math/bits"
	"sync"
)

// constCache keeps one constant at the highest precision asked for so far
// and hands out rounded copies, so memory stays bounded whatever precisions
// callers use. compute(p) must return the constant with an error below one
// ulp at p bits.
type constCache struct {
	mu      sync.Mutex
	val     *big.Float
	compute func(prec uint) *big.Float
}

func (c *constCache) get(prec uint) *big.Float {
	c.mu.Lock()
	v := c.val
	// 32 spare bits make the final rounding to prec correct except in
	// cases within 2^-32 ulp of a tie, far inside the contract.
	if v == nil || v.Prec() < prec+32 {
		p := (prec + 64 + 255) &^ 255 // nearby precisions share one computation
		v = c.compute(p)
		c.val = v
	}
	c.mu.Unlock()
	return roundTo(v, prec)
}

var (
	piCache    = constCache{compute: computePi}
	ln2Cache   = constCache{compute: computeLn2}
	rsqrtPi    = constCache{compute: func(p uint) *big.Float { return invSqrt(piCache.get(p+16), p) }}
	sqrt2OverP = constCache{compute: func(p uint) *big.Float {
		half := piCache.get(p + 16)
		half.SetMantExp(half, -1) // π/2
		return invSqrt(half, p)
	}}
)

// invSqrt returns 1/√x rounded to p bits for x > 0.
func invSqrt(x *big.Float, p uint) *big.Float {
	s := newF(p + 32).Sqrt(x)
	return newF(p).Quo(one(p+32), s)
}

// Pi returns π rounded to prec bits (prec 0 means 53). It is safe for
// concurrent use; values are cached.
func Pi(prec uint) *big.Float { return piCache.get(normPrec(prec)) }

// Ln2 returns ln 2 rounded to prec bits (prec 0 means 53). It is safe for
// concurrent use; values are cached.
func Ln2(prec uint) *big.Float { return ln2Cache.get(normPrec(prec)) }

// invSqrtPi returns 1/√π at prec bits.
func invSqrtPi(prec uint) *big.Float { return rsqrtPi.get(prec) }

// sqrt2OverPi returns √(2/π) at prec bits.
func sqrt2OverPi(prec uint) *big.Float { return sqrt2OverP.get(prec) }

// computePi uses Machin's formula π = 16·atan(1/5) − 4·atan(1/239) in
// fixed-point integer arithmetic; simple, and fast enough since it is cached.
func computePi(prec uint) *big.Float {
	b := prec + uint(bits.Len(prec)) + 16 // absorbs one unit of truncation per series term
	s := new(big.Int).Lsh(arctanInv(5, b, true), 4)
	s.Sub(s, new(big.Int).Lsh(arctanInv(239, b, true), 2))
	return fixedToFloat(s, b, prec)
}

// computeLn2 uses ln 2 = 2·atanh(1/3).
func computeLn2(prec uint) *big.Float {
	b := prec + uint(bits.Len(prec)) + 16
	s := new(big.Int).Lsh(arctanInv(3, b, false), 1)
	return fixedToFloat(s, b, prec)
}

// arctanInv returns floor-ish(2^b · atan(1/n)) (or atanh when alt is
// false). Because floor(floor(a)/m) = floor(a/m), every power 2^b/n^(2k+1)
// is exact, so the total error is at most one unit per term.
func arctanInv(n int64, b uint, alt bool) *big.Int {
	pow := new(big.Int).Lsh(big.NewInt(1), b)
	pow.Quo(pow, big.NewInt(n))
	sum := new(big.Int).Set(pow)
	n2 := big.NewInt(n * n)
	term, d := new(big.Int), new(big.Int)
	for k := int64(1); pow.Sign() != 0; k++ {
		pow.Quo(pow, n2)
		term.Quo(pow, d.SetInt64(2*k+1))
		if alt && k&1 == 1 {
			sum.Sub(sum, term)
		} else {
			sum.Add(sum, term)
		}
	}
	return sum
}

// fixedToFloat returns s·2^-b rounded to prec bits.
func fixedToFloat(s *big.Int, b, prec uint) *big.Float {
	f := new(big.Float).SetInt(s) // exact: SetInt widens the precision as needed
	f.SetMantExp(f, -int(b))
	return roundTo(f, prec)
}
