package simplify

import (
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// User assumptions (assume statements, Options.Assume). Each becomes a
// rule of kind rules.Assumption, named by what it says, and is used where
// it applies:
//
//   - assume k in 1..d: the range of the free index k (Options.Ranges);
//   - assume x > 0, assume 0 < p < 1, assume y[i] in {0, 1}: an interval
//     for the sign analysis that decides rules' side conditions (an
//     indexed subject with free indices, y[i], holds for every index); a
//     rule applied because of it records the assumption among the rules it
//     used ("by assumption y[i] in {0, 1}");
//   - assume sum(c=1..K, t[i,c]) == 1: a rewrite rule, left side to right
//     side, whose free indices (i) match any index.

// assumptionRule is the rule that stands for an assume statement.
func assumptionRule(a *ast.AssumeStmt) *rules.Rule {
	text := ast.StmtString(a)
	return &rules.Rule{Name: "assumption", Kind: rules.Assumption, Doc: "by assumption " + strings.TrimPrefix(text, "assume "),
		Source: rules.Source{File: "assume"}}
}

// AssumptionRule returns the rule that names an assume statement in
// traces: "by assumption x > 0".
func AssumptionRule(a *ast.AssumeStmt) *rules.Rule { return assumptionRule(a) }

// fact is an interval a user assumed for an expression.
type fact struct {
	iv   interval
	rule *rules.Rule
}

// useAssumptions takes the user's assumptions into s.
func (s *Simplifier) useAssumptions() {
	if len(s.opt.Assume) == 0 {
		return
	}
	c := s.canon(expandFull)
	for _, a := range s.opt.Assume {
		r := assumptionRule(a)
		switch {
		case a.In && a.Set == nil:
			if sym, ok := a.X.(*ast.Sym); ok {
				if s.opt.Ranges == nil {
					s.opt.Ranges = map[string]Range{}
				}
				s.opt.Ranges[sym.Name] = Range{Lo: a.Lo, Hi: a.Hi}
			}
		case a.In:
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range a.Set {
				f := numInterval(v.(*ast.Num).Value) // outward: 1/3 is not a float
				lo, hi = math.Min(lo, f.lo), math.Max(hi, f.hi)
			}
			s.addFact(c, a.X, interval{lo: lo, hi: hi}, r)
		default:
			operands := append([]ast.Expr{a.X}, a.Rest...)
			for i, op := range a.Ops {
				l, rr := operands[i], operands[i+1]
				if op == "==" {
					if _, isNum := l.(*ast.Num); !isNum {
						s.addEquality(l, rr, r)
					}
					continue
				}
				// A bound written as a fraction (1/3, -(1/3)) is a number
				// in canonical form; it was ignored.
				if n, ok := numOf(c.expr(rr)); ok {
					s.addFact(c, l, bound(op, n, false), r)
				} else if n, ok := numOf(c.expr(l)); ok {
					s.addFact(c, rr, bound(op, n, true), r)
				}
			}
		}
	}
	s.signMemo = map[ast.Expr]signEntry{}
	s.takeMicro()
}

// AssumedRanges returns the ranges of opt.Ranges with those the user
// assumed (assume k in 1..d) over them.
func AssumedRanges(opt Options) map[string]Range {
	out := maps.Clone(opt.Ranges)
	for _, a := range opt.Assume {
		if sym, ok := a.X.(*ast.Sym); ok && a.In && a.Set == nil {
			if out == nil {
				out = map[string]Range{}
			}
			out[sym.Name] = Range{Lo: a.Lo, Hi: a.Hi}
		}
	}
	return out
}

// bound is the interval of u where u op n (or n op u, flipped), its end
// rounded outward when n is not a float: x >= -1/3 holds at x = -1/3,
// below the float nearest to it (-0.33333333333333331), so the end is
// the float below that.
func bound(op string, n ast.Number, flipped bool) interval {
	if flipped {
		op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
	}
	v := numInterval(n)
	switch op {
	case ">":
		return interval{lo: v.lo, hi: math.Inf(1), loOpen: true, hiOpen: true}
	case ">=":
		return interval{lo: v.lo, hi: math.Inf(1), hiOpen: true}
	case "<":
		return interval{lo: math.Inf(-1), hi: v.hi, loOpen: true, hiOpen: true}
	case "<=":
		return interval{lo: math.Inf(-1), hi: v.hi, loOpen: true}
	}
	return anything
}

// addFact records an interval for x: for an indexed name whose indices
// are all names (y[i]), for every element of the array.
func (s *Simplifier) addFact(c *canon, x ast.Expr, iv interval, r *rules.Rule) {
	if ix, ok := x.(*ast.Index); ok && !slices.ContainsFunc(ix.Indices, func(e ast.Expr) bool { _, isSym := e.(*ast.Sym); return !isSym }) {
		if old, ok := s.arrayFacts[ix.Name]; ok {
			iv = intersect(old.iv, iv)
		}
		if s.arrayFacts == nil {
			s.arrayFacts = map[string]fact{}
		}
		s.arrayFacts[ix.Name] = fact{iv: iv, rule: r}
		return
	}
	key := c.expr(x)
	if old, ok := s.assume[key]; ok {
		iv = intersect(old, iv)
	}
	if s.assume == nil {
		s.assume = map[ast.Expr]interval{}
	}
	if s.userFacts == nil {
		s.userFacts = map[ast.Expr]*rules.Rule{}
	}
	s.assume[key] = iv
	s.userFacts[key] = r
}

// addEquality makes lhs == rhs a rewrite rule whose free indices (the
// names used as indices in lhs that no sum binds) are pattern variables.
func (s *Simplifier) addEquality(lhs, rhs ast.Expr, r *rules.Rule) {
	var vars []string
	var walk func(e ast.Expr, bound []string)
	walk = func(e ast.Expr, bound []string) {
		switch x := e.(type) {
		case *ast.Index:
			for _, i := range x.Indices {
				if sym, ok := i.(*ast.Sym); ok && !slices.Contains(bound, sym.Name) && !slices.Contains(vars, sym.Name) {
					vars = append(vars, sym.Name)
				}
			}
		case *ast.Sum:
			walk(x.Lo, bound)
			walk(x.Hi, bound)
			walk(x.Body, append(slices.Clone(bound), x.Var))
			return
		}
		for _, k := range ast.Children(e) {
			walk(k, bound)
		}
	}
	walk(lhs, nil)
	eq := *r
	eq.LHS, eq.RHS, eq.Vars = lhs, rhs, vars
	s.equalities = append(s.equalities, &eq)
}

// byAssumption records the step before = after as made by the user's
// assumptions that the sign analysis used since factsUsed was cleared
// (none: no step), and returns after.
func (c *canon) byAssumption(before, after ast.Expr) ast.Expr {
	for _, r := range c.s.factsUsed {
		c.s.record(r, before, after)
	}
	c.s.factsUsed = nil
	return after
}

// noteFact records that the sign analysis used an assumption.
func (s *Simplifier) noteFact(r *rules.Rule) {
	if r != nil && !slices.Contains(s.factsUsed, r) {
		s.factsUsed = append(s.factsUsed, r)
	}
}
