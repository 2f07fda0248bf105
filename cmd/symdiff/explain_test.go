package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainInParallel: explain statements read the session only, so run
// computes them beside the proofs around them and prints what it prints
// one statement at a time.
func TestExplainInParallel(t *testing.T) {
	script := filepath.Join(repoRoot(t), "examples", "seed-claims.sd")
	for _, args := range [][]string{{"run"}, {"run", "--json"}} {
		want, wantErr, wantStatus := runMain(t, append(append(args, "--jobs", "1"), script)...)
		got, gotErr, gotStatus := runMain(t, append(append(args, "--jobs", "4"), script)...)
		if got != want || gotErr != wantErr || gotStatus != wantStatus || wantStatus != 0 {
			t.Errorf("symdiff %v: in parallel (status %d) differs from one at a time (status %d):\n%s\nwant:\n%s", args, gotStatus, wantStatus, got, want)
		}
		if !strings.Contains(want, "explain PR") && !strings.Contains(want, `"loss":"PR"`) {
			t.Errorf("symdiff %v: no explanation of PR in:\n%s", args, want)
		}
	}
}

// TestExplainNoMatrixFormOffFullRanges: a softmax loss over the classes
// 2..K is proved for l = 2..K, and no output (text, JSON, LaTeX) states
// a matrix form, whose softmax would run over every class; the text says
// why and for which ranges the index form holds.
func TestExplainNoMatrixFormOffFullRanges(t *testing.T) {
	script := filepath.Join(t.TempDir(), "softmax2.sd")
	src := "Z[i,l] := sum(j=1..d, x[i,j]*W[j,l])\nP[i,l] := exp(Z[i,l])/sum(j=2..K, exp(Z[i,j]))\nloss := -mean(i=1..n, sum(l=2..K, t[i,l]*log(P[i,l])))\n"
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"no matrix form for the weight gradient: it is proved for the classes l = 2..K only", "for k = 1..d, l = 2..K", "one-hot labels (Σ_{j=2}^{K}"}},
		{[]string{"--json"}, []string{"no matrix form for the weight gradient", `"says":"sum(j=2..K, `}},
		{[]string{"--latex"}, []string{"no matrix form for the weight gradient"}},
	} {
		args := append([]string{"explain", "--one-hot", "--assume", "l in 2..K"}, c.args...)
		out, errOut, status := runMain(t, append(args, script)...)
		if status != 0 {
			t.Fatalf("symdiff %v: status %d: %s", c.args, status, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("symdiff %v: no %q in:\n%s", c.args, w, out)
			}
		}
		for _, bad := range []string{"matrix form: ∇_w", "=1..K, t", "=1..K, y", "softmax(XW)", "softmax(X*W)", `\operatorname{softmax}`, `"matrix_expr"`, `"matrix":""`} {
			if strings.Contains(out, bad) {
				t.Errorf("symdiff %v: %q in:\n%s", c.args, bad, out)
			}
		}
	}
}
