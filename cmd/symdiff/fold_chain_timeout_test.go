package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFoldChainHonoursTimeout: folding a result back into the defined
// names honours --timeout. With a chain of 3,000 definitions
// (a1 := x + 1, ak := a(k-1) + 1) simplify a3000 --timeout 1s stopped
// only after 33 s (9.7 s of CPU; the answer x + 3000 takes as long):
// Simplifier.foldPatterns computes every used definition's canonical body
// and its dependencies (each a walk down the whole chain, quadratic) and
// checks no context.
func TestFoldChainHonoursTimeout(t *testing.T) {
	const n = 3000
	const limit = time.Second
	var b strings.Builder
	b.WriteString("a1 := x + 1\n")
	for k := 2; k <= n; k++ {
		fmt.Fprintf(&b, "a%d := a%d + 1\n", k, k-1)
	}
	defs := filepath.Join(t.TempDir(), "chain.sd")
	if err := os.WriteFile(defs, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status, took := timed(t, "", "simplify", "--defs", defs, fmt.Sprintf("a%d", n), "--timeout", limit.String())
	t.Logf("stopped after %v: status %d, stdout %.60q, stderr %.100q", took, status, stdout, stderr)
	if status != 2 && stdout != fmt.Sprintf("x + %d\n", n) {
		t.Errorf("status %d, stdout %.100q, stderr %.200q; want the time limit's error or x + %d", status, stdout, stderr, n)
	}
	if late := took.Late(limit); late != "" {
		t.Errorf("stopped late: %s", late)
	}
}
