package session

import (
	"context"
	"fmt"
	"math"

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
	v, settled, bounded, err := numcheck.Settle(ctx, defs.Expand(e), b, evalPrec)
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
	return f, true, nil
}
