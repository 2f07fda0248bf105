package rulecheck_test

import (
	"math/big"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// A rule whose sides overflow float64 at every sampled point
// (exp(u + 1000) -> exp(u)*exp(1000)) was "unchecked" though the prover
// proves it: with no point sampled the prover was not asked. The oracle is
// evaluation at 4096 bits at several points (e^-1000 apart is apart): sides equal there are proved,
// sides that differ are unsound, never unchecked.
func TestRuleOutsideFloat64(t *testing.T) {
	for _, src := range []string{
		"exp(u + 1000) -> exp(u)*exp(1000)",
		"exp(u + 1000) -> exp(u)*exp(999)",
		"exp(2*u + 5000) -> exp(u)^2*exp(5000)",
		"exp(2*u + 5000) -> exp(u)^2*exp(5000)*(1 + 1/10^30)",
		"exp(u + 800)*exp(u) -> exp(2*u)*exp(800)",
		"log(exp(u + 1000)) -> u + 1000",
		"exp(u + 1000)/exp(u) -> exp(1000) + 1",
	} {
		set, err := load.File(builtin, "test.rules", "rule r: "+src+"\n")
		if err != nil {
			t.Fatal(err)
		}
		r, ok := set.Rule("r")
		if !ok {
			t.Fatal("rule r not loaded")
		}
		equal := true
		for _, u := range []float64{-3, -0.5, 0.25, 1, 2.5} {
			pt := ast.Bindings{"u": ast.Scalar(u)}
			a, err1 := ast.EvalBig(bg, r.LHS, set.Defs(), pt, 4096)
			b, err2 := ast.EvalBig(bg, r.RHS, set.Defs(), pt, 4096)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s at u=%g: %v %v", src, u, err1, err2)
			}
			diff := new(big.Float).Sub(a, b)
			if diff.Abs(diff).Cmp(new(big.Float).Mul(new(big.Float).Abs(a), new(big.Float).SetMantExp(big.NewFloat(1), -3000))) > 0 {
				equal = false
			}
		}
		want := rulecheck.RuleUnsound
		if equal {
			want = rulecheck.RuleProved
		}
		if got := rulecheck.CheckRule(bg, r, set); got.Verdict != want {
			t.Errorf("%s: %s (%s), want %s", src, got.Verdict, got.Note, want)
		}
	}
}
