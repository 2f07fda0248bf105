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
func EvalBig(ctx context.Context, e Expr, defs *Defs, b Bindings, prec uint) (*big.Float, error) {
	if m := Missing(e, defs, b); len(m) > 0 {
		return nil, &MissingError{Names: m}
	}
	ev := &evaluator[*big.Float]{ar: bigArith{prec: prec}, defs: defs, b: b, ctx: ctx}
	return ev.eval(e, nil)
}

// bigArith is big.Float arithmetic at a fixed precision.
type bigArith struct{ prec uint }

func (a bigArith) new() *big.Float { return new(big.Float).SetPrec(a.prec) }

func (a bigArith) number(n Number) (*big.Float, error) {
	return a.new().SetRat(n.ratView()), nil
}

func (a bigArith) float(f float64) *big.Float { return a.new().SetFloat64(f) }

func (a bigArith) add(x, y *big.Float) *big.Float { return a.new().Add(x, y) }
func (a bigArith) mul(x, y *big.Float) *big.Float { return a.new().Mul(x, y) }
func (a bigArith) neg(x *big.Float) *big.Float    { return a.new().Neg(x) }

func (a bigArith) quo(x, y *big.Float) (*big.Float, error) {
	if y.Sign() == 0 {
		return nil, &DomainError{Msg: "division by zero"}
	}
	return a.new().Quo(x, y), nil
}

func (a bigArith) pow(x, y *big.Float) (*big.Float, error) {
	r, err := bigmath.Pow(x, y, a.prec)
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
	if v.Sign() < 0 {
		sign = "-"
	}
	if k.Sign() < 0 {
		exp = "e-"
		k.Neg(k)
	}
	return sign + digits + exp + k.String()
}
