package rulecheck_test

import (
	"testing"

	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// A derivative rule that is off by a small term is unsound. The rounding
// allowance of the central difference was 1e-9*|f|/h, about 1e-4*|f|, so
// foo'(u) = 2*u for foo(u) = u^2 + u/1000 (off by 1/1000) was reported
// sound; rounding is of order 1e-16*|f|/h. The oracle is the derivative
// worked out by hand: true rules on large values stay sound.
func TestDerivRuleTolerance(t *testing.T) {
	tests := []struct {
		src  string
		want rulecheck.RuleVerdict // of the finite differences; a definition proves what is sound
	}{
		{"foo(u) := u^2 + u/1000\nderiv foo(u) = 2*u", rulecheck.RuleUnsound},
		{"foo(u) := u^2 + u/1000\nderiv foo(u) = 2*u + 1/1000", rulecheck.RuleSound},
		{"foo(u) := exp(3*u) + u^4\nderiv foo(u) = 3*exp(3*u) + 4*u^3", rulecheck.RuleSound},
		{"foo(u) := exp(3*u) + u^4\nderiv foo(u) = 3*exp(3*u) + 4*u^3 + 1/100", rulecheck.RuleUnsound},
		{"foo(u, v) := u^3*v + sin(v)\nderiv foo(u, v) wrt v = u^3 + cos(v)", rulecheck.RuleSound},
		{"foo(u, v) := u^3*v + sin(v)\nderiv foo(u, v) wrt v = u^3 + cos(v) + u/1000", rulecheck.RuleUnsound},
	}
	for _, tc := range tests {
		set, err := load.File(builtin, "test.rules", tc.src+"\n")
		if err != nil {
			t.Fatal(err)
		}
		var got []*rulecheck.RuleReport
		var rule *rules.Rule
		for _, d := range set.Derivs() {
			if d.Source.File == "test.rules" {
				got = append(got, rulecheck.CheckDeriv(bg, d, set))
				rule = d
			}
		}
		if len(got) != 1 {
			t.Fatalf("%q: %d derivative rules checked", tc.src, len(got))
		}
		want := tc.want
		if want == rulecheck.RuleSound {
			want = rulecheck.RuleProved // the prover decides a defined function's rule
		}
		if got[0].Verdict != want {
			t.Errorf("%q: %s (%s), want %s", tc.src, got[0].Verdict, got[0].Note, want)
		}
		restore := rulecheck.NumericOnly()
		num := rulecheck.CheckDeriv(bg, rule, set)
		restore()
		if num.Verdict != tc.want {
			t.Errorf("%q by finite differences: %s (%s), want %s", tc.src, num.Verdict, num.Note, tc.want)
		}
	}
}
