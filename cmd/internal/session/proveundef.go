package session

import (
	"context"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// provedUndefined says where a side of a proved claim a == b has no value,
// as simplify of that side does. The prover proves an equality where both
// sides are defined, and its numbers are drawn there: prove of
// sum(i=2..n, log(x - x)) == sum(i=2..n, log(y - y)) said "proved", and so
// did x == x + sum(i=2..n, 0*log(y - y)), which holds only at n = 1, where
// the sums are empty. A proof whose sides are undefined wherever a
// condition holds is not reported without it: the error states it. Only
// a proof is looked at (a counterexample is a point where both sides have
// values, and "unknown" claims nothing).
func (s *Session) provedUndefined(ctx context.Context, a, b ast.Expr, p *prove.Proof) error {
	if p == nil || p.Verdict != prove.Proved {
		return nil
	}
	for _, side := range []ast.Expr{a, b} {
		x := s.Defs.Expand(side)
		if divByZero(simplify.PlainCanonical(x)) {
			if err := s.zeroDivision(ctx, side); err != nil {
				return err
			}
		}
		dctx, doubt := withDoubts(ctx)
		if err := undefinedPart(dctx, x, s.evalDefs(), s.options()); err != nil {
			return doubt.undecided(err)
		}
	}
	return nil
}
