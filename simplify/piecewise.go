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
	RuleCmpKnown = &rules.Rule{Name: "comparison_of_known_sign", Kind: rules.Simplify, Root: "cond", Source: goSource,
		Doc:      "a comparison a < b (<=, >, >=, ==, !=) holds or fails everywhere where the sign of a - b is known",
		Examples: []string{"if(x^2 + 1 > 0, a, b)", "if(exp(x) <= 0, a, b)", "if(x + 1 > x, a, b)", "if(2 == 3, a, b)"}}
	RuleCondFold = &rules.Rule{Name: "condition_connective", Kind: rules.Simplify, Root: "cond", Source: goSource,
		Doc: "and, or and not of decided conditions fold (c and true = c, c or true = true, ...); not of a comparison is the opposite comparison",
		Examples: []string{"if(x > 0 and exp(y) > 0, a, b)", "if(x > 0 or exp(y) > 0, a, b)", "if(not (x > 0), a, b)",
			"if(not (x == y), a, b)"}}
	RuleIfDecided = &rules.Rule{Name: "if_of_decided_condition", Kind: rules.Simplify, Root: "if", Source: goSource,
		Doc:      "if(c, a, b) = a where the condition c holds everywhere and b where it fails everywhere",
		Examples: []string{"if(exp(x) > 0, x, -x)", "if(x^2 < 0, x, -x)", "if(abs(x) >= 0 and 1 > 0, y, 0)"}}
	RuleIfSame = &rules.Rule{Name: "if_same_pieces", Kind: rules.Simplify, Root: "if", Source: goSource,
		Doc:      "if(c, a, a) = a: both pieces are the same",
		Examples: []string{"if(x > 0, y, y)", "if(x > y and y < 1, x + 1, 1 + x)"}}
	RuleIfNot = &rules.Rule{Name: "if_of_negated_condition", Kind: rules.Simplify, Root: "if", Source: goSource,
		Doc:      "if(not c, a, b) = if(c, b, a)",
		Examples: []string{"if(not (x > 0 and y > 0), a, b)"}}
)

func piecewiseRules() []*rules.Rule {
	RuleCmpKnown.Apply = withCanon(cmpKnown)
	RuleCondFold.Apply = withCanon(condFold)
	RuleIfDecided.Apply = withCanon(ifDecided)
	RuleIfSame.Apply = withCanon(ifSame)
	RuleIfNot.Apply = withCanon(ifNot)
	return []*rules.Rule{RuleCmpKnown, RuleCondFold, RuleIfDecided, RuleIfSame, RuleIfNot}
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

// decided reports the verdict of a canonical condition: 1 holds, 0 fails.
func decided(e ast.Expr) verdict {
	if n, ok := e.(*ast.Num); ok {
		if n.Value.IsZero() {
			return fails
		}
		return holds
	}
	return unknown
}

func cmpKnown(c *canon, e ast.Expr) (ast.Expr, bool) {
	x, ok := e.(*ast.Condition)
	if !ok || !x.Op.IsComparison() {
		return nil, false
	}
	if v := decideCmp(x.Op, c.s.sign(c.expr(ast.NewAdd(x.Args[0], ast.NewNeg(x.Args[1]))))); v != unknown {
		return truth(v), true
	}
	return nil, false
}

func condFold(c *canon, e ast.Expr) (ast.Expr, bool) {
	x, ok := e.(*ast.Condition)
	if !ok || x.Op.IsComparison() {
		return nil, false
	}
	if x.Op == ast.CondNot {
		switch a := x.Args[0].(type) {
		case *ast.Num:
			if decided(a) == holds {
				return ast.Zero, true
			}
			return ast.One, true
		case *ast.Condition:
			switch {
			case a.Op.IsComparison():
				return ast.NewCompare(a.Op.Negate(), a.Args[0], a.Args[1]), true
			case a.Op == ast.CondNot:
				return a.Args[0], true
			}
		}
		return nil, false
	}
	// and: a failing operand decides, holding ones drop out; or the other
	// way round.
	decisive := fails
	if x.Op == ast.CondOr {
		decisive = holds
	}
	var rest []ast.Expr
	changed := false
	for _, a := range x.Args {
		switch decided(a) {
		case decisive:
			return truth(decisive), true
		case unknown:
			rest = append(rest, a)
		default:
			changed = true
		}
	}
	if !changed {
		return nil, false
	}
	if len(rest) == 0 {
		// Every operand was decided the other way: and of truths holds.
		if decisive == fails {
			return ast.One, true
		}
		return ast.Zero, true
	}
	return ast.NewCondition(x.Op, rest...), true
}

func ifDecided(c *canon, e ast.Expr) (ast.Expr, bool) {
	x := e.(*ast.If)
	switch decided(x.Cond) {
	case holds:
		return x.Then, true
	case fails:
		return x.Else, true
	}
	return nil, false
}

func ifSame(c *canon, e ast.Expr) (ast.Expr, bool) {
	x := e.(*ast.If)
	if x.Then == x.Else {
		return x.Then, true
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
// first, then the rules above at its root (by rewrite).
func (c *canon) piecewise(e ast.Expr) ast.Expr {
	kids := ast.Children(e)
	nk := make([]ast.Expr, len(kids))
	for i, k := range kids {
		nk[i] = c.expr(k)
	}
	return ast.WithChildren(e, nk)
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
