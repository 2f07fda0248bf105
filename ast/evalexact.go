package ast

import (
	"context"
	"errors"
	"math"
	"math/big"
	"strconv"
)

// Exact decisions. A comparison (in if, a condition or a bracket) and the
// kink test of step, sign, abs, relu, max, min and clip decide on which
// side of a threshold a value lies; float64 rounding can put a value that
// is exactly on the threshold off it (0.1 + 0.2 == 0.3 is false in
// float64, true in the exact arithmetic simplify uses). Eval therefore
// runs the fast float64 evaluation first and, when some comparison or
// kink test in it came out within rounding of a tie, evaluates again in
// exactValue arithmetic: exact rationals as far as the operations allow
// (numbers, bindings read as the decimals they print as, + - * /, integer
// powers, and the kink functions of exact arguments), float64 from the
// first inexact operation on. Comparisons of two exact values are decided
// exactly.

// exactValue is a rational when r is set, else the float64 f.
type exactValue struct {
	r *big.Rat
	f float64
}

// maxExactBits bounds the size of an exact intermediate: past it the value
// goes on as a float64 (a runaway power or product must not run away).
const maxExactBits = 1 << 14

// exactOfLimit is r, or its float64 where it is larger than limit bits.
func exactOfLimit(r *big.Rat, limit int) exactValue {
	if r.Num().BitLen()+r.Denom().BitLen() > limit {
		f, _ := r.Float64()
		return exactValue{f: f}
	}
	f, _ := r.Float64()
	return exactValue{r: r, f: f}
}

// DecimalRat returns the rational a float64 binding stands for: the
// shortest decimal that reads back as f, which is how it prints and how a
// user who typed it wrote it (0.1 is 1/10, not the binary fraction).
func DecimalRat(f float64) (*big.Rat, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, false
	}
	return new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
}

// exactArith computes with exactValues; loose records a decision (a
// comparison, a test for 0, an index) made on a float64, after which an
// exact-looking result may rest on rounding. flow, if set, records a
// float64 operation that left float64's range (as floatArith's does).
type exactArith struct {
	loose *bool
	flow  *rangeFlow
	// inexact, if set, records that an operation failed on a float64
	// operand (a division by a float64 0, log of one), which rounding may
	// have made 0, rather than on exact ones.
	inexact *bool
	// rounded, if set, records that an operation failed on exact operands
	// that float64 does not hold, which the float64 operation read rounded:
	// log(x) at x = 1e-400 reads log(0).
	rounded *bool
	// bits, where set, replaces maxExactBits: the argument of a sine
	// is kept exact up to the size its reduction modulo π/2 takes.
	bits int
}

// limit is the size past which an exact value goes on as a float64.
func (x exactArith) limit() int {
	if x.bits > 0 {
		return x.bits
	}
	return maxExactBits
}

// fail records err, an operation's failure; exact says whether its
// operands were exact.
func (x exactArith) fail(err error, exact bool) error {
	if err != nil && !exact && x.inexact != nil {
		*x.inexact = true
	}
	return err
}

// failOn is fail for an operation computed in float64 on args, whose
// float64s are their exact values rounded: log(x) at x = 1e-400 reads
// log(0). Where the operands are exact, the failure is confirmed by the
// same operation at confirmPrec bits on the exact values (bigOp), and
// recorded in rounded where that has a value.
func (x exactArith) failOn(err error, bigOp func(a bigArith, args []*big.Float) error, args ...exactValue) error {
	exact := true
	for _, a := range args {
		exact = exact && a.r != nil
	}
	if err != nil && exact && x.rounded != nil {
		ba := bigArith{prec: confirmPrec}
		bs := make([]*big.Float, len(args))
		for i, a := range args {
			bs[i] = ba.rat(a.r)
		}
		if bigOp(ba, bs) == nil {
			*x.rounded = true
		}
	}
	return x.fail(err, exact)
}

// confirmPrec is the precision at which failOn confirms a failure.
const confirmPrec = 256

// of is exactOf, recording a rational too large to stay exact whose
// float64 is out of range.
func (x exactArith) of(r *big.Rat) exactValue {
	v := exactOfLimit(r, x.limit())
	if v.r == nil && x.flow != nil && r.Sign() != 0 {
		x.flow.note(v.f)
	}
	return v
}

func (x exactArith) fl() floatArith { return floatArith{flow: x.flow} }

func (x exactArith) number(n Number) (exactValue, error) {
	return x.of(new(big.Rat).Set(n.ratView())), nil
}

func (exactArith) float(f float64) exactValue {
	if r, ok := DecimalRat(f); ok {
		return exactValue{r: r, f: f}
	}
	return exactValue{f: f}
}

func (x exactArith) rat(r *big.Rat) exactValue { return x.of(new(big.Rat).Set(r)) }

func (x exactArith) add(a, b exactValue) exactValue {
	if a.r != nil && b.r != nil {
		return x.of(new(big.Rat).Add(a.r, b.r))
	}
	return exactValue{f: x.fl().add(a.f, b.f)}
}

func (x exactArith) mul(a, b exactValue) exactValue {
	if a.r != nil && b.r != nil {
		return x.of(new(big.Rat).Mul(a.r, b.r))
	}
	return exactValue{f: x.fl().mul(a.f, b.f)}
}

func (exactArith) neg(a exactValue) exactValue {
	if a.r != nil {
		return exactValue{r: new(big.Rat).Neg(a.r), f: -a.f}
	}
	return exactValue{f: -a.f}
}

func (x exactArith) quo(a, b exactValue) (exactValue, error) {
	if b.r != nil && b.r.Sign() == 0 || b.r == nil && b.f == 0 {
		return exactValue{}, x.fail(&DomainError{Msg: "division by zero"}, b.r != nil)
	}
	if a.r != nil && b.r != nil {
		return x.of(new(big.Rat).Quo(a.r, b.r)), nil
	}
	f, err := x.fl().quo(a.f, b.f)
	return exactValue{f: f}, err
}

func (x exactArith) pow(a, b exactValue) (exactValue, error) {
	if a.r != nil && b.r != nil {
		// Bases whose powers stay small whatever the exponent: 0^k is 0
		// for every k > 0 (fractional, or past int64 and the size bound
		// below), and 1 and -1 to a whole power are 1 or -1. Float64 has
		// these values too, but a float64 0 may be a tiny value rounded.
		if a.r.Sign() == 0 && b.r.Sign() > 0 {
			return exactValue{r: new(big.Rat)}, nil
		}
		if b.r.IsInt() && a.r.IsInt() && a.r.Num().CmpAbs(big.NewInt(1)) == 0 {
			if a.r.Sign() < 0 && b.r.Num().Bit(0) == 1 {
				return exactValue{r: big.NewRat(-1, 1), f: -1}, nil
			}
			return exactValue{r: big.NewRat(1, 1), f: 1}, nil
		}
	}
	if a.r != nil && b.r != nil && b.r.IsInt() && b.r.Num().IsInt64() {
		n := b.r.Num().Int64()
		if a.r.Sign() == 0 && n < 0 {
			return exactValue{}, x.fail(&DomainError{Msg: "division by zero (0 to a negative power)"}, true)
		}
		m := n
		if m < 0 {
			m = -m
		}
		if int64(a.r.Num().BitLen()+a.r.Denom().BitLen())*m <= int64(x.limit()) {
			num := new(big.Int).Exp(a.r.Num(), big.NewInt(m), nil)
			den := new(big.Int).Exp(a.r.Denom(), big.NewInt(m), nil)
			if n < 0 {
				num, den = den, num
			}
			return x.of(new(big.Rat).SetFrac(num, den)), nil
		}
	}
	f, err := x.fl().pow(a.f, b.f)
	return exactValue{f: f}, x.failOn(err, func(ba bigArith, v []*big.Float) error {
		_, err := ba.pow(v[0], v[1])
		return err
	}, a, b)
}

func (x exactArith) call(f *Func, args []exactValue) (exactValue, error) {
	exact := true
	fs := make([]float64, len(args))
	for i, a := range args {
		fs[i] = a.f
		exact = exact && a.r != nil
	}
	if exact {
		if r, ok := kinkExact(f.Name, args); ok {
			return x.of(r), nil
		}
		if r, ok := specialExact(f.Name, args); ok {
			return x.of(r), nil
		}
	}
	v, err := x.fl().call(f, fs)
	return exactValue{f: v}, x.failOn(err, func(ba bigArith, v []*big.Float) error {
		_, err := ba.call(f, v)
		return err
	}, args...)
}

// specialExact gives the rational values the smooth functions take at
// rational points: exp(0) = cosh(0) = 1, log(1) = 0, sin(0) = tanh(0) = 0,
// sigma(0) = Phi(0) = 1/2, the square root of a square. Then 1 - exp(0)
// is exactly 0, not a float64 0 that might be a tiny value rounded.
func specialExact(name string, args []exactValue) (*big.Rat, bool) {
	if len(args) != 1 {
		return nil, false
	}
	u := args[0].r
	switch name {
	case "exp", "cosh", "cos":
		if u.Sign() == 0 {
			return big.NewRat(1, 1), true
		}
	case "sin", "sinh", "tanh":
		if u.Sign() == 0 {
			return new(big.Rat), true
		}
	case "log":
		if u.Cmp(big.NewRat(1, 1)) == 0 {
			return new(big.Rat), true
		}
	case "sigma", "Phi":
		if u.Sign() == 0 {
			return big.NewRat(1, 2), true
		}
	case "sqrt":
		if u.Sign() < 0 {
			return nil, false
		}
		n, d := new(big.Int).Sqrt(u.Num()), new(big.Int).Sqrt(u.Denom())
		if new(big.Int).Mul(n, n).Cmp(u.Num()) == 0 && new(big.Int).Mul(d, d).Cmp(u.Denom()) == 0 {
			return new(big.Rat).SetFrac(n, d), true
		}
	}
	return nil, false
}

// kinkExact computes a function with kinks of exact arguments exactly.
func kinkExact(name string, args []exactValue) (*big.Rat, bool) {
	if len(args) == 0 { // pi, e
		return nil, false
	}
	u := args[0].r
	switch name {
	case "abs":
		return new(big.Rat).Abs(u), true
	case "sign":
		return big.NewRat(int64(u.Sign()), 1), true
	case "step": // step(0) = 0
		if u.Sign() > 0 {
			return big.NewRat(1, 1), true
		}
		return new(big.Rat), true
	case "relu":
		if u.Sign() > 0 {
			return new(big.Rat).Set(u), true
		}
		return new(big.Rat), true
	case "max", "min":
		best := u
		for _, a := range args[1:] {
			if name == "max" && a.r.Cmp(best) > 0 || name == "min" && a.r.Cmp(best) < 0 {
				best = a.r
			}
		}
		return new(big.Rat).Set(best), true
	case "clip": // min(max(u, lo), hi)
		v := u
		if args[1].r.Cmp(v) > 0 {
			v = args[1].r
		}
		if args[2].r.Cmp(v) < 0 {
			v = args[2].r
		}
		return new(big.Rat).Set(v), true
	}
	return nil, false
}

func (x exactArith) whole(a exactValue) (*big.Int, bool) {
	if a.r != nil {
		if !a.r.IsInt() {
			return nil, false
		}
		return new(big.Int).Set(a.r.Num()), true
	}
	*x.loose = true
	return floatArith{}.whole(a.f)
}

func (x exactArith) toInt(a exactValue) (int64, bool) {
	if a.r != nil {
		if !a.r.IsInt() || !a.r.Num().IsInt64() {
			return 0, false
		}
		return a.r.Num().Int64(), true
	}
	*x.loose = true
	return floatArith{}.toInt(a.f)
}

func (x exactArith) cmp(a, b exactValue) int {
	if a.r != nil && b.r != nil {
		return a.r.Cmp(b.r)
	}
	*x.loose = true
	return floatArith{}.cmp(a.f, b.f)
}

func (x exactArith) toZero(a exactValue) bool {
	if a.r != nil {
		return a.r.Sign() == 0
	}
	*x.loose = true
	return a.f == 0
}

// EvalExact evaluates e with exact rationals as far as the operations
// allow (see exactValue). It returns the value as a rational when every
// operation on the way was exact (and every comparison was decided
// exactly), and as a float64 always.
func EvalExact(ctx context.Context, e Expr, defs *Defs, b Bindings) (*big.Rat, float64, error) {
	if m := Missing(e, defs, b); len(m) > 0 {
		return nil, 0, &MissingError{Names: m}
	}
	return evalExact(ctx, e, defs, b, nil)
}

// evalExact is EvalExact without the check for missing names; flow, if
// set, records a float64 operation that left float64's range.
func evalExact(ctx context.Context, e Expr, defs *Defs, b Bindings, flow *rangeFlow) (*big.Rat, float64, error) {
	loose := false
	ev := &evaluator[exactValue]{ar: exactArith{loose: &loose, flow: flow}, defs: defs, b: b, ctx: ctx}
	v, err := ev.eval(e, nil)
	if err != nil {
		return nil, 0, err
	}
	if loose {
		return nil, v.f, nil
	}
	return v.r, v.f, nil
}

// ExactlyZero reports whether e, evaluated in exact arithmetic as far as
// it goes (see exactValue), is exactly 0: every operation on the way was
// exact. False says either that it is not 0 or that exact arithmetic
// cannot tell (1 - sigma(30000) goes through a float64 1).
func ExactlyZero(ctx context.Context, e Expr, defs *Defs, b Bindings) bool {
	r, _, err := EvalExact(ctx, e, defs, b)
	return err == nil && r != nil && r.Sign() == 0
}

// ExactlyUndefined reports whether e has no value for a reason exact
// arithmetic sees: it fails with a DomainError (a division by an exact 0,
// log(1 - exp(0)), a mean over an empty range), no operation on the way
// having failed on a float64 operand and every decision having been made
// exactly. False says either that it has a value or that exact arithmetic
// cannot tell (log(1 - sigma(30000)) fails on a float64 0 that may be a
// tiny number rounded).
func ExactlyUndefined(ctx context.Context, e Expr, defs *Defs, b Bindings) bool {
	if m := Missing(e, defs, b); len(m) > 0 {
		return false
	}
	loose, inexact := false, false
	ev := &evaluator[exactValue]{ar: exactArith{loose: &loose, inexact: &inexact}, defs: defs, b: b, ctx: ctx}
	_, err := ev.eval(e, nil)
	var de *DomainError
	return errors.As(err, &de) && !inexact && !loose
}

// ExactDecision evaluates e exactly as far as the operations allow (see
// exactValue), once, and says whether that decides its value: ok with r
// when every operation and decision on the way was exact (r is the value),
// ok with err, a DomainError, when e fails on exact operands (a division by
// an exact 0, log(0) of an exact 0) with every decision exact. Not ok when
// exact arithmetic cannot tell (an operation on a float64 on the way), or
// when evaluation stops (ctx) or a name is missing.
func ExactDecision(ctx context.Context, e Expr, defs *Defs, b Bindings) (r *big.Rat, ok bool, err error) {
	if m := Missing(e, defs, b); len(m) > 0 {
		return nil, false, nil
	}
	loose, inexact, rounded := false, false, false
	ev := &evaluator[exactValue]{ar: exactArith{loose: &loose, inexact: &inexact, rounded: &rounded}, defs: defs, b: b, ctx: ctx}
	v, err := ev.eval(e, nil)
	var de *DomainError
	switch {
	case loose || rounded || ctx.Err() != nil:
		return nil, false, nil
	case err == nil:
		return v.r, v.r != nil, nil
	case errors.As(err, &de) && !inexact:
		return nil, true, err
	}
	return nil, false, nil
}

// nearTie reports whether a float64 comparison of a and b may have gone
// the wrong way by rounding: they are within a relative 1e-9 of each
// other (or of 0 for a single value).
func nearTie(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
