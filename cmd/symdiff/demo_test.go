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
// proofs, and ends with the conclusion.
func TestDemo(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		// seen: lines (trimmed) that must appear before the conclusion.
		seen []string
	}{
		{"unicode", []string{"demo"}, []string{
			"pᵢ := σ(zᵢ)",
			"∂CE/∂zₘ",
			"= (pₘ − yₘ)/n                                                                                     (expand and collect like terms)",
			"∂CE/∂wₖ",
			"proved: ∂CE/∂zₘ == (pₘ − yₘ)/n",
			"proved: ∂CE/∂wₖ == (1/n)·Σ_{i=1}^{n} xᵢₖ·(pᵢ − yᵢ)",
			"proved: ∂MSE/∂wₖ == (2/n)·Σ_{i=1}^{n} xᵢₖ·(qᵢ − yᵢ)",
			"counterexample: d=2 k=1 n=2 w=[2,-0.5] x=[[-0.25,0.75],[1.5,1.25]] y=[0,0]",
		}},
		{"ascii", []string{"demo", "--ascii"}, []string{
			"p[i] := sigma(z[i])",
			"proved: d(CE, z[m]) == (p[m] - y[m])/n",
			"proved: d(CE, w[k]) == mean(i=1..n, x[i,k]*(p[i] - y[i]))",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, status := runMain(t, c.args...)
			if status != 0 || stderr != "" {
				t.Fatalf("symdiff %s: status %d, stderr:\n%s", strings.Join(c.args, " "), status, stderr)
			}
			before, conclusion, ok := strings.Cut(stdout, "\nConclusion\n")
			if !ok {
				t.Fatalf("no Conclusion section in:\n%s", stdout)
			}
			// The conclusion is the last section: no numbered section after it.
			for _, l := range strings.Split(conclusion, "\n") {
				if l != "" && !strings.HasPrefix(l, "   ") {
					t.Errorf("a line after the conclusion is not part of it: %q", l)
				}
			}
			for _, phrase := range []string{
				"features times residual",
				"(c/n)·Xᵀ(ŷ − y)",
				"canonical link",
				"∇CE  = (1/n)·Xᵀ(σ(Xw) − y)",
				"∇MSE = (2/n)·Xᵀ(Xw − y)",
				"They share a form, not a value",
				"probit",
			} {
				if !strings.Contains(conclusion, phrase) {
					t.Errorf("the conclusion lacks %q:\n%s", phrase, conclusion)
				}
			}
			if !strings.HasSuffix(stdout, "as `symdiff diff` on its cross-entropy shows.\n") {
				t.Errorf("the demo does not end with the conclusion's last sentence; it ends:\n%s", tail(stdout, 300))
			}
			// Lines are compared with runs of spaces collapsed: the padding
			// before a justification depends on the longest line.
			collapse := func(s string) string { return strings.Join(strings.Fields(s), " ") }
			have := map[string]bool{}
			for _, l := range strings.Split(before, "\n") {
				have[collapse(l)] = true
			}
			for _, l := range c.seen {
				if !have[collapse(l)] {
					t.Errorf("no line %q before the conclusion", l)
				}
			}
			for _, s := range []string{"1. ", "2. ", "3. ", "4. ", "5. "} {
				if !strings.Contains(before, "\n"+s) {
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

// TestDemoScriptIsTheExample: the embedded demo script is a byte-identical
// copy of examples/logistic.sd (go:embed cannot reach outside the package
// directory, so the copy must be kept in step).
func TestDemoScriptIsTheExample(t *testing.T) {
	example, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "logistic.sd"))
	if err != nil {
		t.Fatal(err)
	}
	copyOnDisk, err := os.ReadFile(filepath.Join("demo", "logistic.sd"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(copyOnDisk, example) {
		t.Errorf("cmd/symdiff/demo/logistic.sd differs from examples/logistic.sd (-example +demo):\n%s",
			cmp.Diff(lines(string(example)), lines(string(copyOnDisk))))
	}
	if demoScript != string(example) {
		t.Errorf("the embedded demo script (%d bytes) differs from examples/logistic.sd (%d bytes)", len(demoScript), len(example))
	}
}
