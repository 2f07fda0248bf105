package workload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// PythonWithSymPy returns a python3 that imports sympy, or "".
func pythonWithSymPy() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import sympy").Run() == nil {
			return path
		}
	}
	return ""
}

// missing skips a test whose tool is absent, loudly, or fails it under
// SYMDIFF_REQUIRE_TOOLS=1 (when required says the CI installs it).
func missing(t *testing.T, what string, required bool) {
	t.Helper()
	if required && os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is missing, and SYMDIFF_REQUIRE_TOOLS=1 requires it", what)
	}
	t.Skipf("SKIPPED: %s is missing, so the peers' reading of the workloads is not checked", what)
}

// sympyEval reads a JSON request on standard input: expressions in the
// workloads' syntax, the variables to differentiate by and a point; it
// prints each expression's value there, and the value of its derivative,
// both at 30 digits.
const sympyEval = `import json, sys, sympy
ns = {"sigma": lambda u: 1 / (1 + sympy.exp(-u))}
outs = []
for req in json.load(sys.stdin):
    at = {sympy.Symbol(k): sympy.Rational(v) for k, v in req["point"].items()}
    out = {}
    for name, src in req["exprs"].items():
        e = sympy.sympify(src, locals=ns)
        out[name] = str(e.subs(at).evalf(30))
        if name == "input" and req["vars"]:
            d = sympy.diff(e, *[sympy.Symbol(v) for v in req["vars"]])
            out[name + "'"] = str(d.subs(at).evalf(30))
    outs.append(out)
json.dump(outs, sys.stdout)
`

// peerCase is one comparison: expressions in the shared syntax, symdiff's
// values of them and of the derivative of "input".
type peerCase struct {
	title string
	exprs map[string]string
	vars  []string
	point map[string]float64
	want  map[string]float64 // symdiff's values; "input'" the derivative
}

func peerCases(t *testing.T) []peerCase {
	var out []peerCase
	for _, w := range small() {
		pc, input, deriv := derivative(t, w)
		at := w.Point(rand.New(rand.NewPCG(7, 15)))
		b := bindings(at)
		c := peerCase{title: w.Title(), exprs: map[string]string{"input": w.Input}, point: at, want: map[string]float64{}}
		c.vars = []string{w.Var}
		if w.Var2 != "" {
			c.vars = append(c.vars, w.Var2)
		}
		c.want["input"] = eval(t, input, b)
		c.want["input'"] = eval(t, deriv, b)
		if w.Answer != "" {
			a, err := parser.ParseExpr(w.Answer, pc)
			if err != nil {
				t.Fatal(err)
			}
			c.exprs["answer"] = w.Answer
			c.want["answer"] = eval(t, a, b)
		}
		out = append(out, c)
	}
	// W7: a few definitions' right-hand sides.
	w := Definitions(3000)
	stmts, err := parser.ParseFile("defs.sd", w.Input, session.New().Context())
	if err != nil {
		t.Fatal(err)
	}
	at := w.Point(rand.New(rand.NewPCG(7, 15)))
	c := peerCase{title: w.Title(), exprs: map[string]string{}, point: at, want: map[string]float64{}}
	for i, line := range strings.Split(w.Input, "\n")[:3] {
		name, rhs, _ := strings.Cut(line, ":=")
		c.exprs[strings.TrimSpace(name)] = rhs
		c.want[strings.TrimSpace(name)] = eval(t, stmts[i].Stmt.(*ast.DefStmt).Def.Body, bindings(at))
	}
	return append(out, c)
}

func bindings(at map[string]float64) ast.Bindings {
	b := ast.Bindings{}
	for k, v := range at {
		b[k] = ast.Scalar(v)
	}
	return b
}

func eval(t *testing.T, e ast.Expr, b ast.Bindings) float64 {
	t.Helper()
	v, err := ast.Eval(e, nil, b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Max(math.Abs(got), math.Abs(want)))
}

// TestSymPyReadsTheSame: SymPy's reading of every workload's text (at
// small sizes) has the value symdiff's has at a random point, and SymPy's
// derivative has the value of symdiff's simplified one: the side-by-side
// command times the two on the same problem, and symdiff's answer agrees
// with an independent engine.
func TestSymPyReadsTheSame(t *testing.T) {
	py := pythonWithSymPy()
	if py == "" {
		missing(t, "python3 with sympy (Debian: python3-sympy)", true)
	}
	cases := peerCases(t)
	var reqs []any
	for _, c := range cases {
		point := map[string]string{}
		for k, v := range c.point {
			point[k] = strconv.FormatFloat(v, 'f', -1, 64)
		}
		reqs = append(reqs, map[string]any{"exprs": c.exprs, "vars": c.vars, "point": point})
	}
	req, _ := json.Marshal(reqs)
	cmd := exec.Command(py, "-c", sympyEval)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sympy: %v\n%s", err, stderr.String())
	}
	var got []map[string]string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(cases) {
		t.Fatalf("%v: %s", err, out)
	}
	for i, c := range cases {
		compare(t, "SymPy", c, got[i])
	}
}

// compare checks a peer's values against symdiff's.
func compare(t *testing.T, peer string, c peerCase, got map[string]string) {
	t.Helper()
	for name, want := range c.want {
		s, ok := got[name]
		if !ok {
			t.Errorf("%s: %s gave no value for %s", c.title, peer, name)
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !closeTo(v, want) {
			t.Errorf("%s: %s: %s is %s (%v) in %s, %v in symdiff", c.title, name, peer, s, err, peer, want)
		}
	}
}

// TestMaximaReadsTheSame is TestSymPyReadsTheSame for Maxima, through the
// same batch files the side-by-side command runs (.ci/run installs Maxima,
// so CI fails rather than skips without it; elsewhere a loud skip).
func TestMaximaReadsTheSame(t *testing.T) {
	maxima, err := exec.LookPath("maxima")
	if err != nil {
		missing(t, "maxima", true)
	}
	for _, c := range peerCases(t) {
		var prog strings.Builder
		prog.WriteString("display2d : false$\nsigma(u) := 1/(1 + exp(-u))$\n")
		var at []string
		for k, v := range c.point {
			at = append(at, fmt.Sprintf("%s = %s", k, strconv.FormatFloat(v, 'f', -1, 64)))
		}
		pt := "[" + strings.Join(at, ", ") + "]"
		for name, src := range c.exprs {
			fmt.Fprintf(&prog, "ex : %s$\nprint(%q, float(ev(ex, %s)))$\n", src, name, pt)
			if name == "input" && len(c.vars) > 0 {
				d := "diff(ex, " + strings.Join(c.vars, ", 1, ") + ", 1)"
				fmt.Fprintf(&prog, "dex : %s$\nprint(%q, float(ev(dex, %s)))$\n", d, name+"'", pt)
			}
		}
		file := filepath.Join(t.TempDir(), "check.mac")
		if err := os.WriteFile(file, []byte(prog.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(maxima, "--very-quiet", "--batch-string", fmt.Sprintf("batchload(%q)$", file)).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: maxima: %v\n%s", c.title, err, out)
		}
		got := map[string]string{}
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) == 2 {
				got[f[0]] = f[1]
			}
		}
		compare(t, "Maxima", c, got)
	}
}
