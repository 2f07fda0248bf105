package bigmath

import (
	"math/big"
	"math/bits"
)

// Sqrt returns √x rounded to prec bits. x < 0 gives ErrDomain and
// x = +Inf gives ErrRange.
func Sqrt(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	if x.Sign() < 0 {
		return nil, ErrDomain
	}
	if x.IsInf() {
		return nil, ErrRange
	}
	if x.Sign() == 0 {
		return newF(prec), nil
	}
	// big.Float.Sqrt is accurate to about an ulp; the guard bits make the
	// final rounding the only error that matters.
	return roundTo(newF(prec+guard).Sqrt(x), prec), nil
}

// maxIntPow is the largest |y| for which Pow uses repeated multiplication.
const maxIntPow = 1 << 20

// Pow returns x^y rounded to prec bits.
//
//   - y = 0: 1 (also for x = 0 and x < 0).
//   - x = 0: 0 for y > 0, ErrDomain for y < 0.
//   - x > 0: e^(y·ln x), with ln x carried at 64 more bits so that y·ln x
//     has an absolute error far below 2^-prec even near overflow.
//   - x < 0: only for integer y (otherwise ErrDomain); the sign is that of
//     (−1)^y.
//   - Integer |y| <= 2^20 (any sign of x): binary powering with enough extra
//     bits for the ~2·log2|y| roundings.
//
// Overflow gives ErrRange, underflow returns 0. Infinite x or y give
// ErrRange.
func Pow(x, y *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x, y); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	w := prec + guard
	if x.IsInf() || y.IsInf() {
		return nil, ErrRange
	}
	if y.Sign() == 0 {
		return one(prec), nil
	}
	if x.Sign() == 0 {
		if y.Sign() < 0 {
			return nil, ErrDomain
		}
		return newF(prec), nil
	}
	isInt := y.IsInt()
	if x.Sign() < 0 && !isInt {
		return nil, ErrDomain
	}
	ay := newF(y.Prec()).Abs(y)
	if isInt && ay.Cmp(big.NewFloat(maxIntPow)) <= 0 {
		n, _ := ay.Uint64()
		r, over, under := powUint(x, n, w)
		if y.Sign() < 0 {
			over, under = under, over
			if !over && !under {
				r.Quo(one(w), r)
				over = r.IsInf() // 1/x^n can leave the range by one binade
			}
		}
		if over {
			return nil, ErrRange
		}
		if under {
			return newF(prec), nil
		}
		return roundTo(r, prec), nil
	}
	neg := false
	if x.Sign() < 0 {
		// y is an integer above 2^20, odd exactly when its lowest set bit
		// is the units bit, i.e. when its significant bits reach down to
		// 2^0. (Converting y to a big.Int could allocate 2^31 bits.)
		neg = int(ay.MinPrec()) == ilogb(ay)
	}
	ax := newF(x.Prec()).Abs(x)
	// |y·ln x| beyond ~2^32 over- or underflows anyway, so 64 extra bits
	// leave an absolute error below 2^-(w+30) in the exponent.
	l := logW(ax, w+64)
	l.Mul(l, y)
	r, err := expW(l, w)
	if err != nil {
		return nil, err
	}
	if neg {
		r.Neg(r)
	}
	return roundTo(r, prec), nil
}

// powUint returns x^n for n >= 1 by binary powering at precision w plus
// enough bits to absorb the relative error, which grows to about 2n ulps.
// Intermediate powers never exceed the final one in magnitude when |x| > 1
// (nor fall below it when |x| < 1), so an intermediate overflow or underflow
// means the result itself overflows or underflows; that is reported instead
// of a value.
func powUint(x *big.Float, n uint64, w uint) (r *big.Float, over, under bool) {
	wp := w + uint(bits.Len64(n)) + 4
	r = one(wp)
	b := roundTo(x, wp)
	for {
		if n&1 == 1 {
			r.Mul(r, b)
		}
		n >>= 1
		if n == 0 {
			break
		}
		b.Mul(b, b)
		if b.IsInf() {
			return nil, true, false
		}
		if b.Sign() == 0 {
			return nil, false, true
		}
	}
	return r, r.IsInf(), r.Sign() == 0
}
