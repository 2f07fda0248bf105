package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

const ceOf = "CE := -mean(i=1..n, y[i]*log(sigma(z[i])) + (1 - y[i])*log(1 - sigma(z[i])))\n"

// TestExplainPredictorForms: explain on scripts whose predictor z is not
// exactly sum(j, x[i,j]*w[j]) (hunt7's scripts and variants). z = Xw + b,
// Xw + o[i] or Xw + Uv is linear in w: the verdict through w is the one
// through z, with the weight gradient derived. w², exp(w), a scale or
// Xw + w[1]² inside z: explain says so and explains through z, never
// taking w[m] for the predictor (x[m,m], the label index tied to the
// weight's). Losses are found without --loss, with and without --wrt w.
// Text and --json agree on the verdict and the exit status, and every
// gradient stated in --json (∂ℓ/∂z, and the weights' index form) is
// checked against central finite differences of the loss.
func TestExplainPredictorForms(t *testing.T) {
	pm := []float64{-1, 1}
	for _, c := range []struct {
		name, script, wrt string
		verdict           string // "residual form" or "not residual form"
		weights           bool   // a weight gradient is derived
		matrix            string // in its matrix form, or "" for none
		note              string // a note that must be there
		labels            []float64
	}{
		{"intercept", "z[i] := sum(j=1..d, x[i,j]*w[j]) + b\n" + ceOf, "w", "residual form", true, "(1/n)·Xᵀ(σ(Xw + b) − y)", "w are the weights of the linear predictor z", nil},
		{"intercept, no --wrt", "z[i] := sum(j=1..d, x[i,j]*w[j]) + b\n" + ceOf, "", "residual form", true, "(1/n)·Xᵀ(σ(Xw + b) − y)", "", nil},
		{"intercept first", "z[i] := b + sum(j=1..d, w[j]*x[i,j])\n" + ceOf, "w", "residual form", true, "(1/n)·Xᵀ(σ(Xw + b) − y)", "", nil},
		{"intercept and L2", "z[i] := sum(j=1..d, x[i,j]*w[j]) + b\nCE := -mean(i=1..n, y[i]*log(sigma(z[i])) + (1 - y[i])*log(1 - sigma(z[i]))) + lam*sum(j=1..d, w[j]^2)\n", "w", "residual form", true, "1/n·Xᵀ(σ(Xw + b) − y) + 2·lam·w", "", nil},
		{"offset, Poisson", "z[i] := sum(j=1..d, x[i,j]*w[j]) + o[i]\nPO := mean(i=1..n, exp(z[i]) - y[i]*z[i])\n", "w", "residual form", true, "(1/n)·Xᵀ(exp(Xw + o) − y)", "", nil},
		{"two weight vectors, w", "z[i] := sum(j=1..d, x[i,j]*w[j]) + sum(j=1..e, u[i,j]*v[j])\n" + ceOf, "w", "residual form", true, "", "w are the weights of the linear predictor z", nil},
		{"two weight vectors, v", "z[i] := sum(j=1..d, x[i,j]*w[j]) + sum(j=1..e, u[i,j]*v[j])\n" + ceOf, "v", "residual form", true, "", "v are the weights of the linear predictor z", nil},
		{"plain, --wrt w", "z[i] := sum(j=1..d, x[i,j]*w[j])\n" + ceOf + "assume y[i] in {0, 1}\n", "w", "residual form", true, "(1/n)·Xᵀ(σ(Xw) − y)", "", nil},
		{"weighted", "z[i] := sum(j=1..d, x[i,j]*w[j])\nCE := -mean(i=1..n, s[i]*(y[i]*log(sigma(z[i])) + (1 - y[i])*log(1 - sigma(z[i]))))\n", "w", "residual form", true, "Xᵀdiag(s/n)·(σ(Xw) − y)", "", nil},
		{"hinge", "z[i] := sum(j=1..d, x[i,j]*w[j])\nHU := mean(i=1..n, max(0, 1 - y[i]*z[i]))\n", "w", "not residual form", false, "", "", nil},
		{"softplus ±1", "z[i] := sum(j=1..d, x[i,j]*w[j])\nL := mean(i=1..n, softplus(-y[i]*z[i]))\nassume y[i] in {-1, 1}\n", "w", "residual form", true, "(1/(2·n))·Xᵀ(2·σ(Xw) − 1 − y)", "", pm},
		{"softplus 0/1", "z[i] := sum(j=1..d, x[i,j]*w[j])\nL := mean(i=1..n, softplus(-y[i]*z[i]))\nassume y[i] in {0, 1}\n", "w", "not residual form", false, "", "", []float64{0, 1}},
		{"w squared", "z[i] := sum(j=1..d, x[i,j]*w[j]^2)\n" + ceOf, "w", "residual form", false, "", "z is not a linear predictor sum(j, x[i,j]*w[j])", nil},
		{"w times w", "z[i] := sum(j=1..d, x[i,j]*w[j]*w[j])\nL := mean(i=1..n, (z[i]-y[i])^2)\n", "w", "residual form", false, "", "z is not a linear predictor sum(j, x[i,j]*w[j])", nil},
		{"exp(w)", "z[i] := sum(j=1..d, x[i,j]*exp(w[j]))\nPO := mean(i=1..n, exp(z[i]) - y[i]*z[i])\n", "w", "residual form", false, "", "z is not a linear predictor sum(j, x[i,j]*w[j])", nil},
		{"w[1]² added", "z[i] := sum(j=1..d, x[i,j]*w[j]) + w[1]^2\n" + ceOf, "w", "residual form", false, "", "z is not a linear predictor sum(j, x[i,j]*w[j])", nil},
		{"scaled", "z[i] := 2*sum(j=1..d, x[i,j]*w[j])\n" + ceOf, "w", "residual form", false, "", "z is not a linear predictor sum(j, x[i,j]*w[j])", nil},
		{"defined offset of w", "q := w[1]^2\nz[i] := sum(j=1..d, x[i,j]*w[j]) + q\n" + ceOf, "w", "residual form", false, "", "z is not a linear predictor sum(j, x[i,j]*w[j])", nil},
		{"probit with intercept", "z[i] := sum(j=1..d, x[i,j]*w[j]) + b\nPR := -mean(i=1..n, y[i]*log(Phi(z[i])) + (1 - y[i])*log(1 - Phi(z[i])))\n", "w", "not residual form", false, "", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "loss.sd")
			if err := os.WriteFile(file, []byte(c.script), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"explain", file}
			if c.wrt != "" {
				args = append(args, "--wrt", c.wrt)
			}
			text, errText, status := runMain(t, args...)
			js, errJS, statusJS := runMain(t, append(args, "--json")...)
			if status != 0 || statusJS != 0 {
				t.Fatalf("status %d, --json %d: %s%s%s", status, statusJS, text, errText, errJS)
			}
			var e struct {
				Verdict, Gradient, Predictor, Label string
				Notes                               []string
				Weights                             *struct{ Index, Matrix, Wrt string }
			}
			if err := json.Unmarshal([]byte(js), &e); err != nil {
				t.Fatalf("--json: %v\n%s", err, js)
			}
			if e.Verdict != c.verdict || !strings.Contains(text, "\n  "+c.verdict+": ") {
				t.Errorf("verdict %q (--json), want %q; text:\n%s", e.Verdict, c.verdict, text)
			}
			// The predictor is z, never the weights (w[m] beside x[m,m]).
			if e.Predictor != "z[m]" || strings.Contains(text, "xₘₘ") || strings.Contains(text, "kink in the label") {
				t.Errorf("predictor %q; text:\n%s", e.Predictor, text)
			}
			if (e.Weights != nil) != c.weights || strings.Contains(text, "\n  weights (") != c.weights {
				t.Errorf("weight gradient %+v, want one: %v; text:\n%s", e.Weights, c.weights, text)
			}
			if e.Weights != nil && e.Weights.Matrix != c.matrix {
				t.Errorf("matrix form %q, want %q", e.Weights.Matrix, c.matrix)
			}
			if c.note != "" && !strings.Contains(strings.Join(e.Notes, "\n"), c.note) {
				t.Errorf("no note %q in %q", c.note, e.Notes)
			}
			for _, n := range e.Notes {
				if !strings.Contains(text, n) {
					t.Errorf("note %q in --json, not in the text:\n%s", n, text)
				}
			}
			checkStatedGradients(t, c.script, e.Gradient, e.Weights, c.labels)
		})
	}
}

// checkStatedGradients compares ∂ℓ/∂z[m] and the weights' index form, as
// --json states them, with central finite differences of the loss at
// random points (labels from set, or in (0, 1)).
func checkStatedGradients(t *testing.T, script, grad string, wg *struct{ Index, Matrix, Wrt string }, set []float64) {
	t.Helper()
	var src []string
	loss := ""
	for _, l := range strings.Split(strings.TrimSpace(script), "\n") {
		if strings.HasPrefix(l, "assume") {
			continue
		}
		src = append(src, l)
		if n, _, ok := strings.Cut(l, " :="); ok && !strings.Contains(n, "[") {
			loss = n // the last scalar definition
		}
	}
	defs := parsetest.DefsFrom(t, strings.Join(src, "\n"))
	L := parsetest.MustParse(t, loss, defs)
	noZ := defs.Clone()
	noZ.Remove("z")
	rng := rand.New(rand.NewPCG(3, 5))
	const n, d, h = 3, 2, 1e-5
	arr := func(size int, lo, hi float64) ast.Value {
		v := ast.Value{Shape: []int{size}, Data: make([]float64, size)}
		for i := range v.Data {
			v.Data[i] = lo + (hi-lo)*rng.Float64()
		}
		return v
	}
	mat := func() ast.Value { v := arr(n*d, -1.5, 1.5); v.Shape = []int{n, d}; return v }
	eval := func(e ast.Expr, defs *ast.Defs, b ast.Bindings) float64 {
		v, err := ast.Eval(e, defs, b)
		if err != nil {
			t.Fatalf("eval %s: %v", ast.String(e), err)
		}
		return v
	}
	fd := func(e ast.Expr, defs *ast.Defs, b ast.Bindings, name string, at int) float64 {
		v := b[name].Data
		saved := v[at]
		v[at] = saved + h
		up := eval(e, defs, b)
		v[at] = saved - h
		down := eval(e, defs, b)
		v[at] = saved
		return (up - down) / (2 * h)
	}
	for range 5 {
		b := ast.Bindings{"n": ast.Scalar(n), "d": ast.Scalar(d), "e": ast.Scalar(d), "x": mat(), "u": mat(),
			"w": arr(d, -1, 1), "v": arr(d, -1, 1), "b": arr(1, -1, 1), "o": arr(n, -1, 1), "s": arr(n, 0.5, 2),
			"lam": arr(1, 0.1, 1), "y": arr(n, 0.05, 0.95), "z": arr(n, -2, 2), "m": ast.Scalar(1), "k": ast.Scalar(1)}
		b["b"], b["lam"] = ast.Scalar(b["b"].Data[0]), ast.Scalar(b["lam"].Data[0])
		if set != nil {
			for i := range b["y"].Data {
				b["y"].Data[i] = set[rng.IntN(len(set))]
			}
		}
		// ∂ℓ/∂z[1], z drawn by itself (its definition removed).
		if got, want := eval(parsetest.MustParse(t, grad, noZ), noZ, b), fd(L, noZ, b, "z", 0); !parsetest.Near(got, want, 1e-5, 1e-6) {
			t.Errorf("∂ℓ/∂z[1] = %s = %g, finite differences %g at %v", grad, got, want, b)
		}
		if wg == nil {
			continue
		}
		// ∂L/∂w[1] (or v[1]), z computed from its definition.
		wName, _, _ := strings.Cut(wg.Wrt, "[")
		if got, want := eval(parsetest.MustParse(t, wg.Index, defs), defs, b), fd(L, defs, b, wName, 0); !parsetest.Near(got, want, 1e-5, 1e-6) {
			t.Errorf("∂L/∂%s[1] = %s = %g, finite differences %g at %v", wName, wg.Index, got, want, b)
		}
	}
}

// TestExplainFindsLossesThroughWeights: with --wrt naming the weights, or
// with no --wrt and a predictor with an intercept, explain finds the
// losses; where the only predictor is not linear in its weights, it says
// which and how to explain through it.
func TestExplainFindsLossesThroughWeights(t *testing.T) {
	for _, c := range []struct {
		script string
		args   []string
		want   []string // in stdout, or in stderr when the status is 2
		status int
	}{
		{"z[i] := sum(j=1..d, x[i,j]*w[j])\n" + ceOf + "SQ := mean(i=1..n, (z[i] - y[i])^2)\nR := sum(j=1..d, w[j]^2)\n", []string{"--wrt", "w"}, []string{"explain CE (", "explain SQ ("}, 0},
		{"z[i] := sum(j=1..d, x[i,j]*w[j]) + b\n" + ceOf, nil, []string{"explain CE (", "Xᵀ(σ(Xw + b) − y)"}, 0},
		{"z[i] := sum(j=1..d, x[i,j]*w[j]^2)\n" + ceOf, nil, []string{"no loss to explain", "z is defined, but not as one: explain through it with --wrt z"}, 2},
		{"z[i] := sum(j=1..d, x[i,j]*w[j])\n" + ceOf + "R := sum(j=1..d, w[j]^2)\n", []string{"--wrt", "w", "--loss", "R"}, []string{"no labels"}, 2},
		{"z[i] := sum(j=1..d, x[i,j]*w[j])\n" + ceOf, []string{"--wrt", "q"}, []string{"no loss to explain: no scalar definition of the script depends on q"}, 2},
	} {
		file := filepath.Join(t.TempDir(), "loss.sd")
		if err := os.WriteFile(file, []byte(c.script), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, status := runMain(t, append([]string{"explain", file}, c.args...)...)
		if status != c.status {
			t.Errorf("%q %v: status %d, want %d: %s%s", c.script, c.args, status, c.status, out, errOut)
			continue
		}
		got := out
		if status == 2 {
			got = errOut
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q %v: no %q in:\n%s", c.script, c.args, w, got)
			}
		}
	}
}
