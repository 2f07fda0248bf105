package rulecheck_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// Every built-in rule must pass `symdiff rules check`: each rewrite rule
// proved or sound at random points, each derivative rule matching finite
// differences, each Go rule sound on its examples, and no termination
// risk.
func TestBuiltinRulesPassCheck(t *testing.T) {
	set := builtin
	ctx := context.Background()
	var reports []*rulecheck.RuleReport
	for _, r := range set.AllRules() {
		reports = append(reports, rulecheck.CheckRule(ctx, r, set))
	}
	for _, d := range set.Derivs() {
		reports = append(reports, rulecheck.CheckDeriv(ctx, d, set))
	}
	reports = append(reports, rulecheck.CheckBuiltin(ctx, simplify.Rules(), set, func(s string) (ast.Expr, error) { return parser.ParseExpr(s, nil) })...)
	if len(reports) < 50 {
		t.Fatalf("only %d rules checked", len(reports))
	}
	for _, r := range reports {
		switch r.Verdict {
		case rulecheck.RuleProved, rulecheck.RuleSound:
			if r.Points < 50 {
				t.Errorf("%s (%s): %s after only %d points", r.Name, r.Source, r.Verdict, r.Points)
			}
		default:
			t.Errorf("%s (%s): %s: %s", r.Name, r.Source, r.Verdict, r.Note)
		}
	}
	if risks := rulecheck.Risks(set); len(risks) > 0 {
		t.Errorf("termination risks in the built-in rules: %+v", risks)
	}
}

func rulesFile(t *testing.T, name string) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "testdata", "rules", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The deliberately wrong rule files of testdata/rules, each with the
// report it must get.
func TestWrongRuleFiles(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, name string) (*rules.Set, []*rulecheck.RuleReport) {
		set, err := load.File(builtin, "testdata/rules/"+name, rulesFile(t, name))
		if err != nil {
			t.Fatal(err)
		}
		var out []*rulecheck.RuleReport
		for _, r := range set.AllRules() {
			if strings.HasPrefix(r.Source.File, "testdata/") {
				out = append(out, rulecheck.CheckRule(ctx, r, set))
			}
		}
		for _, d := range set.Derivs() {
			if strings.HasPrefix(d.Source.File, "testdata/") {
				out = append(out, rulecheck.CheckDeriv(ctx, d, set))
			}
		}
		return set, out
	}

	t.Run("unsound identity", func(t *testing.T) {
		_, reps := check(t, "unsound.rules")
		if len(reps) != 1 || reps[0].Name != "sigma_odd" || reps[0].Verdict != rulecheck.RuleUnsound {
			t.Fatalf("reports: %+v", reps)
		}
		c := reps[0].Counter
		if c == nil {
			t.Fatal("no counterexample")
		}
		// The counterexample is real: sigma(-u) and -sigma(u) differ there.
		u := c.Bindings["u"].Data[0]
		l, _ := ast.Eval(ast.NewCall("sigma", ast.NewNeg(ast.NewSym("u"))), nil, ast.Bindings{"u": ast.Scalar(u)})
		r, _ := ast.Eval(ast.NewNeg(ast.NewCall("sigma", ast.NewSym("u"))), nil, ast.Bindings{"u": ast.Scalar(u)})
		if l == r || c.LeftF != l || c.RightF != r {
			t.Errorf("counterexample u=%v: left %v right %v, reported %v %v", u, l, r, c.LeftF, c.RightF)
		}
		if reps[0].Source != "testdata/rules/unsound.rules:2" {
			t.Errorf("source %q", reps[0].Source)
		}
	})

	t.Run("wrong derivative", func(t *testing.T) {
		_, reps := check(t, "wrong_deriv.rules")
		if len(reps) != 1 || reps[0].Name != "d_swish" || reps[0].Verdict != rulecheck.RuleUnsound || reps[0].Counter == nil {
			t.Fatalf("reports: %+v", reps)
		}
	})

	t.Run("looping rules", func(t *testing.T) {
		set, reps := check(t, "looping.rules")
		var got []string
		for _, r := range reps {
			got = append(got, r.Name+" "+r.Verdict.String())
		}
		slices.Sort(got)
		want := []string{"d_f1 unchecked", "expand_square proved", "factor_square proved", "grow unchecked"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("verdicts (-want +got):\n%s", diff)
		}
		var risks []string
		for _, r := range rulecheck.Risks(set) {
			risks = append(risks, strings.Join(r.Rules, " and "))
		}
		slices.Sort(risks)
		if diff := cmp.Diff([]string{"expand_square and factor_square", "grow"}, risks); diff != "" {
			t.Errorf("risks (-want +got):\n%s", diff)
		}
		// The simplifier stops such a loop and says which rule cycled.
		e, err := parser.ParseExpr("(x + y)^2", load.Context(set, nil))
		if err != nil {
			t.Fatal(err)
		}
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: set})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stop != simplify.StopCycle || !strings.Contains(res.Detail, "square") {
			t.Errorf("stop %v (%s), want a rules cycle naming the rule", res.Stop, res.Detail)
		}
	})

	// A rule whose left side the canonical form already makes its right
	// side (u/u is 1) rewrites a node to itself: no risk (it was reported
	// as one), and simplifying with it ends without a cycle.
	t.Run("canonical already", func(t *testing.T) {
		set, reps := check(t, "canonical.rules")
		for _, r := range reps {
			if r.Verdict != rulecheck.RuleProved {
				t.Errorf("%s: %s (%s)", r.Name, r.Verdict, r.Note)
			}
		}
		if risks := rulecheck.Risks(set); len(risks) > 0 {
			t.Errorf("risks: %+v", risks)
		}
		e, err := parser.ParseExpr("x/x + 2 + sum(i=1..n, y)", load.Context(set, nil))
		if err != nil {
			t.Fatal(err)
		}
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: set})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stop != simplify.StopFixpoint || ast.String(res.Expr) != "n*y + 3" {
			t.Errorf("%s (stop %v, %s), want n*y + 3", ast.String(res.Expr), res.Stop, res.Detail)
		}
	})

	t.Run("syntax error", func(t *testing.T) {
		_, err := load.File(builtin, "testdata/rules/syntax_error.rules", rulesFile(t, "syntax_error.rules"))
		want := "testdata/rules/syntax_error.rules:2:14: unclosed \"(\": expected \")\" before the end of the input\n" +
			"    rule bad: exp(log(u) -> u\n" +
			"                 ^"
		if err == nil || err.Error() != want {
			t.Errorf("error:\n%v\nwant:\n%s", err, want)
		}
	})
}
