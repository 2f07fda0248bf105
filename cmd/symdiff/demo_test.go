package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDemo runs `symdiff demo`: it succeeds, shows both derivations and the
// proofs, explains CE, MSE, SQ and the probit contrast, and ends with the
// conclusion drawn from those explanations.
func TestDemo(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		// seen: lines (trimmed) that must appear before the conclusion.
		seen []string
		// why: lines (trimmed) that section 6, explain, must show.
		why []string
		// concl: phrases of the conclusion in the printer's syntax.
		concl []string
	}{
		{"unicode", []string{"demo"}, []string{
			"pᵢ := σ(zᵢ)",
			"∂CE/∂zₘ",
			"= (pₘ − yₘ)/n                                                                                     (expand and collect like terms)",
			"∂CE/∂wₖ",
			"proved: ∂CE/∂zₘ == (pₘ − yₘ)/n",
			"proved: ∂CE/∂wₖ == (1/n)·Σ_{i=1}^{n} xᵢₖ·(pᵢ − yᵢ)",
			"proved: ∂MSE/∂wₖ == (2/n)·Σ_{i=1}^{n} xᵢₖ·(qᵢ − yᵢ)",
			"counterexample: d=2 k=1 n=2 w=[0.5,1] x=[[0.25,0.25],[-2,0.75]] y=[0,1]",
		}, []string{
			"explain CE (predictor zₘ, labels yₘ)",
			"proved: ∂(∂CE/∂zₘ)/∂yₘ == −(1/n) (∂²ℓ/∂z∂y is the constant −c)",
			"family: Bernoulli with its canonical link (logit); logistic regression, labels in {0, 1}",
			"family: Gaussian with its canonical link (identity); least squares",
			"matrix form: ∇_w = (1/n)·Xᵀ(σ(Xw) − y)",
			"refuted: ∂(∂(∂PR/∂zₘ)/∂yₘ)/∂zₘ == 0 (∂²ℓ/∂z∂y does not depend on z)",
			"refuted: ∂(∂(∂SQ/∂zₘ)/∂yₘ)/∂zₘ == 0 (∂²ℓ/∂z∂y does not depend on z)",
			"the factor μ′(z)/V(μ) = φ(zₘ)/(Φ(zₘ)·(1 − Φ(zₘ))) does not cancel, so the link is not the Bernoulli family's canonical one",
			"the factor μ′(z)/V(μ) = pₘ·(1 − pₘ) = σ(zₘ)·(1 − σ(zₘ)) does not cancel, so the link is not the Gaussian family's canonical one",
		}, []string{
			"logistic regression: μ(z) = σ(z), c = 1/n, A(z) = softplus(z): Bernoulli, canonical link logit",
			"linear regression:   μ(z) = z, c = 2/n, A(z) = z²/2: Gaussian, canonical link identity",
			"nor for probit (μ = Φ(z)): W(z) = φ(z)/(n·Φ(z)·(1 − Φ(z))), and ∂²ℓ/∂z∂y is not constant",
			"Softmax with categorical cross-entropy is one more (labels one-hot): categorical, A = logsumexp, μ = softmax,",
			"∇XE  = (1/n)·Xᵀ(softmax(XW) − T)",
			// Computed from the matrix losses (section 7), not from explain.
			"∇_w CE  = Xᵀ·(σ(X·w) − y)/n    (derived from the matrix loss and proved, section 7)",
			"∇_w MSE = 2·Xᵀ·(X·w − y)/n",
		}},
		{"ascii", []string{"demo", "--ascii"}, []string{
			"p[i] := sigma(z[i])",
			"proved: d(CE, z[m]) == (p[m] - y[m])/n",
			"proved: d(CE, w[k]) == mean(i=1..n, x[i,k]*(p[i] - y[i]))",
		}, []string{
			"explain CE (predictor z[m], labels y[m])",
			"proved: d(d(CE, z[m]), y[m]) == -(1/n) (∂²ℓ/∂z∂y is the constant −c)",
			"refuted: d(d(d(PR, z[m]), y[m]), z[m]) == 0 (∂²ℓ/∂z∂y does not depend on z)",
		}, []string{
			"logistic regression: μ(z) = sigma(z), c = 1/n, A(z) = softplus(z): Bernoulli, canonical link logit",
			"nor for probit (μ = Phi(z)): W(z) = phi(z)/(n*Phi(z)*(1 - Phi(z))), and ∂²ℓ/∂z∂y is not constant",
			"d(CE, w)  = X'*(sigma(X*w) - y)/n    (derived from the matrix loss and proved, section 7)",
			"d(MSE, w) = 2*X'*(X*w - y)/n",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, status := runMain(t, c.args...)
			if status != 0 || stderr != "" {
				t.Fatalf("symdiff %s: status %d, stderr:\n%s", strings.Join(c.args, " "), status, stderr)
			}
			before, conclusion, ok := strings.Cut(stdout, "\nConclusion (drawn from explain: each line rests on a proof or a counterexample above)\n")
			if !ok {
				t.Fatalf("no Conclusion section in:\n%s", stdout)
			}
			// The conclusion is the last section: no numbered section after it.
			for _, l := range strings.Split(conclusion, "\n") {
				if l != "" && !strings.HasPrefix(l, "   ") {
					t.Errorf("a line after the conclusion is not part of it: %q", l)
				}
			}
			for _, phrase := range append([]string{
				"features times residual",
				"c·Xᵀ(μ(Xw) − y)",
				"They share a form, not a value",
			}, c.concl...) {
				if !strings.Contains(conclusion, phrase) {
					t.Errorf("the conclusion lacks %q:\n%s", phrase, conclusion)
				}
			}
			if !strings.HasSuffix(stdout, "(refuted with a counterexample above).\n") {
				t.Errorf("the demo does not end with the conclusion's last sentence; it ends:\n%s", tail(stdout, 300))
			}
			// Lines are compared with runs of spaces collapsed: the padding
			// before a justification depends on the longest line.
			collapse := func(s string) string { return strings.Join(strings.Fields(s), " ") }
			claims, why, ok := strings.Cut(before, "\n6. ")
			if !ok {
				t.Fatalf("no section 6 in:\n%s", before)
			}
			have := map[string]bool{}
			for _, l := range strings.Split(claims, "\n") {
				have[collapse(l)] = true
			}
			for _, l := range c.seen {
				if !have[collapse(l)] {
					t.Errorf("no line %q before section 6", l)
				}
			}
			explained := map[string]bool{}
			for _, l := range strings.Split(why, "\n") {
				explained[collapse(l)] = true
			}
			for _, l := range c.why {
				if !explained[collapse(l)] {
					t.Errorf("no line %q in section 6", l)
				}
			}
			if !strings.Contains(why, "\n7. In matrix notation") {
				t.Errorf("no section 7, the matrix form")
			}
			for _, s := range []string{"1. ", "2. ", "3. ", "4. ", "5. "} {
				if !strings.Contains(claims, "\n"+s) {
					t.Errorf("no section %q", s)
				}
			}
			for l := range have {
				for _, bad := range []string{"refuted:", "unknown:", "fails:"} {
					if strings.HasPrefix(l, bad) {
						t.Errorf("a claim of the demo does not hold: %q", l)
					}
				}
			}
		})
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// TestDemoScriptIsTheExample: the embedded demo scripts are byte-identical
// copies of examples/logistic.sd and examples/logistic-matrix.sd
// (go:embed cannot reach outside the package directory, so the copies
// must be kept in step).
func TestDemoScriptIsTheExample(t *testing.T) {
	for _, c := range []struct{ file, embedded string }{{"logistic.sd", demoScript}, {"logistic-matrix.sd", demoMatrixScript}} {
		example, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", c.file))
		if err != nil {
			t.Fatal(err)
		}
		copyOnDisk, err := os.ReadFile(filepath.Join("demo", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(copyOnDisk, example) {
			t.Errorf("cmd/symdiff/demo/%s differs from examples/%s (-example +demo):\n%s",
				c.file, c.file, cmp.Diff(lines(string(example)), lines(string(copyOnDisk))))
		}
		if c.embedded != string(example) {
			t.Errorf("the embedded demo script (%d bytes) differs from examples/%s (%d bytes)", len(c.embedded), c.file, len(example))
		}
	}
}

// TestDemoMatrixGolden keeps section 7, the seed in matrix notation, in
// golden files (Unicode and --ascii); -update rewrites them. Every
// formula in it is computed: the test TestDemoMatrixComputed below shows
// that a different loss gives a different section.
func TestDemoMatrixGolden(t *testing.T) {
	for _, c := range []struct {
		file string
		args []string
	}{{"demo-matrix.golden", []string{"demo"}}, {"demo-matrix.ascii.golden", []string{"demo", "--ascii"}}} {
		t.Run(c.file, func(t *testing.T) {
			stdout, stderr, status := runMain(t, c.args...)
			if status != 0 || stderr != "" {
				t.Fatalf("status %d, stderr:\n%s", status, stderr)
			}
			_, rest, ok := strings.Cut(stdout, "\n7. ")
			if !ok {
				t.Fatalf("no section 7 in:\n%s", stdout)
			}
			section, _, ok := strings.Cut("7. "+rest, "\nConclusion")
			if !ok {
				t.Fatalf("no conclusion after section 7:\n%s", rest)
			}
			path := filepath.Join(goldenDir(t), c.file)
			if *update {
				if err := os.WriteFile(path, []byte(section), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(lines(string(want)), lines(section)); diff != "" {
				t.Errorf("section 7 differs from %s (-want +got):\n%s", c.file, diff)
			}
		})
	}
}
