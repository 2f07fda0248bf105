package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestAlgebraVerbsHonourTimeout: expand, collect, factor and together
// stop within a short time of --timeout 100ms. Known to fail (review of
// 30 Nov): algebra.Expand/Factor/Together take no context (poly.pow of
// (x+y+z+w+1)^30 runs for minutes, factor of 40 quadratics ~4.6 s,
// together of 120 fractions ~2.5 s). Set SYMDIFF_KNOWN_BUGS=1 to run it.
func TestAlgebraVerbsHonourTimeout(t *testing.T) {
	if os.Getenv("SYMDIFF_KNOWN_BUGS") == "" {
		t.Skip("known bug, see the comment; SYMDIFF_KNOWN_BUGS=1 runs it")
	}
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
	} {
		done := make(chan int, 1)
		start := time.Now()
		go func() {
			_, _, status := runMain(t, append(args, "--timeout", "100ms")...)
			done <- status
		}()
		select {
		case <-done:
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s with --timeout 100ms took %v", args[0], d.Round(time.Millisecond))
			}
		case <-time.After(3 * time.Second):
			t.Errorf("%s with --timeout 100ms still running after 3s", args[0])
		}
	}
}
