package session

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// highPrecision evaluates e at evalPrec bits where float64 failed with
// fErr. The value is the answer when it is within the float64 range and
// stays the same, to float64 accuracy, at twice the precision: a value
// that rounding made (1/(x - y) with x - y exactly 0 but computed as
// 1e-154) moves with the precision and is no answer. Otherwise the error
// says why there is none: the value is beyond float64 (and how large it
// is), the value rests on rounding, or the point is outside the domain at
// high precision too (float64's own reason, unless it was only that the
// result was Inf or NaN, where the high-precision reason is more precise).
func highPrecision(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings, fErr *ast.DomainError) (float64, error) {
	hi, err := ast.EvalBig(ctx, e, defs, b, evalPrec)
	if err != nil {
		var de *ast.DomainError
		if ctx.Err() != nil || genericOverflow(fErr) && errors.As(err, &de) && !strings.HasSuffix(de.Msg, "out of range here") {
			return 0, err
		}
		return 0, fErr
	}
	f, _ := hi.Float64()
	if math.IsInf(f, 0) {
		return f, &ast.DomainError{Msg: fmt.Sprintf("the result is about %s: too large for a float64 (it was evaluated at %d bits)", ast.FloatText(hi), evalPrec)}
	}
	if f == 0 && hi.Sign() != 0 {
		// exp(x)*exp(-2*x) at x = 800 is Inf*0 in float64, e^-800 in
		// fact: not 0, and too small for a float64.
		return 0, &ast.DomainError{Msg: fmt.Sprintf("the result is about %s: too small for a float64, which would print 0 (it was evaluated at %d bits)", ast.FloatText(hi), evalPrec)}
	}
	if f, known, err := settle(ctx, e, defs, b, strings.TrimSuffix(fErr.Msg, ".")+" in float64, and "); known {
		return f, err
	}
	check, err := ast.EvalBig(ctx, e, defs, b, 2*evalPrec)
	if err != nil || !ast.SameFloat(hi, check) {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		again := "undefined"
		if err == nil {
			again = ast.FloatText(check)
		}
		return 0, &ast.DomainError{Msg: fmt.Sprintf("%s in float64, and at high precision the value rests on rounding: %s at %d bits, %s at %d bits (terms that cancel, or a point next to one where the expression is undefined)",
			strings.TrimSuffix(fErr.Msg, "."), ast.FloatText(hi), evalPrec, again, 2*evalPrec)}
	}
	return f, nil
}

// genericOverflow reports float64's error that says only that the result
// was Inf or NaN.
func genericOverflow(de *ast.DomainError) bool { return strings.HasPrefix(de.Msg, "the result is ") }

// evalClosedForm evaluates e, which has a sum too long to add term by
// term (sum(i=1..2^70, 1)), through its simplified form: the numbers bound
// are put in as the decimals they are written as, the simplifier finds
// the sum's closed form (2^70) and says whether e is undefined (as
// simplify does: a term with no value somewhere in the range), and the
// result is evaluated. Where a name is bound to a list, or the simplified
// form still has a long sum, the error says so.
func (s *Session) evalClosedForm(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings, long *ast.LongSumError) (float64, error) {
	vals := map[string]ast.Expr{}
	for n, v := range b {
		if v.Shape != nil {
			return 0, fmt.Errorf("%w; it is not simplified to a closed form where a name is bound to a list (%s)", long, n)
		}
		if v.Exact != nil {
			vals[n] = ast.NewNum(ast.FromRat(v.Exact[0]))
			continue
		}
		r, ok := ast.DecimalRat(v.Data[0])
		if !ok {
			return 0, long
		}
		vals[n] = ast.NewNum(ast.FromRat(r))
	}
	res, err := s.Simplify(ctx, ast.Subst(e, vals))
	if err != nil {
		return 0, err
	}
	v, err := ast.EvalInRange(ctx, res.Expr, defs, nil)
	var de *ast.DomainError
	var re *ast.RangeError
	if !errors.As(err, &re) && errors.As(err, &de) {
		v, err = highPrecision(ctx, res.Expr, defs, nil, de)
	}
	if errors.Is(err, ast.ErrTooManySteps) {
		return 0, fmt.Errorf("%w, and the simplifier finds no closed form for it", long)
	}
	return v, err
}
