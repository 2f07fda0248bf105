package matrix_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// identitySides are the identities with a left and a right side, which
// are made on first use rather than at initialisation.
var identitySides = map[string][2]string{
	"inv_inv":          {"inv(inv(A))", "A"},
	"inv_transpose":    {"inv(A')", "inv(A)'"},
	"det_transpose":    {"det(A')", "det(A)"},
	"logdet_transpose": {"logdet(A')", "logdet(A)"},
	"det_inv":          {"det(inv(A))", "1/det(A)"},
	"logdet_inv":       {"logdet(inv(A))", "-logdet(A)"},
}

// TestIdentityPatternSides: a step of the identities, the first thing a
// fresh process asks of the package, hands out its rule with both sides
// (a trace prints them), and so does Rules. It runs itself in a fresh
// process, where no other test has made the sides first.
func TestIdentityPatternSides(t *testing.T) {
	if os.Getenv("SYMDIFF_PATTERNS_FRESH") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIdentityPatternSides$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "SYMDIFF_PATTERNS_FRESH=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("fresh process: %v\n%s", err, out)
		}
	}
	opt, pctx := symSetup(t)
	seen := map[string]bool{}
	for _, src := range []string{"inv(inv(A))", "det(inv(A'))", "logdet(inv(A))", "inv(A')*x", "logdet(A')"} {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []rules.Step{r.Written, r.Shown} {
			if st.Rule == nil {
				continue
			}
			for _, rule := range st.Rules() {
				if sides, ok := identitySides[rule.Name]; ok {
					seen[rule.Name] = true
					checkSides(t, rule, sides)
				}
			}
		}
	}
	for _, name := range []string{"inv_inv", "det_inv", "logdet_inv", "inv_transpose", "det_transpose", "logdet_transpose"} {
		if !seen[name] {
			t.Errorf("no step applied %s", name)
		}
	}
	for _, rule := range matrix.Rules() {
		if sides, ok := identitySides[rule.Name]; ok {
			checkSides(t, rule, sides)
		}
	}
}

func checkSides(t *testing.T, r *rules.Rule, sides [2]string) {
	t.Helper()
	if r.LHS == nil || r.RHS == nil {
		t.Errorf("rule %s has no sides: %v -> %v", r.Name, r.LHS, r.RHS)
		return
	}
	if got := [2]string{ast.String(r.LHS), ast.String(r.RHS)}; got != sides {
		t.Errorf("rule %s: %s -> %s, want %s -> %s", r.Name, got[0], got[1], sides[0], sides[1])
	}
}
