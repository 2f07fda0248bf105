package main

import (
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
