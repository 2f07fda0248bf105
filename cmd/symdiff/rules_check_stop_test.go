package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRulesCheckStopsOnTime: `rules check` of 400 rules (some 10 s of
// checks) stopped 8-10 s after Ctrl-C: every check still queued ran,
// each one short, and only the report was refused. A check stopped by
// --timeout (the same cancelled context as Ctrl-C) must end soon after
// the limit with the time-limit error, exit 2, and no report.
func TestRulesCheckStopsOnTime(t *testing.T) {
	var src strings.Builder
	for k := range 400 {
		fmt.Fprintf(&src, "rule r%d: exp(u)^%d -> exp(%d*u)\n", k, k+2, k+2)
	}
	file := filepath.Join(t.TempDir(), "many.rules")
	if err := os.WriteFile(file, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	stdout, stderr, status := runMain(t, "rules", "check", "--timeout", "300ms", file)
	took := time.Since(start)
	if status != 2 || !strings.Contains(stderr, "the time limit was reached (--timeout)") || strings.Contains(stdout, "proved") {
		t.Errorf("status %d, stderr %q, stdout %.200q; want the time-limit error, exit 2, no report", status, stderr, stdout)
	}
	// Loading 400 rules is part of it; the loose bound is for a loaded
	// machine (the whole check took 9 s at load 25).
	if took > 3*time.Second {
		t.Errorf("rules check --timeout 300ms took %v", took)
	}
}
