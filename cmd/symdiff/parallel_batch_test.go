package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/workload"
)

// TestProofBatchInParallel: W8's batch, five definitions before each
// proof, so that every proof runs on a snapshot of the definitions taken
// just before the session defines five more (the copy-on-write table's
// clones and its writes after them, ast.defTable), prints byte for byte
// what it prints one statement at a time, in text, --json and --steps, at
// --jobs 2 and 4. Each proof must be proved, so that a run that fails the
// same way at every setting does not pass.
func TestProofBatchInParallel(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 16
	}
	w := workload.ProofBatch(n)
	script := writeScript(t, "batch.sd", w.Input)
	for _, args := range [][]string{{"run"}, {"run", "--json"}, {"run", "--steps"}} {
		want, wantErr, wantStatus := runMain(t, append(append(args, "--jobs", "1"), script)...)
		if wantStatus != 0 || wantErr != "" {
			t.Fatalf("symdiff %v --jobs 1: status %d, stderr %q", args, wantStatus, wantErr)
		}
		if got := strings.Count(want, "proved"); got < n {
			t.Fatalf("symdiff %v --jobs 1: %d proofs proved, want %d:\n%s", args, got, n, want)
		}
		for _, jobs := range []string{"2", "4"} {
			got, gotErr, gotStatus := runMain(t, append(append(args, "--jobs", jobs), script)...)
			if got != want || gotErr != wantErr || gotStatus != wantStatus {
				t.Errorf("symdiff %v --jobs %s (status %d, stderr %q) differs from --jobs 1:\n%s",
					args, jobs, gotStatus, gotErr, cmp.Diff(want, got))
			}
		}
	}
}
