package ast

import (
	"context"
	"fmt"
)

// Branches at kinks. A function with kinks is smooth on each of its pieces
// (relu(u) is 0 for u <= 0 and u for u > 0), and so is an expression whose
// every kink and comparison keeps its piece. KinkBranches records the piece
// each one takes at a point; EvalFrozen evaluates the expression elsewhere
// with every piece kept as recorded. The slope of the frozen expression at
// the point is the derivative that the documented convention at kinks
// prescribes: sign(0) = 0 (so |u| is frozen as 0*u), relu(0) and step(0)
// take the piece 0, max and min the first of tied arguments, clip its
// argument on the closed interval, and if(c, a, b) the piece c selects.

// kinkPiece returns the piece that f's arguments select.
func kinkPiece(fn string, a []float64) int {
	switch fn {
	case "abs", "sign":
		return floatArith{}.cmp(a[0], 0)
	case "step", "relu":
		if a[0] > 0 {
			return 1
		}
		return 0
	case "max", "min":
		best := 0
		for i := 1; i < len(a); i++ {
			if fn == "max" && a[i] > a[best] || fn == "min" && a[i] < a[best] {
				best = i
			}
		}
		return best
	case "clip": // min(max(u, lo), hi)
		piece, m := 0, a[0]
		if a[1] > m {
			piece, m = 1, a[1]
		}
		if a[2] < m {
			piece = 2
		}
		return piece
	}
	return 0
}

// frozenValue is f on the given piece.
func frozenValue(fn string, piece int, a []float64) float64 {
	switch fn {
	case "abs", "relu":
		return float64(piece) * a[0]
	case "sign", "step":
		return float64(piece)
	}
	return a[piece] // max, min, clip
}

// recordArith notes the piece of every function with kinks and the result
// of every comparison, in the order of evaluation.
type recordArith struct {
	floatArith
	rec *[]int
}

func (r recordArith) call(f *Func, args []float64) (float64, error) {
	if IsKinkFunc(f.Name) {
		*r.rec = append(*r.rec, kinkPiece(f.Name, args))
	}
	return r.floatArith.call(f, args)
}

func (r recordArith) cmp(a, b float64) int {
	c := r.floatArith.cmp(a, b)
	*r.rec = append(*r.rec, c)
	return c
}

// replayArith takes the recorded pieces and comparisons in turn.
type replayArith struct {
	floatArith
	rec []int
	pos *int
}

func (r replayArith) next() (int, bool) {
	*r.pos++ // beyond the record: caught after the evaluation
	if *r.pos > len(r.rec) {
		return 0, false
	}
	return r.rec[*r.pos-1], true
}

func (r replayArith) call(f *Func, args []float64) (float64, error) {
	if !IsKinkFunc(f.Name) {
		return r.floatArith.call(f, args)
	}
	p, ok := r.next()
	if !ok {
		return 0, errDiverged
	}
	return frozenValue(f.Name, p, args), nil
}

func (r replayArith) cmp(a, b float64) int {
	p, _ := r.next()
	return p
}

var errDiverged = fmt.Errorf("ast: the frozen evaluation did not follow the recorded pieces")

// KinkBranches evaluates e in float64 at b and returns the piece taken at
// every function with kinks and the result of every comparison, in the
// order of evaluation: two points with the same branches lie on the same
// smooth piece of e, as far as the evaluation can tell.
func KinkBranches(ctx context.Context, e Expr, defs *Defs, b Bindings) ([]int, error) {
	var rec []int
	ev := &evaluator[float64]{ar: recordArith{rec: &rec}, defs: defs, b: b, ctx: ctx}
	_, err := ev.eval(e, nil)
	return rec, err
}

// EvalFrozen evaluates e in float64 at b with every function with kinks
// and every comparison taking the piece recorded in branches (by
// KinkBranches at another point).
func EvalFrozen(ctx context.Context, e Expr, defs *Defs, b Bindings, branches []int) (float64, error) {
	pos := 0
	ev := &evaluator[float64]{ar: replayArith{rec: branches, pos: &pos}, defs: defs, b: b, ctx: ctx}
	v, err := ev.eval(e, nil)
	if err == nil && pos != len(branches) {
		err = errDiverged
	}
	return v, err
}
