package numcheck

import (
	"context"
	"math/big"

	"github.com/symdiff/symdiff/ast"
)

// Settle evaluates e (no defined names) at pt with a bound on its rounding
// error, at prec bits and twice that, up to maxPrec, until the bound fixes
// the float64 nearest the true value: it is within 2^-60 of the value, or
// the value and its bound are below half the least float64 (the answer is
// 0). Terms that cancel lose what the precision cannot hold: (exp(x) + 1) -
// exp(x) at x = 800 is 0 at 512 and at 1024 bits alike, with a bound of
// 2^150; at 2048 bits it is 1. bounded says that some precision gave a
// bound at all; settled that one fixed the answer. err is set where e
// cannot be evaluated so (a node of a kind not handled, a domain error).
func Settle(ctx context.Context, e ast.Expr, pt ast.Bindings, prec uint) (v *big.Float, settled, bounded bool, err error) {
	v, _, settled, bounded, err = SettleBound(ctx, e, pt, prec)
	return v, settled, bounded, err
}

// SettleBound is Settle with the bound on the rounding error of v where it
// settled: eval tells a value below float64's range that the bound fixes
// (1/exp(x) at 800, about 3.7e-348) from one that may be 0.
func SettleBound(ctx context.Context, e ast.Expr, pt ast.Bindings, prec uint) (v, bound *big.Float, settled, bounded bool, err error) {
	tiny := enew().SetMantExp(efloat(1), -1076)
	for ; prec <= maxPrec; prec *= 2 {
		a, err := newBounded(ctx, pt, prec).eval(e)
		if err != nil {
			return nil, nil, false, false, err
		}
		v = a.v
		if a.err == nil {
			continue
		}
		bounded = true
		if a.err.Cmp(eabs(a.v, -60)) <= 0 || eadd(eabs(a.v, 0), a.err).Cmp(tiny) <= 0 {
			return a.v, a.err, true, true, nil
		}
	}
	return v, nil, false, bounded, nil
}
