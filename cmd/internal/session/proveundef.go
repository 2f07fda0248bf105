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
	// One canonicaliser for both sides and the walks: the sides of a
	// proof share their parts (W8's p[i] = σ(Σⱼ x[i,j]·w[j]) on both),
	// and a canonical form made once per side was a tenth of its batch.
	canon := simplify.PlainCanonicalizer()
	if !provedShareCanon {
		canon = nil
	}
	defs, opt := s.evalDefs(), s.options()
	opened := p.Opened
	if !provedReuseOpened {
		opened = func() (ast.Expr, ast.Expr) { return nil, nil }
	}
	oa, ob := opened()
	for i, side := range []ast.Expr{a, b} {
		x := openedSide(s, side, []ast.Expr{oa, ob}[i])
		c := canon
		if c == nil {
			c = simplify.PlainCanonical
		}
		if divByZero(c(x)) {
			if err := s.zeroDivision(ctx, side); err != nil {
				return err
			}
		}
		dctx, doubt := withDoubts(ctx)
		if err := undefinedPartWith(dctx, x, defs, opt, canon); err != nil {
			return doubt.undecided(err)
		}
	}
	return nil
}

// openedSide is s.Defs.Expand(side), or the prover's opened side, o, if
// that is the same expression: a side with no derivative, which the
// prover opened as Expand does, the rule files defining nothing more to
// open (W8's right sides: an expansion of each side was a twentieth of
// its batch's allocation).
func openedSide(s *Session, side, o ast.Expr) ast.Expr {
	if o != nil && !ast.HasDeriv(side) && s.Rules.Defs().Len() == 0 {
		return o
	}
	return s.Defs.Expand(side)
}

// provedReuseOpened lets provedUndefined take a side as the prover
// opened it (the tests compare with opening it again).
var provedReuseOpened = true

// provedShareCanon lets provedUndefined share one canonicaliser between
// the sides (the tests compare with a canonical form made afresh for
// each).
var provedShareCanon = true
