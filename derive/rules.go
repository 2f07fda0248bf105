package derive

import "github.com/symdiff/symdiff/rules"

// The rules of calculus that derive applies, as named data: traces point
// at these, and `symdiff rules list` lists them.
var (
	RuleConst      = calc("constant", "constant", "d(c, v) = 0 when c does not depend on v")
	RuleVar        = calc("variable", "derivative of a variable", "d(v, v) = 1, d(w[j], w[k]) = delta(j, k)")
	RuleDef        = calc("definition", "definition", "a defined name that depends on v is replaced by its definition")
	RuleLinear     = calc("linearity", "linearity", "d(a + b) = d(a) + d(b), d(c*u) = c*d(u), through sums and means")
	RuleProduct    = calc("product_rule", "product rule", "(u*w)' = u'*w + u*w'")
	RuleQuotient   = calc("quotient_rule", "quotient rule", "(u/w)' = (u'*w - u*w')/w^2")
	RulePower      = calc("power_rule", "power rule", "(u^c)' = c*u^(c-1)*u'")
	RuleExpRule    = calc("exponential_rule", "exponential", "(c^u)' = c^u*log(c)*u'")
	RuleGenPower   = calc("general_power_rule", "general power", "(u^w)' = u^w*(w'*log(u) + w*u'/u)")
	RuleChain      = calc("chain_rule", "chain rule", "f(u)' = f'(u)*u', with f' the derivative rule of f")
	RuleNestedDiff = calc("derivative_of_derivative", "derivative of a derivative", "d(d(f, u), v) is d(f, u) evaluated, then differentiated by v")
	RulePiecewise  = calc("piecewise_rule", "derivative of each piece",
		"d(if(c, a, b), v) = if(c, d(a, v), d(b, v)): the derivative of each piece, which holds almost everywhere (on the boundary of c, a set of measure zero, the pieces meet and a kink's convention applies); a condition is constant wherever it does not switch")
	// RuleDifferentiate is the pass that evaluates a derivative d(E, v);
	// its step holds one step per distinct subexpression differentiated.
	RuleDifferentiate = &rules.Rule{Name: "differentiate", Kind: rules.Pass, Doc: "differentiate", Source: src}
)

var src = rules.Source{File: "derive (built in)"}

func calc(name, doc, statement string) *rules.Rule {
	return &rules.Rule{Name: name, Kind: rules.Calculus, Doc: doc, Text: statement, Source: src}
}

// Rules lists the rules of calculus, for listings.
func Rules() []*rules.Rule {
	return []*rules.Rule{RuleConst, RuleVar, RuleDef, RuleLinear, RuleProduct, RuleQuotient, RulePower,
		RuleExpRule, RuleGenPower, RuleChain, RuleFlatChain, RuleNestedDiff, RulePiecewise, RuleDifferentiate}
}

// structural rules are applied together, as bookkeeping, in a round of a
// derivation.
func structural(r *rules.Rule) bool {
	switch r {
	case RuleConst, RuleVar, RuleLinear, RuleProduct, RuleQuotient, RulePower, RuleExpRule, RuleGenPower, RuleNestedDiff:
		return true
	}
	return false
}
