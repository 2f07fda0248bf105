package simplify

import (
	"math"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// The piecewise form if(c, a, b) and its conditions. A comparison whose
// outcome the sign analysis decides (x^2 + 1 > 0) becomes 1 (holds) or 0
// (fails), and a condition or piecewise form with a decided part folds:
// if(1, a, b) is a. A condition in canonical form is therefore either a
// Condition node none of whose comparisons is decided, or the number 1 or
// 0; the evaluator reads a number in a condition's place as holding where
// it is not 0, so the folded forms have the same values.

var (
	RuleIfSame = &rules.Rule{Name: "if_same_pieces", Kind: rules.Simplify, Root: "if", Source: rules.Source{File: goFile},
		Doc:      "if(c, a, a) = a: both pieces are the same",
		Examples: []string{"if(x > 0, y, y)", "if(x > y and y < 1, x + 1, 1 + x)"}}
	RuleIfDecided = &rules.Rule{Name: "if_of_decided_condition", Kind: rules.Simplify, Root: "if", Source: rules.Source{File: goFile},
		Doc: "if(c, a, b) = a where the condition c holds everywhere and b where it fails everywhere, by sign analysis of its comparisons",
		Examples: []string{"if(exp(x) > 0, x, -x)", "if(x^2 < 0, x, -x)", "if(abs(x) >= 0 and 1 > 0, y, 0)",
			"if(x + 1 > x, a, b)", "if(2 == 3, a, b)", "if(x^2 + 1 <= 0 or exp(y) != 0, a, b)"}}
	RuleCondKnown = &rules.Rule{Name: "condition_of_known_parts", Kind: rules.Simplify, Root: "if", Source: rules.Source{File: goFile},
		Doc: "in the condition of if, a comparison whose outcome the sign analysis knows is dropped or decides its and/or; not of a comparison is the opposite comparison",
		Examples: []string{"if(x > 0 and exp(y) > 0, a, b)", "if(x > 0 or exp(y) < 0, a, b)", "if(not (x > 0), a, b)",
			"if(not (x == y) and y^2 >= 0, a, b)"}}
	RuleIfNot = &rules.Rule{Name: "if_of_negated_condition", Kind: rules.Simplify, Root: "if", Source: rules.Source{File: goFile},
		Doc:      "if(not c, a, b) = if(c, b, a)",
		Examples: []string{"if(not (x > 0 and y > 0), a, b)", "if(not (x > 0 or y < 1), a, b)"}}
)

func piecewiseRules() []*rules.Rule {
	RuleIfSame.Apply = withCanon(ifSame)
	RuleIfDecided.Apply = withCanon(ifDecided)
	RuleCondKnown.Apply = withCanon(condKnown)
	RuleIfNot.Apply = withCanon(ifNot)
	return []*rules.Rule{RuleIfSame, RuleIfDecided, RuleCondKnown, RuleIfNot}
}

// decideCmp returns whether the comparison op holds for every value in
// the interval d of a - b (holds), for none (fails), or unknown.
func decideCmp(op ast.CondOp, d interval) verdict {
	var yes, no bool
	switch op {
	case ast.CondLt:
		yes, no = d.negative(), d.nonneg()
	case ast.CondLe:
		yes, no = d.nonpos(), d.positive()
	case ast.CondGt:
		yes, no = d.positive(), d.nonpos()
	case ast.CondGe:
		yes, no = d.nonneg(), d.negative()
	case ast.CondEq:
		yes, no = d.zero(), d.nonzero()
	case ast.CondNe:
		yes, no = d.nonzero(), d.zero()
	}
	switch {
	case yes:
		return holds
	case no:
		return fails
	}
	return unknown
}

// truth is 1 or 0, the canonical form of a decided condition.
func truth(v verdict) ast.Expr {
	if v == holds {
		return ast.One
	}
	return ast.Zero
}

// decided reports the verdict of a reduced condition: a number holds
// where it is not 0.
func decided(e ast.Expr) verdict {
	if n, ok := e.(*ast.Num); ok {
		if n.Value.IsZero() {
			return fails
		}
		return holds
	}
	return unknown
}

// reduceCond replaces the comparisons of a condition whose outcome the
// sign analysis knows by 1 or 0, folds and, or and not around them, and
// writes not of a comparison as the opposite comparison.
func (c *canon) reduceCond(e ast.Expr) ast.Expr {
	x, ok := e.(*ast.Condition)
	if !ok {
		return e // a number, or a value in a condition's place
	}
	switch {
	case x.Op.IsComparison():
		if v := decideCmp(x.Op, c.s.sign(c.expr(ast.NewAdd(x.Args[0], ast.NewNeg(x.Args[1]))))); v != unknown {
			return truth(v)
		}
		return e
	case x.Op == ast.CondNot:
		a := c.reduceCond(x.Args[0])
		switch decided(a) {
		case holds:
			return ast.Zero
		case fails:
			return ast.One
		}
		if y, ok := a.(*ast.Condition); ok {
			switch {
			case y.Op.IsComparison():
				return ast.NewCompare(y.Op.Negate(), y.Args[0], y.Args[1])
			case y.Op == ast.CondNot:
				return y.Args[0]
			}
		}
		if a == x.Args[0] {
			return e
		}
		return ast.NewNot(a)
	}
	// and: an operand that fails decides it, ones that hold drop out; or
	// the other way round.
	decisive, neutral := fails, holds
	if x.Op == ast.CondOr {
		decisive, neutral = holds, fails
	}
	var rest []ast.Expr
	changed := false
	for _, a := range x.Args {
		r := c.reduceCond(a)
		switch decided(r) {
		case decisive:
			return truth(decisive)
		case neutral:
			changed = true
			continue
		}
		changed = changed || r != a
		rest = append(rest, r)
	}
	switch {
	case !changed:
		return e
	case len(rest) == 0:
		return truth(neutral)
	}
	return ast.NewCondition(x.Op, rest...)
}

func ifSame(c *canon, e ast.Expr) (ast.Expr, bool) {
	x := e.(*ast.If)
	if x.Then == x.Else {
		return x.Then, true
	}
	return nil, false
}

func ifDecided(c *canon, e ast.Expr) (ast.Expr, bool) {
	x := e.(*ast.If)
	switch decided(c.reduceCond(x.Cond)) {
	case holds:
		return x.Then, true
	case fails:
		return x.Else, true
	}
	return nil, false
}

func condKnown(c *canon, e ast.Expr) (ast.Expr, bool) {
	x := e.(*ast.If)
	if r := c.reduceCond(x.Cond); r != x.Cond {
		return ast.NewIf(r, x.Then, x.Else), true
	}
	return nil, false
}

func ifNot(c *canon, e ast.Expr) (ast.Expr, bool) {
	x := e.(*ast.If)
	if n, ok := x.Cond.(*ast.Condition); ok && n.Op == ast.CondNot {
		return ast.NewIf(n.Args[0], x.Else, x.Then), true
	}
	return nil, false
}

// piecewise canonicalises a condition or a piecewise form: its operands
// first, then the rules above at its root (by rewrite). Each piece of an
// if is canonicalised knowing what its condition says where the piece is
// taken: in if(x > 0, abs(x), 0) the first piece is x, and in
// if(x > 0, if(x > -1, a, b), c) the inner condition holds.
func (c *canon) piecewise(e ast.Expr) ast.Expr {
	x, ok := e.(*ast.If)
	if !ok {
		kids := ast.Children(e)
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			nk[i] = c.expr(k)
		}
		return ast.WithChildren(e, nk)
	}
	cond := c.expr(x.Cond)
	return ast.NewIf(cond, c.under(cond, true, x.Then), c.under(cond, false, x.Else))
}

// under canonicalises a piece with the facts of the condition added to
// the simplifier's (holds says which piece: where it holds or where not).
// The piece gets canonicalisers of its own, so that nothing it memoises
// under the facts is found later where they do not hold.
func (c *canon) under(cond ast.Expr, holds bool, piece ast.Expr) ast.Expr {
	facts := map[ast.Expr]interval{}
	c.condFacts(cond, holds, facts)
	if len(facts) == 0 || !c.rules {
		return c.expr(piece)
	}
	s := c.s
	saved, savedMemo, savedCanons := s.assume, s.signMemo, s.canons
	merged := make(map[ast.Expr]interval, len(saved)+len(facts))
	for k, v := range saved {
		merged[k] = v
	}
	for k, v := range facts {
		if old, ok := merged[k]; ok {
			v = intersect(old, v)
		}
		merged[k] = v
	}
	inner := newCanon(s, c.expand, c.rules)
	s.assume, s.signMemo, s.canons = merged, map[ast.Expr]signEntry{}, map[expandMode]*canon{c.expand: inner}
	defer func() { s.assume, s.signMemo, s.canons = saved, savedMemo, savedCanons }()
	return inner.expr(piece)
}

// condFacts adds what cond (holds) or its negation (!holds) says about
// signs: l > r is l - r in (0, inf), and so on; and of conditions that
// hold, or of conditions that fail, says each of them. x != y says
// nothing an interval can hold.
func (c *canon) condFacts(cond ast.Expr, holds bool, facts map[ast.Expr]interval) {
	x, ok := cond.(*ast.Condition)
	if !ok {
		return
	}
	inf := math.Inf(1)
	switch {
	case x.Op.IsComparison():
		op := x.Op
		if !holds {
			op = op.Negate()
		}
		var iv interval
		switch op {
		case ast.CondGt:
			iv = interval{lo: 0, hi: inf, loOpen: true, hiOpen: true}
		case ast.CondGe:
			iv = interval{lo: 0, hi: inf, hiOpen: true}
		case ast.CondLt:
			iv = interval{lo: -inf, hi: 0, loOpen: true, hiOpen: true}
		case ast.CondLe:
			iv = interval{lo: -inf, hi: 0, loOpen: true}
		case ast.CondEq:
			iv = point(0)
		default:
			return
		}
		d := c.expr(ast.NewAdd(x.Args[0], ast.NewNeg(x.Args[1])))
		if _, isNum := d.(*ast.Num); isNum {
			return
		}
		if old, ok := facts[d]; ok {
			iv = intersect(old, iv)
		}
		facts[d] = iv
	case x.Op == ast.CondNot:
		c.condFacts(x.Args[0], !holds, facts)
	case x.Op == ast.CondAnd && holds, x.Op == ast.CondOr && !holds:
		for _, a := range x.Args {
			c.condFacts(a, holds, facts)
		}
	}
}

// hullInterval is the smallest interval holding a and b: the values of
// if(c, u, v) for u in a and v in b.
func hullInterval(a, b interval) interval {
	r := a
	if b.lo < r.lo || b.lo == r.lo && !b.loOpen {
		r.lo, r.loOpen = b.lo, b.loOpen
	}
	if b.hi > r.hi || b.hi == r.hi && !b.hiOpen {
		r.hi, r.hiOpen = b.hi, b.hiOpen
	}
	return r.sane()
}

// piecewiseSign bounds a condition (0 or 1) or a piecewise form (either
// piece, or the one its decided condition picks).
func (s *Simplifier) piecewiseSign(e ast.Expr) interval {
	switch x := e.(type) {
	case *ast.Condition:
		return interval{lo: 0, hi: 1}
	case *ast.If:
		return hullInterval(s.sign(x.Then), s.sign(x.Else))
	}
	return interval{lo: math.Inf(-1), hi: math.Inf(1), loOpen: true, hiOpen: true}
}
