package bigmath

import (
	"math/big"
)

// Tanh returns tanh x rounded to prec bits; Tanh(±Inf) = ±1.
// Computed as E/(E+2) with E = expm1(2|x|), which has no cancellation for
// small |x|; for |x| where 1 − |tanh x| < 2^-(prec+guard) it returns ±1.
func Tanh(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	w := prec + guard
	if x.Sign() == 0 {
		return roundTo(x, prec), nil
	}
	ax := newF(x.Prec()).Abs(x)
	var r *big.Float
	// 1 − tanh|x| < 2e^(-2|x|) <= 2^-w once |x| >= (w+1)·ln2/2; 0.35 > ln2/2.
	if ax.IsInf() || ax.Cmp(big.NewFloat(0.35*float64(w+1))) >= 0 {
		r = one(w)
	} else {
		ax.SetMantExp(ax, 1)
		e, err := expm1W(ax, w)
		if err != nil {
			return nil, err // unreachable: 2|x| is bounded above
		}
		d := newF(w).SetInt64(2)
		add(d, d, e)
		r = e.Quo(e, d)
	}
	if x.Sign() < 0 {
		r.Neg(r)
	}
	return roundTo(r, prec), nil
}

// Sigmoid returns 1/(1+e^-x) rounded to prec bits; Sigmoid(+Inf) = 1 and
// Sigmoid(-Inf) = 0. With u = e^-|x| <= 1 it is 1/(1+u) for x >= 0 and
// u/(1+u) for x < 0, so neither tail cancels; far in the negative tail the
// result is e^x, which underflows to 0 below big.Float's range.
func Sigmoid(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	w := prec + guard
	if x.Sign() > 0 && (x.IsInf() || x.Cmp(big.NewFloat(0.7*float64(w))) >= 0) {
		return one(prec), nil // 1 − σ(x) < e^-x < 2^-w
	}
	nax := newF(x.Prec()).Abs(x)
	nax.Neg(nax)
	u, err := expW(nax, w)
	if err != nil {
		return nil, err // unreachable: the argument is <= 0
	}
	d := one(w)
	add(d, d, u)
	var r *big.Float
	if x.Sign() >= 0 {
		r = newF(w).Quo(one(w), d)
	} else {
		r = u.Quo(u, d)
	}
	return roundTo(r, prec), nil
}

// Softplus returns ln(1+e^x) rounded to prec bits; Softplus(-Inf) = 0 and
// Softplus(+Inf) gives ErrRange. For x > 0 it is x + log1p(e^-x), for
// x <= 0 log1p(e^x), so large |x| lose nothing; far in the negative tail
// the result is e^x, which underflows to 0 below big.Float's range.
func Softplus(x *big.Float, prec uint) (*big.Float, error) {
	if err := checkArgs(x); err != nil {
		return nil, err
	}
	prec = normPrec(prec)
	w := prec + guard
	if x.IsInf() {
		if x.Sign() > 0 {
			return nil, ErrRange
		}
		return newF(prec), nil
	}
	if x.Sign() > 0 && x.Cmp(big.NewFloat(0.7*float64(w))) >= 0 {
		// log1p(e^-x) < e^-x < 2^-w <= x·2^-w.
		return roundTo(x, prec), nil
	}
	nax := newF(x.Prec()).Abs(x)
	nax.Neg(nax)
	u, err := expW(nax, w)
	if err != nil {
		return nil, err // unreachable: the argument is <= 0
	}
	r := log1pW(u, w)
	if x.Sign() > 0 {
		add(r, r, x) // both positive
	}
	return roundTo(r, prec), nil
}

// Cosh returns cosh x rounded to prec bits. Cosh(±Inf) and results above
// big.Float's range give ErrRange. With E = e^|x| it is (E + 1/E)/2, a sum
// of two positive terms, so nothing cancels; once 1/E² < 2^-w the second
// term is left out.
func Cosh(x *big.Float, prec uint) (*big.Float, error) {
	ax, prec, w, err := hyperArg(x, prec)
	if err != nil {
		return nil, err
	}
	e, err := expW(ax, w)
	if err != nil {
		return nil, err
	}
	r := newF(w).Set(e)
	// 1/E² < 2^-w once |x| >= w·ln2/2; 0.35 > ln2/2.
	if ax.Cmp(big.NewFloat(0.35*float64(w))) < 0 {
		add(r, r, newF(w).Quo(one(w), e))
	}
	r.SetMantExp(r, -1)
	return roundTo(r, prec), nil
}

// Sinh returns sinh x rounded to prec bits. Sinh(±Inf) and results beyond
// big.Float's range give ErrRange. With M = expm1(|x|) > 0 it is
// (M + M/(M+1))/2, a sum of two positive terms, so small |x| lose nothing
// to cancellation (sinh x ≈ x there); the sign of x is put back at the end.
func Sinh(x *big.Float, prec uint) (*big.Float, error) {
	ax, prec, w, err := hyperArg(x, prec)
	if err != nil {
		return nil, err
	}
	if x.Sign() == 0 {
		return roundTo(x, prec), nil
	}
	m, err := expm1W(ax, w)
	if err != nil {
		return nil, err
	}
	d := one(w)
	add(d, d, m)
	r := newF(w).Quo(m, d)
	add(r, r, m)
	r.SetMantExp(r, -1)
	if x.Sign() < 0 {
		r.Neg(r)
	}
	return roundTo(r, prec), nil
}

// hyperArg checks the argument of Cosh and Sinh and returns |x|, the
// normalised precision and the working precision. Both overflow
// big.Float's exponent range once |x| >= 2^32 (e^(2^32) ≈ 2^(6.2e9)).
func hyperArg(x *big.Float, prec uint) (ax *big.Float, p, w uint, err error) {
	if err := checkArgs(x); err != nil {
		return nil, 0, 0, err
	}
	p = normPrec(prec)
	ax = newF(x.Prec()).Abs(x)
	if ax.IsInf() || ilogb(ax) > 32 {
		return nil, 0, 0, ErrRange
	}
	return ax, p, p + guard, nil
}
