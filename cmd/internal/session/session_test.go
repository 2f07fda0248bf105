package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

func TestWorse(t *testing.T) {
	// The order is bad input, then refuted, then unknown, then success.
	order := []Status{OK, Unknown, Refuted, BadInput}
	for i, a := range order {
		for j, b := range order {
			want := order[max(i, j)]
			if got := Worse(a, b); got != want {
				t.Errorf("Worse(%d, %d) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// exec runs a script's statements in s and returns their results.
func exec(t *testing.T, s *Session, src string) []*Result {
	t.Helper()
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	var out []*Result
	for _, st := range stmts {
		r, err := s.Exec(context.Background(), st)
		if err != nil {
			t.Fatalf("exec %q: %v", st.Text, err)
		}
		out = append(out, r)
	}
	return out
}

// TestExec runs each kind of statement and prints its result as the
// command line does, with the status it reports.
func TestExec(t *testing.T) {
	for _, c := range []struct {
		src    string
		style  ast.Style
		want   string
		status Status
	}{
		{"p[i] := sigma(z[i])\nd(p[i], z[i])", ast.Plain, "p[i]*(1 - p[i])\n", OK},
		{"p[i] := sigma(z[i])\nd(p[i], z[i])", ast.Unicode, "pᵢ·(1 − pᵢ)\n", OK},
		{"d(sigma(x)^2, x)", ast.LaTeX, "2 \\sigma(x)^{2} \\left(1 - \\sigma(x)\\right)\n", OK},
		{"x*x\n_ + x", ast.Plain, "x^2\nx + x^2\n", OK},
		{"prove sigma(-x) == 1 - sigma(x)", ast.Plain, "proved: sigma(-x) == 1 - sigma(x)\n", OK},
		{"prove x == y", ast.Plain, "refuted: x == y\n  counterexample: x=1 y=-1.25\n  left:  1\n  right: -1.25\n", Refuted},
		{"prove x != y", ast.Plain, "holds: x != y\n  counterexample: x=1 y=-1.25\n  left:  1\n  right: -1.25\n", OK},
		{"prove x != x", ast.Plain, "fails: x != x\n  the two sides are equal (canonical form)\n", Refuted},
		{"prove sum(i=1..n, 1/(i*(i+1))) == 1 - 1/(n+1)", ast.Plain, "unknown: sum(i=1..n, 1/(i*(i + 1))) == 1 - 1/(n + 1)\n", Unknown},
		{"rule lin: tanh(u) -> u\ntanh(x)", ast.Plain, "x\n", OK},
	} {
		s := New()
		p := &Printer{Style: c.style, S: s}
		var b strings.Builder
		status := OK
		for _, r := range exec(t, s, c.src) {
			status = Worse(status, r.Status)
			p.Result(&b, r)
		}
		got := b.String()
		if c.status == Unknown { // the note after the verdict says what was tried
			got, _, _ = strings.Cut(got, "\n")
			got += "\n"
		}
		if got != c.want || status != c.status {
			t.Errorf("%q (style %d): printed %q, status %d; want %q, status %d", c.src, c.style, got, status, c.want, c.status)
		}
	}
}

// TestLast: _ is the last value, not the last statement's.
func TestLast(t *testing.T) {
	s := New()
	rs := exec(t, s, "x + 1\na := 2\nprove a == 2\n_ * 2")
	if got := ast.String(rs[3].Value); got != "2*x + 2" {
		t.Errorf("_ * 2 = %s, want 2*x + 2 (the value of x + 1)", got)
	}
	if s.Last != rs[3] {
		t.Error("Last is not the last value")
	}
}

// TestLoadDefs: a script serves as a definitions file: its definitions
// and rules are taken, its expressions and proofs are not run.
func TestLoadDefs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "defs.sd")
	src := "p[i] := sigma(z[i])\nrule lin: tanh(u) -> u\nd(p[i], z[i])\nprove x == y\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New()
	if err := s.LoadDefs(file); err != nil {
		t.Fatal(err)
	}
	if s.Defs.Len() != 1 {
		t.Errorf("%d definitions, want 1", s.Defs.Len())
	}
	if s.Last != nil {
		t.Error("LoadDefs ran an expression")
	}
	if _, ok := s.Rules.Rule("lin"); !ok {
		t.Error("LoadDefs did not take the rule")
	}
	if err := s.LoadDefs(filepath.Join(dir, "none.sd")); err == nil {
		t.Error("LoadDefs of a missing file succeeded")
	}
	bad := filepath.Join(dir, "bad.sd")
	if err := os.WriteFile(bad, []byte("a := (1 +\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadDefs(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":1:6: ") {
		t.Errorf("LoadDefs of a broken file: %v", err)
	}
}

// TestLoadRules: a rule file is taken whole, or not at all.
func TestLoadRules(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.rules")
	bad := filepath.Join(dir, "bad.rules")
	if err := os.WriteFile(good, []byte("swish(u) := u*sigma(u)\nderiv swish(u) = swish(u) + sigma(u)*(1 - swish(u))\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("gelu(u) := u*Phi(u)\nrule bad: exp(log(u) -> u\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New()
	if err := s.LoadRules(bad); err == nil {
		t.Fatal("a broken rule file loaded")
	}
	if _, ok := s.Rules.Funcs()["gelu"]; ok {
		t.Error("part of a broken rule file was loaded")
	}
	if err := s.LoadRules(good); err != nil {
		t.Fatal(err)
	}
	d, err := parser.ParseExpr("swish(t)", s.Context())
	if err != nil {
		t.Fatal(err)
	}
	x, _ := parser.ParseExpr("t", s.Context())
	der, _, err := s.Derive(context.Background(), d, x)
	if err != nil {
		t.Fatal(err)
	}
	if got := ast.String(der.Result); got != "swish(t) + sigma(t)*(1 - swish(t))" {
		t.Errorf("d(swish(t), t) = %s", got)
	}
}

// TestTimeout: the session's limit stops every kind of computation with a
// message a user reads; a cancelled context says "interrupted".
func TestTimeout(t *testing.T) {
	s := New()
	s.Timeout = 50 * time.Millisecond
	slowA, _ := parser.ParseExpr("sum(i=1..1000000, sin(i)*x)", s.Context())
	slowB, _ := parser.ParseExpr("x*sum(i=1..1000000, sin(i))", s.Context())
	big, _ := parser.ParseExpr("sum(i=1..100000000, sin(i))", s.Context())
	start := time.Now()
	if _, err := s.Prove(context.Background(), slowA, slowB); err == nil || err.Error() != "stopped: the time limit was reached" {
		t.Errorf("Prove with a 50ms limit: %v", err)
	}
	if _, err := s.Eval(context.Background(), big, ast.Bindings{}); err == nil || err.Error() != "stopped: the time limit was reached" {
		t.Errorf("Eval with a 50ms limit: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Logf("the limited computations took %v", took) // logged: no wall-clock assertions
	}
	s.Timeout = 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Eval(ctx, big, ast.Bindings{}); err == nil || err.Error() != "interrupted" {
		t.Errorf("Eval with a cancelled context: %v", err)
	}
	if _, err := s.Prove(ctx, slowA, slowB); err == nil || err.Error() != "interrupted" {
		t.Errorf("Prove with a cancelled context: %v", err)
	}
}

// TestJSON: the shape of results for tools.
func TestJSON(t *testing.T) {
	s := New()
	p := &Printer{Style: ast.Plain, S: s}
	rs := exec(t, s, "a := 2\nx*a\nprove sum(i=1..n, A[i,j]*w[i]) == sum(i=1..n, A[i,j])*w[1]\nprove x == x\nrule lin: tanh(u) -> u\n")
	def, val, ref, pr, rule := p.JSON(rs[0]).(map[string]any), p.JSON(rs[1]).(map[string]any), p.JSON(rs[2]).(map[string]any), p.JSON(rs[3]).(map[string]any), p.JSON(rs[4]).(map[string]any)
	if diff := cmp.Diff(map[string]any{"input": "a := 2", "defined": "a"}, def); diff != "" {
		t.Errorf("definition (-want +got):\n%s", diff)
	}
	if val["result"] != "2*x" || val["stop"] != "fixpoint" || val["formatted"] != nil {
		t.Errorf("value: %v", val)
	}
	if ref["verdict"] != "refuted" || ref["claim"] != "==" {
		t.Errorf("refutation: %v", ref)
	}
	point := ref["counterexample"].(map[string]any)["point"].(map[string]any)
	if _, ok := point["A"].([]any)[0].([]any)[0].(float64); !ok {
		t.Errorf("a matrix in a counterexample is not a list of lists of numbers: %v", point["A"])
	}
	if _, ok := point["n"].(float64); !ok {
		t.Errorf("a size in a counterexample is not a number: %v", point["n"])
	}
	if pr["verdict"] != "proved" || pr["method"] == nil || pr["checked"] == nil {
		t.Errorf("proof: %v", pr)
	}
	if rule["rule"] != "rule lin: tanh(u) -> u" {
		t.Errorf("rule: %v", rule)
	}
	p.Style = ast.Unicode
	if got := p.JSON(rs[1]).(map[string]any)["formatted"]; got != "2·x" {
		t.Errorf("formatted in Unicode = %v", got)
	}
}

// TestLoadDefsWarns: a definitions file that shadows a built-in
// function's name is taken, and each such definition is said once as a
// warning to Warn (the command line's standard error), not in a result.
func TestLoadDefsWarns(t *testing.T) {
	file := filepath.Join(t.TempDir(), "defs.sd")
	if err := os.WriteFile(file, []byte("sigma := s^2\nmu := 1\nphi := 3\nsigma + phi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var warn strings.Builder
	s := New()
	s.Warn = &warn
	if err := s.LoadDefs(file); err != nil {
		t.Fatal(err)
	}
	want := file + ":1:1: warning: sigma shadows the name of the built-in function sigma: sigma is this definition, sigma(...) is still the built-in\n" +
		file + ":3:1: warning: phi shadows the name of the built-in function phi: phi is this definition, phi(...) is still the built-in\n"
	if diff := cmp.Diff(want, warn.String()); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if s.Defs.Len() != 3 {
		t.Errorf("%d definitions, want 3", s.Defs.Len())
	}
	// Without a Warn the definitions are taken all the same.
	if err := New().LoadDefs(file); err != nil {
		t.Fatal(err)
	}
}
