package simplify

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
)

// TestKidChecksPassWhatMatches: rewrite's filter of power and call rules
// by their children (kidsMayMatch) never passes over a rule that
// rules.MatchRoot matches, on random canonical powers and calls built
// from the parts of the built-in rules' own patterns (so that many do
// match: sqrt(u)^2, abs(u)^2, (u^2)^(1/2), sigma(-u) with a number for
// -u) and from other parts; and it does pass over most of those that do
// not match.
func TestKidChecksPassWhatMatches(t *testing.T) {
	s := New(Options{Rules: load.Builtin()})
	c := plainCanon(expandNone) // without rules: instances of the patterns stay as they are
	compiled := s.compile(expandNone)
	var checked []*compiledRule
	var parts []ast.Expr
	var fns []string
	for _, l := range compiled {
		for _, cr := range l {
			if cr.kids == nil {
				continue
			}
			checked = append(checked, cr)
			var kids [2]ast.Expr
			parts = append(parts, kidsOf(cr.lhs, &kids)...)
			if call, ok := cr.lhs.(*ast.Call); ok {
				fns = append(fns, call.Fn)
			}
		}
	}
	x, y := ast.NewSym("x"), ast.NewSym("y")
	parts = append(parts, x, y, ast.NewInt(2), ast.NewInt(-3), ast.NewNum(ast.Frac(1, 2)), ast.NewNum(ast.Frac(-1, 2)),
		c.expr(ast.NewNeg(x)), c.expr(ast.NewMul(ast.NewInt(2), x)), c.expr(ast.NewPow(x, ast.NewInt(2))),
		ast.NewCall("sqrt", x), ast.NewCall("abs", y), ast.NewCall("exp", x), c.expr(ast.NewAdd(ast.One, ast.NewCall("exp", ast.NewNeg(x)))))
	// Pattern variables stand for anything: replace them by parts.
	vars := map[string]bool{}
	for _, cr := range checked {
		for _, v := range cr.rule.Vars {
			vars[v] = true
		}
	}
	rng := rand.New(rand.NewPCG(8, 21))
	fill := func(e ast.Expr) ast.Expr {
		r, ok := ast.SubstNoSums(e, func(name string) (ast.Expr, bool) {
			if vars[name] {
				return parts[rng.IntN(len(parts))], true
			}
			return nil, false
		})
		if !ok {
			return e
		}
		return r
	}
	matched, passed := 0, 0
	for range 20_000 {
		var subj ast.Expr
		switch rng.IntN(3) {
		case 0:
			subj = ast.NewPow(fill(parts[rng.IntN(len(parts))]), fill(parts[rng.IntN(len(parts))]))
		case 1:
			args := make([]ast.Expr, 1+rng.IntN(2))
			for i := range args {
				args[i] = fill(parts[rng.IntN(len(parts))])
			}
			subj = ast.NewCall(fns[rng.IntN(len(fns))], args...)
		default:
			subj = fill(checked[rng.IntN(len(checked))].lhs)
		}
		subj = c.expr(subj)
		var buf [2]ast.Expr
		kids := kidsOf(subj, &buf)
		if kids == nil {
			continue
		}
		for _, cr := range checked {
			if head(cr.lhs) != head(subj) {
				continue
			}
			_, ok := rules.MatchRoot(cr.lhs, subj, cr.rule.Vars)
			pass := kidsMayMatch(cr.kids, kids)
			if ok && !pass {
				t.Fatalf("%s matches %s, but the filter passes it over", cr.rule.Name, ast.String(subj))
			}
			if ok {
				matched++
			} else if !pass {
				passed++
			}
		}
	}
	t.Logf("%d matches, %d passed over", matched, passed)
	if matched < 500 || passed < 5000 {
		t.Errorf("too few cases: %d matches, %d rules passed over", matched, passed)
	}
}

// TestRulesAtAgreesWithHead: the rules rewrite tries at a root, found by
// index for a root other than a call (rulesAt), are the very list the
// compiled rules keep under its head's name (rulesFor), for a node of
// every type, in each mode, with the rules compiled shared and not.
func TestRulesAtAgreesWithHead(t *testing.T) {
	x := ast.NewSym("x")
	nodes := []ast.Expr{x, ast.NewInt(3), ast.NewIndex("w", x), ast.NewCall("sin", x), ast.NewCall("abs", x), ast.NewCall("f", x),
		ast.NewPow(x, ast.NewInt(2)), ast.NewMul(x, ast.NewCall("sin", x)), ast.NewAdd(x, ast.One), ast.NewNeg(x), ast.NewDiv(x, ast.NewSym("y")),
		ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.NewIndex("w", ast.NewSym("i"))), ast.NewDeriv(x, x),
		ast.NewIverson(ast.One, x), ast.NewIf(ast.NewCondition(ast.CondGt, x, ast.Zero), x, ast.Zero), ast.NewCondition(ast.CondGt, x, ast.Zero)}
	seen := map[string]bool{}
	for _, basis := range []bool{false, true} {
		s := New(Options{Rules: load.Builtin()})
		s.SetMode(Mode{Basis: basis})
		for mode := expandNone; mode <= expandFull; mode++ {
			for _, e := range nodes {
				got, want := s.rulesAt(mode, e), rulesFor(s.compile(mode), e)
				if len(got) != len(want) || len(got) > 0 && &got[0] != &want[0] {
					t.Fatalf("basis %v, mode %d, %s (%s): rulesAt gives %d rules, the map %d", basis, mode, ast.String(e), head(e), len(got), len(want))
				}
				if len(want) > 0 {
					seen[head(e)] = true
				}
			}
		}
	}
	for _, h := range []string{"pow", "add", "mul", "sum", "if"} {
		if !seen[h] {
			t.Errorf("no rules met for the head %q", h)
		}
	}
}
