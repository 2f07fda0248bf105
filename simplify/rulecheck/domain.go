package rulecheck

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// domainPrec is the precision at which a point where the right side of a
// rule seems undefined is confirmed.
const domainPrec = 256

// NarrowsDomain looks for a point where a simplification rule's
// conditions hold and its left side has a value but its right side has
// none: log(a*b) -> log(a) + log(b) at a = b = -1, where log(1) = 0 and
// log(-1) is undefined. The comparison of the two sides skips such points
// (it compares values), so the rule was called sound, and the simplifier
// then turned log(x*y), defined for x = y = -1, into an expression
// undefined there. A rewrite may extend the domain (x/x -> 1), never
// narrow it. The left side's value and the right side's lack of one are
// confirmed at high precision (a float64 overflow or underflow is not a
// lack of value).
//
// The prover uses it to say where a proved claim holds when its sides are
// defined at different points (x/x == 1: not at x = 0).
func NarrowsDomain(ctx context.Context, lhs, rhs ast.Expr, conds []ast.Cond) *numcheck.Counterexample {
	names := slices.Clone(ast.FreeNames(lhs))
	for _, e := range []ast.Expr{rhs} {
		for _, n := range ast.FreeNames(e) {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	for _, c := range conds {
		for _, n := range append(ast.FreeNames(c.X), ast.FreeNames(c.Y)...) {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	values := []float64{0, 1, -1, 0.5, -0.5, 2, -2, 0.25, -0.25, 1.5, -1.5, 3, -3, 10, -10}
	rng := rand.New(rand.NewPCG(0xd0a1, uint64(len(names))))
	for try := 0; try < 400; try++ {
		if ctx.Err() != nil {
			return nil
		}
		pt := ast.Bindings{}
		for _, n := range names {
			pt[n] = ast.Scalar(values[rng.IntN(len(values))])
		}
		if !numcheck.CondsHold(conds, pt) {
			continue
		}
		l, errL := ast.Eval(lhs, nil, pt)
		if errL != nil {
			continue
		}
		_, errR := ast.Eval(rhs, nil, pt)
		if !isDomain(errR) {
			continue
		}
		bl, errBL := ast.EvalBig(ctx, lhs, nil, pt, domainPrec)
		_, errBR := ast.EvalBig(ctx, rhs, nil, pt, domainPrec)
		if errBL != nil || !isDomain(errBR) {
			continue
		}
		lt := bl.Text('g', 30)
		return &numcheck.Counterexample{Bindings: pt, Left: lt, Right: "undefined (" + errR.Error() + ")", LeftF: l, RightF: math.NaN()}
	}
	return nil
}

// isDomain says whether err is the lack of a value (division by zero, the
// log of a non-positive number), not an overflow.
func isDomain(err error) bool {
	var de *ast.DomainError
	if !errors.As(err, &de) {
		return false
	}
	// ast.Eval reports an Inf or NaN result as a DomainError too; an
	// overflow is no reason.
	return !isOverflow(de.Msg)
}

// isOverflow reads the messages of an Inf or NaN float64 result and of a
// number beyond the high-precision range.
func isOverflow(msg string) bool {
	return strings.HasPrefix(msg, "the result is ") || strings.HasSuffix(msg, "out of range here")
}
