package session

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// settle is eval's high-precision answer with a bound on rounding
// (numcheck.Settle, from evalPrec bits up to 4096): the float64 nearest
// the value, where the bound fixes it. Agreement of two precisions is no
// such proof: (exp(x) + 1) - exp(x) at x = 800 is 0 at 512 and at 1024
// bits. known is false where no bound could be had (or the value is beyond
// float64): the caller answers as before. Where a bound was had but 4096
// bits do not fix the answer, err says so, after lead.
func settle(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings, lead string) (f float64, known bool, err error) {
	v, bound, settled, bounded, err := numcheck.SettleBound(ctx, defs.Expand(e), b, evalPrec)
	if ctx.Err() != nil {
		return 0, true, ctx.Err()
	}
	if err != nil || !bounded {
		return 0, false, nil
	}
	if !settled {
		return 0, true, &ast.DomainError{Msg: fmt.Sprintf("%sat high precision the value rests on rounding: %s at 4096 bits, with terms that cancel beyond that precision", lead, v.Text('g', 6))}
	}
	if f, _ = v.Float64(); math.IsInf(f, 0) {
		return 0, false, nil
	}
	if f == 0 && (v.Sign() != 0 || bound.Sign() != 0) {
		// Below float64's range (the float64 nearest is 0): where the value
		// is known not to be 0, an error, not a 0 that looks exact. A bound that does not fix the value's first
		// digits is tried again at 4096 bits, where 1e-333 that 512 bits
		// left within 1.6e-326 of 0 is known.
		tight := func(v, bound *big.Float) bool {
			return v.Sign() != 0 && bound.Cmp(new(big.Float).SetMantExp(new(big.Float).Abs(v), -60)) <= 0
		}
		if !tight(v, bound) {
			if w, wb, ok, _, werr := numcheck.SettleBound(ctx, defs.Expand(e), b, 4096); werr == nil && ok {
				v, bound = w, wb
			}
		}
		if tight(v, bound) {
			return 0, true, &ast.RangeError{DomainError: ast.DomainError{Msg: fmt.Sprintf("the result is about %s: too small for a float64, which would print 0", ast.FloatText(v))}}
		}
		// Within the bound of 0 at 4096 bits (exp(x) - exp(x) at 800): 0 to
		// every precision tried, and the float64 nearest the value is 0.
		return 0, true, nil
	}
	return f, true, nil
}
