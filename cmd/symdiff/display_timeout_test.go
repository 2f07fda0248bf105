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
		t.Logf("%.30s…: stopped after %v", e, took.Round(time.Millisecond))
		if want := "symdiff: stopped: the time limit was reached\n"; status != 2 || stdout != "" || stderr != want {
			t.Errorf("%.30s…: status %d, stdout %.100q, stderr %.200q; want 2, %q", e, status, stdout, stderr, want)
		}
		if took > limit+stopSlack() {
			t.Errorf("%.30s…: stopped after %v, more than %v past the %v limit", e, took, stopSlack(), limit)
		}
	}
}

// TestDerivationHonoursTimeout: writing out a derivation (latex --wrt,
// diff --steps) honours --timeout: its rounds rewrite the whole
// expression each, and a deep one has hundreds. The limit here lets the
// simplification (0.2-0.6 s) end and strikes while the derivation is
// written. Before, latex --wrt and diff --steps of sin nested 6,000 deep
// ran 2.7-3.9 s (now 1.1 s) and then said that the derivation needs more
// than 500 steps.
func TestDerivationHonoursTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("differentiates sin nested 6,000 deep")
	}
	const limit = time.Second
	e := strings.Repeat("sin(", 6000) + "x*y" + strings.Repeat(")", 6000)
	for _, args := range [][]string{{"latex", e, "--wrt", "x"}, {"diff", e, "x", "--steps"}} {
		stdout, stderr, status, took := timed(t, "", append(args, "--timeout", limit.String())...)
		t.Logf("%s: stopped after %v", args[0], took.Round(time.Millisecond))
		if want := "symdiff: stopped: the time limit was reached\n"; status != 2 || stdout != "" || stderr != want {
			t.Errorf("%s: status %d, stdout %.100q, stderr %.200q; want 2, %q", args[0], status, stdout, stderr, want)
		}
		if took > limit+stopSlack() {
			t.Errorf("%s: stopped after %v, more than %v past the %v limit", args[0], took, stopSlack(), limit)
		}
	}
}
