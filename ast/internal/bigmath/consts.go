package bigmath

import (
	"math/big"
	"math/bits"
	"sync"
)

// constCache keeps one constant at a few precisions, each at least twice
// the one before, and hands out rounded copies from the smallest that is
// enough. Rounding copies the whole mantissa, so one huge π (a reduction
// of sin(10^100000)) must not tax every later get at 256 bits; the
// doubling keeps memory within twice the largest. compute(p) must return
// the constant with an error below one ulp at p bits.
type constCache struct {
	mu      sync.Mutex
	vals    []*big.Float // increasing precision, each over twice the last
	compute func(prec uint) *big.Float
}

func (c *constCache) get(prec uint) *big.Float {
	c.mu.Lock()
	// 32 spare bits make the final rounding to prec correct except in
	// cases within 2^-32 ulp of a tie, far inside the contract.
	for _, v := range c.vals {
		if v.Prec() >= prec+32 {
			c.mu.Unlock()
			return roundTo(v, prec) // v is never modified: safe unlocked
		}
	}
	p := (prec + 64 + 255) &^ 255 // nearby precisions share one computation
	v := c.compute(p)
	// Values within half of p are dropped: v serves their gets at little
	// more cost.
	n := len(c.vals)
	for n > 0 && 2*c.vals[n-1].Prec() > p {
		n--
	}
	c.vals = append(c.vals[:n], v)
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
// fixed-point integer arithmetic up to machinMax bits: simple, and fast
// enough since it is cached. Its cost is quadratic (0.7 s at 2^16 bits, 3
// minutes at 2^20), so above that it is the Gauss–Legendre AGM (piAGM),
// which doubles the correct digits per step of a square root and a
// product (0.3 s at 2^16 bits, 17 s at 2^20, both at load 35).
func computePi(prec uint) *big.Float {
	if prec > machinMax {
		return piAGM(prec)
	}
	return piMachin(prec)
}

const machinMax = 1 << 15

func piMachin(prec uint) *big.Float {
	b := prec + uint(bits.Len(prec)) + 16 // absorbs one unit of truncation per series term
	s := new(big.Int).Lsh(arctanInv(5, b, true), 4)
	s.Sub(s, new(big.Int).Lsh(arctanInv(239, b, true), 2))
	return fixedToFloat(s, b, prec)
}

// piAGM returns π at prec bits by the Gauss–Legendre iteration: a₀ = 1,
// b₀ = 1/√2, t₀ = 1/4, then a' = (a+b)/2, b' = √(ab), t' = t − 2^n·(a−a')²,
// and π ≈ (a+b)²/(4t). The error of that estimate is of the order of
// (a−b)², so the loop stops once a−b < 2^-(prec/2+40), when it is below
// 2^-(prec+64). Each step rounds a few times at w bits; the 64 + log₂
// guard bits cover those roundings over the ~log₂(prec) steps.
func piAGM(prec uint) *big.Float {
	w := prec + 64 + uint(bits.Len(prec))
	a := one(w)
	b := newF(w).SetInt64(2)
	b.Sqrt(b)
	b.Quo(a, b)
	t := newF(w).SetFloat64(0.25)
	d, an := newF(w), newF(w)
	stop := -int(prec/2) - 40
	for n := 0; ; n++ {
		d.Sub(a, b)
		if d.Sign() == 0 || ilogb(d) < stop {
			break
		}
		an.Add(a, b)
		an.SetMantExp(an, -1)
		b.Mul(a, b)
		b.Sqrt(b)
		d.Sub(a, an)
		d.Mul(d, d)
		d.SetMantExp(d, n)
		t.Sub(t, d)
		a, an = an, a
	}
	a.Add(a, b)
	a.Mul(a, a)
	t.SetMantExp(t, 2)
	return newF(prec).Quo(a, t)
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
