package bigmath

import (
	"math"
	"math/big"
)

// Exp returns e^x rounded to prec bits.
//
// Exp(-Inf) = 0. Exp(+Inf) and results above big.Float's range
// (x > 1488522235.2) give ErrRange; results below its range
// (x < -1488522236.6) underflow to 0 with a nil error.
func Exp(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	r, err := expW(x, prec+guard)
	if err != nil {
		return nil, err
	}
	return roundTo(r, prec), nil
}

// expW returns e^x at precision w with relative error below a few ulps,
// 0 on underflow, ErrRange on overflow.
func expW(x *big.Float, w uint) (*big.Float, error) {
	switch {
	case x.IsInf():
		if x.Sign() > 0 {
			return nil, ErrRange
		}
		return newF(w), nil
	case x.Sign() == 0:
		return one(w), nil
	case ilogb(x) > 32:
		// |x| >= 2^32 > ln2·2^31: e^x is outside [2^MinExp, 2^MaxExp].
		if x.Sign() > 0 {
			return nil, ErrRange
		}
		return newF(w), nil
	}
	e, k := expParts(x, w)
	if k > big.MaxExp+2 {
		return nil, ErrRange
	}
	if k < big.MinExp-2 {
		return newF(w), nil
	}
	m := add(e, e, one(w))
	// Two steps keep each int argument within 32 bits on every platform.
	m.SetMantExp(m, int(k/2))
	m.SetMantExp(m, int(k-k/2))
	if m.IsInf() {
		return nil, ErrRange
	}
	return m, nil
}

// expm1W returns e^x − 1 at precision w with small relative error, also for
// tiny x. x must be finite with |x| < 2^32; overflow gives ErrRange.
func expm1W(x *big.Float, w uint) (*big.Float, error) {
	if x.Sign() == 0 {
		return newF(w), nil
	}
	e, k := expParts(x, w)
	if k == 0 {
		return e, nil
	}
	// |x| > ln2/2 here, so e^x − 1 is at least 0.29 in magnitude and the
	// subtraction cannot cancel.
	r, err := expW(x, w)
	if err != nil {
		return nil, err
	}
	return sub(r, r, one(w)), nil
}

// expParts splits e^x = (1+E)·2^k with |x − k·ln2| <= ln2/2 (roughly) and
// E = expm1(x − k·ln2) at precision w. x must be finite, |x| < 2^33.
func expParts(x *big.Float, w uint) (*big.Float, int64) {
	xf := toFloat64(x)
	k := int64(math.Round(xf / math.Ln2))
	var r *big.Float
	if k == 0 {
		r = roundTo(x, w)
	} else {
		// r = x − k·ln2 must have an absolute error well below 2^-w,
		// because that is the relative error it causes in e^x. |k| < 2^34,
		// so ln2 needs w + 34 bits plus the bits of x above the point.
		ex := max(ilogb(x), 0)
		lp := w + uint(ex) + 48
		kl := newF(lp + 64).SetInt64(k) // the product below is exact
		kl.Mul(kl, ln2Cache.get(lp))
		r = sub(newF(w), x, kl)
	}
	return expm1Small(r, w), k
}

// expm1Small returns e^r − 1 for |r| <= ~0.36 at precision w.
//
// It halves r s times, sums the Taylor series of expm1, and undoes the
// halving with expm1(2t) = expm1(t)·(expm1(t)+2). Working on expm1 rather
// than exp keeps the relative error from growing with s (each doubling
// multiplies it by at most 1 + |E|/(E+2) <= 1.2, and only in the last steps).
func expm1Small(r *big.Float, w uint) *big.Float {
	if r.Sign() == 0 {
		return newF(w)
	}
	er := ilogb(r)
	if er < -int(w)-4 {
		// expm1(r) = r·(1 + r/2 + ...), and |r| < 2^-(w+4).
		return roundTo(r, w)
	}
	// Aim for |t| < 2^-target; about √w/2 halvings balances the series
	// length against the doublings.
	target := int(math.Sqrt(float64(w))/2) + 2
	s := max(er+target, 0)
	// Each doubling loses a little; carry a few more bits while doubling.
	wp := w + uint(s/4) + 8
	t := newF(wp).SetMantExp(r, -s)
	t = roundTo(t, wp)

	sum := newF(wp).Set(t)
	term := newF(wp).Set(t)
	d := new(big.Float)
	for n := int64(2); n < int64(wp)+10; n++ {
		term.Mul(term, t)
		term.Quo(term, d.SetInt64(n))
		if term.Sign() == 0 {
			break
		}
		add(sum, sum, term)
		// |t| < 1/2, so the neglected tail is below |term|/3.
		if ilogb(term) < ilogb(sum)-int(wp)-4 {
			break
		}
	}
	two := newF(wp).SetInt64(2)
	tmp := newF(wp)
	for range s {
		add(tmp, sum, two)
		sum.Mul(sum, tmp)
	}
	return roundTo(sum, w)
}
