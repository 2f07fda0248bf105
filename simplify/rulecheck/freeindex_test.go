package rulecheck_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// A rule about a free index with no range holds for every whole number
// from 1: sum(i=1..n, delta(i, k)) -> 1 was reported sound (the points
// kept k <= n) and the simplifier then turned [k <= n] into 1. The oracle
// is ast.Eval of the rule's two sides at the counterexample.
func TestRuleFreeIndexNotAssumedInRange(t *testing.T) {
	tests := []struct {
		src, left, right string
		want             rulecheck.RuleVerdict
	}{
		{"rule r: sum(i=1..n, delta(i, k)) -> 1", "sum(i=1..n, delta(i, k))", "1", rulecheck.RuleUnsound},
		{"rule r: sum(i=1..n, delta(i, k)) -> [k <= n]", "", "", rulecheck.RuleProved},
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
			t.Fatalf("%s: unsound without a counterexample", tc.src)
		}
		l, err1 := parser.ParseExpr(tc.left, nil)
		r, err2 := parser.ParseExpr(tc.right, nil)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		vl, err1 := ast.Eval(l, nil, rep.Counter.Bindings)
		vr, err2 := ast.Eval(r, nil, rep.Counter.Bindings)
		if err1 != nil || err2 != nil || vl == vr {
			t.Errorf("%s: counterexample %v: left %v (%v), right %v (%v)", tc.src, rep.Counter.Bindings, vl, err1, vr, err2)
		}
	}
}
