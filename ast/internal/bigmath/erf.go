package bigmath

import (
	"math"
	"math/big"
	"math/bits"
)

// The error-function family is computed through two forms of one problem.
// With y = x for erf and y = x/√2 for the normal distribution:
//
//	central(x) = erf(y) = 2Φ(y√2) − 1
//	tail(x)    = erfc(y) = 2Φ(−y√2) = 1 − central(x)
//
// Each flavor only needs q = 2y² (2x² for erf, x² for Φ) and x itself, so
// NormCDF never rounds x/√2.
//
// central uses the series (A&S 7.1.6)
//
//	central = K·e^(−q/2)·Σ_{n>=0} x·q^n/(1·3·…·(2n+1))
//
// whose terms are all positive: no cancellation for any x.
//
// tail uses, for q above a precision-dependent threshold, the Laplace
// continued fraction (A&S 7.1.14 for erfc; Mills' ratio for Φ)
//
//	tail = K'·e^(−q/2) / (x + h/(x + 2h/(x + 3h/(x + …))))
//
// evaluated forward. All its partial numerators and denominators are
// positive, so successive convergents bracket the value and their
// difference is a rigorous stopping rule, and the recurrences only add
// positive numbers, so rounding errors grow at most linearly with the number
// of steps. Below the threshold the fraction converges slowly, and tail is
// 1 − central with the series carried at w + ~1.44·y² extra bits, enough to
// absorb the cancellation (−log2 erfc(y) < 1.443·y² + log2(y+1) + 1).
type flavor struct {
	qShift int // q = x²·2^qShift
	hShift int // h = 2^hShift
	erf    bool
}

var (
	erfFlavor = flavor{qShift: 1, hShift: -1, erf: true} // K = 2/√π, K' = 1/√π
	phiFlavor = flavor{qShift: 0, hShift: 0}             // K = K' = √(2/π)
)

// seriesK returns K at precision w.
func (fl flavor) seriesK(w uint) *big.Float {
	if fl.erf {
		k := invSqrtPi(w)
		return k.SetMantExp(k, 1)
	}
	return sqrt2OverPi(w)
}

// fractionK returns K' at precision w.
func (fl flavor) fractionK(w uint) *big.Float {
	if fl.erf {
		return invSqrtPi(w)
	}
	return sqrt2OverPi(w)
}

// bigArg is the exponent above which |x| is so large that e^(−q/2) is far
// below big.Float's range: x >= 2^17 gives q/2 >= 2^33, and e^(−2^33) is
// below 2^(−2^33), far under 2^MinExp = 2^(−2^31).
const bigArg = 17

// qOf returns q = x²·2^qShift for 0 <= x < 2^bigArg with an absolute error
// far below 2^-w, since that error becomes the relative error of e^(−q/2).
func (fl flavor) qOf(x *big.Float, w uint) *big.Float {
	qp := w + 2*uint(max(ilogb(x), 0)) + 16
	q := newF(qp).Mul(x, x)
	return q.SetMantExp(q, fl.qShift)
}

// weight returns e^(−q/2) at precision w (0 on underflow).
func weight(q *big.Float, w uint) *big.Float {
	z := newF(q.Prec()).Neg(q)
	z.SetMantExp(z, -1)
	e, err := expW(z, w)
	if err != nil { // unreachable: z <= 0
		return newF(w)
	}
	return e
}

// useFraction reports whether the continued fraction is the faster method.
// Measured: the fraction needs roughly w²/(8q) steps, while the series grows
// with q (about 0.7·q terms and 0.72·q extra bits); the two cost the same
// near q ≈ 0.22·w at every precision from 53 to 1024 bits. Below q = 8
// (y = 2) the fraction is never used.
func useFraction(qf float64, w uint) bool {
	return qf >= max(8, 0.22*float64(w))
}

// fractionMaxIter bounds the continued fraction; beyond it the series is
// used instead. At the crossover the fraction needs at most about w steps.
func fractionMaxIter(w uint) int { return 4*int(w) + 200 }

// central returns erf(y) (see flavor) for x >= 0 at precision w.
func (fl flavor) central(x *big.Float, w uint) *big.Float {
	if x.Sign() == 0 {
		return newF(w)
	}
	if x.IsInf() || ilogb(x) > bigArg {
		return one(w)
	}
	q := fl.qOf(x, w)
	qf := toFloat64(q)
	if qf/2 > float64(w+1)*math.Ln2 {
		return one(w) // tail < e^(−q/2) < 2^-(w+1)
	}
	if useFraction(qf, w) {
		if t := fl.tailFraction(x, q, w); t != nil {
			return sub(t, one(w), t) // tail < erfc(2) < 0.005: no cancellation
		}
	}
	return fl.centralSeries(x, q, w)
}

// tail returns erfc(y) (see flavor) for x >= 0 at precision w; 0 when it
// underflows big.Float.
func (fl flavor) tail(x *big.Float, w uint) *big.Float {
	if x.Sign() == 0 {
		return one(w)
	}
	if x.IsInf() || ilogb(x) > bigArg {
		return newF(w)
	}
	q := fl.qOf(x, w)
	qf := toFloat64(q)
	if useFraction(qf, w) {
		if t := fl.tailFraction(x, q, w); t != nil {
			return t
		}
	}
	// 1 − central cancels about 0.7214·q + log2(y+1) + 1 bits.
	extra := uint(0.7214*qf+math.Log2(math.Sqrt(qf/2)+1)) + 8
	wp := w + extra
	c := fl.centralSeries(x, fl.qOf(x, wp), wp)
	return sub(newF(w), one(wp), c)
}

// centralSeries evaluates the series form of central at precision w.
func (fl flavor) centralSeries(x, q *big.Float, w uint) *big.Float {
	s := gaussSeries(x, q, w)
	s.Mul(s, weight(q, w))
	return s.Mul(s, fl.seriesK(w))
}

// tailFraction evaluates the continued-fraction form of tail, or returns
// nil if the fraction has not converged within fractionMaxIter(w) steps.
func (fl flavor) tailFraction(x, q *big.Float, w uint) *big.Float {
	f := millsFraction(x, fl.hShift, w, fractionMaxIter(w))
	if f == nil {
		return nil
	}
	f.Mul(f, weight(q, w))
	return f.Mul(f, fl.fractionK(w))
}

// gaussSeries returns Σ_{n>=0} x·q^n/(1·3·…·(2n+1)) at precision w for
// x, q >= 0. Terms rise until 2n+1 ≈ q and then fall; once the ratio
// q/(2n+3) is at most 1/2 the neglected tail is below the last term.
func gaussSeries(x, q *big.Float, w uint) *big.Float {
	sum := roundTo(x, w)
	term := roundTo(x, w)
	qf := toFloat64(q)
	d := new(big.Float)
	limit := int64(qf) + 8*int64(w) + 100 // never reached: a safety net
	for n := int64(1); n < limit; n++ {
		term.Mul(term, q)
		term.Quo(term, d.SetInt64(2*n+1))
		if term.Sign() == 0 {
			break
		}
		add(sum, sum, term)
		if float64(2*n+3) >= 2*qf && ilogb(term) < ilogb(sum)-int(w)-4 {
			break
		}
	}
	return sum
}

// millsFraction returns 1/(x + h/(x + 2h/(x + 3h/(x + …)))) at precision w
// for x > 0, h = 2^hShift, or nil if it needs more than maxIter steps.
//
// With convergents A_n/B_n, A_n = x·A_{n−1} + a_n·A_{n−2} (same for B),
// a_1 = 1, a_n = (n−1)·h, the determinant identity gives
// |A_n/B_n − A_{n−1}/B_{n−1}| = P_n/(B_n·B_{n−1}) with P_n = Π a_i, so the
// relative step is P_n/(A_n·B_{n−1}), checked through exponents alone.
func millsFraction(x *big.Float, hShift int, w uint, maxIter int) *big.Float {
	// Every quantity is a sum of positive terms, so after n steps its
	// relative rounding error is at most ~2n ulps: carry log2 of that.
	wp := w + uint(bits.Len(uint(maxIter))) + 4
	xa := roundTo(x, wp)
	a2, a1 := newF(wp), one(wp) // A_{n−2}, A_{n−1}
	b2, b1 := one(wp), roundTo(x, wp)
	p := one(wp)
	an := newF(wp)
	t1, t2 := newF(wp), newF(wp)
	for n := 2; n <= maxIter; n++ {
		an.SetInt64(int64(n - 1))
		an.SetMantExp(an, hShift)
		// A_n into a2, B_n into b2, then rotate.
		t1.Mul(xa, a1)
		t2.Mul(an, a2)
		add(a2, t1, t2)
		t1.Mul(xa, b1)
		t2.Mul(an, b2)
		add(b2, t1, t2)
		p.Mul(p, an)
		// a2 = A_n, b1 = B_{n−1}. ilogb is within a factor 2 of log2, so
		// the margin of 4 makes the check conservative.
		if ilogb(p)-ilogb(a2)-ilogb(b1) < -int(w)-4 {
			return newF(w).Quo(a2, b2)
		}
		a1, a2 = a2, a1
		b1, b2 = b2, b1
	}
	return nil
}

// Erf returns erf x rounded to prec bits; Erf(±Inf) = ±1. It is ±1 once
// 1 − |erf x| < 2^-(prec+guard).
func Erf(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	if x.Sign() == 0 {
		return roundTo(x, prec), nil
	}
	ax := newF(x.Prec()).Abs(x)
	r := erfFlavor.central(ax, prec+guard)
	if x.Sign() < 0 {
		r.Neg(r)
	}
	return roundTo(r, prec), nil
}

// Erfc returns erfc x = 1 − erf x rounded to prec bits, with full relative
// accuracy in the positive tail (e.g. erfc(30) ≈ 2.6e-393) by the continued
// fraction described above; Erfc(+Inf) = 0, Erfc(-Inf) = 2. For x above
// about 38581.37 the result is below big.Float's range and is returned as 0.
func Erfc(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	w := prec + guard
	if x.Sign() >= 0 {
		return roundTo(erfFlavor.tail(x, w), prec), nil
	}
	ax := newF(x.Prec()).Abs(x)
	r := erfFlavor.central(ax, w)
	return roundTo(add(r, r, one(w)), prec), nil
}

// NormCDF returns the standard normal distribution function
// Φ(x) = erfc(−x/√2)/2 rounded to prec bits, with full relative accuracy
// deep in the lower tail (Φ(−30) ≈ 4.9e-198) via Mills' ratio continued
// fraction; Φ(−Inf) = 0, Φ(+Inf) = 1. For x below about −54562.3 the
// result is below big.Float's range and is returned as 0.
func NormCDF(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	w := prec + guard
	ax := newF(x.Prec()).Abs(x)
	var r *big.Float
	if x.Sign() <= 0 {
		r = phiFlavor.tail(ax, w)
	} else {
		r = phiFlavor.central(ax, w)
		add(r, r, one(w))
	}
	r.SetMantExp(r, -1)
	return roundTo(r, prec), nil
}

// NormPDF returns the standard normal density φ(x) = e^(−x²/2)/√(2π)
// rounded to prec bits; φ(±Inf) = 0, and for |x| above about 54562.3 the
// result is below big.Float's range and is returned as 0.
func NormPDF(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	w := prec + guard
	ax := newF(x.Prec()).Abs(x)
	if ax.IsInf() || ilogb(ax) > bigArg {
		return newF(prec), nil
	}
	e := weight(phiFlavor.qOf(ax, w), w)
	e.Mul(e, sqrt2OverPi(w))
	e.SetMantExp(e, -1) // √(2/π)/2 = 1/√(2π)
	return roundTo(e, prec), nil
}
