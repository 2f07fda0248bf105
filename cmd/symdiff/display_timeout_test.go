package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDisplayFormsHonourTimeout: choosing the form a result is shown in
// (the coefficients of a collected sum factored, the sums collected)
// honours --timeout. Before the display forms took the simplifier's
// context, factoring the degree-24 coefficient below ran 1.8-3.5 s past
// a 50 ms limit, and expanding (x+y+z+1)^20 to collect it 1.2 s.
func TestDisplayFormsHonourTimeout(t *testing.T) {
	const limit = 50 * time.Millisecond
	fs := make([]string, 12)
	for i := range fs {
		fs[i] = fmt.Sprintf("(x^2 + %d*y + %d)", i+1, i+2)
	}
	for _, e := range []string{
		"w*(z*(" + strings.Join(fs, "*") + " + 1) + z^2)",
		"w*((x + y + z + 1)^20 + 1)",
	} {
		stdout, stderr, status, took := timed(t, "", "simplify", e, "--timeout", limit.String())
		t.Logf("%.30s…: stopped after %v", e, took)
		if want := "symdiff: stopped: the time limit was reached\n"; status != 2 || stdout != "" || stderr != want {
			t.Errorf("%.30s…: status %d, stdout %.100q, stderr %.200q; want 2, %q", e, status, stdout, stderr, want)
		}
		if late := took.Late(limit); late != "" {
			t.Errorf("%.30s…: stopped late: %s", e, late)
		}
	}
}
