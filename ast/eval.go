package ast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Numeric evaluation. Exact arithmetic belongs to the symbolic passes;
// evaluation is where floats come in: float64 for everyday use, and
// big.Float at a chosen precision (EvalBig) to confirm that a difference
// seen in float64 is not rounding. One evaluator serves both through the
// arith interface.

// FloatString prints a float64 for a reader: 15 significant digits,
// which every normal float64 carries faithfully (0.1 + 0.2 prints 0.3),
// and for a subnormal, which carries fewer (4e-320 has 10 bits), the
// shortest decimal that reads back as it: 4e-320, not the
// 3.99995546873073e-320 that 15 digits make up.
func FloatString(f float64) string {
	if f != 0 && math.Abs(f) < 0x1p-1022 {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', 15, 64)
}

// A MissingError lists every name an evaluation needs a value for.
type MissingError struct{ Names []string }

func (e *MissingError) Error() string {
	return "missing values for " + strings.Join(e.Names, ", ") + " (give them as NAME=VALUE)"
}

// A DomainError reports a point where a function or operator is undefined.
// An evaluation sets At to the subexpression whose operation failed (the
// quotient, the power, the call; a node of a definition's body where it
// failed there) and Index to the values of the sums' indices it failed at
// (innermost first), so that a caller can say where.
type DomainError struct {
	Msg   string
	At    Expr
	Index []IndexValue
}

func (e *DomainError) Error() string { return e.Msg }

// ErrTooManySteps is returned when an evaluation would take too long.
var ErrTooManySteps = errors.New("evaluation too long: more than 100,000,000 steps (are the sum ranges that large?)")

const maxEvalSteps = 100_000_000

// maxExactRerun is the longest float64 evaluation EvalContext repeats in
// exact arithmetic to decide a near tie.
const maxExactRerun = 200_000

// Missing returns the names e needs values for, given the definitions and
// bindings, sorted.
func Missing(e Expr, defs *Defs, b Bindings) []string {
	need := map[string]bool{}
	done := map[string]bool{}
	var walk func(e Expr, bound []string)
	walk = func(e Expr, bound []string) {
		for _, n := range FreeNames(e) {
			if contains(bound, n) {
				continue
			}
			if d, ok := defs.Lookup(n); ok {
				if !done[n] {
					done[n] = true
					walk(d.Body, d.Params)
				}
				continue
			}
			if _, ok := b[n]; !ok {
				need[n] = true
			}
		}
		// Function definitions are reached through calls, not free names.
		InspectOnce(e, func(x Expr) bool {
			if c, ok := x.(*Call); ok && !done[c.Fn] {
				if d, ok := defs.Lookup(c.Fn); ok && d.Kind == DefFunc {
					done[c.Fn] = true
					walk(d.Body, d.Params)
				}
			}
			return true
		})
	}
	walk(e, nil)
	out := make([]string, 0, len(need))
	for n := range need {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Eval evaluates e in float64.
func Eval(e Expr, defs *Defs, b Bindings) (float64, error) {
	return EvalContext(context.Background(), e, defs, b)
}

// EvalContext is Eval that stops when ctx is done. A value on the way
// that leaves float64's range without making the result Inf or NaN goes
// unnoticed (x^4/x at x = 1e-83 is 0): EvalInRange notices.
func EvalContext(ctx context.Context, e Expr, defs *Defs, b Bindings) (float64, error) {
	v, _, err := evalFloat(ctx, e, defs, b, false)
	return v, err
}

// EvalInRange is EvalContext for a value shown to a user: where float64
// leaves its range on the way to a finite result (x^4 underflows to 0 in
// x^4/x at x = 1e-83, 1/exp(x) at x = 800 is 1/Inf), the value is taken
// at high precision instead, and where that is no float64 (too small,
// too large, resting on rounding), the error is a RangeError saying so.
func EvalInRange(ctx context.Context, e Expr, defs *Defs, b Bindings) (float64, error) {
	v, _, err := evalFloat(ctx, e, defs, b, true)
	return v, err
}

// EvalInRangeLeft is EvalInRange that also says whether float64 left its
// range on the way, so that the value (or the RangeError) came from the
// evaluation at high precision: agreement of two precisions is no proof
// of a value ((1e-300 + x^2) - x^2 at x = 1e160 is 0 at 512 and at 1024
// bits), and a caller with a bound on rounding settles it with that.
func EvalInRangeLeft(ctx context.Context, e Expr, defs *Defs, b Bindings) (float64, bool, error) {
	return evalFloat(ctx, e, defs, b, true)
}

func evalFloat(ctx context.Context, e Expr, defs *Defs, b Bindings, checked bool) (float64, bool, error) {
	if m := Missing(e, defs, b); len(m) > 0 {
		return 0, false, &MissingError{Names: m}
	}
	var flow *rangeFlow
	if checked {
		flow = &rangeFlow{}
	}
	ev := &evaluator[float64]{ar: floatArith{flow: flow}, defs: defs, b: b, ctx: ctx, near: nearTie}
	v, err := ev.eval(e, nil)
	var exact *big.Rat
	if ev.tie && ev.steps <= maxExactRerun || hasExact(b) {
		// A comparison or kink test came out within rounding of a tie (or
		// a binding is a fraction no float64 holds): decide again exactly.
		// Exact arithmetic is some 15 times slower, so a long evaluation
		// (a double sum comparing its indices) keeps its float64 decisions.
		if checked {
			flow = &rangeFlow{}
		}
		exact, v, err = evalExact(ctx, e, defs, b, flow)
	}
	var de *DomainError
	var re *RangeError
	if checked && flow.lost() && ctx.Err() == nil && (err != nil && errors.As(err, &de) && !errors.As(err, &re) || err == nil && (math.IsInf(v, 0) || math.IsNaN(v))) {
		// float64 failed after a value on the way left its range
		// (phi(x)/phi(x) at x = -1e5 is 0/0). Where the value is beyond
		// big.Float's range too, the evaluation at high precision that
		// the caller would make fails the same way: say why here.
		if _, rng, _ := evalBigRange(ctx, e, defs, b, rangePrec); rng.lost() {
			return 0, true, beyondError(e, rng)
		}
	}
	if err != nil {
		return 0, false, err
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return v, false, &DomainError{Msg: fmt.Sprintf("the result is %v: too large for a float64, or undefined", v)}
	}
	switch {
	case !checked:
	case exact != nil:
		// Every operation was exact: only the last rounding to float64
		// can lose the value ((1/10)^400 is not 0).
		if v == 0 && exact.Sign() != 0 {
			return 0, false, tooSmall(new(big.Float).SetPrec(64).SetRat(exact), "")
		}
	case flow.lost():
		v, err := evalInRange(ctx, e, defs, b, flow)
		return v, true, err
	}
	return v, false, nil
}

// A RangeError is a DomainError that float64 could not decide: a value on
// the way to the result left float64's range, and the evaluation at high
// precision that stood in for it found the result too large or too small
// for a float64, or resting on rounding, or none at all.
type RangeError struct{ DomainError }

func (e *RangeError) Unwrap() error { return &e.DomainError }

// rangePrec is the precision at which EvalContext evaluates again where
// float64 left its range; the value stands when it is the same, to
// float64's precision, at twice rangePrec.
const rangePrec = 512

// evalInRange evaluates e at rangePrec bits where the float64 evaluation
// left float64's range on the way to a finite value (x^4/x at x = 1e-83
// was 0, 1/exp(x) at x = 800 was 0 for 2.4e-348): the value at high
// precision when it is one float64 holds and unchanged at twice the
// precision, else a RangeError that says why there is none.
func evalInRange(ctx context.Context, e Expr, defs *Defs, b Bindings, flow *rangeFlow) (float64, error) {
	what := "underflows"
	switch {
	case flow.under && flow.over:
		what = "leaves the range of"
	case flow.over:
		what = "overflows"
	}
	hi, rng, err := evalBigRange(ctx, e, defs, b, rangePrec)
	if err != nil {
		if ctx != nil && ctx.Err() != nil {
			return 0, err
		}
		return 0, &RangeError{DomainError{Msg: fmt.Sprintf("a value on the way %s float64, and at %d bits: %v", what, rangePrec, err)}}
	}
	if rng.lost() && (hi.Sign() == 0 || hi.IsInf() || HasKinks(defs.Expand(e)) || HasIverson(defs.Expand(e))) {
		// A value beyond big.Float's range came out 0 or Inf: a result
		// that is 0 or Inf, or decided by a kink or a comparison of it
		// (step(phi(x)) is 1, not step(0)), rests on it. Added to a
		// number (1 + phi(x)) it is below the last bit, and the value
		// stands.
		return 0, beyondError(e, rng)
	}
	check, err := EvalBig(ctx, e, defs, b, 2*rangePrec)
	if err != nil || !SameFloat(hi, check) {
		if ctx != nil && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		again := "undefined"
		if err == nil {
			again = FloatText(check)
		}
		return 0, &RangeError{DomainError{Msg: fmt.Sprintf("a value on the way %s float64, and at high precision the value rests on rounding: %s at %d bits, %s at %d bits",
			what, FloatText(hi), rangePrec, again, 2*rangePrec)}}
	}
	f, _ := hi.Float64()
	switch {
	case math.IsInf(f, 0):
		return f, &RangeError{DomainError{Msg: fmt.Sprintf("the result is about %s: too large for a float64 (it was evaluated at %d bits)", FloatText(hi), rangePrec)}}
	case f == 0 && hi.Sign() != 0:
		return 0, tooSmall(hi, fmt.Sprintf(" (it was evaluated at %d bits)", rangePrec))
	}
	return f, nil
}

// beyondError says that e has no value float64 or an evaluation at
// rangePrec bits can give, because of a value beyond both ranges (rng):
// the result itself, too small or too large for a float64, when e is
// that call (phi(x) at x = -1e5, about 1.21e-2171472410).
func beyondError(e Expr, rng *bigRange) error {
	msg := "the value cannot be computed here: " + rng.textOf(fmt.Sprintf("float64 and of a %d-bit evaluation", rangePrec))
	if c, ok := e.(*Call); ok && rng.n == 1 && rng.fn != nil && rng.est != nil && c.Fn == rng.fn.Name && !rng.invalid {
		how := fmt.Sprintf("beyond the range of a %d-bit evaluation too: its size is from its logarithm", rangePrec)
		msg = fmt.Sprintf("the result is about %s: too large for a float64 (%s)", log10Text(rng.est, rng.negative()), how)
		if rng.under {
			msg = fmt.Sprintf("the result is about %s: too small for a float64, which would print 0 (%s)", log10Text(rng.est, false), how)
		}
	}
	return &beyondRangeError{RangeError{DomainError{Msg: msg}}}
}

// A beyondRangeError is a RangeError where a value on the way is beyond
// big.Float's range as well as float64's: no evaluation at high
// precision, nor a bound on its rounding, can stand in for float64 there
// (each reads the value that came out 0 as an exact 0).
type beyondRangeError struct{ RangeError }

func (e *beyondRangeError) Unwrap() error { return &e.RangeError }

// BeyondRange reports whether err says that a value on the way is beyond
// the range of float64 and of the evaluation at high precision alike
// (phi(x) at x = -1e5): a caller that would settle the value at high
// precision leaves err as it is.
func BeyondRange(err error) bool {
	var b *beyondRangeError
	return errors.As(err, &b)
}

// tooSmall says that the result, v, is not 0 but below float64's range.
func tooSmall(v *big.Float, how string) error {
	return &RangeError{DomainError{Msg: fmt.Sprintf("the result is about %s: too small for a float64, which would print 0%s", FloatText(v), how)}}
}

// SameFloat reports whether a and b agree to well within float64's
// precision (2^-80 relative).
func SameFloat(a, b *big.Float) bool {
	if a.Sign() == 0 || b.Sign() == 0 {
		return a.Sign() == b.Sign()
	}
	d := new(big.Float).SetPrec(a.Prec()).Sub(a, b)
	d.Abs(d)
	lim := new(big.Float).SetPrec(a.Prec()).Abs(a)
	lim.SetMantExp(lim, -80)
	return d.Cmp(lim) <= 0
}

func hasExact(b Bindings) bool {
	for _, v := range b {
		if v.Exact != nil {
			return true
		}
	}
	return false
}

// EvalBound is EvalContext for a caller that knows every name has a value
// (one that samples many points binds them all): it skips listing the
// missing names, which costs as much as a small evaluation. A missing name
// is still an error, naming the first one met.
func EvalBound(ctx context.Context, e Expr, defs *Defs, b Bindings) (float64, error) {
	ev := &evaluator[float64]{ar: floatArith{}, defs: defs, b: b, ctx: ctx}
	v, err := ev.eval(e, nil)
	if err != nil {
		return 0, err
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return v, &DomainError{Msg: fmt.Sprintf("the result is %v: too large for a float64, or undefined", v)}
	}
	return v, nil
}

// arith is the number system an evaluation runs in.
type arith[T any] interface {
	number(Number) (T, error)
	float(float64) T
	add(a, b T) T
	mul(a, b T) T
	neg(a T) T
	quo(a, b T) (T, error)
	pow(a, b T) (T, error)
	call(f *Func, args []T) (T, error)
	toInt(a T) (int64, bool)
	whole(a T) (*big.Int, bool) // a is a whole number, of any size
	cmp(a, b T) int
	toZero(a T) bool // a is 0
	rat(r *big.Rat) T
}

// scope binds sum indices and definition parameters.
type scope[T any] struct {
	name string
	val  T
	next *scope[T]
	// whole says val is a whole number exactly (a sum's index, an
	// indexed definition's parameter), not a value rounded on the way.
	whole bool
}

func (s *scope[T]) lookup(name string) (T, bool) {
	for ; s != nil; s = s.next {
		if s.name == name {
			return s.val, true
		}
	}
	var zero T
	return zero, false
}

type evaluator[T any] struct {
	ar    arith[T]
	defs  *Defs
	b     Bindings
	ctx   context.Context
	steps int
	// cmpHook, if set, sees the operands of every comparison decided.
	cmpHook func(a, b T)
	// near, if set, tells whether a comparison of a and b is within
	// rounding of a tie; tie records that one was.
	near func(a, b T) bool
	tie  bool
	// memo holds the values of tall subexpressions evaluated outside any
	// sum's scope: a derivative is a DAG whose tree can be quadratic (the
	// derivative of a sine nested 19,000 deep is a product of cosines of
	// ever deeper arguments) or exponential in its size. Values are never
	// changed in place (each operation makes a new one), so they can be
	// shared.
	memo map[Expr]T
}

// memoHeight is the least height of a subexpression whose value eval
// keeps: below it a map costs more than evaluating again.
var memoHeight = 8 // a variable for the tests, which turn the memo off

// binding reads entry off of a bound value, exactly where it is exact.
func (ev *evaluator[T]) binding(v Value, off int) T {
	if v.Exact != nil {
		return ev.ar.rat(v.Exact[off])
	}
	return ev.ar.float(v.Data[off])
}

// noteKink records a kink test of f's arguments that is near a tie.
func (ev *evaluator[T]) noteKink(f *Func, args []T) {
	if ev.near == nil || ev.tie {
		return
	}
	var zero T
	if z, err := ev.ar.number(Int(0)); err == nil {
		zero = z
	}
	switch f.Name {
	case "abs", "sign", "step", "relu":
		ev.tie = ev.near(args[0], zero)
	case "max", "min":
		for i := range args {
			for j := i + 1; j < len(args); j++ {
				ev.tie = ev.tie || ev.near(args[i], args[j])
			}
		}
	case "clip":
		ev.tie = ev.near(args[0], args[1]) || ev.near(args[0], args[2])
	}
}

func (ev *evaluator[T]) noteCmp(a, b T) {
	if ev.near != nil && !ev.tie {
		ev.tie = ev.near(a, b)
	}
}

func (ev *evaluator[T]) tick() error {
	ev.steps++
	if ev.steps > maxEvalSteps {
		return ErrTooManySteps
	}
	if ev.steps%4096 == 0 && ev.ctx != nil {
		if err := ev.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (ev *evaluator[T]) eval(e Expr, sc *scope[T]) (T, error) {
	if sc != nil || e.Height() < memoHeight {
		v, err := ev.evalNode(e, sc)
		if err != nil {
			failedAt(err, e)
		}
		return v, err
	}
	if v, ok := ev.memo[e]; ok {
		return v, nil
	}
	v, err := ev.evalNode(e, nil)
	if err == nil {
		if ev.memo == nil {
			ev.memo = map[Expr]T{}
		}
		ev.memo[e] = v
	} else {
		failedAt(err, e)
	}
	return v, err
}

// failedAt records in err, where it is a DomainError no node has claimed
// yet, that e is where it happened: the innermost node an error passes
// through is the one whose operation made it.
func failedAt(err error, e Expr) {
	de, ok := err.(*DomainError) // the usual case, without errors.As's reflection
	if !ok && !errors.As(err, &de) {
		return
	}
	if de.At == nil {
		de.At = e
	}
}

func (ev *evaluator[T]) evalNode(e Expr, sc *scope[T]) (T, error) {
	var zero T
	if err := ev.tick(); err != nil {
		return zero, err
	}
	switch e := e.(type) {
	case *Num:
		return ev.ar.number(e.Value)
	case *Sym:
		if v, ok := sc.lookup(e.Name); ok {
			return v, nil
		}
		if d, ok := ev.defs.Lookup(e.Name); ok {
			if d.Kind != DefScalar {
				return zero, fmt.Errorf("%s is defined with parameters: write %s", e.Name, String(d.Head()))
			}
			return ev.eval(d.Body, nil)
		}
		if v, ok := ev.b[e.Name]; ok {
			if v.Shape != nil {
				return zero, fmt.Errorf("%s is bound to a list: write %s[...]", e.Name, e.Name)
			}
			return ev.binding(v, 0), nil
		}
		return zero, &MissingError{Names: []string{e.Name}}
	case *Index:
		idx := make([]int64, len(e.Indices))
		for k, x := range e.Indices {
			v, err := ev.eval(x, sc)
			if err != nil {
				return zero, err
			}
			i, ok := ev.ar.toInt(v)
			if !ok {
				return zero, &DomainError{Msg: fmt.Sprintf("index %s of %s is not an integer", String(x), String(e))}
			}
			idx[k] = i
		}
		if d, ok := ev.defs.Lookup(e.Name); ok {
			if d.Kind != DefIndexed || len(d.Params) != len(idx) {
				return zero, fmt.Errorf("%s is defined as %s", e.Name, String(d.Head()))
			}
			var inner *scope[T]
			for k, p := range d.Params {
				inner = &scope[T]{name: p, val: ev.ar.float(float64(idx[k])), next: inner, whole: true}
			}
			return ev.eval(d.Body, inner)
		}
		v, ok := ev.b[e.Name]
		if !ok {
			return zero, &MissingError{Names: []string{e.Name}}
		}
		if len(v.Shape) != len(idx) {
			return zero, fmt.Errorf("%s has %d indices but its value has %d dimensions", String(e), len(idx), len(v.Shape))
		}
		off := 0
		for k, i := range idx {
			if i < 1 || i > int64(v.Shape[k]) {
				with := fmt.Sprintf(" with %s=%d", String(e.Indices[k]), i)
				if _, lit := e.Indices[k].(*Num); lit {
					with = "" // not "x[3] with 3=3"
				}
				return zero, &DomainError{Msg: fmt.Sprintf("index out of range: %s%s, but %s has %d elements in dimension %d",
					String(e), with, e.Name, v.Shape[k], k+1)}
			}
			off = off*v.Shape[k] + int(i-1)
		}
		return ev.binding(v, off), nil
	case *Neg:
		x, err := ev.eval(e.X, sc)
		if err != nil {
			return zero, err // a nil *big.Float must not reach neg
		}
		return ev.ar.neg(x), nil
	case *Add:
		acc, err := ev.eval(e.Terms[0], sc)
		if err != nil {
			return zero, err
		}
		for _, t := range e.Terms[1:] {
			v, err := ev.eval(t, sc)
			if err != nil {
				return zero, err
			}
			acc = ev.ar.add(acc, v)
		}
		return acc, nil
	case *Mul:
		if HasIverson(e) || slices.ContainsFunc(e.Factors, func(f Expr) bool { return sumFactor(f) != nil }) {
			return ev.strongMul(e, sc)
		}
		acc, err := ev.eval(e.Factors[0], sc)
		if err != nil {
			return zero, err
		}
		for _, f := range e.Factors[1:] {
			v, err := ev.eval(f, sc)
			if err != nil {
				return zero, err
			}
			acc = ev.ar.mul(acc, v)
		}
		return acc, nil
	case *Div:
		x, err := ev.eval(e.X, sc)
		if err != nil {
			return zero, err
		}
		y, err := ev.eval(e.Y, sc)
		if err != nil {
			return zero, err
		}
		return ev.ar.quo(x, y)
	case *Pow:
		x, err := ev.eval(e.X, sc)
		if err != nil {
			return zero, err
		}
		y, err := ev.eval(e.Y, sc)
		if err != nil {
			return zero, err
		}
		return ev.ar.pow(x, y)
	case *Call:
		if IsUndefined(e) {
			return zero, errUndefinedDeriv()
		}
		if u, ok := ev.logSigmaArg(e); ok {
			// log σ(u) is -softplus(-u): the same value, without σ(u)
			// underflowing to 0 (and the log failing) for u below -745.
			v, err := ev.eval(u, sc)
			if err != nil {
				return zero, err
			}
			r, err := ev.ar.call(funcByName["softplus"], []T{ev.ar.neg(v)})
			if err != nil {
				return zero, err
			}
			return ev.ar.neg(r), nil
		}
		args := make([]T, len(e.Args))
		for k, a := range e.Args {
			v, err := ev.eval(a, sc)
			if err != nil {
				return zero, err
			}
			args[k] = v
		}
		if d, ok := ev.defs.Lookup(e.Fn); ok && d.Kind == DefFunc {
			if len(d.Params) != len(args) {
				return zero, fmt.Errorf("%s takes %d arguments", d.Name, len(d.Params))
			}
			var inner *scope[T]
			for k, p := range d.Params {
				inner = &scope[T]{name: p, val: args[k], next: inner}
			}
			return ev.eval(d.Body, inner)
		}
		f, ok := LookupFunc(e.Fn)
		if !ok {
			return zero, fmt.Errorf("unknown function %s", ShownName(e.Fn))
		}
		if len(args) != f.Arity && !(f.Variadic && len(args) > f.Arity) {
			return zero, fmt.Errorf("%s takes %d argument(s), got %d", f.Name, f.Arity, len(args))
		}
		ev.noteKink(f, args)
		if v, ok, err := ev.trigOfExact(f, e.Args, args, sc); ok {
			return v, err
		}
		return ev.ar.call(f, args)
	case *Sum:
		r, err := ev.bounds(e, sc)
		if err != nil {
			return zero, err
		}
		acc, _ := ev.ar.number(Int(0))
		for i := r.lo; i <= r.hi; i++ {
			v, err := ev.eval(e.Body, &scope[T]{name: e.Var, val: ev.index(r, i), next: sc, whole: true})
			if err != nil {
				var de *DomainError
				if r.base == nil && errors.As(err, &de) {
					de.Index = append(de.Index, IndexValue{e.Var, i}) // the term it failed in
				}
				return zero, err
			}
			acc = ev.ar.add(acc, v)
		}
		if e.Op == OpMean {
			if r.hi < r.lo {
				return zero, &DomainError{Msg: fmt.Sprintf("mean over an empty range %s..%s", r.bound(r.lo), r.bound(r.hi))}
			}
			return ev.ar.quo(acc, ev.ar.float(float64(r.hi-r.lo+1)))
		}
		return acc, nil
	case *Iverson:
		vals := make([]T, len(e.Args))
		for k, a := range e.Args {
			v, err := ev.eval(a, sc)
			if err != nil {
				return zero, err
			}
			vals[k] = v
		}
		holds := true
		for k := 1; k < len(vals); k++ {
			ev.noteCmp(vals[k-1], vals[k])
			if ev.ar.cmp(vals[k-1], vals[k]) > 0 {
				holds = false
			}
		}
		if holds {
			return ev.ar.number(Int(1))
		}
		return ev.ar.number(Int(0))
	case *Deriv:
		return zero, fmt.Errorf("cannot evaluate %s numerically before it is differentiated", String(e))
	case *MatOp:
		return zero, fmt.Errorf("cannot evaluate the matrix expression %s as a scalar", String(e))
	case *Condition:
		holds, err := ev.holds(e, sc)
		if err != nil {
			return zero, err
		}
		if holds {
			return ev.ar.number(Int(1))
		}
		return ev.ar.number(Int(0))
	case *If:
		holds, err := ev.holds(e.Cond, sc)
		if err != nil {
			return zero, err
		}
		if holds {
			return ev.eval(e.Then, sc)
		}
		return ev.eval(e.Else, sc)
	default:
		panic(fmt.Sprintf("ast: cannot evaluate %T", e))
	}
}

// holds decides a condition; and and or look at no more operands than
// they need. A value in a condition's place holds where it is not 0.
func (ev *evaluator[T]) holds(e Expr, sc *scope[T]) (bool, error) {
	c, ok := e.(*Condition)
	if !ok {
		v, err := ev.eval(e, sc)
		if err != nil {
			return false, err
		}
		return !ev.ar.toZero(v), nil
	}
	switch {
	case c.Op.IsComparison():
		a, err := ev.eval(c.Args[0], sc)
		if err != nil {
			return false, err
		}
		b, err := ev.eval(c.Args[1], sc)
		if err != nil {
			return false, err
		}
		if ev.cmpHook != nil {
			ev.cmpHook(a, b)
		}
		ev.noteCmp(a, b)
		return c.Op.Holds(ev.ar.cmp(a, b)), nil
	case c.Op == CondNot:
		h, err := ev.holds(c.Args[0], sc)
		return !h, err
	}
	for _, a := range c.Args {
		h, err := ev.holds(a, sc)
		if err != nil {
			return false, err
		}
		if h == (c.Op == CondOr) {
			return h, nil
		}
	}
	return c.Op == CondAnd, nil
}

// strongMul evaluates a product with a bracket or a sum in it: a bracket
// is strongly zero (Knuth), so [false]*u is 0 even where u is undefined,
// as x[n-1]*[2 <= n] is at n = 1, and so is a sum over an empty range, as
// x[i]*sum(j=n..i-1, x[j]) is at i = 0: the product comes from the sum of
// x[i]*x[j], which has no term there. A factor with a bracket in it that
// is 0, or an empty sum, makes the product 0 whatever the others are.
func (ev *evaluator[T]) strongMul(e *Mul, sc *scope[T]) (T, error) {
	var zero T
	var firstErr error
	acc, _ := ev.ar.number(Int(1))
	for _, f := range e.Factors {
		if s := sumFactor(f); s != nil && s.Op == OpSum {
			if r, err := ev.bounds(s, sc); err == nil && r.hi < r.lo {
				return ev.ar.number(Int(0))
			}
		}
		v, err := ev.eval(f, sc)
		if err == nil && HasIverson(f) && ev.ar.toZero(v) {
			return v, nil
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		acc = ev.ar.mul(acc, v)
	}
	if firstErr != nil {
		return zero, firstErr
	}
	return acc, nil
}

// sumFactor returns the sum a factor is, or is a positive power of.
func sumFactor(f Expr) *Sum {
	if p, ok := f.(*Pow); ok {
		if n, ok := p.Y.(*Num); ok && n.Value.Sign() > 0 {
			f = p.X
		}
	}
	s, _ := f.(*Sum)
	return s
}

// floatArith is float64 arithmetic; undefined results are domain errors.
// With flow set, it records an operation whose result left float64's
// range (see rangeFlow).
type floatArith struct{ flow *rangeFlow }

func (a floatArith) number(n Number) (float64, error) {
	f := n.Float64()
	if a.flow != nil && n.Sign() != 0 {
		a.flow.note(f) // 1e-400 written out is 0 in float64
	}
	return f, nil
}

func (floatArith) float(f float64) float64 { return f }
func (floatArith) neg(a float64) float64   { return -a }

func (a floatArith) add(x, y float64) float64 {
	r := x + y
	if a.flow != nil && math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		a.flow.over = true // a sum of finite numbers is exact below the normal range: no underflow
	}
	return r
}

func (a floatArith) mul(x, y float64) float64 {
	r := x * y
	if a.flow != nil && x != 0 && y != 0 {
		a.flow.note2(r, x, y)
	}
	return r
}

func (a floatArith) quo(x, y float64) (float64, error) {
	if y == 0 {
		return 0, &DomainError{Msg: "division by zero"}
	}
	r := x / y
	if a.flow != nil && x != 0 {
		a.flow.note2(r, x, y)
	}
	return r, nil
}

func (a floatArith) pow(x, y float64) (float64, error) {
	if x == 0 && y < 0 {
		return 0, &DomainError{Msg: "division by zero (0 to a negative power)"}
	}
	if x < 0 && y != math.Trunc(y) {
		return 0, &DomainError{Msg: fmt.Sprintf("(%s)^%s is not a real number", // not -8^0.333…, which reads as -(8^…)
			strconv.FormatFloat(x, 'g', 6, 64), strconv.FormatFloat(y, 'g', 6, 64))}
	}
	r := math.Pow(x, y)
	if a.flow != nil && x != 0 {
		a.flow.note2(r, x, y)
	}
	return r, nil
}

func (a floatArith) call(f *Func, args []float64) (float64, error) {
	v := f.Float(args)
	if math.IsNaN(v) {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = strconv.FormatFloat(a, 'g', 6, 64)
		}
		return 0, &DomainError{Msg: fmt.Sprintf("%s(%s) is undefined", f.Name, strings.Join(parts, ", "))}
	}
	if a.flow != nil {
		a.flow.noteCall(f, v, args)
	}
	return v, nil
}

// rangeFlow records that a float64 operation left float64's range on the
// way to a finite result: it underflowed (a product, quotient or power of
// numbers that are not 0, or a function that is never 0, came out 0 or
// subnormal: x^4 at x = 1e-83, exp(-800)) or overflowed (to ±Inf from
// finite operands: x^400 at x = 1e300, and 1/x^400 is then 0). The value
// then rests on what was lost (x^4/x at x = 1e-83 is 0 for 1e-249), and
// EvalContext takes it at high precision instead.
type rangeFlow struct{ under, over bool }

func (fl *rangeFlow) lost() bool { return fl.under || fl.over }

// note records r, the float64 value of a number that is not 0.
func (fl *rangeFlow) note(r float64) {
	switch {
	case math.IsInf(r, 0):
		fl.over = true
	case math.Abs(r) < minNormal:
		fl.under = true
	}
}

// note2 records r, the result of an operation on x and y, neither 0 (for
// a quotient, x not 0).
func (fl *rangeFlow) note2(r, x, y float64) {
	if math.IsInf(x, 0) || math.IsInf(y, 0) || math.IsNaN(r) {
		return // an overflow already recorded, or NaN, which fails anyway
	}
	fl.note(r)
}

// noteCall records the value v of f at args: an overflow from finite
// arguments, a subnormal value, or 0 from a function that is never 0.
func (fl *rangeFlow) noteCall(f *Func, v float64, args []float64) {
	for _, a := range args {
		if math.IsInf(a, 0) {
			return
		}
	}
	switch {
	case math.IsInf(v, 0):
		fl.over = true
	case v == 0:
		if neverZero(f) {
			fl.under = true
		}
	case math.Abs(v) < minNormal:
		fl.under = true
	}
}

// neverZero reports whether f has no zero: its values lie above a lower
// bound of 0 that is never attained (exp, sigma, softplus, Phi, phi), or
// above a positive one (cosh).
func neverZero(f *Func) bool {
	im := f.Image
	return im.Known && (im.Lo > 0 || im.Lo == 0 && im.LoOpen)
}

// minNormal is the smallest positive normal float64, 2^-1022.
const minNormal = 0x1p-1022

func (floatArith) toZero(a float64) bool { return a == 0 }

func (floatArith) rat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

func (floatArith) cmp(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (floatArith) whole(a float64) (*big.Int, bool) {
	if math.IsInf(a, 0) || math.IsNaN(a) || a != math.Trunc(a) {
		return nil, false
	}
	n, _ := big.NewFloat(a).Int(nil)
	return n, true
}

func (floatArith) toInt(a float64) (int64, bool) {
	// Indices are whole numbers: taken as they are, without math.Round
	// (a function call on amd64) and the tolerance test, which give them
	// back unchanged. NaN and ±Inf fail the comparison.
	if i := int64(a); float64(i) == a && i <= 1<<53 && i >= -(1<<53) {
		return i, true
	}
	r := math.Round(a)
	if math.Abs(a-r) > 1e-9 || math.Abs(r) > 1<<53 {
		return 0, false
	}
	return int64(r), true
}

// logSigmaArg returns u when e is the built-in log(σ(u)).
func (ev *evaluator[T]) logSigmaArg(e *Call) (Expr, bool) {
	if e.Fn != "log" || len(e.Args) != 1 {
		return nil, false
	}
	s, ok := e.Args[0].(*Call)
	if !ok || s.Fn != "sigma" || len(s.Args) != 1 {
		return nil, false
	}
	for _, name := range []string{"log", "sigma"} {
		if d, ok := ev.defs.Lookup(name); ok && d.Kind == DefFunc {
			return nil, false
		}
	}
	return s.Args[0], true
}
