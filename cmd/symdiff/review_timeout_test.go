package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAlgebraVerbsHonourTimeout: expand, collect, factor, together and
// apart stop within 1 s of --timeout 100ms (a bound for a loaded machine;
// the standard is 100 ms, and the time measured is logged) with the
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
		type result struct {
			stderr string
			status int
		}
		done := make(chan result, 1)
		start := time.Now()
		go func() {
			_, stderr, status := runMain(t, append(args, "--timeout", limit.String())...)
			done <- result{stderr, status}
		}()
		select {
		case r := <-done:
			late := time.Since(start) - limit
			if late > time.Second {
				t.Errorf("%s with --timeout %v stopped %v after the limit", args[0], limit, late.Round(time.Millisecond))
			}
			t.Logf("%s: stopped %v after the limit", args[0], late.Round(time.Millisecond))
			if want := "symdiff: stopped: the time limit was reached\n"; r.status != 2 || r.stderr != want {
				t.Errorf("%s with --timeout %v: status %d, stderr %q; want 2, %q", args[0], limit, r.status, r.stderr, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s with --timeout %v still running after 5s", args[0], limit)
		}
	}
}
