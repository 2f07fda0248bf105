package ast

import (
	"context"
	"math"
	"math/big"
)

// Kinks. abs, sign, step, relu, max, min and clip are smooth except where
// an argument crosses a threshold: |u| at u = 0, max(a, b) where a = b;
// so is if(c, a, b) where an operand of a comparison in c crosses the
// other (x > 0 at x = 0).
// Numerical checks that assume smoothness (finite differences) or that
// compare a result with the sign of a quantity computed with rounding
// (a counterexample confirmed at high precision) need to know how close a
// point lies to such a kink. KinkDistance and KinkDistanceBig evaluate an
// expression and report the smallest distance from a kink met on the way.

// kinkGap returns how far the arguments of f lie from a kink of f, and
// whether f has kinks.
func kinkGap[T any](f *Func, args []T, sub func(a, b T) T, abs func(a T) T, less func(a, b T) bool) (T, bool) {
	var best T
	found := false
	note := func(g T) {
		if !found || less(g, best) {
			best, found = g, true
		}
	}
	switch f.Name {
	case "abs", "sign", "step", "relu":
		note(abs(args[0]))
	case "max", "min":
		for i := range args {
			for j := i + 1; j < len(args); j++ {
				note(abs(sub(args[i], args[j])))
			}
		}
	case "clip":
		note(abs(sub(args[0], args[1])))
		note(abs(sub(args[0], args[2])))
	}
	return best, found
}

// kinkArith is an arith that notes, at every call of a function with
// kinks, how far its arguments are from one.
type kinkArith[T any] struct {
	arith[T]
	note func(f *Func, args []T)
}

func (k kinkArith[T]) call(f *Func, args []T) (T, error) {
	k.note(f, args)
	return k.arith.call(f, args)
}

// KinkDistance evaluates e in float64 and returns the smallest distance
// of an argument from a kink met on the way (|u| for abs(u), |a - b| for
// max(a, b), ...), or +Inf when e meets no function with kinks.
func KinkDistance(ctx context.Context, e Expr, defs *Defs, b Bindings) (float64, error) {
	best := math.Inf(1)
	ar := kinkArith[float64]{arith: floatArith{}, note: func(f *Func, args []float64) {
		if g, ok := kinkGap(f, args, func(a, b float64) float64 { return a - b }, math.Abs, func(a, b float64) bool { return a < b }); ok {
			best = math.Min(best, g)
		}
	}}
	ev := &evaluator[float64]{ar: ar, defs: defs, b: b, ctx: ctx}
	// A comparison is a kink at the boundary of its condition.
	ev.cmpHook = func(x, y float64) { best = math.Min(best, math.Abs(x-y)) }
	_, err := ev.eval(e, nil)
	return best, err
}

// KinkDistanceBig is KinkDistance at the given precision: nil when e
// meets no function with kinks. A distance that is exactly zero at high
// precision is a point on the kink; a tiny non-zero one may be a zero
// that rounding disguised.
func KinkDistanceBig(ctx context.Context, e Expr, defs *Defs, b Bindings, prec uint) (*big.Float, error) {
	var best *big.Float
	ba := bigArith{prec: prec}
	ar := kinkArith[*big.Float]{arith: ba, note: func(f *Func, args []*big.Float) {
		g, ok := kinkGap(f, args,
			func(a, b *big.Float) *big.Float { return ba.new().Sub(a, b) },
			func(a *big.Float) *big.Float { return ba.new().Abs(a) },
			func(a, b *big.Float) bool { return a.Cmp(b) < 0 })
		if ok && (best == nil || g.Cmp(best) < 0) {
			best = g
		}
	}}
	ev := &evaluator[*big.Float]{ar: ar, defs: defs, b: b, ctx: ctx}
	ev.cmpHook = func(x, y *big.Float) {
		if g := ba.new().Abs(ba.new().Sub(x, y)); best == nil || g.Cmp(best) < 0 {
			best = g
		}
	}
	_, err := ev.eval(e, nil)
	return best, err
}

// IsKinkFunc reports whether the built-in function fn has kinks.
func IsKinkFunc(fn string) bool {
	switch fn {
	case "abs", "sign", "step", "relu", "max", "min", "clip":
		return true
	}
	return false
}

// HasKinks reports whether e calls a function with kinks or has a
// condition (whose boundary is a kink).
func HasKinks(e Expr) bool {
	found := false
	InspectOnce(e, func(x Expr) bool {
		switch x := x.(type) {
		case *Call:
			found = IsKinkFunc(x.Fn)
		case *Condition, *If:
			found = true
		}
		return !found
	})
	return found
}

// The high-precision evaluations of the functions with kinks: each result
// is an argument (or 0, 1, -1) rounded once to prec bits.

func newBig(prec uint) *big.Float { return new(big.Float).SetPrec(prec) }

func bigAbs(a []*big.Float, prec uint) (*big.Float, error) { return newBig(prec).Abs(a[0]), nil }

func bigSign(a []*big.Float, prec uint) (*big.Float, error) {
	return newBig(prec).SetInt64(int64(a[0].Sign())), nil
}

func bigStep(a []*big.Float, prec uint) (*big.Float, error) {
	if a[0].Sign() > 0 {
		return newBig(prec).SetInt64(1), nil
	}
	return newBig(prec), nil
}

func bigRelu(a []*big.Float, prec uint) (*big.Float, error) {
	if a[0].Sign() > 0 {
		return newBig(prec).Set(a[0]), nil
	}
	return newBig(prec), nil
}

// bigMax and bigMin let the first argument win a tie, as MaxOf does.
func bigMax(a []*big.Float, prec uint) (*big.Float, error) {
	m := a[0]
	for _, y := range a[1:] {
		if y.Cmp(m) > 0 {
			m = y
		}
	}
	return newBig(prec).Set(m), nil
}

func bigMin(a []*big.Float, prec uint) (*big.Float, error) {
	m := a[0]
	for _, y := range a[1:] {
		if y.Cmp(m) < 0 {
			m = y
		}
	}
	return newBig(prec).Set(m), nil
}

func bigClip(a []*big.Float, prec uint) (*big.Float, error) {
	m := a[0]
	if a[1].Cmp(m) > 0 {
		m = a[1]
	}
	if a[2].Cmp(m) < 0 {
		m = a[2]
	}
	return newBig(prec).Set(m), nil
}
