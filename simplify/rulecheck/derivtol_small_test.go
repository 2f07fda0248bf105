package rulecheck_test

import (
	"testing"

	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// A derivative rule off by a term of relative size 1e-4 or less was
// reported sound: a difference is confirmed only past 10 times a
// tolerance of 1e-5*|f'|, so foo'(u) = cos(u) for foo(u) = sin(u) + u/10^4
// passed, and every loss differentiated with it is wrong. The function
// has a definition, so the rule can be decided exactly (by the prover,
// d(definition) == rule) or at high precision. The oracle is the
// derivative worked out by hand.
func TestDerivRuleSmallError(t *testing.T) {
	for _, src := range []string{
		"foo(u) := sin(u) + u/10^4\nderiv foo(u) = cos(u)",
		"foo(u) := u^2 + u^3/10^5\nderiv foo(u) = 2*u",
		"foo(u) := exp(u) + u/10^6\nderiv foo(u) = exp(u)",
	} {
		set, err := load.File(builtin, "test.rules", src+"\n")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range set.Derivs() {
			if d.Source.File != "test.rules" {
				continue
			}
			if got := rulecheck.CheckDeriv(bg, d, set); got.Verdict != rulecheck.RuleUnsound {
				t.Errorf("%q: %s (%s), want unsound", src, got.Verdict, got.Note)
			}
			// The finite differences, used where there is no definition,
			// must see these errors too.
			restore := rulecheck.NumericOnly()
			got := rulecheck.CheckDeriv(bg, d, set)
			restore()
			if got.Verdict != rulecheck.RuleUnsound {
				t.Errorf("%q by finite differences: %s (%s), want unsound", src, got.Verdict, got.Note)
			}
		}
	}
}
