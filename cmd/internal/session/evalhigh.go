package session

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/numcheck"
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
	// A divisor or log argument that is 0 at evalPrec bits is evaluated
	// again at up to 4096 (1/(1 - sigma(z)) at z = 400); the check below
	// doubles the precision that settled it.
	hi, prec, err := ast.EvalBigSettled(ctx, e, defs, b, evalPrec)
	if err != nil {
		var de *ast.DomainError
		var ue *ast.UndecidedError
		if ctx.Err() != nil || errors.As(err, &ue) || genericOverflow(fErr) && errors.As(err, &de) && !strings.HasSuffix(de.Msg, "out of range here") {
			return 0, err
		}
		return 0, fErr
	}
	f, _ := hi.Float64()
	if math.IsInf(f, 0) {
		return f, &ast.RangeError{DomainError: ast.DomainError{Msg: fmt.Sprintf("the result is about %s: too large for a float64 (it was evaluated at %d bits)", ast.FloatText(hi), prec)}}
	}
	if f == 0 && hi.Sign() != 0 {
		// exp(x)*exp(-2*x) at x = 800 is Inf*0 in float64, e^-800 in
		// fact: not 0, and too small for a float64.
		return 0, &ast.RangeError{DomainError: ast.DomainError{Msg: fmt.Sprintf("the result is about %s: too small for a float64, which would print 0 (it was evaluated at %d bits)", ast.FloatText(hi), prec)}}
	}
	if f, known, err := settle(ctx, e, defs, b, strings.TrimSuffix(fErr.Msg, ".")+" in float64, and "); known {
		return f, err
	}
	check, err := ast.EvalBig(ctx, e, defs, b, 2*prec)
	if err != nil || !ast.SameFloat(hi, check) {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		again := "undefined"
		if err == nil {
			again = ast.FloatText(check)
		}
		return 0, &ast.DomainError{Msg: fmt.Sprintf("%s in float64, and at high precision the value rests on rounding: %s at %d bits, %s at %d bits (terms that cancel, or a point next to one where the expression is undefined)",
			strings.TrimSuffix(fErr.Msg, "."), ast.FloatText(hi), prec, again, 2*prec)}
	}
	return f, nil
}

// evalAt is eval's value of e (derivatives worked out; derived says there
// were some) at b, for a scalar and for each entry of a vector or matrix
// alike: float64 where it holds, the value at high precision settled by a
// bound on rounding where float64 leaves its range on the way or a
// derivative's terms cancel, an error that says why where no float64 is
// the answer.
//
// A decimal the user binds (x = 0.1) is that decimal, as a constant in the
// expression is: the float64 evaluation reads its nearest float64 (an
// exact evaluation of every step is some 15 times slower), and an exact
// evaluation within settleWritten's budget then decides wherever every
// operation on the way is exact: log(x - 0.1) at x = 0.1 is log(0), not
// log(5.55e-18), and 1/(0.7^3 - 0.343) divides by zero. The rest (the
// high-precision fallbacks and the bound on rounding) reads the decimals
// as they are.
func (s *Session) evalAt(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings, derived bool) (float64, error) {
	fctx := newWorkCtx(ctx, 0)
	v, err := evalNumber(fctx, e, defs, floatBindings(b), b, derived)
	took := fctx.work()
	if !derived && ctx.Err() == nil && !errors.Is(err, ast.ErrTooManySteps) {
		if f, ok, xerr := exactWritten(ctx, e, defs, b, took); ok {
			return f, xerr
		}
	}
	if !derived && err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
		if f, ok, serr := settleWritten(ctx, e, defs, b, took); ok {
			v, err = f, serr
		}
	}
	var long *ast.LongSumError
	if errors.As(err, &long) {
		v, err = s.evalClosedForm(ctx, e, defs, b, long)
	}
	return v, err
}

// floatBindings is b for the float64 evaluation: a decimal binding as its
// float64 alone, as float64 arithmetic reads it anyway; exact evaluation
// on every step is for the caller to decide, within a budget. Fractions
// (x = 1/3) keep their exact value, which the float64 evaluation reads
// exactly too (their decisions and divisors).
func floatBindings(b ast.Bindings) ast.Bindings {
	var fb ast.Bindings
	for n, v := range b {
		if v.Exact == nil || !decimalExact(v) {
			continue
		}
		if fb == nil {
			fb = maps.Clone(b)
		}
		v.Exact = nil
		fb[n] = v
	}
	if fb == nil {
		return b
	}
	return fb
}

// decimalExact reports whether every exact entry of v is a decimal (its
// denominator a product of 2s and 5s): a number as a user writes it.
func decimalExact(v ast.Value) bool {
	for _, r := range v.Exact {
		d := new(big.Int).Set(r.Denom())
		d.Rsh(d, d.TrailingZeroBits())
		for five := big.NewInt(5); d.Cmp(big.NewInt(1)) != 0; {
			q, m := new(big.Int).QuoRem(d, five, new(big.Int))
			if m.Sign() != 0 {
				return false
			}
			d = q
		}
	}
	return true
}

// exactWritten decides eval's value of an expression as the user wrote it
// where exact arithmetic decides it (ast.ExactDecision): the float64
// nearest the exact value, an error where the value is beyond float64 or
// the expression fails on exact operands (a division by an exact 0). It
// has settleWritten's budget; past it, or where exact arithmetic cannot
// tell, ok is false.
func exactWritten(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings, took int64) (float64, bool, error) {
	xctx := newWorkCtx(ctx, userSettleBudget(took))
	r, ok, err := ast.ExactDecision(xctx, e, defs, b)
	if !ok || xctx.Err() != nil {
		return 0, false, nil
	}
	if err != nil {
		return 0, true, err
	}
	f, _ := r.Float64()
	switch {
	case math.IsInf(f, 0):
		return 0, true, &ast.RangeError{DomainError: ast.DomainError{Msg: fmt.Sprintf("the result is about %s: too large for a float64", ast.FloatText(new(big.Float).SetRat(r)))}}
	case f == 0 && r.Sign() != 0:
		return 0, true, &ast.RangeError{DomainError: ast.DomainError{Msg: fmt.Sprintf("the result is about %s: too small for a float64, which would print 0", ast.FloatText(new(big.Float).SetRat(r)))}}
	}
	return f, true, nil
}

// settleWritten settles eval's value of an expression as the user wrote
// it, which can cancel as a derivative's terms can: (1 + x^2) - x^2 at
// x = 1e10 is 0 in float64 and 1 in fact. The bound on rounding is taken
// with the bindings as they were written (a decimal exactly), and its
// answer (a value, or an error: too small for a float64, or resting on
// rounding at 4096 bits) is eval's. It has a budget: a sum of a million
// terms, 0.2 s in float64, took 18 s at high precision. Past the budget,
// or where no bound can be had, float64's value stands.
// Kinks and conditions take part: the bound decides each one's piece
// where its argument lies clear of its rounding (float64 can put
// (1 + y^2) - y^2 - 0.5 at y = 1e20 on the wrong side), and a jump (sign,
// step, a condition) whose argument is within rounding of the tie leaves
// the value unbounded: float64's decision stands where float64 sees the
// tie too (its argument exactly 0), and is refused where float64 put it
// off 0 by rounding (jumpInDoubt).
func settleWritten(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings, took int64) (float64, bool, error) {
	sctx := newWorkCtx(ctx, userSettleBudget(took))
	f, known, err := settle(sctx, e, defs, b, "the terms cancel: ")
	if !known && sctx.Err() == nil {
		if derr := jumpInDoubt(sctx, defs.Expand(e), b); derr != nil && sctx.Err() == nil {
			return 0, true, derr
		}
	}
	if !known || sctx.Err() != nil {
		return 0, false, nil
	}
	return f, true, err
}

// jumpInDoubt finds a jump (sign, step, a comparison), inside a sum at
// any index value too, whose argument rests on rounding at 4096 bits (0
// to within its bound) while float64 put it off 0: float64's side of it is rounding's choice,
// not a tie's decision (step(sqrt(2)^2 - 2) is step(4.4e-16) = 1 in
// float64, step(0) = 0 in fact), so eval says so rather than print it.
// An argument that is 0 in float64 too is a tie, decided as documented.
func jumpInDoubt(ctx context.Context, x ast.Expr, b ast.Bindings) error {
	doubt, _ := jumpsNearTie(ctx, x, b, false)
	return doubt
}

// jumpsNearTie is jumpInDoubt that, with ties, also reports in tie a jump
// whose argument float64 finds exactly 0 while it is 0 only to within
// rounding at 4096 bits: float64 decides that tie as documented, where an
// evaluation at 512 bits would put it on whichever side its rounding fell.
func jumpsNearTie(ctx context.Context, x ast.Expr, b ast.Bindings, ties bool) (doubt error, tie bool) {
	fb := floatBindings(b)
	check := func(j ast.Jump) {
		gap := j.Gap
		fv, ferr := ast.Eval(gap, nil, fb)
		if ferr != nil || math.IsNaN(fv) || fv == 0 && (!ties || tie) {
			return
		}
		// Settled is not enough: a value settled as below float64's range
		// (sqrt(2)^2 - 2, within 1.4e-613 of 0) may have either sign.
		v, bound, settled, bounded, err := numcheck.SettleBound(ctx, gap, b, evalPrec)
		if err != nil || !bounded || settled && (bound.Sign() == 0 || new(big.Float).Abs(v).Cmp(bound) > 0) {
			return
		}
		if fv == 0 {
			tie = true
			return
		}
		// The jump as written, its sums' indices as names, and their
		// values here: step(sqrt(i)^2 - i) at i = 2.
		at, idx := j.Written()
		where := ""
		for k, iv := range idx {
			sep := ", "
			if k == 0 {
				sep = " at "
			}
			where += fmt.Sprintf("%s%s = %d", sep, iv.Var, iv.Value)
		}
		doubt = &jumpDoubt{at: at, DomainError: &ast.DomainError{Msg: fmt.Sprintf("the side of the jump at %s%s cannot be decided: its argument (for a comparison, the difference of its sides) is %s in float64 but 0 to within rounding at 4096 bits (%s), so float64's side rests on rounding", ast.String(at), where, strconv.FormatFloat(fv, 'g', 6, 64), v.Text('g', 6))}}
	}
	// A sum's jumps are checked at each index value: step(sqrt(i)^2 - i)
	// is step(4.4e-16) at i = 2 in float64, and 0 in fact.
	_ = ast.EachJump(ctx, x, b, func(j ast.Jump) bool {
		check(j)
		return doubt == nil && ctx.Err() == nil
	})
	return doubt, tie
}

// A jumpDoubt is jumpsNearTie's refusal: a DomainError about the jump at,
// as written (its Expr, so that eval and a script put the caret under it).
type jumpDoubt struct {
	*ast.DomainError
	at ast.Expr
}

func (e *jumpDoubt) Unwrap() error  { return e.DomainError }
func (e *jumpDoubt) Expr() ast.Expr { return e.at }

// The budget of settleWritten and exactWritten, in work (workCtx): at
// least userSettleMin, and userSettleTimes the work of the float64
// evaluation. A budget of work, not of time, so that the same command
// gives the same answer whatever the machine's load: with a wall-clock
// budget, exp(190*x)*exp(-85*x) at x = 1 printed one last digit idle and
// another under load.
const (
	userSettleMin   = 64
	userSettleTimes = 4
)

// userSettleBudget is the work settleWritten may do after a float64
// evaluation that did took.
func userSettleBudget(took int64) int64 {
	return max(userSettleMin, userSettleTimes*took)
}

// EvalNumber is evalAt without a session: a sum too long to add term by
// term is an error, not taken to its closed form. gradcheck evaluates the
// symbolic gradient with it, as eval would.
func EvalNumber(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings, derived bool) (float64, error) {
	return evalNumber(ctx, e, defs, b, b, derived)
}

// evalNumber is EvalNumber whose float64 evaluation reads fast, b as
// float64 holds it, and whose evaluations at high precision read b.
func evalNumber(ctx context.Context, e ast.Expr, defs *ast.Defs, fast, b ast.Bindings, derived bool) (float64, error) {
	v, left, err := ast.EvalInRangeLeft(ctx, e, defs, fast)
	if left && ctx.Err() == nil && !ast.BeyondRange(err) {
		// float64 left its range on the way and the value came from high
		// precision, where two precisions can agree on a residue:
		// (1e-300 + x^2) - x^2 at x = 1e160 is 0 at 512 and 1024 bits.
		// A bound on rounding settles it where one can be had.
		if f, known, serr := settle(ctx, e, defs, b, "a value on the way leaves float64's range, and "); known {
			v, err = f, serr
		}
	}
	var de *ast.DomainError
	var re *ast.RangeError
	switch {
	case errors.As(err, &re):
		// float64 left its range on the way (x^4/x at x = 1e-83), and the
		// evaluation at high precision that stood in for it found no
		// float64 value: it says why.
	case derived && err == nil && !math.IsInf(v, 0) && !math.IsNaN(v):
		// The derivative is in the form the chain rule built, not one the
		// user wrote, and its terms can cancel: d(4*x/(x + 2^-63), x) at
		// x = 1 is 4/(1 + 2^-63) - 4/(1 + 2^-63)^2, 0 in float64, about
		// 4.3e-19 in fact. At evalPrec bits the difference survives; the
		// float64 value stands where the big evaluation cannot be made.
		// Past evalPrec bits of cancellation (2^-520 for 2^-63) only a
		// bound on rounding tells the value from a residue.
		if f, known, serr := settle(ctx, e, defs, b, "the derivative's terms cancel: "); known {
			v, err = f, serr
		} else if doubt, tie := derivedJumps(ctx, e, defs, b); doubt != nil {
			// A jump's side at 512 bits is rounding's choice where its
			// argument is 0 to within rounding at 4096: as eval of a
			// written jump, refused where float64 put the argument off 0,
			// float64's decision of the tie where it found it 0.
			v, err = 0, doubt
		} else if tie {
			// float64's value stands, its tie decided as documented.
		} else if f, berr := ast.EvalBig(ctx, e, defs, b, evalPrec); berr == nil {
			if bv, _ := f.Float64(); !math.IsInf(bv, 0) {
				v = bv
			}
		}
	case errors.As(err, &de):
		// float64 failed where higher precision may not: x^2/x at
		// x = 1e200 overflows in x^2, exp(x)/exp(x) at x = 800 is Inf/Inf,
		// d(log(sigma(x)), x) at x = -746 is 1/sigma(x)*... with sigma(x)
		// underflowed to 0. The matrix path evaluates at evalPrec bits
		// throughout; here that is the fallback.
		v, err = highPrecision(ctx, e, defs, b, de)
	}
	return v, err
}

// derivedJumps is jumpsNearTie for a derivative's value, with a budget of
// derivedJumpBudget units of work (workCtx): past it, no doubt and no tie
// are reported.
func derivedJumps(ctx context.Context, e ast.Expr, defs *ast.Defs, b ast.Bindings) (doubt error, tie bool) {
	jctx := newWorkCtx(ctx, derivedJumpBudget)
	doubt, tie = jumpsNearTie(jctx, defs.Expand(e), b, true)
	if jctx.Err() != nil {
		return nil, false
	}
	return doubt, tie
}

// derivedJumpBudget bounds the check of a derivative's jumps, in work
// (workCtx): a fixed amount, so that the answer does not depend on the
// machine's load.
const derivedJumpBudget = 2048

// A workCtx is a budget of work, not of time: the evaluators (ast's, and
// numcheck's bounded one) ask their context's Err at fixed points of
// their work (every 4096 steps, every 256 nodes), so the number of those
// calls measures the work done, the same on every run and under any load.
// Past limit calls (limit > 0), Err is context.DeadlineExceeded; the
// parent's own cancellation (a statement's timeout) stands as it was.
type workCtx struct {
	context.Context
	limit int64
	polls atomic.Int64
}

func newWorkCtx(parent context.Context, limit int64) *workCtx {
	return &workCtx{Context: parent, limit: limit}
}

func (w *workCtx) Err() error {
	if err := w.Context.Err(); err != nil {
		return err
	}
	if n := w.polls.Add(1); w.limit > 0 && n > w.limit {
		return context.DeadlineExceeded
	}
	return nil
}

// work is the number of times Err was asked so far.
func (w *workCtx) work() int64 { return w.polls.Load() }

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
