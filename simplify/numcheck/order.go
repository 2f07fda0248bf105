package numcheck

import (
	"context"

	"github.com/symdiff/symdiff/ast"
)

// A Comparison is an assumption L op R (op one of < <= > >= !=) that is
// not an interval of one name: assume x > y, assume x*y > 0. A point is
// used only where every such comparison holds; before, they were not read
// at all, so a claim true under assume x > y was refuted at a point with
// x < y.
type Comparison struct {
	L  ast.Expr
	Op string
	R  ast.Expr
}

// orderPrec is the precision, in bits, at which the two sides of a
// comparison are evaluated to decide it at a point (whose values are
// float64, so sums and products of a few of them are exact there).
const orderPrec = 1024

// holdsAt decides c at pt; ok is false when a side cannot be evaluated
// there (a name the point does not bind, a side undefined).
func (c Comparison) holdsAt(ctx context.Context, pt ast.Bindings) (holds, ok bool) {
	l, errL := ast.EvalBig(ctx, c.L, nil, pt, orderPrec)
	r, errR := ast.EvalBig(ctx, c.R, nil, pt, orderPrec)
	if errL != nil || errR != nil || l.IsInf() || r.IsInf() {
		return false, false
	}
	s := l.Cmp(r)
	switch c.Op {
	case "<":
		return s < 0, true
	case "<=":
		return s <= 0, true
	case ">":
		return s > 0, true
	case ">=":
		return s >= 0, true
	case "!=":
		return s != 0, true
	}
	return false, false
}

// admitsOrder reports whether every comparison holds at pt (a comparison
// that cannot be decided there does not).
func (as *Assumptions) admitsOrder(pt ast.Bindings) bool {
	if as == nil {
		return true
	}
	for _, c := range as.Order {
		if h, ok := c.holdsAt(context.Background(), pt); !ok || !h {
			return false
		}
	}
	return true
}

// drawOrderNames gives the scalar names the comparisons read and the
// point lacks (the claim does not use them: assume x > z, prove a claim
// of x) a value, inside their assumed interval or set, so that the
// comparisons can be decided and constrain the names the claim uses.
func (g *pointGen) drawOrderNames(b ast.Bindings) {
	for _, c := range g.as.Order {
		for _, side := range []ast.Expr{c.L, c.R} {
			ast.Inspect(side, func(e ast.Expr) bool {
				s, ok := e.(*ast.Sym)
				if !ok {
					return true
				}
				if _, bound := b[s.Name]; bound || !ast.HasFree(side, s.Name) {
					return true
				}
				v := g.real(4)
				if set := g.as.Sets[s.Name]; len(set) > 0 {
					v = set[g.rng.IntN(len(set))]
				} else if iv, ok := g.as.Intervals[s.Name]; ok {
					v = g.inside(iv)
				}
				b[s.Name] = ast.Scalar(v)
				return true
			})
		}
	}
}
