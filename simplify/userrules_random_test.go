package simplify_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// userIdentities are true equalities (wherever their left side is
// defined) that a user might write as rules, in either direction: their
// two directions undo each other, several match any expression (u*v/v
// with v bound to 1, u + v - v), and some right sides contain their left
// side (u -> 2*u - u).
var userIdentities = [][2]string{
	{"u*v/v", "u"},
	{"u + v - v", "u"},
	{"u", "2*u - u"},
	{"u", "(u + 1) - 1"},
	{"u", "u*1"},
	{"exp(u + v)", "exp(u)*exp(v)"},
	{"exp(2*u)", "exp(u)^2"},
	{"log(exp(u))", "u"},
	{"sigma(u)", "1 - sigma(-u)"},
	{"tanh(u)", "2*sigma(2*u) - 1"},
	{"u^2", "u*u"},
	{"(u + v)^2", "u^2 + 2*u*v + v^2"},
	{"u*v", "v*u"},
	{"u/v", "u*v^(-1)"},
}

// userConds are side conditions a rule may carry; %s is one of the left
// side's pattern variables. A condition only narrows where a true rule
// applies, so the rules stay true.
var userConds = []string{
	"%s > 0", "%s < 0", "%s != 0", "%s >= 0", "%s*%s >= 0",
	"exp(%s) > 0", "%s*v/v > 0", "%s + 1 > %s", "log(exp(%s)) > 0",
}

// randomRuleFile writes 1 to 4 rules drawn from userIdentities, in either
// direction (a direction whose right side names a variable its left side
// does not is skipped), each with up to two conditions.
func randomRuleFile(rng *rand.Rand) string {
	var b strings.Builder
	n := 1 + rng.IntN(4)
	for i := 0; i < n; i++ {
		id := userIdentities[rng.IntN(len(userIdentities))]
		lhs, rhs := id[0], id[1]
		if rng.IntN(2) == 0 {
			lhs, rhs = rhs, lhs
		}
		if lhs == "u" || strings.Contains(rhs, "v") && !strings.Contains(lhs, "v") {
			// (a lone pattern variable on the left is refused by the loader)
			lhs, rhs = rhs, lhs
		}
		fmt.Fprintf(&b, "rule r%d: %s -> %s", i, lhs, rhs)
		vars := []string{"u"}
		if strings.Contains(lhs, "v") {
			vars = append(vars, "v")
		}
		for k := rng.IntN(3); k > 0; k-- {
			c := userConds[rng.IntN(len(userConds))]
			v := vars[rng.IntN(len(vars))]
			c = strings.ReplaceAll(c, "%s", v)
			if strings.Contains(c, "v") && len(vars) == 1 {
				c = v + " > 0" // a condition may only name bound variables
			}
			if !strings.Contains(rule(b.String()), " if ") {
				fmt.Fprintf(&b, " if %s", c)
			} else {
				fmt.Fprintf(&b, " and %s", c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// rule is the last line of a rule file being written.
func rule(src string) string { return src[strings.LastIndex(src, "rule"):] }

// Any user rule file, however it loops (rules that undo each other, a
// right side the rule matches again, a condition that names the matched
// expression), ends in a result equal to the input or a stop reason: never
// a crash. A stack overflow is fatal in Go, so the test lowers the stack
// limit to find one quickly; the process dying is the failure. The oracle
// for the results is numeric evaluation: every rule is a true identity.
// The prover and the rule checker are run with some of the files too.
func TestRandomUserRuleFiles(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(256 << 20))
	inputs := []string{"x", "x*y/y", "exp(x + 1)*sigma(y)", "log(exp(x)) + x^2", "tanh(x)/y", "(x + y)^2 - x"}
	rng := rand.New(rand.NewPCG(6, 2))
	files := 150
	if testing.Short() {
		files = 40
	}
	loaded, stops := 0, 0
	for i := 0; i < files; i++ {
		src := randomRuleFile(rng)
		set, err := load.File(builtin, "user.rules", src)
		if err != nil {
			if !strings.Contains(err.Error(), "user.rules:") {
				t.Errorf("%s: error without a position: %v", src, err)
			}
			continue
		}
		loaded++
		if i < 15 {
			// The prover and the rule checker run the same driver with
			// these rules: every rule is a true identity, so none is
			// unsound, and x*y/y == x is not refuted.
			for _, r := range set.AllRules() {
				if r.Source.File != "user.rules" {
					continue
				}
				if rep := rulecheck.CheckRule(bg, r, set); rep.Verdict == rulecheck.RuleUnsound {
					t.Errorf("rules\n%s%s: %s (%s)", src, r.Name, rep.Verdict, rep.Note)
				}
			}
			a, b := mustParse(t, "x*y/y", nil), mustParse(t, "x", nil)
			if pr, err := prove.Prove(bg, a, b, simplify.Options{Rules: set, Timeout: 5 * time.Second}); err == nil && pr.Verdict == prove.Refuted {
				t.Errorf("rules\n%sx*y/y == x refuted", src)
			}
		}
		for _, in := range inputs {
			e, err := parseWith(in, set, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(bg, 20*time.Second)
			res, err := simplify.Simplify(ctx, e, simplify.Options{Rules: set, Timeout: 5 * time.Second, MaxSteps: 20_000})
			cancel()
			if err != nil {
				continue // a clear error is an allowed end
			}
			if res.Stop != simplify.StopFixpoint {
				stops++
				if res.Stop != simplify.StopCycle && res.Detail == "" && res.Stop != simplify.StopCanceled {
					t.Errorf("rules\n%sinput %s: stopped (%s) without saying why", src, in, res.Stop)
				}
			}
			nm := namesOf(e)
			for k := 0; k < 8; k++ {
				pt := point(rng, nm, -3, 3)
				if _, complaint := agreeAt(e, res.Expr, nil, pt, 1e-9); complaint != "" {
					t.Errorf("rules\n%sinput %s -> %s at %v: %s", src, in, ast.String(res.Expr), pt, complaint)
				}
			}
		}
	}
	if loaded < files/2 {
		t.Errorf("only %d of %d generated rule files loaded", loaded, files)
	}
	t.Logf("%d of %d files loaded, %d runs stopped by a limit", loaded, files, stops)
}

// A condition that names the matched expression itself (v bound to 1 or
// to x when u*v/v matches x) is not decided by the rule itself: x stays x
// and the run ends at a fixed point, not at a limit.
func TestConditionOnMatchedExpression(t *testing.T) {
	for _, src := range []string{"rule r: u*v/v -> u if v > 0\n", "rule r: u*v/v -> u if v < 0\n"} {
		set, err := load.File(builtin, "user.rules", src)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []string{"x", "exp(x)*y", "log(x) + 1"} {
			e, err := parseWith(in, set, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := simplify.Simplify(bg, e, simplify.Options{Rules: set})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop != simplify.StopFixpoint {
				t.Errorf("%s on %s: stopped: %s (%s)", src, in, res.Stop, res.Detail)
			}
			want, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			if res.Expr != want.Expr {
				t.Errorf("%s on %s: %s, without the rule %s", src, in, ast.String(res.Expr), ast.String(want.Expr))
			}
		}
	}
}
