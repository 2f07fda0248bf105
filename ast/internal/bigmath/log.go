package bigmath

import (
	"math/big"
)

// Log returns the natural logarithm of x rounded to prec bits.
// x <= 0 gives ErrDomain and x = +Inf gives ErrRange. Near x = 1 the
// result keeps its relative accuracy (Log(1+2^-200) ≈ 2^-200).
func Log(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	if x.Sign() <= 0 {
		return nil, ErrDomain
	}
	if x.IsInf() {
		return nil, ErrRange
	}
	prec = normPrec(prec)
	return roundTo(logW(x, prec+guard), prec), nil
}

// invSqrt2 is a threshold; any value near 1/√2 works.
var invSqrt2 = big.NewFloat(0.7071067811865476)

// logW returns ln x for finite x > 0 at precision w.
//
// x = m·2^e with m in [1/√2, √2), and ln m = 2·atanh((m−1)/(m+1)) with
// |(m−1)/(m+1)| <= 0.1716. When e ≠ 0 the two parts have |e·ln2| >= 0.69
// and |ln m| <= 0.35, so their sum cannot cancel by more than a factor 3;
// when e = 0 the result is 2·atanh(t) alone and m−1 is computed with one
// rounding, so results near x = 1 keep full relative accuracy.
func logW(x *big.Float, w uint) *big.Float {
	m := new(big.Float)
	e := x.MantExp(m)
	if m.Cmp(invSqrt2) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	num := sub(newF(w), m, one(w))
	var l *big.Float
	if num.Sign() == 0 {
		l = newF(w)
	} else {
		den := add(newF(w), m, one(w))
		l = atanhSeries(num.Quo(num, den), w)
		l.SetMantExp(l, 1)
	}
	if e == 0 {
		return l
	}
	el := newF(w + 64).SetInt64(int64(e)) // exact product below: |e| < 2^32
	el.Mul(el, ln2Cache.get(w+8))
	return add(l, l, el)
}

// atanhSeries returns atanh(t) = Σ t^(2k+1)/(2k+1) at precision w, for
// |t| <= 0.42 (so t² < 0.18 and the neglected tail is below a fifth of the
// last term).
func atanhSeries(t *big.Float, w uint) *big.Float {
	sum := newF(w).Set(t)
	if t.Sign() == 0 {
		return sum
	}
	t2 := newF(w).Mul(t, t)
	pow := newF(w).Set(t)
	term := newF(w)
	d := new(big.Float)
	for k := int64(1); k < 4*int64(w)+10; k++ {
		pow.Mul(pow, t2)
		if pow.Sign() == 0 {
			break
		}
		term.Quo(pow, d.SetInt64(2*k+1))
		add(sum, sum, term)
		if ilogb(term) < ilogb(sum)-int(w)-4 {
			break
		}
	}
	return sum
}

// log1pW returns ln(1+u) at precision w for finite u > -1, with relative
// accuracy also for tiny |u|.
func log1pW(u *big.Float, w uint) *big.Float {
	if u.Sign() == 0 {
		return newF(w)
	}
	if ilogb(u) < -int(w)-4 {
		return roundTo(u, w) // ln(1+u) = u·(1 − u/2 + ...)
	}
	den := newF(w).SetInt64(2)
	add(den, den, u)
	t := newF(w).Quo(u, den) // ln(1+u) = 2·atanh(u/(2+u)), t has relative error ~2^-w
	if t.Cmp(big.NewFloat(0.1716)) <= 0 && t.Cmp(big.NewFloat(-0.1716)) >= 0 {
		l := atanhSeries(t, w)
		return l.SetMantExp(l, 1)
	}
	// |ln(1+u)| >= 0.34 here, so forming 1+u first costs only ~2 bits.
	v := add(newF(w), u, one(w))
	return logW(v, w)
}
