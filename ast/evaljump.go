package ast

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
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
// ErrTooManySteps past maxJumpTerms index values. A Jump also says where
// it is as x writes it: Written and Index (step(sqrt(i)^2 - i) at i = 2,
// for the At step(sqrt(2)^2 - 2)).
func EachJump(ctx context.Context, x Expr, b Bindings, visit func(j Jump) bool) error {
	w := jumpWalk{ctx: ctx, b: b, visit: visit, seen: map[Expr]bool{}}
	w.walk(x)
	return w.err
}

// A Jump is one jump EachJump meets: At is the call or comparison with
// the index values of the sums around it put in, Gap its argument (or the
// difference of its sides).
type Jump struct {
	At, Gap Expr
	frames  []jumpFrame // the sums At is in, outermost first
}

// A jumpFrame is a sum's body, as the walk met it (the outer sums'
// indices put in), at one value of its index.
type jumpFrame struct {
	body Expr
	v    string
	i    int64
}

// An IndexValue is the value of a sum's index.
type IndexValue struct {
	Var   string
	Value int64
}

// Written returns the jump as x writes it, with its sums' indices as
// names (step(sqrt(i)^2 - i)), and the values of the indices it depends
// on (i = 2), outermost first. Where the jump cannot be traced back
// through a sum's index (a constructor folded it), it is At, with the
// values of every index around it.
func (j Jump) Written() (Expr, []IndexValue) {
	cur := j.At
	var idx []IndexValue
	for k := len(j.frames) - 1; k >= 0; k-- {
		f := j.frames[k]
		m := map[string]Expr{f.v: NewInt(f.i)}
		var found Expr
		InspectOnce(f.body, func(n Expr) bool {
			if found != nil {
				return false
			}
			if sameKind(n, cur) && Subst(n, m) == cur {
				found = n
				return false
			}
			return true
		})
		if found == nil {
			idx = nil
			for _, f := range j.frames {
				idx = append(idx, IndexValue{f.v, f.i})
			}
			return j.At, idx
		}
		if HasFree(found, f.v) {
			idx = append(idx, IndexValue{f.v, f.i})
		}
		cur = found
	}
	slices.Reverse(idx)
	return cur, idx
}

// sameKind reports whether a and b are nodes of one type (calls of one
// function): only such a node of a sum's body can become b.
func sameKind(a, b Expr) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	ca, ok := a.(*Call)
	return !ok || ca.Fn == b.(*Call).Fn
}

type jumpWalk struct {
	ctx    context.Context
	b      Bindings
	visit  func(j Jump) bool
	seen   map[Expr]bool // nodes gone through (shared subtrees once)
	frames []jumpFrame   // the sums' bodies the walk is in
	terms  int
	stop   bool
	err    error
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
			w.frames = append(w.frames, jumpFrame{body: n.Body, v: n.Var, i: i})
			w.walk(Subst(n.Body, map[string]Expr{n.Var: NewInt(i)}))
			w.frames = w.frames[:len(w.frames)-1]
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
	if !w.stop && !w.visit(Jump{At: at, Gap: gap, frames: slices.Clone(w.frames)}) {
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
