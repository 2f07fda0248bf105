package session

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// defsText lists ds's definitions as written, in order.
func defsText(ds *ast.Defs) []string {
	var out []string
	for _, d := range ds.All() {
		out = append(out, d.String())
	}
	return out
}

// TestEvalDefsShared: evalDefs hands out the session's own definitions
// where the rule files add none, and then they are what the copy it made
// before held; where a rule file defines a function the session does
// not, it is a copy with that function, and the session's are unchanged.
// With the sharing made unconditional, the second half fails (sq is not
// there, and eval of sq(3) has no value).
func TestEvalDefsShared(t *testing.T) {
	s := New()
	exec(t, s, "a := 2\nf(x) := x + a\nz[i] := sum(j=1..d, x[i,j]*w[j])")
	compare := func(what string) *ast.Defs {
		t.Helper()
		got := s.evalDefs()
		evalDefsShared = false
		want := s.evalDefs()
		evalDefsShared = true
		if !slices.Equal(defsText(got), defsText(want)) {
			t.Fatalf("%s: evalDefs holds %q, the copy %q", what, defsText(got), defsText(want))
		}
		return got
	}
	if got := compare("built-in rules"); got != s.Defs {
		t.Errorf("built-in rules: evalDefs made a copy")
	}

	file := filepath.Join(t.TempDir(), "sq.rules")
	if err := os.WriteFile(file, []byte("sq(u) := u^2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadRules(file); err != nil {
		t.Fatal(err)
	}
	before := defsText(s.Defs)
	got := compare("a rule file defining sq")
	if got == s.Defs {
		t.Errorf("a rule file defining sq: evalDefs handed out the session's definitions")
	}
	if _, ok := got.Lookup("sq"); !ok {
		t.Errorf("a rule file defining sq: evalDefs has no sq")
	}
	if after := defsText(s.Defs); !slices.Equal(before, after) {
		t.Errorf("evalDefs changed the session's definitions: %q, then %q", before, after)
	}
	e := ast.NewCall("sq", ast.NewInt(3))
	if v, err := s.Eval(context.Background(), e, nil); err != nil || v != 9 {
		t.Errorf("eval sq(3) = %v, %v; want 9", v, err)
	}

	// A session that defines sq itself: the rule file adds nothing.
	s2 := New()
	exec(t, s2, "sq(u) := u^3")
	if err := s2.LoadRules(file); err != nil {
		t.Fatal(err)
	}
	s = s2
	if got := compare("sq defined by both"); got != s.Defs {
		t.Errorf("sq defined by both: evalDefs made a copy")
	}
}
