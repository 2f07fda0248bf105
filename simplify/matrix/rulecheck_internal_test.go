package matrix

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// TestRuleCheckIdentities: every identity with instances is sound by the
// rule checker (its instances hold at random and nearly singular values,
// and the rule applies to each and keeps its value), and the rules added
// for results a person writes have instances.
func TestRuleCheckIdentities(t *testing.T) {
	set := load.Builtin()
	checked := map[string]bool{}
	for _, r := range Rules() {
		rep := CheckRule(context.Background(), r, set, parseShaped)
		if rep == nil {
			continue
		}
		checked[r.Name] = true
		t.Logf("%s: %v, %d points, %d skipped, %v", r.Name, rep.Verdict, rep.Points, rep.Skipped, rep.Time)
		if rep.Verdict != rulecheck.RuleSound || rep.Points < 10 {
			t.Errorf("%s: %v at %d points (%d skipped): %s %v", r.Name, rep.Verdict, rep.Points, rep.Skipped, rep.Note, rep.Counter)
		}
	}
	for _, name := range []string{"inv_cancel", "inv_transpose_cancel", "softmax_form", "softmax_sum", "inv_inv", "det_inv", "eye_product"} {
		if !checked[name] {
			t.Errorf("rule %s has no instances to check", name)
		}
	}
}

// TestRuleCheckCatches: the checker reports a false instance unsound with
// a counterexample, even where the rule applies and only the stated right
// side is wrong (an inverse's transpose next to the matrix), and a rule
// that does not apply to its instance.
func TestRuleCheckCatches(t *testing.T) {
	set := load.Builtin()
	saved := ruleInstances
	defer func() { ruleInstances = saved }()
	for _, c := range []struct {
		rule string
		inst [2]string
	}{
		{"inv_cancel", [2]string{"inv(A)*A*x", "2*x"}},
		{"inv_transpose_cancel", [2]string{"A'*inv(A)'*x", "A*inv(A)'*x"}},
		{"softmax_sum", [2]string{"sum(softmax(u))", "2"}},
		{"inv_cancel", [2]string{"A'*inv(A)", "eye(m)"}},
	} {
		ruleInstances = func() map[string][][2]string { return map[string][][2]string{c.rule: {c.inst}} }
		var rep *rulecheck.RuleReport
		for _, r := range Rules() {
			if r.Name == c.rule {
				rep = CheckRule(context.Background(), r, set, parseShaped)
			}
		}
		if rep == nil || rep.Verdict != rulecheck.RuleUnsound {
			t.Errorf("%s with %s == %s: %+v, want unsound", c.rule, c.inst[0], c.inst[1], rep)
		}
	}
}

// parseShaped is the parser the command passes to CheckRule.
func parseShaped(src string, shapes map[string]ast.Shape) (ast.Expr, error) {
	return parser.ParseExpr(src, &parser.Context{Shapes: shapes})
}
