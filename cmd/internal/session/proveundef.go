package session

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// provedUndefined says where a side of a proved claim a == b has no value,
// as simplify of that side does. The prover proves an equality where both
// sides are defined, and its numbers are drawn there: prove of
// sum(i=2..n, log(x - x)) == sum(i=2..n, log(y - y)) said "proved", and so
// did x == x + sum(i=2..n, 0*log(y - y)), which holds only at n = 1, where
// the sums are empty. A proof whose sides are undefined wherever a
// condition holds is not reported without it: the error states it. Only
// a proof is looked at (a counterexample is a point where both sides have
// values). An unknown claim is looked at too: prove of
// if(sin(z) < 0, 1/(x - x), 1) == 1 said "numerically equal at 200
// points", the points all where sin(z) >= 0, while simplify of its left
// side says it is undefined wherever sin(z) < 0; a claim with such a side
// gets simplify's answer, not a numerical hint at equality.
func (s *Session) provedUndefined(ctx context.Context, a, b ast.Expr, p *prove.Proof) error {
	if p == nil || p.Verdict == prove.Refuted || p.Verdict == prove.Unknown && !unknownUndefined {
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
	xa, xb := openedSide(s, a, oa), openedSide(s, b, ob)
	if xa == xb && p.Verdict == prove.Proved && sameSidesWhere {
		// One expression on both sides: defined at the same points and
		// equal there, as SymPy's Eq(e, e) and Mathematica's e == e are
		// True. Proved, with where it has no value stated; not where it
		// has a value nowhere (nothing is claimed then), nor where that
		// cannot be decided.
		return s.sameSidesWhere(ctx, a, xa, p, canon)
	}
	for i, side := range []ast.Expr{a, b} {
		x := []ast.Expr{xa, xb}[i]
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
	if p.Verdict == prove.Proved && domainWhere {
		s.oneSidedWhere(ctx, xa, xb, p)
	}
	return nil
}

// oneSidedWhere sets p.Where, for a proof of scalars that states no
// condition, to a point where one side has a value and the other has none
// (x/x == 1 at x = 0, sqrt(x)^2 == x at x = -1), if it finds one: the claim
// is proved where both sides are defined, and a reader who sees no
// condition takes it for one that holds wherever either side does. A proof
// that states its conditions (the sides' domains it used, "where x > 0",
// or the user's assumptions) is left as it is.
func (s *Session) oneSidedWhere(ctx context.Context, a, b ast.Expr, p *prove.Proof) {
	if p.Where != "" || len(s.Assume) > 0 || len(Assumed(p.Trace)) > 0 || !plainScalar(a) || !plainScalar(b) {
		return
	}
	if maps.Equal(partialParts(a), partialParts(b)) {
		return // the same conditions on both sides (none, for sigma(-x) == 1 - sigma(x))
	}
	for i, names := range [][2]string{{"right", "left"}, {"left", "right"}} {
		lhs, rhs := a, b
		if i == 1 {
			lhs, rhs = b, a
		}
		if c := rulecheck.NarrowsDomain(ctx, lhs, rhs, nil); c != nil {
			p.Where = fmt.Sprintf("where both sides are defined: at %s the %s side is %s and the %s side is %s", c.Point(), names[0], c.Right, names[1], c.Left)
			return
		}
	}
}

// plainScalar reports whether e is small and made of scalar names only (no
// arrays, sums, derivatives or matrices), so that points for
// oneSidedWhere are values of its free names.
func plainScalar(e ast.Expr) bool {
	if e.Size() > maxOneSided || ast.HasSum(e) || ast.HasDeriv(e) {
		return false
	}
	ok := true
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch x.(type) {
		case *ast.Index, *ast.MatOp:
			ok = false
		}
		return ok
	})
	return ok
}

// partialParts returns the parts of e that can lack a value: the calls of
// log and sqrt, the divisors, and the powers whose exponent is not a
// natural number. Sides with the same parts are defined at the same
// points (the sides are opened: no definition hides one).
func partialParts(e ast.Expr) map[ast.Expr]bool {
	parts := map[ast.Expr]bool{}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Call:
			if x.Fn == "log" || x.Fn == "sqrt" {
				parts[x] = true
			}
		case *ast.Div:
			parts[x.Y] = true
		case *ast.Pow:
			if n, ok := x.Y.(*ast.Num); !ok || !n.Value.IsInt() || n.Value.Sign() < 0 {
				parts[x] = true
			}
		}
		return true
	})
	return parts
}

// maxOneSided bounds the sides oneSidedWhere evaluates (400 points each).
const maxOneSided = 400

// domainWhere lets provedUndefined state where one side only is defined
// (the tests turn it off to see their oracle fail).
var domainWhere = true

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

// unknownUndefined lets provedUndefined look at unknown claims too (the
// tests turn it off to see their oracle fail).
var unknownUndefined = true

// sameSidesWhere is provedUndefined for a proof whose opened sides are
// the one expression x (a as written): an error where x has a value
// nowhere or it cannot be decided where, else p.Where says where it has
// none, if anywhere.
func (s *Session) sameSidesWhere(ctx context.Context, a, x ast.Expr, p *prove.Proof, canon func(ast.Expr) ast.Expr) error {
	c := canon
	if c == nil {
		c = simplify.PlainCanonical
	}
	var err error
	if divByZero(c(x)) {
		err = s.zeroDivision(ctx, a) // (nil: the division is in a piece never taken)
	}
	if err == nil {
		dctx, doubt := withDoubts(ctx)
		err = undefinedPartWith(dctx, x, s.evalDefs(), s.options(), canon)
		err = doubt.undecided(err)
	}
	if err == nil {
		return nil
	}
	var pe *partError
	if !errors.As(err, &pe) || !strings.Contains(pe.msg, " is undefined wherever ") {
		return err // everywhere, or undecided: as for other sides
	}
	p.Where = "where both sides are defined: " + pe.msg
	return nil
}

// sameSidesWhere lets provedUndefined prove a claim whose sides are one
// expression with a part undefined under a condition (the tests turn it
// off to compare).
var sameSidesWhere = true
