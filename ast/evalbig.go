package ast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// EvalBig evaluates e at the given precision in bits, with the same
// bindings as Eval. The prover uses it to confirm a counterexample: a
// difference that survives doubling the precision is not rounding.
//
// A value on the way can be beyond big.Float's range, as no float64 can
// be (phi(x) at x = -1e5 is about 1e-2171472410, below 2^-2147483648),
// and then comes out 0 or ±Inf. A failure that rests on such a value
// (phi(x)/phi(x) divides by that 0) is a RangeError that says so, not a
// division by zero; a value is returned as it came out (evalInRange,
// which shows it to a user, asks more of it).
func EvalBig(ctx context.Context, e Expr, defs *Defs, b Bindings, prec uint) (*big.Float, error) {
	v, _, err := evalBigRange(ctx, e, defs, b, prec)
	return v, err
}

// evalBigRange is EvalBig that also says which value on the way, if
// any, was beyond big.Float's range.
func evalBigRange(ctx context.Context, e Expr, defs *Defs, b Bindings, prec uint) (*big.Float, *bigRange, error) {
	return evalBigRangeFail(ctx, e, defs, b, prec, nil)
}

// evalBigRangeFail is evalBigRange that records in fl, if set, the first
// operation that failed on its domain.
func evalBigRangeFail(ctx context.Context, e Expr, defs *Defs, b Bindings, prec uint, fl *bigFail) (*big.Float, *bigRange, error) {
	rng := &bigRange{}
	if m := Missing(e, defs, b); len(m) > 0 {
		return nil, rng, &MissingError{Names: m}
	}
	ev := &evaluator[*big.Float]{ar: bigArith{prec: prec, rng: rng, fail: fl}, defs: defs, b: b, ctx: ctx}
	v, err := ev.eval(e, nil)
	var de *DomainError
	var re *RangeError
	switch {
	case err == nil && rng.invalid:
		return nil, rng, &RangeError{DomainError{Msg: fmt.Sprintf("no value at %d bits: %s", prec, rng.text(prec))}}
	case err != nil && rng.lost() && errors.As(err, &de) && !errors.As(err, &re):
		return nil, rng, &RangeError{DomainError{Msg: fmt.Sprintf("no value at %d bits (%v) only because %s", prec, err, rng.text(prec))}}
	}
	return v, rng, err
}

// MaxSettlePrec is the precision EvalBigSettled raises to, at most.
const MaxSettlePrec = 4096

// EvalBigSettled is EvalBig at prec bits, evaluated again at twice the
// precision, up to MaxSettlePrec, while it fails on a divisor or on an
// argument of a function or power that rounding may have put on the wrong
// side of its domain: 1 - sigma(z) at z = 400 is e^-400, about 2^-577, 0
// at 512 bits, and 1/(1 - sigma(z)) is 1 + e^400, not a division by zero.
// A failure whose argument is not 0 and the same at two precisions
// (log(sin(4)), of -0.757) is decided there. A value is evaluated again
// at twice its precision, up to MaxSettlePrec, until that does not move
// it to float64's precision (the caller's check). A failure on an argument
// still 0 (or moving) at MaxSettlePrec is a DomainError that says it
// cannot be decided, unless exact arithmetic decides it (1/x at x = 0):
// 1/(sigma(z) - sigma(z)) is one, as a true 0 and a value below 2^-4096
// of the terms that cancel look alike. It returns the precision at which
// the value (or the error) came.
func EvalBigSettled(ctx context.Context, e Expr, defs *Defs, b Bindings, prec uint) (*big.Float, uint, error) {
	var prev *bigFail
	for p := prec; ; p *= 2 {
		fl := &bigFail{}
		v, _, err := evalBigRangeFail(ctx, e, defs, b, p, fl)
		var re *RangeError
		if err == nil && p < MaxSettlePrec {
			// A difference may have few bits right at p (1 - sigma(z) at
			// z = 340 is about 2^-490, some 20 bits at 512; at z = 669,
			// 2^-965, some 60 at 1024): go on while doubling moves it.
			if w, _, werr := evalBigRangeFail(ctx, e, defs, b, 2*p, nil); werr != nil || !SameFloat(v, w) {
				prev = nil
				continue
			}
		}
		if err == nil || !fl.set || errors.As(err, &re) || ctx.Err() != nil {
			return v, p, err
		}
		if !fl.zero() && prev != nil && fl.same(prev) {
			return nil, p, err // the same nonzero argument at p/2 and p: decided
		}
		if p >= MaxSettlePrec {
			if fl.zero() {
				if _, ok, xerr := ExactDecision(ctx, e, defs, b); ok && xerr != nil {
					return nil, p, xerr
				}
			}
			return nil, p, &UndecidedError{DomainError{Msg: fmt.Sprintf("%s at %d to %d bits: it cannot be decided whether the expression is defined here", fl.why(), prec, p)}}
		}
		prev = fl
	}
}

// An UndecidedError is EvalBigSettled's failure that MaxSettlePrec bits
// do not decide: the point may be outside the domain, or a value on the
// way too small to tell from 0.
type UndecidedError struct{ DomainError }

func (e *UndecidedError) Unwrap() error { return &e.DomainError }

// bigFail is the first operation of an evaluation that failed on its
// domain: a division by 0, a function or power outside its domain, with
// its arguments (for a division, the divisor alone).
type bigFail struct {
	set  bool
	op   string
	args []*big.Float
}

func (f *bigFail) note(op string, args ...*big.Float) {
	if f == nil || f.set {
		return
	}
	f.set, f.op = true, op
	for _, a := range args {
		f.args = append(f.args, new(big.Float).Copy(a))
	}
}

// zero reports whether an argument of the failure is 0.
func (f *bigFail) zero() bool {
	for _, a := range f.args {
		if a.Sign() == 0 {
			return true
		}
	}
	return false
}

// same reports whether f and g failed in the same operation on the same
// arguments to float64's precision.
func (f *bigFail) same(g *bigFail) bool {
	if f.op != g.op || len(f.args) != len(g.args) {
		return false
	}
	for i := range f.args {
		if f.args[i].IsInf() || g.args[i].IsInf() || !SameFloat(f.args[i], g.args[i]) {
			return false
		}
	}
	return true
}

func (f *bigFail) why() string {
	switch {
	case f.zero() && f.op == "/":
		return "the divisor is 0, or a value too small to tell from 0,"
	case f.zero():
		return "an argument of " + f.op + " is 0, or a value too small to tell from 0,"
	}
	return "an argument of " + f.op + " is outside its domain but moves with the precision"
}

// bigRange records values beyond big.Float's exponent range on the way
// (2^-2147483648 to 2^2147483647): a function that is never 0 came out
// 0 (phi(-1e5)), a product or quotient of numbers that are not 0 came
// out 0, or a finite operation came out ±Inf or out of range. invalid
// records an operation on them with no value on the extended reals
// (Inf - Inf, 0*Inf), which big.Float would panic on; its result is a
// stand-in, and the evaluation has no value.
type bigRange struct {
	under, over, invalid bool
	// The first such value: a function, its arguments and the log10 of
	// its size where it is known (est).
	fn   *Func
	args []*big.Float
	est  *big.Float
	n    int // how many were met
}

func (r *bigRange) lost() bool { return r != nil && (r.under || r.over || r.invalid) }

// note records a value beyond the range: a call of f at args when f is
// set, under for one below the range.
func (r *bigRange) note(under bool, f *Func, args []*big.Float) {
	if r == nil {
		return
	}
	if under {
		r.under = true
	} else {
		r.over = true
	}
	r.n++
	if r.n == 1 && f != nil {
		r.fn, r.args = f, args
		r.est = log10Beyond(f, args)
	}
}

// text says which value was beyond the range, and its size where known:
// "phi(-100000) is about 1.21521e-2171472410, below the range of a
// 512-bit evaluation (2^-2147483648 to 2^2147483647)".
func (r *bigRange) text(prec uint) string {
	return r.textOf(fmt.Sprintf("a %d-bit evaluation", prec))
}

// textOf is text for the range of what, "float64 and of a 512-bit
// evaluation".
func (r *bigRange) textOf(what string) string {
	bound := "below the range"
	if !r.under {
		bound = "beyond the range"
	}
	if r.fn == nil {
		return fmt.Sprintf("a value on the way is %s of %s (2^-2147483648 to 2^2147483647)", bound, what)
	}
	parts := make([]string, len(r.args))
	for i, a := range r.args {
		parts[i] = FloatText(a)
	}
	call := r.fn.Name + "(" + strings.Join(parts, ", ") + ")"
	if r.est != nil {
		call += " is about " + log10Text(r.est, r.negative())
	}
	return fmt.Sprintf("%s, %s of %s (2^-2147483648 to 2^2147483647)", call, bound, what)
}

// negative reports whether the value recorded is negative: of the
// functions log10Beyond knows, only sinh far left.
func (r *bigRange) negative() bool {
	return r.fn != nil && r.fn.Name == "sinh" && len(r.args) == 1 && r.args[0].Sign() < 0
}

// log10Beyond is log10 of |f| at args where f's size far out is a formula
// (exp, sigma and softplus far left, exp far right, phi, Phi far left,
// cosh and sinh), computed at 192 bits; nil for another function.
func log10Beyond(f *Func, args []*big.Float) *big.Float {
	if len(args) != 1 || args[0].IsInf() {
		return nil
	}
	const p = 192
	x := new(big.Float).SetPrec(p).Set(args[0])
	ln10, err := bigmath.Log(new(big.Float).SetPrec(p).SetInt64(10), p)
	if err != nil {
		return nil
	}
	lg := func(v *big.Float) *big.Float { // log10 v, v > 0
		l, err := bigmath.Log(v, p)
		if err != nil {
			return nil
		}
		return l.Quo(l, ln10)
	}
	// ln is the natural log of the value; log10 = ln/ln10.
	var ln *big.Float
	switch f.Name {
	case "exp":
		ln = x
	case "sigma", "softplus":
		if x.Sign() > 0 {
			return nil
		}
		ln = x // e^x (1 + O(e^x)), and e^x is below 2^-2147483648
	case "cosh", "sinh":
		// e^|x|/2: e^-|x| is far below its last bit.
		ln = new(big.Float).SetPrec(p).Abs(x)
		two := lg(new(big.Float).SetPrec(p).SetInt64(2))
		if two == nil {
			return nil
		}
		return new(big.Float).SetPrec(p).Sub(new(big.Float).SetPrec(p).Quo(ln, ln10), two)
	case "phi", "Phi":
		if f.Name == "Phi" && x.Sign() > 0 {
			return nil
		}
		// phi(x) = e^(-x^2/2)/sqrt(2*pi); Phi(x) for x far left is
		// phi(x)/|x|*(1 - 1/x^2 + 3/x^4 - ...), the Mills ratio's
		// series, alternating with terms falling as 1/x^2: for
		// |x| > 5e4, as here, 1 - 1/x^2 is within 1e-19 of it.
		ln = new(big.Float).SetPrec(p).Mul(x, x)
		ln.Quo(ln, new(big.Float).SetPrec(p).SetInt64(-2))
		tau := new(big.Float).SetPrec(p).Mul(bigmath.Pi(p), new(big.Float).SetPrec(p).SetInt64(2))
		root := lg(tau)
		if root == nil {
			return nil
		}
		out := new(big.Float).SetPrec(p).Quo(ln, ln10)
		out.Sub(out, root.Quo(root, new(big.Float).SetPrec(p).SetInt64(2)))
		if f.Name == "Phi" {
			ax := lg(new(big.Float).SetPrec(p).Abs(x))
			inv2 := new(big.Float).SetPrec(p).Quo(new(big.Float).SetPrec(p).SetInt64(1), new(big.Float).SetPrec(p).Mul(x, x))
			corr := lg(new(big.Float).SetPrec(p).Sub(new(big.Float).SetPrec(p).SetInt64(1), inv2))
			if ax == nil || corr == nil {
				return nil
			}
			out.Sub(out, ax)
			out.Add(out, corr)
		}
		return out
	default:
		return nil
	}
	return new(big.Float).SetPrec(p).Quo(ln, ln10)
}

// bigArith is big.Float arithmetic at a fixed precision. With rng set,
// it records values beyond big.Float's range (see bigRange).
type bigArith struct {
	prec uint
	rng  *bigRange
	fail *bigFail // if set, records the first failure on a domain
}

// finite reports whether no x is ±Inf.
func finite(xs ...*big.Float) bool {
	for _, x := range xs {
		if x.IsInf() {
			return false
		}
	}
	return true
}

// noteOp records r, the result of an operation on x and y, neither 0 nor
// ±Inf, when it is 0 or ±Inf.
func (a bigArith) noteOp(r, x, y *big.Float) {
	if a.rng == nil || x.Sign() == 0 || y.Sign() == 0 || !finite(x, y) {
		return
	}
	switch {
	case r.Sign() == 0:
		a.rng.note(true, nil, nil)
	case r.IsInf():
		a.rng.note(false, nil, nil)
	}
}

func (a bigArith) new() *big.Float { return new(big.Float).SetPrec(a.prec) }

func (a bigArith) number(n Number) (*big.Float, error) {
	return a.new().SetRat(n.ratView()), nil
}

func (a bigArith) float(f float64) *big.Float { return a.new().SetFloat64(f) }

func (a bigArith) add(x, y *big.Float) *big.Float {
	if a.rng != nil && x.IsInf() && y.IsInf() && x.Sign() != y.Sign() {
		a.rng.invalid = true // Inf - Inf, from values beyond the range
		return a.new()
	}
	r := a.new().Add(x, y)
	if a.rng != nil && r.IsInf() && finite(x, y) {
		a.rng.note(false, nil, nil)
	}
	return r
}

func (a bigArith) mul(x, y *big.Float) *big.Float {
	if a.rng != nil && (x.IsInf() && y.Sign() == 0 || y.IsInf() && x.Sign() == 0) {
		a.rng.invalid = true // 0*Inf
		return a.new()
	}
	r := a.new().Mul(x, y)
	a.noteOp(r, x, y)
	return r
}

func (a bigArith) neg(x *big.Float) *big.Float { return a.new().Neg(x) }

func (a bigArith) quo(x, y *big.Float) (*big.Float, error) {
	if y.Sign() == 0 {
		a.fail.note("/", y)
		return nil, &DomainError{Msg: "division by zero"}
	}
	if a.rng != nil && x.IsInf() && y.IsInf() {
		a.rng.invalid = true // Inf/Inf
		return a.new(), nil
	}
	r := a.new().Quo(x, y)
	a.noteOp(r, x, y)
	return r, nil
}

func (a bigArith) pow(x, y *big.Float) (*big.Float, error) {
	r, err := bigmath.Pow(x, y, a.prec)
	if a.rng != nil && finite(x, y) && x.Sign() != 0 {
		switch {
		case errors.Is(err, bigmath.ErrRange):
			a.rng.note(false, nil, nil)
		case err == nil && r.Sign() == 0:
			a.rng.note(true, nil, nil)
		case err == nil && r.IsInf():
			a.rng.note(false, nil, nil)
		}
	}
	if errors.Is(err, bigmath.ErrDomain) {
		a.fail.note("^", x, y)
	}
	return r, a.wrap("^", err)
}

func (a bigArith) wrap(name string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bigmath.ErrDomain):
		return &DomainError{Msg: fmt.Sprintf("%s is undefined here", name)}
	case errors.Is(err, bigmath.ErrRange):
		return &DomainError{Msg: fmt.Sprintf("%s is out of range here", name)}
	}
	return err
}

func (a bigArith) call(f *Func, args []*big.Float) (*big.Float, error) {
	if f.Big == nil {
		return nil, fmt.Errorf("no high-precision evaluation for %s", f.Name)
	}
	r, err := f.Big(args, a.prec)
	if a.rng != nil && finite(args...) {
		switch {
		case errors.Is(err, bigmath.ErrRange) && f.Name != "sin" && f.Name != "cos":
			// (sin and cos fail on an argument too large to reduce,
			// not on a value too large.)
			a.rng.note(false, f, args)
		case err == nil && r.Sign() == 0 && neverZero(f):
			a.rng.note(true, f, args)
		case err == nil && r.IsInf():
			a.rng.note(false, f, args)
		}
	}
	if errors.Is(err, bigmath.ErrDomain) {
		a.fail.note(f.Name, args...)
	}
	return r, a.wrap(f.Name, err)
}

func (a bigArith) rat(r *big.Rat) *big.Float { return a.new().SetRat(r) }

func (bigArith) toZero(x *big.Float) bool { return x.Sign() == 0 }

func (bigArith) cmp(x, y *big.Float) int { return x.Cmp(y) }

func (bigArith) whole(x *big.Float) (*big.Int, bool) {
	if x.IsInf() || !x.IsInt() {
		return nil, false
	}
	n, _ := x.Int(nil)
	return n, true
}

func (a bigArith) toInt(x *big.Float) (int64, bool) {
	if !x.IsInt() {
		// Indices are computed from exact integers; allow a rounding
		// residue far below one.
		r, _ := x.Float64()
		return floatArith{}.toInt(r)
	}
	i, acc := x.Int64()
	return i, acc == big.Exact
}

// log10of2 is log10(2) to 40 digits, parsed on first use: only values
// beyond 2^±4096 need it, and a parse at initialisation cost every start
// math/big's first touches of fresh heap pages.
var log10of2 = sync.OnceValue(parseLog10of2)

func parseLog10of2() *big.Float {
	f, _ := new(big.Float).SetPrec(160).SetString("0.3010299956639811952137388947244930267682")
	return f
}

// FloatText formats v to 6 significant digits, as v.Text('g', 6) does,
// in time independent of its exponent: math/big's decimal conversion of
// 2^-463000 (x^700 at x = 1e-200) took 7 s. Beyond 2^±4096 the digits come
// from log10 v = log10 m + e*log10 2 (v = m*2^e), computed at 160 bits.
func FloatText(v *big.Float) string {
	if v.IsInf() || v.Sign() == 0 {
		return v.Text('g', 6)
	}
	m := new(big.Float)
	e := v.MantExp(m) // v = m*2^e, 0.5 <= |m| < 1
	if e > -4096 && e < 4096 {
		return v.Text('g', 6)
	}
	mf, _ := m.Float64()
	l := new(big.Float).SetPrec(160).SetInt64(int64(e))
	l.Mul(l, log10of2())
	l.Add(l, new(big.Float).SetPrec(160).SetFloat64(math.Log10(math.Abs(mf))))
	return log10Text(l, v.Sign() < 0)
}

// log10Text formats the number whose log10 is l (negative when neg) to 6
// significant digits: 1.21e-2171472410.
func log10Text(l *big.Float, neg bool) string {
	if new(big.Float).Abs(l).Cmp(big.NewFloat(1e40)) >= 0 {
		// Past 10^40 the digits before the exponent are lost to l's
		// precision (160 bits, some 48 digits), and the exponent alone
		// can take more than the message (10^(-1.44042e+24677) in full
		// is 24,678 digits): the power of ten, to 6 digits, is what can
		// be said.
		sign := ""
		if neg {
			sign = "-"
		}
		return sign + "10^(" + l.Text('g', 6) + ")"
	}
	k, _ := l.Int(nil) // toward zero
	if l.Sign() < 0 && !l.IsInt() {
		k.Sub(k, big.NewInt(1)) // floor
	}
	frac, _ := new(big.Float).Sub(l, new(big.Float).SetInt(k)).Float64()
	digits := strconv.FormatFloat(math.Pow(10, frac), 'f', 5, 64)
	if strings.HasPrefix(digits, "10") { // 9.999996 rounded up
		digits = "1.00000"
		k.Add(k, big.NewInt(1))
	}
	digits = strings.TrimRight(strings.TrimRight(digits, "0"), ".")
	sign, exp := "", "e+"
	if neg {
		sign = "-"
	}
	if k.Sign() < 0 {
		exp = "e-"
		k.Neg(k)
	}
	return sign + digits + exp + k.String()
}
