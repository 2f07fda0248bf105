package ast

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// Sine and cosine of a large exact argument. At p bits an argument x ≈ 2^e
// is known to 2^(e-p), and its sine to no better: sin(3^4096) at 4096 bits
// (3^4096 has 6,492) is rounding's value, and cos(2^31000) is as unknown
// at 4096 bits as cos(+Inf) is in float64. Where the argument is a
// rational that exact arithmetic computes (3^4096, 10^300/7, x at
// x = 1e3000), it is reduced modulo π/2 from its exact value with as many
// bits of π as its size takes (bigmath does that), and the sine is good
// to the precision asked. Past 2^bigmath.MaxReduceExp no argument is
// reduced: an error says so, whatever the argument's exactness.

// trigExactBits bounds the size of an exact argument (and of the values on
// its way): its value is below 2^MaxReduceExp, with room for a
// denominator and for the size check of a power, which counts the base's
// numerator and denominator (2^31000 counts 3·31000 bits).
const trigExactBits = 4 * bigmath.MaxReduceExp

// trigOfExact evaluates sin or cos of args (at the evaluator's precision,
// exprs their expressions) from the argument's exact value, where the
// evaluator is bigArith's and the argument is large enough that its
// rounding costs half the precision. ok says it answered (a value, or
// the error for an argument too large to reduce).
func (ev *evaluator[T]) trigOfExact(f *Func, exprs []Expr, args []T, sc *scope[T]) (v T, ok bool, err error) {
	var zero T
	if f.Name != "sin" && f.Name != "cos" || len(args) != 1 || len(exprs) != 1 {
		return zero, false, nil
	}
	ba, isBig := any(ev.ar).(bigArith)
	x, isFloat := any(args[0]).(*big.Float)
	if !isBig || !isFloat || x.Sign() == 0 || x.IsInf() {
		return zero, false, nil
	}
	if ex := x.MantExp(nil); ex <= int(ba.prec)/2 {
		return zero, false, nil
	} else if ex > bigmath.MaxReduceExp {
		return zero, true, tooLargeToReduce(f.Name, x)
	}
	xsc, whole := exactScope(exprs[0], sc)
	if !whole {
		return zero, false, nil
	}
	r, exact := exactArg(ev.ctx, exprs[0], ev.defs, ev.b, xsc)
	if !exact {
		return zero, false, nil
	}
	s, err := sinCosOfRat(f.Name, r, ba.prec)
	if err != nil {
		return zero, true, err
	}
	return any(s).(T), true, nil
}

// SinCosOfExact is sin or cos of the argument of call (defined names
// opened, no sum index free) at prec bits, from the argument's exact value
// at b: ok where the argument is a rational exact arithmetic computes and
// so large that its rounding at prec bits would cost half of them. The
// bound on rounding of numcheck takes it as rounded once, not as a
// function of an argument known to 2^(e-prec).
func SinCosOfExact(ctx context.Context, call *Call, b Bindings, prec uint) (v *big.Float, ok bool, err error) {
	if call.Fn != "sin" && call.Fn != "cos" || len(call.Args) != 1 {
		return nil, false, nil
	}
	r, exact := exactArg(ctx, call.Args[0], nil, b, nil)
	if !exact || r.Sign() == 0 {
		return nil, false, nil
	}
	if ratExp(r) <= int(prec)/2 {
		return nil, false, nil
	}
	v, err = sinCosOfRat(call.Fn, r, prec)
	return v, true, err
}

// exactArg is the exact value of e, where every operation on its way is
// exact (as ExactDecision has it), with values up to trigExactBits.
func exactArg(ctx context.Context, e Expr, defs *Defs, b Bindings, sc *scope[exactValue]) (*big.Rat, bool) {
	if m := Missing(e, defs, b); len(m) > 0 {
		return nil, false
	}
	loose, inexact, rounded := false, false, false
	ev := &evaluator[exactValue]{ar: exactArith{loose: &loose, inexact: &inexact, rounded: &rounded, bits: trigExactBits}, defs: defs, b: b, ctx: ctx}
	v, err := ev.eval(e, sc)
	if err != nil || loose || rounded || v.r == nil || ctx.Err() != nil {
		return nil, false
	}
	return v.r, true
}

// exactScope is sc for the exact evaluation of e: the whole numbers it
// binds (sum indices), exactly. Not whole where e reads a name that sc
// binds to a value that may have been rounded (a function's parameter).
func exactScope[T any](e Expr, sc *scope[T]) (*scope[exactValue], bool) {
	if sc == nil {
		return nil, true
	}
	free := map[string]bool{}
	for _, n := range FreeNames(e) {
		free[n] = true
	}
	seen := map[string]bool{}
	var out *scope[exactValue]
	for s := sc; s != nil; s = s.next {
		if seen[s.name] {
			continue
		}
		seen[s.name] = true
		if !free[s.name] {
			continue
		}
		x, isFloat := any(s.val).(*big.Float)
		if !s.whole || !isFloat || !x.IsInt() {
			return nil, false
		}
		r, _ := x.Rat(nil)
		out = &scope[exactValue]{name: s.name, val: exactOfLimit(r, trigExactBits), next: out, whole: true}
	}
	return out, true
}

// ratExp is e with 2^(e-1) <= |r| < 2^e, give or take one.
func ratExp(r *big.Rat) int { return r.Num().BitLen() - r.Denom().BitLen() + 1 }

// sinCosOfRat is sin r or cos r at prec bits: r is read at enough bits
// that its rounding (2^-(2·prec+64) of the result) is below the result's.
func sinCosOfRat(fn string, r *big.Rat, prec uint) (*big.Float, error) {
	ex := max(ratExp(r), 0)
	if ex > bigmath.MaxReduceExp+1 {
		return nil, tooLargeToReduce(fn, new(big.Float).SetPrec(64).SetRat(r))
	}
	x := new(big.Float).SetPrec(uint(ex) + 2*prec + 64).SetRat(r)
	var v *big.Float
	var err error
	if fn == "sin" {
		v, err = bigmath.Sin(x, prec)
	} else {
		v, err = bigmath.Cos(x, prec)
	}
	if errors.Is(err, bigmath.ErrRange) {
		return nil, tooLargeToReduce(fn, x)
	}
	return v, err
}

// tooLargeToReduce is the error for sin or cos of x past the bound of the
// reduction: an UndecidedError, as the value exists but is not computed.
func tooLargeToReduce(fn string, x *big.Float) error {
	return &UndecidedError{DomainError{Msg: fmt.Sprintf("%s cannot be evaluated: its argument, about %s, is too large to reduce modulo π (the bound is 2^%d, about 7.87e9555)",
		fn, FloatText(new(big.Float).SetPrec(64).Set(x)), bigmath.MaxReduceExp)}}
}
