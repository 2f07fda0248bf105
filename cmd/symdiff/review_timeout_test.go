package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestAlgebraVerbsHonourTimeout: expand, collect, factor, together and
// apart stop at --timeout 100ms (within parsetest.StopSlack of CPU time:
// a bound that holds on a loaded machine; the standard is 100 ms, and
// the time measured is logged) with the
// message and exit status of every other command's time-out. Before the
// algebra took a context (review of 30 Nov), poly.pow of
// (x+y+z+w+1)^30 ran for minutes, factor of 40 quadratics ~4.6 s and
// together of 120 fractions ~2.5 s past the limit, and exited 0.
func TestAlgebraVerbsHonourTimeout(t *testing.T) {
	const limit = 100 * time.Millisecond
	quads := make([]string, 40)
	for i := range quads {
		quads[i] = fmt.Sprintf("(x^2 + %d*x + %d)", i+1, i+2)
	}
	fracs := make([]string, 120)
	for i := range fracs {
		fracs[i] = fmt.Sprintf("1/(x + %d)", i+1)
	}
	for _, args := range [][]string{
		{"expand", "(x + y + z + w + 1)^30"},
		{"collect", "(x + y + z + w + 1)^30", "x"},
		{"factor", strings.Join(quads, "*")},
		{"together", strings.Join(fracs, " + ")},
		{"apart", strings.Join(fracs, " + "), "x"},
	} {
		var stderr string
		var status int
		took := parsetest.MeasureStop(func() { _, stderr, status = runMain(t, append(args, "--timeout", limit.String())...) })
		t.Logf("%s: stopped after %v", args[0], took)
		if late := took.Late(limit); late != "" {
			t.Errorf("%s with --timeout %v stopped late: %s", args[0], limit, late)
		}
		if want := "symdiff: stopped: the time limit was reached\n"; status != 2 || stderr != want {
			t.Errorf("%s with --timeout %v: status %d, stderr %q; want 2, %q", args[0], limit, status, stderr, want)
		}
	}
}
