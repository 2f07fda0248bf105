package simplify

import "github.com/symdiff/symdiff/rules"

// The simplifier's own rules, as named data. The passes are rules whose
// steps hold the rewrites made inside them; the canonical rules are the
// identities the canonical form is built from. Rules() lists them with the
// rules written in Go, for `symdiff rules list` and `symdiff rules check`.
var (
	PassCancel     = &rules.Rule{Name: "collect_and_cancel", Kind: rules.Pass, Doc: "collect and cancel", Source: rules.Source{File: goFile}}
	PassExpand     = &rules.Rule{Name: "expand_and_collect", Kind: rules.Pass, Doc: "expand and collect like terms", Source: rules.Source{File: goFile}}
	PassExpandDefs = &rules.Rule{Name: "expand_definitions", Kind: rules.Pass, Doc: "expand definitions", Source: rules.Source{File: goFile}}
	PassFoldDefs   = &rules.Rule{Name: "fold_definitions", Kind: rules.Pass, Doc: "fold definitions", Source: rules.Source{File: goFile}}
	// PassResult closes a derivation with the result as displayed.
	PassResult = &rules.Rule{Name: "result", Kind: rules.Pass, Doc: "simplify", Source: rules.Source{File: goFile}}

	RuleDeltaContraction = &rules.Rule{Name: "delta_contraction", Kind: rules.Canonical, Source: rules.Source{File: goFile},
		Doc:      "Kronecker delta",
		Text:     "sum(j=lo..hi, a[j]*delta(j,k)) = a[k] when k lies in lo..hi, and 0 when it lies outside",
		Examples: []string{"sum(j=1..5, x[j]*delta(j,3))", "sum(j=1..5, x[j]*delta(j,7))", "sum(j=2..4, x[j]^2*delta(j,2))"}}
	RuleCancelInverse = &rules.Rule{Name: "cancel_inverse", Kind: rules.Canonical, Source: rules.Source{File: goFile},
		Doc: "cancel", Text: "(1/u)*u = 1 where u is not 0",
		Examples: []string{"y*(1/p)*p*(1 - p)", "x*x^(-1)*y"}}
	RuleSumConstant = &rules.Rule{Name: "sum_of_constant", Kind: rules.Canonical, Source: rules.Source{File: goFile},
		Doc:      "sum of a constant",
		Text:     "sum(i=lo..hi, c) = (hi - lo + 1)*c when c does not depend on i (and 0 for an empty range of numbers)",
		Examples: []string{"sum(i=1..n, c)", "sum(i=3..7, c*y)", "sum(i=5..4, c)"}}
	RuleCollect = &rules.Rule{Name: "collect_like_terms", Kind: rules.Canonical, Source: rules.Source{File: goFile},
		Doc: "collect like terms", Text: "a*x + b*x = (a + b)*x; numbers are added exactly",
		Examples: []string{"2*x + 3*x", "x*y - y*x + 1/3 + 1/6"}}
	RuleCombinePowers = &rules.Rule{Name: "combine_powers", Kind: rules.Canonical, Source: rules.Source{File: goFile},
		Doc: "combine powers", Text: "x^a*x^b = x^(a + b); exp(a)*exp(b) = exp(a + b)",
		Examples: []string{"x^2*x^3", "x*x^(-1)*y", "exp(x)*exp(y)"}}
	RuleDistribute = &rules.Rule{Name: "distribute", Kind: rules.Canonical, Source: rules.Source{File: goFile},
		Doc: "multiply out", Text: "a*(b + c) = a*b + a*c, where terms then cancel (always in the prover's normal form)",
		Examples: []string{"2*(x + y)", "y*(1 - s) - (1 - y)*s"}}
	RuleSumLinearity = &rules.Rule{Name: "sum_linearity", Kind: rules.Canonical, Source: rules.Source{File: goFile},
		Doc: "linearity of sums", Text: "sum(i, c*f + g) = c*sum(i, f) + sum(i, g) when c does not depend on i",
		Examples: []string{"sum(i=1..n, 2*x[i] + y[i])", "sum(i=1..n, a*x[i])"}}
)

// Rules lists the simplifier's own rules: its passes, the identities of
// the canonical form and the rules written in Go.
func Rules() []*rules.Rule {
	out := []*rules.Rule{PassCancel, PassExpand, PassExpandDefs, PassFoldDefs, PassResult, FormFactor, FormTogether, FormExpand, FormSigma, FormTanh, FormHyper, FormCollect, FormSoftmax, FormRatio, FormCoshSinh, FormSigmaTanh, FormNamed,
		RuleDeltaContraction, RuleCancelInverse, RuleSumConstant, RuleCollect, RuleCombinePowers, RuleDistribute, RuleSumLinearity}
	return append(out, goRuleList()...)
}
