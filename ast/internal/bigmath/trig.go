package bigmath

import (
	"math"
	"math/big"
)

// Sin returns sin x rounded to prec bits. |x| >= 2^maxReduceExp (about
// 10^9557) and ±Inf give ErrRange. The argument is reduced modulo π/2
// with as many bits of π as its exponent and the precision need (x ≈ 2^e
// takes e + prec + 80 bits), and more where x is close to a multiple of
// π/2 (for example x = π rounded to 4000 bits, where sin x ≈ 1e-1205), so
// the contract holds for every smaller |x|, whatever its digits beyond
// float64. The extra bits are capped by a bound that known results on π
// make unreachable; past it the result would be ErrRange.
func Sin(x *big.Float, prec uint) (*big.Float, error) { return sinCos(x, prec, true) }

// Cos returns cos x rounded to prec bits; see Sin for the domain.
func Cos(x *big.Float, prec uint) (*big.Float, error) { return sinCos(x, prec, false) }

func sinCos(x *big.Float, prec uint, wantSin bool) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	if x.IsInf() {
		return nil, ErrRange
	}
	if x.Sign() == 0 {
		if wantSin {
			return roundTo(x, prec), nil // keeps the sign of zero
		}
		return one(prec), nil
	}
	if ilogb(x) > maxReduceExp {
		return nil, ErrRange
	}
	w := prec + guard
	r, q, err := reduceHalfPi(x, w)
	if err != nil {
		return nil, err
	}
	if !wantSin {
		q++ // cos x = sin(x + π/2)
	}
	// sin(r + qπ/2) for q = 0..3 is sin r, cos r, −sin r, −cos r.
	var v *big.Float
	if q&1 == 0 {
		v = sinReduced(r, w)
	} else {
		v = cosReduced(r, w)
	}
	if q&2 != 0 {
		v.Neg(v)
	}
	return roundTo(v, prec), nil
}

// maxReduceExp bounds the exponent of an argument Sin and Cos reduce: the
// reduction takes up to about 2^15 bits of π there, a tenth of a second
// once (π is cached), where 2^18 bits took 2 s and 2^20 bits 17 s with no
// way to cancel (--timeout 200ms waited 3.6 s). Past it they give ErrRange:
// an argument that large is known to the units place only at more bits
// than the evaluator's highest precision (8192), so its sine could not be
// settled anyway. float64's arguments (below 2^1024) are far inside.
const maxReduceExp = 1<<15 - 1024 // below 10^9557

// MaxReduceExp is the bound on the exponent of an argument Sin and Cos
// reduce: they give ErrRange for |x| >= 2^MaxReduceExp.
const MaxReduceExp = maxReduceExp

// reduceHalfPi returns r and q mod 4 with x = k·π/2 + r, |r| <= ~π/4 and
// q = k mod 4. r has an error below 2^-(w+6)·|r|: when x is close to a
// multiple of π/2 the reduction is redone with more bits of π, as many as
// the cancellation requires. 0 < |x| < 2^(maxReduceExp+1).
func reduceHalfPi(x *big.Float, w uint) (*big.Float, int, error) {
	if x.Cmp(big.NewFloat(0.78)) <= 0 && x.Cmp(big.NewFloat(-0.78)) >= 0 {
		return roundTo(x, w), 0, nil
	}
	ex := max(ilogb(x), 0)
	// k = round(x/(π/2)) only needs to be nearly right; a neighbour still
	// gives |r| < π/4 + tiny.
	hp := piCache.get(uint(ex) + 64)
	hp.SetMantExp(hp, -1)
	qt := newF(uint(ex)+64).Quo(x, hp)
	if qt.Sign() > 0 {
		add(qt, qt, big.NewFloat(0.5))
	} else {
		sub(qt, qt, big.NewFloat(0.5))
	}
	kb, _ := qt.Int(nil) // truncates toward zero: rounds qt to nearest
	// q = k mod 4, from k's two lowest bits (of |k|, hence the sign fix).
	q := 0
	if w := kb.Bits(); len(w) > 0 {
		q = int(w[0] & 3)
	}
	if kb.Sign() < 0 {
		q = (4 - q) & 3
	}
	kf := new(big.Float).SetInt(kb) // exact: SetInt widens the precision
	kbits := uint(kb.BitLen())

	// Bits of π beyond what a well-separated x needs are added only when the
	// result shows cancellation. The cap is a safety net: π's irrationality
	// measure is below 7.2, so an x of px significant bits (x = M·2^-s)
	// cannot come much closer to a multiple of π/2 than 2^-7.2·(px+ex),
	// and the cap allows more than that.
	limit := w + 8*(x.MinPrec()+uint(ex)+64) + 256
	pp := w + uint(ex) + 16
	for pp <= limit {
		hp := piCache.get(pp)
		hp.SetMantExp(hp, -1)
		kp := newF(pp+kbits+2).Mul(kf, hp) // exact
		r := sub(newF(pp), x, kp)
		// The absolute error of r is below |k|·2^-pp·(π/2) + ulp(r) <= 2^(ex+1-pp).
		if r.Sign() != 0 {
			er := ilogb(r)
			need := uint(max(ex+2-er+int(w)+6, 0))
			if pp >= need {
				return roundTo(r, w), q, nil
			}
			pp = max(need+16, pp+pp/2)
		} else {
			pp *= 2
		}
	}
	return nil, 0, ErrRange
}

// sinReduced returns sin r for |r| <= ~0.8 at precision w.
func sinReduced(r *big.Float, w uint) *big.Float {
	if r.Sign() == 0 || ilogb(r) < -int(w/2)-2 {
		return roundTo(r, w) // sin r = r·(1 − r²/6 + ...)
	}
	// sin r = sign(r)·√(v(2−v)) with v = 1 − cos r; v(2−v) = sin² r
	// without cancellation, because v <= 0.3.
	v := versine(r, w+8)
	s := newF(w + 8).SetInt64(2)
	sub(s, s, v)
	s.Mul(s, v)
	s = newF(w + 8).Sqrt(s)
	if r.Sign() < 0 {
		s.Neg(s)
	}
	return roundTo(s, w)
}

// cosReduced returns cos r for |r| <= ~0.8 at precision w.
func cosReduced(r *big.Float, w uint) *big.Float {
	if r.Sign() == 0 || ilogb(r) < -int(w/2)-2 {
		return one(w) // cos r = 1 − r²/2 + ..., r² < 2^-w
	}
	v := versine(r, w+4)
	c := one(w + 4)
	sub(c, c, v) // v <= 0.3: no cancellation
	return roundTo(c, w)
}

// versine returns v = 1 − cos r at precision w, for 2^-(w/2+3) <= |r| <= 0.8.
//
// Like expm1Small, it halves r, sums the Taylor series of 1 − cos t, and
// doubles back with v(2t) = 2·v(t)·(2 − v(t)), which keeps the relative
// error of v nearly constant (each step multiplies it by 1 + v/(2−v)).
func versine(r *big.Float, w uint) *big.Float {
	er := ilogb(r)
	target := int(math.Sqrt(float64(w))/2) + 2
	s := max(er+target, 0)
	wp := w + uint(s/4) + 8
	t := newF(wp).SetMantExp(r, -s)
	t = roundTo(t, wp)
	t2 := newF(wp).Mul(t, t)

	// v = t²/2! − t⁴/4! + t⁶/6! − ...; terms fall by at least t²/12 < 1/40
	// each, so the neglected tail is below the last term.
	term := newF(wp).Set(t2)
	term.SetMantExp(term, -1)
	sum := newF(wp).Set(term)
	d := new(big.Float)
	for n := int64(2); n < int64(wp); n++ {
		term.Mul(term, t2)
		term.Quo(term, d.SetInt64((2*n-1)*(2*n)))
		if term.Sign() == 0 {
			break
		}
		term.Neg(term)
		add(sum, sum, term)
		if ilogb(term) < ilogb(sum)-int(wp)-4 {
			break
		}
	}
	tmp := newF(wp)
	two := newF(wp).SetInt64(2)
	for range s {
		sub(tmp, two, sum)
		sum.Mul(sum, tmp)
		sum.SetMantExp(sum, 1)
	}
	return roundTo(sum, w)
}
