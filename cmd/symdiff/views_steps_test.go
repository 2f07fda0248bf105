package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestViewsShowOneDerivation checks that every view of a result's steps
// renders the same steps, ending on the result, over hand-picked and
// random expressions, for diff and simplify, with and without --steps:
//
//   - simplify: the text of --steps and the steps of --json list the same
//     forms with the same rule words, the REPL's :steps the same forms,
//     and the last form is the result;
//   - diff: --steps (Unicode), --steps --json and --json list the same
//     forms (plain and Unicode), --steps --json and --json the same rule
//     names, LaTeX as many lines, and the last form is the result;
//   - the input, each step's form and the result are equal in value at
//     random points, by ast.Eval (float64, not the simplifier) with
//     unevaluated derivatives taken by central differences.
//
// It reads only the command's output: the forms are parsed back.
func TestViewsShowOneDerivation(t *testing.T) {
	fixed := []string{
		"x - softplus(x)", "(z/x)^x", "log(exp(softplus(y)))", "sin(max(min(x, -1), y/x))",
		"sigma(-x) + sigma(x)", "exp(x)/(1 + exp(x))", "sigma(x)^2", "x*x + 2*x*x",
		"log(sigma(x)/(1 - sigma(x)))", "(exp(x) - exp(-x))/(exp(x) + exp(-x))",
	}
	r := rand.New(rand.NewPCG(6, 6))
	exprs := append([]string{}, fixed...)
	n := 60
	if testing.Short() {
		n = 15
	}
	for range n {
		exprs = append(exprs, randomViewExpr(r, 3))
	}
	for _, e := range exprs {
		for _, v := range []string{"x", "y"} {
			t.Run("diff "+e+" by "+v, func(t *testing.T) { checkDiffViews(t, r, e, v) })
		}
		t.Run("simplify "+e, func(t *testing.T) { checkSimplifyViews(t, r, e) })
	}
}

func randomViewExpr(r *rand.Rand, depth int) string {
	leaves := []string{"x", "y", "z", "1", "2", "-1", "1/2"}
	if depth == 0 || r.IntN(4) == 0 {
		return leaves[r.IntN(len(leaves))]
	}
	a := func() string { return randomViewExpr(r, depth-1) }
	switch r.IntN(14) {
	case 0:
		return "(" + a() + " + " + a() + ")"
	case 1:
		return "(" + a() + " - " + a() + ")"
	case 2, 3:
		return a() + "*" + a()
	case 4:
		return "(" + a() + ")/(" + a() + ")"
	case 5:
		return "(" + a() + ")^" + []string{"2", "3", "-1", "x"}[r.IntN(4)]
	case 6:
		return "exp(" + a() + ")"
	case 7:
		return "log(" + a() + ")"
	case 8:
		return "sigma(" + a() + ")"
	case 9:
		return "softplus(" + a() + ")"
	case 10:
		return []string{"sin", "cos", "tanh"}[r.IntN(3)] + "(" + a() + ")"
	case 11:
		return []string{"max", "min"}[r.IntN(2)] + "(" + a() + ", " + a() + ")"
	case 12:
		return "x - softplus(" + a() + ")"
	default:
		return "sqrt(" + a() + ")"
	}
}

// viewJSON is what the JSON views say of a result and its steps.
type viewJSON struct {
	Result     string `json:"result"`
	Derivative string `json:"derivative"`
	Steps      []struct {
		Result    string `json:"result"` // --json
		Expr      string `json:"expr"`   // --steps --json
		Formatted string `json:"formatted"`
		Name      string `json:"name"`
		Rule      string `json:"rule"`
	} `json:"steps"`
}

func runView(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	out, stderr, status := runMain(t, args...)
	if status != 0 {
		// An input undefined everywhere or out of the engine's reach is
		// not a view's matter; every view must then refuse alike.
		t.Logf("%v: status %d: %s", args, status, stderr)
		return "", false
	}
	return out, true
}

func decodeView(t *testing.T, out string) viewJSON {
	t.Helper()
	var v viewJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	return v
}

// textSteps reads the lines "  = form    (why)" or "  = form    [why]"
// of a text view, after its first line.
func textSteps(t *testing.T, out string, open string) (forms, whys []string, last string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "  = ") {
			last = l
			continue
		}
		l = strings.TrimPrefix(l, "  = ")
		i := strings.Index(l, "    "+open)
		if i < 0 {
			t.Fatalf("step line without its justification: %q", l)
		}
		forms = append(forms, strings.TrimRight(l[:i], " "))
		whys = append(whys, strings.TrimSuffix(strings.TrimPrefix(l[i+4:], open), map[string]string{"(": ")", "[": "]"}[open]))
	}
	return forms, whys, last
}

func checkDiffViews(t *testing.T, r *rand.Rand, e, v string) {
	text, ok1 := runView(t, "diff", "--steps", e, v)
	stepsJSON, ok2 := runView(t, "diff", "--steps", "--json", "--unicode", e, v)
	plainJSON, ok3 := runView(t, "diff", "--json", e, v)
	tex, ok4 := runView(t, "latex", e, "--wrt", v)
	if !(ok1 && ok2 && ok3 && ok4) {
		if ok1 || ok2 || ok3 || ok4 {
			t.Fatalf("some views refuse the derivative and some show it: %v %v %v %v", ok1, ok2, ok3, ok4)
		}
		return
	}
	forms, _, _ := textSteps(t, text, "(")
	sj, pj := decodeView(t, stepsJSON), decodeView(t, plainJSON)
	if len(forms) != len(sj.Steps) || len(forms) != len(pj.Steps) {
		t.Fatalf("the views list %d (text), %d (--steps --json) and %d (--json) steps:\n%s\n%s\n%s", len(forms), len(sj.Steps), len(pj.Steps), text, stepsJSON, plainJSON)
	}
	if n := strings.Count(tex, "&="); n != len(forms) {
		t.Errorf("LaTeX shows %d lines, text %d:\n%s\n%s", n, len(forms), tex, text)
	}
	if sj.Result != pj.Result {
		t.Fatalf("results differ: %q (--steps --json), %q (--json)", sj.Result, pj.Result)
	}
	plain := []string{}
	for i, st := range sj.Steps {
		p := pj.Steps[i]
		if st.Expr != p.Result || st.Formatted != forms[i] || st.Name != p.Name {
			t.Errorf("step %d differs between views:\n  text:          %s\n  --steps --json: %s = %s [%s]\n  --json:        %s [%s]", i+1, forms[i], st.Expr, st.Formatted, st.Name, p.Result, p.Name)
		}
		plain = append(plain, st.Expr)
	}
	if n := len(plain); n > 0 && plain[n-1] != pj.Result {
		t.Errorf("the steps end on %s, the result is %s", plain[n-1], pj.Result)
	}
	noDetour(t, text, forms)
	checkChainValues(t, r, append(append([]string{sj.Derivative}, plain...), pj.Result))
}

// noDetour requires a chain to show each form once: a step back to a form
// shown before (σ(y) = σ(y)·(e^y + 1)·(1 − σ(y)) = σ(y)) is a detour, and
// the first line is the start.
func noDetour(t *testing.T, text string, forms []string) {
	t.Helper()
	seen := map[string]bool{strings.SplitN(text, "\n", 2)[0]: true}
	for _, f := range forms {
		if seen[f] {
			t.Errorf("the chain shows %s twice:\n%s", f, text)
		}
		seen[f] = true
	}
}

func checkSimplifyViews(t *testing.T, r *rand.Rand, e string) {
	text, ok1 := runView(t, "simplify", "--steps", e)
	js, ok2 := runView(t, "simplify", "--json", e)
	plainOut, ok3 := runView(t, "simplify", e)
	if !(ok1 && ok2 && ok3) {
		if ok1 || ok2 || ok3 {
			t.Fatalf("some views refuse the input and some show it: %v %v %v", ok1, ok2, ok3)
		}
		return
	}
	forms, whys, last := textSteps(t, text, "[")
	j := decodeView(t, js)
	result := strings.TrimSpace(plainOut)
	if last != result || j.Result != result {
		t.Fatalf("results differ: %q (--steps), %q (--json), %q", last, j.Result, result)
	}
	if len(forms) != len(j.Steps) {
		t.Fatalf("the views list %d (text) and %d (--json) steps:\n%s\n%s", len(forms), len(j.Steps), text, js)
	}
	for i, st := range j.Steps {
		if st.Result != forms[i] || st.Rule != whys[i] {
			t.Errorf("step %d differs between views: %s [%s] (text), %s [%s] (--json)", i+1, forms[i], whys[i], st.Result, st.Rule)
		}
	}
	// The REPL's :steps after the same input: the same forms.
	if out, stderr, status := runMainStdin(t, e+"\n:steps\n", "repl"); status == 0 {
		_, after, _ := strings.Cut(out, "\n") // the result, then :steps
		rf, _, _ := textSteps(t, after, "(")
		if strings.Join(rf, "\n") != strings.Join(forms, "\n") {
			t.Errorf("the REPL's :steps shows\n%s\nsimplify --steps\n%s", after, text)
		}
	} else {
		t.Errorf("repl: status %d: %s", status, stderr)
	}
	if n := len(forms); n > 0 && forms[n-1] != result {
		t.Errorf("the steps end on %s, the result is %s:\n%s", forms[n-1], result, text)
	}
	noDetour(t, text, forms)
	checkChainValues(t, r, append(append([]string{e}, forms...), result))
}

// checkChainValues evaluates each form of a chain at random points and
// requires each to equal the one before wherever both are defined.
func checkChainValues(t *testing.T, r *rand.Rand, chain []string) {
	t.Helper()
	exprs := make([]ast.Expr, len(chain))
	for i, s := range chain {
		x, err := parser.ParseExpr(s, nil)
		if err != nil {
			t.Fatalf("form %q does not parse back: %v", s, err)
		}
		exprs[i] = x
	}
	for range 4 {
		b := ast.Bindings{}
		for _, n := range []string{"x", "y", "z"} {
			b[n] = ast.Value{Data: []float64{(r.Float64()*2 - 1) * 3}}
		}
		for i := 1; i < len(exprs); i++ {
			a, errA := evalWithDerivs(exprs[i-1], b)
			c, errC := evalWithDerivs(exprs[i], b)
			if errA != nil || errC != nil || math.IsNaN(a) || math.IsNaN(c) || math.IsInf(a, 0) || math.IsInf(c, 0) {
				continue
			}
			if math.Abs(a-c) > 1e-4*(1+math.Max(math.Abs(a), math.Abs(c))) {
				t.Errorf("at %v: %s = %v but the next form %s = %v", bindingsText(b), chain[i-1], a, chain[i], c)
			}
		}
	}
}

func bindingsText(b ast.Bindings) string {
	return fmt.Sprintf("x=%v y=%v z=%v", b["x"].Data[0], b["y"].Data[0], b["z"].Data[0])
}

// evalWithDerivs is ast.Eval with each unevaluated d(E, v) taken by a
// central difference of E, so that a derivation's lines before the
// derivatives are taken can be checked against the lines after.
func evalWithDerivs(e ast.Expr, b ast.Bindings) (float64, error) {
	var derr error
	k := 0
	b2 := ast.Bindings{}
	for n, v := range b {
		b2[n] = v
	}
	var walk func(x ast.Expr) ast.Expr
	walk = func(x ast.Expr) ast.Expr {
		if d, ok := x.(*ast.Deriv); ok {
			v := d.Wrt.(*ast.Sym).Name
			at := b[v].Data[0]
			h := 1e-5 * (1 + math.Abs(at))
			shift := func(dx float64) (float64, error) {
				b3 := ast.Bindings{}
				for n, val := range b {
					b3[n] = val
				}
				b3[v] = ast.Value{Data: []float64{at + dx}}
				return evalWithDerivs(d.X, b3)
			}
			hi, e1 := shift(h)
			lo, e2 := shift(-h)
			if e1 != nil || e2 != nil {
				derr = fmt.Errorf("derivative undefined near the point")
			}
			k++
			name := fmt.Sprintf("dd%d", k)
			b2[name] = ast.Value{Data: []float64{(hi - lo) / (2 * h)}}
			return ast.NewSym(name)
		}
		kids := ast.Children(x)
		if len(kids) == 0 {
			return x
		}
		nk := make([]ast.Expr, len(kids))
		for i, c := range kids {
			nk[i] = walk(c)
		}
		return ast.WithChildren(x, nk)
	}
	x := walk(e)
	if derr != nil {
		return 0, derr
	}
	return ast.Eval(x, nil, b2)
}
