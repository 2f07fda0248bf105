package main

import (
	"strings"
	"testing"
)

// TestSimplifyUndecidedExit: where symdiff cannot decide whether a part
// has a value (1 - sigma(30000) is e^-30000, 0 at every precision the
// check uses, and not exactly 0), simplify says so and exits 3, as a proof
// that could not decide does; it said "undefined" and exited 2. A part
// that is exactly 0 is still undefined (exit 2).
func TestSimplifyUndecidedExit(t *testing.T) {
	for _, c := range []struct {
		expr, want string
		status     int
	}{
		{"1/(1 - sigma(30000))", "cannot decide whether 1/(1 - sigma(30000)) has a value", 3},
		{"log(1 - sigma(30000))", "cannot decide whether log(1 - sigma(30000)) has a value", 3},
		{"1/(1 - exp(3 - 3))", "undefined", 2},
	} {
		stdout, stderr, status := runMain(t, "simplify", c.expr)
		if status != c.status || !strings.Contains(stderr, c.want) {
			t.Errorf("simplify %s: status %d, stdout %q, stderr %q; want status %d and %q", c.expr, status, stdout, stderr, c.status, c.want)
		}
	}
}
