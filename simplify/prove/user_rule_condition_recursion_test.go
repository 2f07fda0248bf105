package prove_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// A user's conditional rule whose pattern matches any expression
// (u*v/v, with v bound to 1) made the simplifier recurse without end:
// rewrite checks the condition v > 0 by canonicalising v, which the rule
// matches again. The process died with a fatal stack overflow (not a
// panic, so nothing recovers it) on `symdiff simplify --rules r.rules x`.
// The oracle is the claim x == x, which must be proved, not crash.
func TestUserRuleConditionDoesNotRecurse(t *testing.T) {
	for _, src := range []string{
		"rule r: u*v/v -> u if v > 0\n",
		"rule r: u*v/v -> u if v < 0\n",
	} {
		set, err := load.File(builtin, "user.rules", src)
		if err != nil {
			t.Fatal(err)
		}
		x := ast.NewSym("x")
		pr, err := prove.Prove(bg, x, x, simplify.Options{Rules: set})
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if pr.Verdict != prove.Proved {
			t.Errorf("%q: x == x is %s", src, pr.Verdict)
		}
	}
}
