package rulecheck_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// TestRiskPairs: a pair of rules is a termination risk only where one
// undoes what the other did, so that applying both in turn can cycle.
// Two rules that rewrite in the same direction (the same cancellation
// under two exclusive conditions, whose sides the canonical form already
// makes equal) never give back their start and are not named.
func TestRiskPairs(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"a rule and its inverse", `
rule expand_square:  (a + b)^2 -> a^2 + 2*a*b + b^2
rule factor_square:  a^2 + 2*a*b + b^2 -> (a + b)^2
`, []string{"expand_square and factor_square"}},
		{"conditional inverses", `
rule log_split: log(a*b) -> log(a) + log(b) if a > 0 and b > 0
rule log_join:  log(a) + log(b) -> log(a*b) if a > 0 and b > 0
`, []string{"log_join and log_split"}},
		{"one cancellation under two conditions", `
rule cancel_pos: u*v/v -> u if v > 0
rule cancel_neg: u*v/v -> u if v < 0
`, nil},
		{"a cancellation and an identity the canonical form makes", `
rule cancel_pos: u*v/v -> u if v > 0
rule self_quotient: u/u -> 1
`, nil},
		{"the same rewrite twice, conditions apart", `
rule sigma_flip_pos: sigma(-u) -> 1 - sigma(u) if u > 0
rule sigma_flip_neg: sigma(-u) -> 1 - sigma(u) if u < 0
`, nil},
		{"one rule that feeds itself, beside a same-direction pair", `
deriv f1(u) = 1
rule grow: f1(u) -> f1(f1(u))
rule cancel_pos: u*v/v -> u if v > 0
rule cancel_neg: u*v/v -> u if v < 0
`, []string{"grow"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			set, err := load.File(builtin, "risks.rules", c.src)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rulecheck.Risks(set) {
				names := slices.Clone(r.Rules)
				slices.Sort(names)
				got = append(got, strings.Join(names, " and "))
			}
			slices.Sort(got)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("risks (-want +got):\n%s", diff)
			}
		})
	}
}
