package ast

import (
	"context"
	"fmt"
	"math"
)

// maxJumpTerms bounds the index values EachJump goes through over all
// sums: past it the walk stops with ErrTooManySteps (the caller's budget
// would be gone long before).
const maxJumpTerms = 1_000_000

// EachJump calls visit with every jump of x, where a value falls to one
// side of a tie: the argument of sign and step (at is the call, gap its
// argument) and each comparison of a condition or an Iverson bracket (gap
// is the difference of its two sides, the right one less the left). A
// sum's (or a mean's) body is gone through once per index value, with the
// index put in as the whole number it is there: a jump inside a sum is a
// jump at each term, and its gap at i = 2 can be exactly 0 where at i = 3
// it is not (step(sqrt(i)^2 - i)). The bounds are read at b as float64
// reads them (n = 3); nested sums take the outer index first. Bounds that
// are not whole numbers are skipped: the evaluation says what is wrong
// with them. visit returns false to stop the walk. Definitions are to be
// opened by the caller (Defs.Expand). The error is ctx's, or
// ErrTooManySteps past maxJumpTerms index values.
func EachJump(ctx context.Context, x Expr, b Bindings, visit func(at, gap Expr) bool) error {
	w := jumpWalk{ctx: ctx, b: b, visit: visit, seen: map[Expr]bool{}}
	w.walk(x)
	return w.err
}

type jumpWalk struct {
	ctx   context.Context
	b     Bindings
	visit func(at, gap Expr) bool
	seen  map[Expr]bool // nodes gone through (shared subtrees once)
	terms int
	stop  bool
	err   error
}

func (w *jumpWalk) walk(x Expr) {
	if w.stop || w.seen[x] {
		return
	}
	w.seen[x] = true
	if w.terms%256 == 0 {
		if err := w.ctx.Err(); err != nil {
			w.err, w.stop = err, true
			return
		}
	}
	switch n := x.(type) {
	case *Sum:
		w.walk(n.Lo)
		w.walk(n.Hi)
		if !hasJump(n.Body) {
			return
		}
		lo, okLo := wholeAt(n.Lo, w.b)
		hi, okHi := wholeAt(n.Hi, w.b)
		if !okLo || !okHi {
			return
		}
		for i := lo; i <= hi && !w.stop; i++ {
			if w.terms++; w.terms > maxJumpTerms {
				w.err, w.stop = fmt.Errorf("%w: more than %d terms of sums with jumps", ErrTooManySteps, maxJumpTerms), true
				return
			}
			w.walk(Subst(n.Body, map[string]Expr{n.Var: NewInt(i)}))
		}
		return
	case *Call:
		if (n.Fn == "sign" || n.Fn == "step") && len(n.Args) == 1 {
			w.jump(n, n.Args[0])
		}
	case *Condition:
		if n.Op.IsComparison() {
			for i := 1; i < len(n.Args) && !w.stop; i++ {
				w.jump(n, NewAdd(n.Args[i], NewNeg(n.Args[i-1])))
			}
		}
	case *Iverson:
		for i := 1; i < len(n.Args) && !w.stop; i++ {
			w.jump(n, NewAdd(n.Args[i], NewNeg(n.Args[i-1])))
		}
	}
	for _, k := range Children(x) {
		w.walk(k)
	}
}

func (w *jumpWalk) jump(at, gap Expr) {
	if !w.stop && !w.visit(at, gap) {
		w.stop = true
	}
}

// hasJump reports whether e has a sign, a step, a condition or an Iverson
// bracket: a sum whose body has none need not be gone through per index.
func hasJump(e Expr) bool {
	found := false
	InspectOnce(e, func(n Expr) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *Call:
			found = (n.Fn == "sign" || n.Fn == "step") && len(n.Args) == 1
		case *Condition, *Iverson:
			found = true
		}
		return !found
	})
	return found
}

// wholeAt is e's value at b where it is a whole number that an int64
// holds with room to count past it.
func wholeAt(e Expr, b Bindings) (int64, bool) {
	v, err := Eval(e, nil, b)
	if err != nil || v != math.Trunc(v) || math.Abs(v) > 1<<52 {
		return 0, false
	}
	return int64(v), true
}
