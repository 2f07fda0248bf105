package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/texcheck"
)

// Regression tests for bugs and readability problems these tests found in
// the command line (each fixed since; see the commit "Fixes from the CLI
// tests"), and, skipped, for those still open.

// writeScript writes a script into a temporary directory.
func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The README suggests `symdiff diff '-(y*log(Phi(z)) + ...)' z`: an
// expression starting with a minus sign is not a flag.
func TestLeadingMinusIsNotAFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "-(y*log(Phi(z)) + (1-y)*log(1-Phi(z)))", "z"}, "phi(z)*(Phi(z) - y)/(Phi(z)*(1 - Phi(z)))\n"},
		{[]string{"simplify", "-x + 2*x"}, "x\n"},
		{[]string{"print", "--unicode", "-x^2"}, "−x²\n"},
		{[]string{"eval", "-x", "x=2"}, "-2\n"},
		{[]string{"prove", "--brief", "-sigma(x)", "sigma(-x) - 1"}, "proved: -sigma(x) == sigma(-x) - 1\n"},
	} {
		stdout, stderr, status := runMain(t, c.args...)
		if status != 0 || stdout != c.want {
			t.Errorf("symdiff %q: status %d, stdout %q, stderr %q; want %q", c.args, status, stdout, stderr, c.want)
		}
	}
	// Flags are still flags, and -h still asks for help.
	if stdout, _, status := runMain(t, "diff", "-h"); status != 0 || !strings.HasPrefix(stdout, "Usage: symdiff diff") {
		t.Errorf("diff -h: status %d, stdout %q", status, stdout)
	}
}

// --timeout applies to every computing command, not only run.
func TestTimeoutEveryCommand(t *testing.T) {
	const slow = "sum(i=1..1000000, sin(i)*x)" // ~10 s of numeric checks in a proof
	for _, args := range [][]string{
		{"prove", "--timeout", "100ms", slow, "x*sum(i=1..1000000, sin(i))"},
		{"eval", "--timeout", "100ms", "sum(i=1..100000000, sin(i))"},
	} {
		_, stderr, status := runMain(t, args...)
		if status != 2 || stderr != "symdiff: stopped: the time limit was reached\n" {
			t.Errorf("symdiff %q: status %d, stderr %q; want status 2 and the time-limit message", args, status, stderr)
		}
	}
}

// A script's rule may use a function the script defined before it.
func TestRuleInScriptUsesScriptFunction(t *testing.T) {
	path := writeScript(t, "rules.sd", "dbl(u) := 2*u\nrule twice: dbl(u) -> 2*u\ndbl(x)\n")
	stdout, stderr, status := runMain(t, "run", path)
	if status != 0 || stdout != "2*x\n" {
		t.Errorf("status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}

// A runtime error in a script names the script's place and quotes the
// statement with a caret.
func TestRuntimeErrorInScriptIsPlaced(t *testing.T) {
	path := writeScript(t, "slow.sd", "a := 1\nprove sum(i=1..1000000, sin(i)*x) == x*sum(i=1..1000000, sin(i))\n")
	_, stderr, status := runMain(t, "run", "--timeout", "100ms", path)
	want := path + ":2:1: stopped: the time limit was reached\n    prove sum(i=1..1000000, sin(i)*x) == x*sum(i=1..1000000, sin(i))\n    ^\n"
	if status != 2 || stderr != want {
		t.Errorf("status %d, stderr:\n%s\nwant:\n%s", status, stderr, want)
	}
}

// A document whose prose holds symbols pdflatex cannot set in text.
func TestDocUnicodeProse(t *testing.T) {
	path := writeScript(t, "approx.sd", "# Near 0, σ(z) ≈ 1/2 + z/4, so ∇CE is nearly linear for w ∈ ℝ × ℝ, up to ∞.\nf := sigma(z)\n")
	doc, stderr, status := runMain(t, "latex", "--doc", path)
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	texcheck.PDFLaTeX(t, "approx", doc)
}

// A counterexample of a claim without names says so instead of printing
// an empty point.
func TestCounterexampleWithoutNames(t *testing.T) {
	path := writeScript(t, "const.sd", "c := 2\nprove c == 3\n")
	stdout, _, status := runMain(t, "run", path)
	want := "refuted: c == 3\n  the two sides are different numbers\n  left:  2\n  right: 3\n"
	if status != 1 || stdout != want {
		t.Errorf("status %d, stdout:\n%s\nwant:\n%s", status, stdout, want)
	}
}

// ∂x/∂y/2 would read as ∂x/(∂y/2).
func TestUnicodeDerivativeOverNumber(t *testing.T) {
	stdout, _, _ := runMain(t, "print", "--unicode", "d(x, y)/2")
	if stdout != "(∂x/∂y)/2\n" {
		t.Errorf("print --unicode 'd(x, y)/2' = %q, want (∂x/∂y)/2", stdout)
	}
	demo, _, _ := runMain(t, "demo")
	if !strings.Contains(demo, "holds: ∂CE/∂wₖ != (∂MSE/∂wₖ)/2\n") {
		t.Errorf("the demo's != claim is not parenthesised:\n%s", demo)
	}
}

// Folding definitions back never binds a function's parameter to a
// number, and folds a whole result that is a definition's body.
func TestFolding(t *testing.T) {
	fdef := writeScript(t, "fold.sd", "f(u, v) := u*v + 1\n")
	pdef := writeScript(t, "p.sd", "p[i] := sigma(z[i])\n")
	for _, c := range []struct {
		defs, expr, want string
	}{
		{fdef, "d(sigma(x), x)", "sigma(x)*(1 - sigma(x))\n"},
		{fdef, "1 - x", "1 - x\n"},
		{pdef, "2*p[i] - p[i]", "p[i]\n"},
		{pdef, "p[i]*(1 - p[i]) + p[i]^2", "p[i]\n"},
		{pdef, "p[i] + p[i]", "2*p[i]\n"},
		{pdef, "d(p[i], z[i])", "p[i]*(1 - p[i])\n"},
		// simplify of a bare defined name shows what it stands for.
		{pdef, "p[i]", "sigma(z[i])\n"},
	} {
		stdout, stderr, status := runMain(t, "simplify", "--defs", c.defs, c.expr)
		if status != 0 || stdout != c.want {
			t.Errorf("simplify --defs %s %q: status %d, stdout %q, stderr %q; want %q", filepath.Base(c.defs), c.expr, status, stdout, stderr, c.want)
		}
	}
}

// The sentence after an undecided claim starts with a capital.
func TestUndecidedSentenceCase(t *testing.T) {
	path := writeScript(t, "unknown.sd", "prove sum(i=1..n, 1/(i*(i+1))) == 1 - 1/(n+1)\n")
	stdout, _, status := runMain(t, "latex", path)
	if status != 3 {
		t.Fatalf("status %d, want 3", status)
	}
	if !strings.HasPrefix(stdout, "Undecided: $") || regexp.MustCompile(`\$\. [a-z]`).MatchString(stdout) {
		t.Errorf("a sentence starts in lower case:\n%s", stdout)
	}
}

// A derivation step that changes nothing visible is merged into the one
// before.
func TestDerivationRowsDiffer(t *testing.T) {
	for _, args := range [][]string{
		{"latex", "--wrt", "x", "--", "-x^2"},
		{"latex", "--wrt", "x", "sigma(x)^2"},
		{"latex", "--wrt", "x", "(x^2 + 1)/(x - 1)"},
	} {
		stdout, stderr, status := runMain(t, args...)
		if status != 0 {
			t.Fatalf("symdiff %q: status %d: %s", args, status, stderr)
		}
		prev := ""
		for _, l := range strings.Split(stdout, "\n") {
			_, rhs, ok := strings.Cut(l, "&= ")
			if !ok {
				continue
			}
			rhs, _, _ = strings.Cut(rhs, " &&")
			if rhs == prev {
				t.Errorf("symdiff %q: the row %q repeats the one before it:\n%s", args, rhs, stdout)
			}
			prev = rhs
		}
	}
}

// rules check --json carries the counterexample of an unsound rule.
func TestRulesCheckJSONCounterexample(t *testing.T) {
	path := writeScript(t, "unsound.rules", "rule sigma_odd: sigma(-u) -> -sigma(u)\n")
	stdout, _, status := runMain(t, "rules", "check", "--json", path)
	if status != 1 {
		t.Fatalf("status %d, want 1", status)
	}
	vals, err := decodeJSONStream(stdout)
	if err != nil || len(vals) != 1 {
		t.Fatalf("not one JSON value: %v\n%s", err, stdout)
	}
	for _, spec := range []string{
		"rules.0.counterexample.point.u",
		"rules.0.counterexample.left=0.268941421369995120748840758178",
		"rules.0.counterexample.right=-0.731058578630004879251159241822",
	} {
		if err := checkJSONSpec(vals[0], spec); err != nil {
			t.Error(err)
		}
	}
}

// In the JSON of rules check, as in that of prove, a point's values are
// numbers and an empty list is [].
func TestRulesCheckJSONTypes(t *testing.T) {
	path := writeScript(t, "unsound.rules", "rule sigma_odd: sigma(-u) -> -sigma(u)\n")
	stdout, _, _ := runMain(t, "rules", "check", "--json", path)
	vals, err := decodeJSONStream(stdout)
	if err != nil || len(vals) != 1 {
		t.Fatalf("not one JSON value: %v\n%s", err, stdout)
	}
	for _, spec := range []string{"rules.0.counterexample.point.u:number", "risks:array"} {
		if err := checkJSONSpec(vals[0], spec); err != nil {
			t.Error(err)
		}
	}
}

// The demo writes subscripts one way.
func TestDemoSubscripts(t *testing.T) {
	stdout, _, _ := runMain(t, "demo")
	if strings.Contains(stdout, "_k") || !strings.Contains(stdout, "∂MSE/∂wₖ = ") || !strings.Contains(stdout, "∂SQ/∂wₖ = ") {
		t.Errorf("the demo mixes w_k and wₖ:\n%s", stdout)
	}
}

// An error the engine finds after parsing points at the subexpression of
// the argument it is about.
func TestEngineErrorCaret(t *testing.T) {
	_, stderr, status := runMain(t, "diff", "y + x^2", "x[i]")
	want := "1:5: x is used without indices in the expression: differentiate with respect to x, not x[i]\n    y + x^2\n        ^\n"
	if status != 2 || stderr != want {
		t.Errorf("status %d, stderr:\n%s\nwant status 2 and:\n%s", status, stderr, want)
	}
}
