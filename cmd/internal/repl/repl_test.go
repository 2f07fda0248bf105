package repl

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// harness drives a REPL without a terminal and collects what it prints.
type harness struct {
	t        *testing.T
	r        *REPL
	out, err bytes.Buffer
}

func newHarness(t *testing.T, style ast.Style) *harness {
	h := &harness{t: t}
	h.r = New(&h.out, &h.err)
	h.r.Style = style
	return h
}

// feed feeds lines, each of which must complete a statement, and returns
// the output and errors they produced.
func (h *harness) feed(lines ...string) (out, errs string) {
	h.t.Helper()
	h.out.Reset()
	h.err.Reset()
	for _, l := range lines {
		if h.r.Feed(context.Background(), l) {
			h.t.Fatalf("Feed(%q) wants more lines", l)
		}
	}
	return h.out.String(), h.err.String()
}

// run feeds lines and requires no error.
func (h *harness) run(lines ...string) string {
	h.t.Helper()
	out, errs := h.feed(lines...)
	if errs != "" {
		h.t.Fatalf("feeding %q: unexpected errors:\n%s", lines, errs)
	}
	return out
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

// TestSession: definitions persist from line to line, d(...) and prove
// run, _ is the last value, in the chosen printer.
func TestSession(t *testing.T) {
	for _, c := range []struct {
		style ast.Style
		in    []string
		want  []string
	}{
		{ast.Unicode, []string{
			"p[i] := sigma(z[i])",
			"d(y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]), z[i])",
			"prove _ == y[i] - sigma(z[i])",
		}, []string{
			"defined pᵢ",
			"yᵢ − pᵢ",
			"proved: yᵢ − pᵢ == yᵢ − σ(zᵢ)",
		}},
		{ast.Plain, []string{
			"a := 3",
			"f(u, v) := u*v + a",
			"f(2, x)",
			"_ + 1",
			"d(_, x)",
			"prove _ == 2",
			"prove a*x == 3*x",
			"prove a*x == 4*x",
			"prove a*x != 4*x",
			"a := 5",
			"f(2, x)",
		}, []string{
			"defined a",
			"defined f(u, v)",
			"2*x + 3",
			"2*x + 4",
			"2",
			"proved: 2 == 2",
			"proved: a*x == 3*x",
			"refuted: a*x == 4*x",
			"  counterexample: x=1",
			"  left:  3",
			"  right: 4",
			"holds: a*x != 4*x",
			"  counterexample: x=1",
			"  left:  3",
			"  right: 4",
			"defined a",
			"2*x + 5",
		}},
	} {
		h := newHarness(t, c.style)
		if diff := cmp.Diff(c.want, lines(h.run(c.in...))); diff != "" {
			t.Errorf("session %q (-want +got):\n%s", c.in, diff)
		}
	}
}

// TestStatus: the REPL keeps the worst outcome, for a scripted session's
// exit status.
func TestStatus(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want session.Status
	}{
		{[]string{"1+1", "prove x == x"}, session.OK},
		{[]string{"prove sum(i=1..n, 1/(i*(i+1))) == 1 - 1/(n+1)"}, session.Unknown},
		{[]string{"prove sum(i=1..n, 1/(i*(i+1))) == 1 - 1/(n+1)", "prove x == y", "prove x == x"}, session.Refuted},
		{[]string{"prove x != x"}, session.Refuted},
		{[]string{"prove x == y", "sigmod(x)", "1+1"}, session.BadInput},
		{[]string{":nosuch"}, session.BadInput},
	} {
		h := newHarness(t, ast.Plain)
		h.feed(c.in...)
		if h.r.Status != c.want {
			t.Errorf("%q: Status = %d, want %d", c.in, h.r.Status, c.want)
		}
	}
}

// TestMultiLine: Feed returns true while a bracket is open or a line ends
// in an operator, and runs the statement when it is complete.
func TestMultiLine(t *testing.T) {
	for _, c := range []struct {
		name  string
		lines []string // all but the last want more
		want  string
	}{
		{"bracket", []string{"CE := -mean(i=1..n,", "  y[i]*log(p[i])", ")"}, "defined CE\n"},
		{"nested brackets", []string{"d(sigma(", "x)^2,", "x)"}, "2*sigma(x)^2*(1 - sigma(x))\n"},
		{"operator", []string{"a := 1 +", "2"}, "defined a\n"},
		{"blank and comment lines inside", []string{"b := (1", "", "# a comment", "+ 2)"}, "defined b\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, ast.Plain)
			for i, l := range c.lines {
				more := h.r.Feed(context.Background(), l)
				last := i == len(c.lines)-1
				if more == last {
					t.Fatalf("Feed(%q) = %v, want %v", l, more, !last)
				}
				if h.r.Pending() != !last {
					t.Fatalf("after %q: Pending() = %v", l, h.r.Pending())
				}
				if !last && h.out.Len()+h.err.Len() > 0 {
					t.Fatalf("output before the statement is complete: %q %q", h.out.String(), h.err.String())
				}
			}
			if got := h.out.String(); got != c.want || h.err.Len() > 0 {
				t.Errorf("output %q, errors %q; want %q", got, h.err.String(), c.want)
			}
		})
	}

	// Reset drops an open statement (Ctrl-C at the continuation prompt).
	h := newHarness(t, ast.Plain)
	if !h.r.Feed(context.Background(), "a := (1 +") {
		t.Fatal("an open bracket does not ask for more")
	}
	h.r.Reset()
	if h.r.Pending() {
		t.Error("Pending after Reset")
	}
	if got := h.run("2*3"); got != "6\n" {
		t.Errorf("after Reset, 2*3 printed %q", got)
	}
	if got := h.run(":defs"); got != "no definitions\n" {
		t.Errorf("the dropped statement defined something: %q", got)
	}
	// Blank and comment lines at the prompt do nothing.
	if got := h.run("", "   ", "# only a comment"); got != "" {
		t.Errorf("blank and comment lines printed %q", got)
	}
}

// TestErrors: an error shows the line and a caret, and the session goes
// on with its state intact.
func TestErrors(t *testing.T) {
	h := newHarness(t, ast.Plain)
	h.run("a := 2")
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"sigmod(a)"}, "error: 1:1: unknown function sigmod (did you mean sigma?)\n    sigmod(a)\n    ^\n"},
		{[]string{"a +* 2"}, "error: 1:4: expected an expression, found \"*\"\n    a +* 2\n       ^\n"},
		{[]string{"b := (a +", "2]"}, "error: 2:2: expected \")\" to close the \"(\" at 1:6, found \"]\"\n    2]\n     ^\n"},
		{[]string{":stpes"}, "error: unknown command :stpes (did you mean :steps?); :help lists the commands\n"},
		{[]string{":lod x.sd"}, "error: unknown command :lod (did you mean :load?); :help lists the commands\n"},
		{[]string{":zzzzzz"}, "error: unknown command :zzzzzz; :help lists the commands\n"},
		{[]string{"f := f + 1"}, "error: 1:1: recursive definition: f refers to itself\n    f := f + 1\n    ^\n"},
	} {
		h.out.Reset()
		h.err.Reset()
		for _, l := range c.in {
			h.r.Feed(context.Background(), l)
		}
		if diff := cmp.Diff(lines(c.want), lines(h.err.String())); diff != "" {
			t.Errorf("%q: errors (-want +got):\n%s", c.in, diff)
		}
		if h.out.Len() > 0 {
			t.Errorf("%q: output %q besides the error", c.in, h.out.String())
		}
		if h.r.Pending() {
			t.Errorf("%q: a statement is still open after the error", c.in)
		}
		// The session continues with its definitions.
		if got := h.run("a*3"); got != "6\n" {
			t.Errorf("after %q: a*3 printed %q", c.in, got)
		}
	}
}

// TestCommands covers every command.
func TestCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("help", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		out := h.run(":help")
		for _, name := range CommandNames() {
			if !strings.Contains(out, "\n  "+name+" ") {
				t.Errorf(":help does not list %s:\n%s", name, out)
			}
		}
		for _, want := range []string{":help", ":defs", ":steps", ":latex", ":load", ":save", ":rules", ":eval", ":explain", ":codegen", ":gradcheck", ":clear", ":quit"} {
			if !slices.Contains(CommandNames(), want) {
				t.Errorf("no command %s among %v", want, CommandNames())
			}
		}
	})

	t.Run("defs", func(t *testing.T) {
		h := newHarness(t, ast.Unicode)
		if got := h.run(":defs"); got != "no definitions\n" {
			t.Errorf(":defs of nothing = %q", got)
		}
		h.run("p[i] := sigma(z[i])", "f(u, v) := u*v + 1", "c := 2", "c := 3")
		want := []string{"pᵢ := σ(zᵢ)", "f(u, v) := u·v + 1", "c := 3"}
		if diff := cmp.Diff(want, lines(h.run(":defs"))); diff != "" {
			t.Errorf(":defs (-want +got):\n%s", diff)
		}
	})

	t.Run("steps", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		if _, errs := h.feed(":steps"); errs != "error: no result yet\n" {
			t.Errorf(":steps before any result: %q", errs)
		}
		h.run("p[i] := sigma(z[i])", "d(y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]), z[i])")
		got := lines(h.run(":steps"))
		want := []string{
			"d(y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]), z[i])",
			"  = y[i]*d(log(p[i]), z[i]) + (1 - y[i])*d(log(1 - p[i]), z[i]) ",
			"  = y[i]*(1/p[i])*d(p[i], z[i]) + (1 - y[i])*(1/(1 - p[i]))*d(1 - p[i], z[i]) ",
			"  = y[i]*(1/p[i])*d(p[i], z[i]) - (1 - y[i])*(1/(1 - p[i]))*d(p[i], z[i]) ",
			"  = y[i]*(1/p[i])*p[i]*(1 - p[i]) - (1 - y[i])*(1/(1 - p[i]))*p[i]*(1 - p[i]) ",
			"  = y[i]*(1 - p[i]) - (1 - y[i])*p[i] ",
			"  = y[i]*(1 - p[i]) - p[i]*(1 - y[i]) ",
			"  = y[i] - p[i] ",
		}
		// Compare the expressions; the justifications follow in parentheses.
		for i := range got {
			if j := strings.Index(got[i], "   ("); j >= 0 {
				got[i] = strings.TrimRight(got[i][:j], " ") + " "
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf(":steps of a derivative (-want +got):\n%s", diff)
		}
		// A simplified expression: its passes; a simple one: none.
		h.run("x*x + x")
		if diff := cmp.Diff([]string{"x*x + x", "  = x + x^2    (collect and cancel)"}, lines(h.run(":steps"))); diff != "" {
			t.Errorf(":steps of a simplification (-want +got):\n%s", diff)
		}
		h.run("x")
		if diff := cmp.Diff([]string{"x", "  (already in simplest form)"}, lines(h.run(":steps"))); diff != "" {
			t.Errorf(":steps of x (-want +got):\n%s", diff)
		}
	})

	t.Run("latex", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		if _, errs := h.feed(":latex"); errs != "error: no result yet\n" {
			t.Errorf(":latex before any result: %q", errs)
		}
		h.run("d(sigma(x)^2, x)")
		got := h.run(":latex")
		if !strings.HasPrefix(got, "\\begin{align*}\n\\frac{\\partial}{\\partial x} \\left(\\sigma(x)^{2}\\right) &= ") ||
			!strings.Contains(got, "\n &= 2 \\sigma(x)^{2} \\left(1 - \\sigma(x)\\right) && \\text{collect and cancel}\n\\end{align*}\n") {
			t.Errorf(":latex of a derivative:\n%s", got)
		}
		h.run("sigma(-x) + sigma(x)")
		if got := h.run(":latex"); got != "\\sigma(-x) + \\sigma(x) = 1\n" {
			t.Errorf(":latex of an expression = %q", got)
		}
	})

	t.Run("load", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		script := write("load.sd", "# a script\np[i] := sigma(z[i])\nd(p[i], z[i])\nprove d(p[i], z[i]) == p[i]*(1 - p[i])\n")
		want := []string{"defined p[i]", "p[i]*(1 - p[i])", "proved: d(p[i], z[i]) == p[i]*(1 - p[i])"}
		if diff := cmp.Diff(want, lines(h.run(":load "+script))); diff != "" {
			t.Errorf(":load (-want +got):\n%s", diff)
		}
		// Its definitions and last value stay.
		if got := h.run("_*2"); got != "2*p[i]*(1 - p[i])\n" {
			t.Errorf("after :load, _*2 = %q", got)
		}
		for _, c := range []struct{ arg, want string }{
			{"", "error: :load needs a file name\n"},
			{filepath.Join(dir, "none.sd"), "no such file"},
			{write("bad.sd", "a := 1\nb := (a +\n"), "bad.sd:2:6: unclosed \"(\""},
		} {
			if _, errs := h.feed(strings.TrimSpace(":load " + c.arg)); !strings.Contains(errs, c.want) {
				t.Errorf(":load %s: errors %q, want %q", c.arg, errs, c.want)
			}
		}
		if _, ok := h.r.S.Defs.Lookup("a"); ok {
			t.Error(":load of a file with a syntax error ran some of it")
		}
	})

	t.Run("save", func(t *testing.T) {
		h := newHarness(t, ast.Unicode)
		h.run("p[i] := sigma(z[i])", "L := mean(i=1..n, (y[i] - p[i])^2)", "f(u, v) := u*v + 1")
		sub := filepath.Join(dir, "save")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(sub, "defs.sd")
		// An existing file is replaced, keeping its permissions.
		if err := os.WriteFile(file, []byte("old content that is longer than the new content will be, surely not, well\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := h.run(":save " + file); got != "saved 3 definitions to "+file+"\n" {
			t.Errorf(":save printed %q", got)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want := "# Definitions saved from a symdiff session.\np[i] := sigma(z[i])\nL := mean(i=1..n, (y[i] - p[i])^2)\nf(u, v) := u*v + 1\n"
		if diff := cmp.Diff(lines(want), lines(string(data))); diff != "" {
			t.Errorf("saved file (-want +got):\n%s", diff)
		}
		if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("saved file mode: %v, %v; want 0600 kept", fi.Mode(), err)
		}
		entries, err := os.ReadDir(sub)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("files after :save: %q, want only defs.sd (no temporary file left)", names)
		}
		// The saved file loads back into a fresh session, in the input syntax.
		h2 := newHarness(t, ast.Plain)
		h2.run(":load " + file)
		if got := h2.run("d(L, p[k])"); got != "2*(p[k] - y[k])/n  # for k = 1..n\n" {
			t.Errorf("d(L, p[k]) after loading the saved file = %q", got)
		}
		if got := h2.run("f(2, 3)"); got != "7\n" {
			t.Errorf("f(2, 3) after loading the saved file = %q", got)
		}
		// A directory that does not exist: an error, nothing written.
		missing := filepath.Join(dir, "nodir", "defs.sd")
		if _, errs := h.feed(":save " + missing); !strings.HasPrefix(errs, "error: ") {
			t.Errorf(":save into a missing directory: %q", errs)
		}
		if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
			t.Errorf(":save created %s", filepath.Dir(missing))
		}
		if _, errs := h.feed(":save"); errs != "error: :save needs a file name\n" {
			t.Errorf(":save without a file: %q", errs)
		}
	})

	t.Run("rules", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		list := h.run(":rules")
		for _, want := range []string{"sigma_neg ", "sigma(-u) -> 1 - sigma(u)", "d_sigma ", "deriv sigma(u) = sigma(u)*(1 - sigma(u))", "power_sum "} {
			if !strings.Contains(list, want) {
				t.Errorf(":rules does not list %q", want)
			}
		}
		if strings.Contains(list, "swish") {
			t.Error(":rules lists swish before it is loaded")
		}
		if _, errs := h.feed("d(swish(t), t)"); !strings.Contains(errs, "unknown function swish") {
			t.Errorf("swish before :rules FILE: %q", errs)
		}
		file := write("act.rules", "swish(u) := u*sigma(u)\nderiv swish(u) = swish(u) + sigma(u)*(1 - swish(u))\n")
		if got := h.run(":rules " + file); got != "loaded "+file+"\n" {
			t.Errorf(":rules FILE printed %q", got)
		}
		if got := h.run("d(swish(t), t)"); got != "swish(t) + sigma(t)*(1 - swish(t))\n" {
			t.Errorf("d(swish(t), t) = %q", got)
		}
		if !strings.Contains(h.run(":rules"), "deriv swish(u) = swish(u) + sigma(u)*(1 - swish(u))") {
			t.Error(":rules does not list the loaded derivative rule")
		}
		// A file with an error: reported with its place, nothing loaded.
		bad := write("bad.rules", "gelu(u) := u*Phi(u)\nrule bad: exp(log(u) -> u\n")
		if _, errs := h.feed(":rules " + bad); !strings.Contains(errs, "bad.rules:2:14: unclosed \"(\"") || !strings.Contains(errs, "\n                 ^") {
			t.Errorf(":rules with a syntax error: %q", errs)
		}
		if _, errs := h.feed("gelu(t)"); !strings.Contains(errs, "unknown function gelu") {
			t.Errorf("part of a broken rule file was loaded: %q", errs)
		}
	})

	t.Run("eval", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		h.run("p[i] := sigma(z[i])", "L := mean(i=1..n, (y[i] - p[i])^2)")
		for _, c := range []struct{ in, want string }{
			{":eval sigma(x) x=0", "0.5\n"},
			{":eval 1 + 1", "2\n"},
			{":eval L n=3 y=[1,0,1] z=[0,0,0]", "0.25\n"},
			{":eval x[1,2]*x[2,1] x=[[1,2],[3,4]]", "6\n"},
			{":eval d(sigma(x), x) x=0", "0.25\n"},
		} {
			if got := h.run(c.in); got != c.want {
				t.Errorf("%s = %q, want %q", c.in, got, c.want)
			}
		}
		for _, c := range []struct{ in, want string }{
			{":eval", "error: :eval needs an expression, then NAME=VALUE bindings\n"},
			{":eval x + 1", "error: missing values for x (give them as NAME=VALUE)\n"},
			{":eval x x=abc", "error: x: \"abc\" is not a number or a list of numbers\n"},
		} {
			if _, errs := h.feed(c.in); errs != c.want {
				t.Errorf("%s: errors %q, want %q", c.in, errs, c.want)
			}
		}
	})

	// :explain explains a defined loss or an expression, with the
	// command's options; the verdicts come from the prover.
	t.Run("explain", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		h.run("z[i] := sum(j=1..d, x[i,j]*w[j])", "p[i] := sigma(z[i])", "CE := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))")
		out := h.run(":explain CE")
		for _, want := range []string{
			"explain CE (predictor z[m], labels y[m])\n",
			"\n    proved: d(d(CE, z[m]), y[m]) == -(1/n)    (∂²ℓ/∂z∂y is the constant −c)\n",
			"\n  family: Bernoulli with its canonical link (logit); logistic regression, labels in {0, 1}\n",
			"\n    matrix form: ∇_w = (1/n)·Xᵀ(σ(Xw) − y)\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf(":explain CE lacks %q:\n%s", want, out)
			}
		}
		// As a statement, too.
		if out := h.run("explain CE"); !strings.Contains(out, "\n  family: Bernoulli with its canonical link (logit)") {
			t.Errorf("the statement explain CE:\n%s", out)
		}
		h = newHarness(t, ast.Plain)
		out = h.run(":explain softplus(-y*z) --label-set -1,1")
		if !strings.Contains(out, "assuming y ∈ {-1, 1}") || !strings.Contains(out, "with its canonical link (logit)") {
			t.Errorf(":explain with a label set:\n%s", out)
		}
		out = h.run(":explain -(y*log(Phi(z)) + (1-y)*log(1-Phi(z)))")
		if !strings.Contains(out, "\n    refuted: ") || strings.Contains(out, "with its canonical link") {
			t.Errorf(":explain of the probit loss:\n%s", out)
		}
		for _, c := range []struct{ in, want string }{
			{":explain", "error: :explain needs a loss: a defined name or an expression\n"},
			{":explain x --bad", "error: --bad: :explain takes --wrt Z, --label Y, --label-set A,B and --one-hot\n"},
			{":explain y*z --label-set 1", "error: label set \"1\": give two values, like 0,1 or -1,1\n"},
			{":explain x^2", "error: no linear predictor: define z[i] := sum(j=1..d, x[i,j]*w[j]) or name it with --wrt\n"},
		} {
			if _, errs := h.feed(c.in); errs != c.want {
				t.Errorf("%s: errors %q, want %q", c.in, errs, c.want)
			}
		}
	})

	// _ in :eval is the last value, as in a statement.
	t.Run("eval last", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		if _, errs := h.feed(":eval _ x=0.3"); errs != "error: _ is the last result, and there is none yet\n" {
			t.Errorf(":eval _ before any result: errors %q", errs)
		}
		for _, c := range []struct{ in, want string }{
			{"d(sigma(x), x)", "sigma(x)*(1 - sigma(x))\n"},
			{":eval _ x=0", "0.25\n"},
			{":eval 4*_ + 1 x=0", "2\n"},
			{"x^2", "x^2\n"},
			{":eval _ x=0.3", "0.09\n"},
		} {
			if got := h.run(c.in); got != c.want {
				t.Errorf("%s printed %q, want %q", c.in, got, c.want)
			}
		}
	})

	t.Run("clear", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		file := write("clear.rules", "swish(u) := u*sigma(u)\n")
		h.run(":rules "+file, "a := 1", "a + 1")
		if got := h.run(":clear"); got != "cleared\n" {
			t.Errorf(":clear printed %q", got)
		}
		if got := h.run(":defs"); got != "no definitions\n" {
			t.Errorf(":defs after :clear = %q", got)
		}
		if _, errs := h.feed(":steps"); errs != "error: no result yet\n" {
			t.Errorf(":steps after :clear: %q", errs)
		}
		// Rules stay.
		if got := h.run(":eval swish(1)"); got != "0.7310585786300049\n" {
			t.Errorf("swish after :clear = %q", got)
		}
	})

	t.Run("quit", func(t *testing.T) {
		h := newHarness(t, ast.Plain)
		if h.r.Quit {
			t.Fatal("Quit before :quit")
		}
		if got := h.run(":quit"); got != "" {
			t.Errorf(":quit printed %q", got)
		}
		if !h.r.Quit {
			t.Error("Quit not set by :quit")
		}
	})
}

// TestComplete: functions, keywords, defined names, rule-file functions;
// commands after a colon; the head and tail around the word are kept.
func TestComplete(t *testing.T) {
	h := newHarness(t, ast.Plain)
	h.run("myloss := 2", "p[i] := sigma(z[i])", "predict(u) := u")
	file := filepath.Join(t.TempDir(), "act.rules")
	if err := os.WriteFile(file, []byte("swish(u) := u*sigma(u)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.run(":rules " + file)
	type result struct {
		Head  string
		Cands []string
		Tail  string
	}
	for _, c := range []struct {
		line string
		pos  int
		want result
	}{
		{"so", 2, result{"", []string{"softplus"}, ""}},
		{"myl", 3, result{"", []string{"myloss"}, ""}},
		{"sw", 2, result{"", []string{"swish"}, ""}},
		{"pr", 2, result{"", []string{"predict", "prove"}, ""}},
		{"p", 1, result{"", []string{"p", "phi", "pi", "predict", "prove"}, ""}},
		{"x + lo", 6, result{"x + ", []string{"log"}, ""}},
		{"d(sigma(x), x) + ex", 19, result{"d(sigma(x), x) + ", []string{"exp", "expand"}, ""}},
		{"ta(x)", 2, result{"", []string{"tanh"}, "(x)"}},
		{"1 + su", 6, result{"1 + ", []string{"subs", "sum"}, ""}},
		{":st", 3, result{"", []string{":steps"}, ""}},
		{":", 1, result{"", slices.Sorted(slices.Values(CommandNames())), ""}},
		{":r", 2, result{"", []string{":rules"}, ""}},
		{"zzz", 3, result{"", nil, ""}},
		{"", 0, result{"", nil, ""}},
		{"x + ", 4, result{"x + ", nil, ""}},
		// Canonical names only: sigm is sigma, not also its alias sigmoid.
		{"sigm", 99, result{"", []string{"sigma"}, ""}},
		{"sigmo", 5, result{"", nil, ""}},
	} {
		head, cands, tail := h.r.Complete(c.line, c.pos)
		if diff := cmp.Diff(c.want, result{head, cands, tail}); diff != "" {
			t.Errorf("Complete(%q, %d) (-want +got):\n%s", c.line, c.pos, diff)
		}
	}
}

// cancelAfter returns a context cancelled after d.
func cancelAfter(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	tm := time.AfterFunc(d, cancel)
	t.Cleanup(func() { tm.Stop(); cancel() })
	return ctx
}

// TestCancel: a computation whose context is cancelled returns promptly
// with an error, and the session continues.
func TestCancel(t *testing.T) {
	for _, c := range []struct {
		name, line string
		// natural: what the statement does if nothing stops it, far later
		// than the deadline below
		natural string
		want    string // the error
	}{
		// 10^8 terms: the evaluator gives up after 10^8 steps, seconds later.
		{"eval", ":eval sum(i=1..100000000, sin(i))", "evaluation too long", "error: interrupted\n"},
		// The prover's numeric checks evaluate 10^6 terms at random points
		// in float64 and at 256 and 512 bits: about ten seconds.
		{"prove", "prove sum(i=1..1000000, sin(i)*x) == x*sum(i=1..1000000, sin(i))", "proved", "error: interrupted\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, ast.Plain)
			h.run("a := 1")
			ctx := cancelAfter(t, 200*time.Millisecond)
			start := time.Now()
			if h.r.Feed(ctx, c.line) {
				t.Fatal("Feed wants more lines")
			}
			t.Logf("%s returned %v after it was cancelled at 200ms", c.line, time.Since(start)) // logged: no wall-clock assertions
			if got := h.err.String(); !strings.HasPrefix(got, c.want) || strings.Contains(got, c.natural) {
				t.Errorf("errors %q, want %q (the statement was not stopped?)", got, c.want)
			}
			if strings.Contains(h.out.String(), c.natural) {
				t.Errorf("the statement ran to its end: %q", h.out.String())
			}
			if h.r.Pending() {
				t.Error("a statement is still open after the cancellation")
			}
			if got := h.run("a + 1"); got != "2\n" {
				t.Errorf("after the cancellation, a + 1 printed %q", got)
			}
		})
	}
}

// TestColor: on a terminal, verdicts and errors are coloured; otherwise
// not; NO_COLOR turns colour off.
func TestColor(t *testing.T) {
	for _, colour := range []bool{false, true} {
		h := newHarness(t, ast.Plain)
		h.r.Color = colour
		out, errs := h.feed("prove x == x", "prove x == y", "a := 1", "sigmod(x)")
		has := strings.Contains(out+errs, "\x1b[")
		if has != colour {
			t.Errorf("Color=%v: escape sequences present=%v in %q %q", colour, has, out, errs)
		}
		plain := stripANSI(out)
		for _, want := range []string{"proved: x == x\n", "refuted: x == y\n", "defined a\n"} {
			if !strings.Contains(plain, want) {
				t.Errorf("Color=%v: no %q in %q", colour, want, plain)
			}
		}
		if !strings.HasPrefix(stripANSI(errs), "error: 1:1: unknown function sigmod") {
			t.Errorf("Color=%v: errors %q", colour, errs)
		}
	}
	t.Setenv("NO_COLOR", "")
	if ColorWanted(true) {
		t.Error("ColorWanted(true) with NO_COLOR set")
	}
	os.Unsetenv("NO_COLOR")
	if !ColorWanted(true) || ColorWanted(false) {
		t.Error("ColorWanted should follow the terminal without NO_COLOR")
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < '@' || s[j] > '~') {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestHistory: each complete input is one history entry, given before it
// runs; a statement on several lines is joined into one line that means
// the same.
func TestHistory(t *testing.T) {
	for _, c := range []struct {
		name  string
		lines []string
		want  []string
	}{
		{"one line each", []string{"a := 1", "a + 1  # two"}, []string{"a := 1", "a + 1  # two"}},
		{"command", []string{"  :defs"}, []string{"  :defs"}},
		{"blank and comment lines", []string{"", "  ", "# nothing"}, nil},
		{"bracket", []string{"CE := mean(i=1..n,", "  y[i]", ")"}, []string{"CE := mean(i=1..n, y[i] )"}},
		{"comments inside", []string{"b := (1 + # one", "", "# and", "2)  # three"}, []string{"b := (1 + 2)  # three"}},
		{"operator", []string{"c := 1 +", "2"}, []string{"c := 1 + 2"}},
		{"an error is history too", []string{"sigmod(x)"}, []string{"sigmod(x)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, ast.Plain)
			var got []string
			h.r.History = func(e string) { got = append(got, e) }
			for _, l := range c.lines {
				h.r.Feed(context.Background(), l)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
			// The joined entry means what the lines did.
			for _, e := range got {
				if strings.HasPrefix(strings.TrimSpace(e), ":") {
					continue
				}
				if h.r.Feed(context.Background(), e) {
					t.Errorf("the entry %q is incomplete", e)
				}
			}
		})
	}
	// A statement dropped with Reset (Ctrl-C) is not history.
	h := newHarness(t, ast.Plain)
	var got []string
	h.r.History = func(e string) { got = append(got, e) }
	h.r.Feed(context.Background(), "a := (1 +")
	h.r.Reset()
	if got != nil {
		t.Errorf("a dropped statement went into the history: %q", got)
	}
}

// exprError stands for an engine error about a subexpression.
type exprError struct{ e ast.Expr }

func (e exprError) Error() string  { return "no derivative rule for " + ast.String(e.e) }
func (e exprError) Expr() ast.Expr { return e.e }

// TestPlace: an error about a subexpression is shown under it; others
// keep their text.
func TestPlace(t *testing.T) {
	ctx := &parser.Context{Funcs: map[string]int{"g": 1}}
	src := "a := 1\nL := 2*a +\n  g(a)^2"
	stmts, err := parser.ParseFile("", src, ctx)
	if err != nil {
		t.Fatal(err)
	}
	g, err := parser.ParseExpr("g(a)", ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"subexpression", exprError{g}, "3:3: no derivative rule for g(a)\n      g(a)^2\n      ^"},
		{"other", errors.New("interrupted"), "interrupted"},
	} {
		if diff := cmp.Diff(c.want, place(src, stmts[1], c.err).Error()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

// TestVerbs: the algebra verbs are functions at the prompt, and reshape
// the last result through _.
func TestVerbs(t *testing.T) {
	out := newHarness(t, ast.Plain).run("factor(x^2 - 1)", "expand(_*(x + 2))", "apart(1/(x^2 - 1), x)", "subs(x^2, x, 3)", "collect(a*x + b*x, x)")
	want := "(x - 1)*(x + 1)\nx^3 + 2*x^2 - x - 2\n1/(2*(x - 1)) - 1/(2*(x + 1))\n9\n(a + b)*x\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// TestFactorNote: factor says at the prompt, as on the command line, that
// its input is irreducible over the rationals; a factored result has no
// note.
func TestFactorNote(t *testing.T) {
	out := newHarness(t, ast.Plain).run("factor(x^2 + 1)", "factor(x^2 - 1)", "factor(_ + 2)")
	want := "x^2 + 1\n  (irreducible over the rationals)\n(x - 1)*(x + 1)\nx^2 + 1\n  (irreducible over the rationals)\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// :codegen and :gradcheck work on the session's definitions: the code
// names the user's variables, and the seed gradient passes its check.
func TestCodegenCommands(t *testing.T) {
	h := newHarness(t, ast.Plain)
	for _, l := range []string{"z[i] := sum(j=1..d, x[i,j]*w[j])", "CE := -mean(i=1..n, y[i]*log(sigma(z[i])) + (1 - y[i])*log(1 - sigma(z[i])))"} {
		h.run(l)
	}
	h.run(":codegen numpy CE wrt w[k]")
	if out := h.out.String(); !strings.Contains(out, "def loss_grad(") || !strings.Contains(out, "grad_w") {
		t.Errorf(":codegen printed %q", out)
	}
	h.out.Reset()
	h.run(":gradcheck CE wrt w[k]")
	if out := h.out.String(); !strings.HasPrefix(strings.Split(out, "\n")[1], "ok: worst relative error") {
		t.Errorf(":gradcheck printed %q", out)
	}
	if _, errs := h.feed(":gradcheck CE"); !strings.Contains(errs, ":gradcheck needs a loss and the variables") {
		t.Errorf(":gradcheck without wrt: errors %q", errs)
	}
}

// :gradcheck at a point on a kink: relu'(0) = 0 by the convention, while
// the one-sided differences are 0 and 1 (by hand); said, not a FAIL.
func TestGradcheckAtKink(t *testing.T) {
	h := newHarness(t, ast.Plain)
	h.run(":gradcheck sum(i=1..n, relu(x[i])) wrt x[k] x=[0,2]")
	out := h.out.String()
	for _, want := range []string{
		"x[1] (point 1) is at a kink: the one-sided differences are 0 and 1; symdiff's convention gives 0, as the convention prescribes: ok",
		"ok: worst relative error",
		"; 1 entries at a kink agree with the convention at kinks",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// TestShadowWarning: a definition that shadows a built-in function's name
// is made, with one warning; the function itself is still there.
func TestShadowWarning(t *testing.T) {
	h := newHarness(t, ast.Plain)
	out, errs := h.feed("sigma := 2", "log(sigma) + sigma(0)")
	if want := "warning: sigma shadows the name of the built-in function sigma: sigma is this definition, sigma(...) is still the built-in\n"; errs != want {
		t.Errorf("errors %q, want %q", errs, want)
	}
	if got := lines(out); len(got) != 2 || got[1] != "log(2) + 0.5" {
		t.Errorf("output %q", out)
	}
}

// :gradcheck on a loss in matrix notation checks the gradient in matrix
// form, at random sizes and values or at given matrices.
func TestGradcheckMatrix(t *testing.T) {
	h := newHarness(t, ast.Plain)
	h.run("X : matrix(n, d)", "w : vector(d)", "y : vector(n)",
		"CE := -mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w)))")
	h.out.Reset()
	h.run(":gradcheck CE wrt w")
	out := lines(h.out.String())
	if len(out) != 3 || out[0] != "checking d(loss, w) = X'*(sigma(X*w) - y)/n" ||
		!strings.HasPrefix(out[1], "w          worst at w[") || !strings.HasPrefix(out[2], "ok: worst relative error") {
		t.Errorf(":gradcheck CE wrt w printed:\n%s", h.out.String())
	}
	h.out.Reset()
	h.run(":gradcheck sum((X*w - y).^2) wrt w X=[[1,2],[3,4],[5,6]] y=[1,2,3] w=[0.5,0.25]")
	out = lines(h.out.String())
	// By hand: X*w - y = [0, 0.5, 1], and 2*X'*(X*w - y) = [13, 16]; the
	// row shows the worst component's symbolic value.
	if len(out) != 3 || out[0] != "checking d(loss, w) = 2*X'*(X*w - y)" ||
		!(strings.Contains(out[1], "symbolic 13 ") || strings.Contains(out[1], "symbolic 16 ")) ||
		!strings.HasSuffix(out[2], "at 1 points d=2 n=3") || !strings.HasPrefix(out[2], "ok: ") {
		t.Errorf(":gradcheck with values printed:\n%s", h.out.String())
	}
}

// TestSaveDeclarations: :save writes the declared shapes, before the
// definitions and assumptions that need them, so that :load of the saved
// file gives the same results. It wrote only definitions and assumptions:
// CE := -mean(y .* log(sigma(X*w))) then failed to load ("mean needs a
// range first"), and nothing after it was loaded.
func TestSaveDeclarations(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sess.sd")
	h := newHarness(t, ast.Plain)
	h.run("X : matrix(n, d)", "w : vector(d)", "y : vector(n)", "S : symmetric(d)", "assume sum(y) == 1",
		"CE := -mean(y .* log(sigma(X*w)))", ":save "+file)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Definitions saved from a symdiff session.\nS : symmetric(d)\nX : matrix(n, d)\nw : vector(d)\ny : vector(n)\n" +
		"CE := -mean(y .* log(sigma(X*w)))\nassume sum(y) == 1\n"
	if diff := cmp.Diff(lines(want), lines(string(data))); diff != "" {
		t.Errorf("saved file (-want +got):\n%s", diff)
	}
	h2 := newHarness(t, ast.Plain)
	h2.run(":load " + file)
	for _, c := range []struct{ in, want string }{
		{"d(CE, w)", h.run("d(CE, w)")},
		{"d(logdet(S), S)", h.run("d(logdet(S), S)")},
		{"sum(2*y)", "2\n  (by assumption sum(y) == 1)\n"},
	} {
		if got := h2.run(c.in); got != c.want {
			t.Errorf("%s after :load = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLastMatrix: _ holding a vector or a matrix takes part in matrix
// products and transposes at the prompt: A*_ was read as a scalar multiple
// (_ was a scalar name when the line was parsed) and failed with "cannot
// multiply 2*B (d×d) by A (d×d)". The products are checked against the
// same expressions written out, and A*_ against _*A (they differ).
func TestLastMatrix(t *testing.T) {
	h := newHarness(t, ast.Plain)
	h.run("A : matrix(d, d)", "B : matrix(d, d)", "w : vector(d)")
	for _, c := range []struct{ last, in, same string }{
		{"B + B", "A*_", "A*(B + B)"},
		{"B + B", "_*A", "(B + B)*A"},
		{"A*w", "w'*_", "w'*A*w"},
		{"A*w", "_'*B", "(A*w)'*B"},
		{"A*w", "_ .* w", "(A*w) .* w"},
	} {
		h.run(c.last)
		got := h.run(c.in)
		if want := h.run(c.same); got != want {
			t.Errorf("after %s: %s = %q, want %q (as %s)", c.last, c.in, got, want, c.same)
		}
	}
	h.run("B + B")
	ab := h.run("A*_")
	h.run("B + B")
	if ba := h.run("_*A"); ab == ba {
		t.Errorf("A*_ and _*A agree: %q", ab)
	}
	// A scalar last result is a scalar again.
	h.run("w'*w")
	if got := h.run("_ + 1"); got != "norm(w)^2 + 1\n" {
		t.Errorf("_ + 1 after w'*w = %q", got)
	}
}

// TestValueAsRun: a value shows as run prints it, shared and deep parts
// named (it printed the whole tree: d/dx of sin nested 60 deep as 1,800
// calls in place of 120, sin nested 30,000 deep as brackets the parser
// does not read), so that the line reads back to the value; printing it
// stops on Ctrl-C like the work before it.
func TestValueAsRun(t *testing.T) {
	for _, c := range []struct {
		name, line string
		named      bool
		long       bool // long enough to print that the printer looks at the context
	}{
		{"shared", "d(" + strings.Repeat("sin(", 60) + "x" + strings.Repeat(")", 60) + ", x)", true, false},
		{"deep", "u30000 where u1 = sin(x)" + chainDefs(30_000), true, true},
		{"small", "d(sin(x)^2, x)", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, ast.Plain)
			out := strings.TrimSuffix(h.run(c.line), "\n")
			if named := strings.Contains(out, " where "); named != c.named {
				t.Fatalf("names: %v, want %v: %.200s", named, c.named, out)
			}
			back, err := parser.ParseExpr(out, nil)
			if err != nil {
				t.Fatalf("%.200s\ndoes not parse: %v", out, err)
			}
			if back != h.r.S.Last.Value {
				t.Errorf("%.200s\nreads back to another expression than the value", out)
			}
			done, cancel := context.WithCancel(context.Background())
			cancel()
			if c.long {
				// Cancelled once the statement is done: only the printing
				// can see it.
				h.out.Reset()
				if err := h.r.show(done, h.r.S.Last); err == nil || !strings.Contains(err.Error(), "interrupted (printing the result)") {
					t.Errorf("show under a cancelled context: %v", err)
				}
				if h.out.Len() > 0 {
					t.Errorf("show under a cancelled context wrote %.100q", h.out.String())
				}
			}
		})
	}
}

func chainDefs(n int) string {
	var b strings.Builder
	for i := 2; i <= n; i++ {
		b.WriteString(", u" + strconv.Itoa(i) + " = sin(u" + strconv.Itoa(i-1) + ")")
	}
	return b.String()
}
