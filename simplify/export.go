package simplify

import (
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Helpers of the canonical form for the prover's rational normal form
// (package prove), which builds expressions in the same shape.

// SplitCoeff splits a canonical term into its numeric coefficient and the
// rest (1 for a number).
func SplitCoeff(t ast.Expr) (ast.Number, ast.Expr) { return splitCoeff(t) }

// WithCoeff multiplies a canonical monomial without coefficient by k.
func WithCoeff(k ast.Number, m ast.Expr) ast.Expr { return withCoeff(k, m) }

// TermOrder and FactorOrder are the orders of the operands of canonical
// sums and products.
func TermOrder(a, b ast.Expr) int   { return termOrder(a, b) }
func FactorOrder(a, b ast.Expr) int { return factorOrder(a, b) }

// CanonicalVar is the name a sum's bound variable gets in canonical form.
func CanonicalVar(v string, lo, hi, body ast.Expr) string { return canonicalVar(v, lo, hi, body) }

// SumTerm splits a canonical term c*K*sum(...) into its coefficient, its
// first sum factor and the other factors; the sum is nil if there is none.
func SumTerm(t ast.Expr) (ast.Number, *ast.Sum, []ast.Expr) { return sumTerm(t) }

// AssumeDomain records what both sides' being defined implies (log's
// argument is positive, ...): an identity is claimed only there, and the
// rules' side conditions may use it.
func (s *Simplifier) AssumeDomain(a, b ast.Expr) {
	raw := domainFacts(a, nil)
	for k, v := range domainFacts(b, nil) {
		if old, ok := raw[k]; ok {
			v = intersect(old, v)
		}
		raw[k] = v
	}
	s.noteSizes(a)
	s.noteSizes(b)
	c := s.canon(expandFull)
	if s.assume == nil {
		s.assume = map[ast.Expr]interval{}
	}
	if s.domainRules == nil {
		s.domainRules = map[ast.Expr]*rules.Rule{}
	}
	for k, v := range raw {
		key := c.expr(k)
		if _, ok := s.domainRules[key]; !ok {
			s.domainRules[key] = domainRule(k, v)
		}
		if old, ok := s.assume[key]; ok {
			v = intersect(old, v)
		}
		s.assume[key] = v
	}
	s.signMemo = map[ast.Expr]signEntry{}
	s.takeMicro()
}

// domainRule states the fact that u lies in iv, which the sides' being
// defined implies (log(u): u > 0; sqrt(u): u >= 0), as the note a proof
// that used it shows: "where x > 0, for the sides to be defined".
func domainRule(u ast.Expr, iv interval) *rules.Rule {
	op := ">= 0"
	if iv.positive() {
		op = "> 0"
	}
	return &rules.Rule{Name: "domain", Kind: rules.Assumption, Doc: "where " + ast.String(u) + " " + op + ", for the sides to be defined",
		Source: rules.Source{File: "domain"}}
}
