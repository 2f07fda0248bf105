package rulecheck_test

import (
	"math"
	"testing"

	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// A rule that is false only on a kink is unsound: random points never
// land on u = 0, but the prover looks there, and its confirmed
// counterexample makes the verdict. sign(u)^2 -> 1 and step(u) -> 1 if
// u >= 0 were reported sound, and with the second loaded step(x^2)
// simplified to 1 although step(0) = 0. The oracle is the rule's two
// sides written in Go at the counterexample.
func TestRulesFalseOnAKink(t *testing.T) {
	step := func(u float64) float64 {
		if u > 0 {
			return 1
		}
		return 0
	}
	sign := func(u float64) float64 {
		switch {
		case u > 0:
			return 1
		case u < 0:
			return -1
		}
		return 0
	}
	tests := []struct {
		src         string
		want        rulecheck.RuleVerdict
		left, right func(u float64) float64
		cond        func(u float64) bool
	}{
		{"rule r: sign(u)^2 -> 1", rulecheck.RuleUnsound,
			func(u float64) float64 { return sign(u) * sign(u) }, func(float64) float64 { return 1 }, nil},
		{"rule r: step(u) -> 1 if u >= 0", rulecheck.RuleUnsound,
			step, func(float64) float64 { return 1 }, func(u float64) bool { return u >= 0 }},
		{"rule r: abs(u)*sign(u) -> u", rulecheck.RuleProved, nil, nil, nil},
		// True where the condition holds: it stays sound.
		{"rule r: step(u) -> 1 if u > 0", rulecheck.RuleSound, nil, nil, nil},
		{"rule r: relu(u) -> u if u >= 0", rulecheck.RuleSound, nil, nil, nil},
	}
	for _, tc := range tests {
		rep := checkRuleR(t, tc.src)
		if rep.Verdict != tc.want {
			t.Errorf("%s: %s (%s), want %s", tc.src, rep.Verdict, rep.Note, tc.want)
			continue
		}
		if rep.Verdict != rulecheck.RuleUnsound {
			continue
		}
		if rep.Counter == nil {
			t.Errorf("%s: unsound without a counterexample", tc.src)
			continue
		}
		v, ok := rep.Counter.Bindings["u"]
		if !ok {
			t.Errorf("%s: counterexample %v has no u", tc.src, rep.Counter.Bindings)
			continue
		}
		u := v.Data[0]
		if tc.cond != nil && !tc.cond(u) {
			t.Errorf("%s: counterexample u=%v breaks the condition", tc.src, u)
		}
		if l, r := tc.left(u), tc.right(u); math.Abs(l-r) == 0 {
			t.Errorf("%s: counterexample u=%v, but both sides are %v there", tc.src, u, l)
		}
	}
}

// A simplification rule whose right side is undefined where its left side
// has a value narrows the domain, and is unsound: log(a*b) -> log(a) +
// log(b) was reported sound (the comparison skips points where a side is
// undefined), and the simplifier then made log(x*y), which is 0 at
// x = y = -1, undefined there. A rule that extends the domain stays sound.
// The oracle is the definition of log and sqrt: undefined for a negative
// argument (log for 0 too), at the counterexample.
func TestRulesNarrowingTheDomain(t *testing.T) {
	tests := []struct {
		src       string
		unsound   bool
		leftValid func(p map[string]float64) bool // the left side has a value
		rightNone func(p map[string]float64) bool // the right side has none
	}{
		{"rule r: log(a*b) -> log(a) + log(b)", true,
			func(p map[string]float64) bool { return p["a"]*p["b"] > 0 },
			func(p map[string]float64) bool { return p["a"] <= 0 || p["b"] <= 0 }},
		{"rule r: sqrt(u*v) -> sqrt(u)*sqrt(v)", true,
			func(p map[string]float64) bool { return p["u"]*p["v"] >= 0 },
			func(p map[string]float64) bool { return p["u"] < 0 || p["v"] < 0 }},
		{"rule r: log(a*b) -> log(a) + log(b) if a < 0", true,
			func(p map[string]float64) bool { return p["a"] < 0 && p["a"]*p["b"] > 0 },
			func(p map[string]float64) bool { return p["a"] <= 0 }},
		// With a > 0, log(a*b) has a value only for b > 0: no narrowing.
		{"rule r: log(a*b) -> log(a) + log(b) if a > 0", false, nil, nil},
		{"rule r: log(a*b) -> log(a) + log(b) if a > 0 and b > 0", false, nil, nil},
		{"rule r: log(u^2) -> 2*log(abs(u))", false, nil, nil},
		{"rule r: x/x -> 1", false, nil, nil},
	}
	for _, tc := range tests {
		rep := checkRuleR(t, tc.src)
		if got := rep.Verdict == rulecheck.RuleUnsound; got != tc.unsound {
			t.Errorf("%s: %s (%s), want unsound %v", tc.src, rep.Verdict, rep.Note, tc.unsound)
			continue
		}
		if !tc.unsound {
			continue
		}
		p := map[string]float64{}
		for k, v := range rep.Counter.Bindings {
			p[k] = v.Data[0]
		}
		if !tc.leftValid(p) || !tc.rightNone(p) {
			t.Errorf("%s: counterexample %v: left defined %v, right undefined %v", tc.src, p, tc.leftValid(p), tc.rightNone(p))
		}
	}
}

// checkRuleR loads src, a rule file whose rule of interest is named r, on
// top of the built-in rules, and checks that rule.
func checkRuleR(t *testing.T, src string) *rulecheck.RuleReport {
	t.Helper()
	set, err := load.File(builtin, "test.rules", src+"\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.AllRules() {
		if r.Name == "r" {
			return rulecheck.CheckRule(bg, r, set)
		}
	}
	t.Fatalf("%s: rule not loaded", src)
	return nil
}
