package ast

import (
	"context"
	"errors"
	"fmt"
	"math/big"

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
