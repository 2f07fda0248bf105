package main

import (
	"strings"
	"testing"
)

// TestProveZeroToSometimesNegativePower (review8): 0 to an exponent that
// is negative for some values only (exp(z) - 1 for z < 0, sin(z) at
// z = -1, log(z) for 0 < z < 1) divides by zero there, as (x - x)^z does
// for z < 0; "proved" without that condition is a lost condition.
func TestProveZeroToSometimesNegativePower(t *testing.T) {
	for _, u := range []string{"exp(z) - 1", "sin(z)", "log(z)", "-z^2"} {
		claim := "y + (x-x)^(" + u + ") - (x-x)^(" + u + ") == y"
		out, stderr, status := runMain(t, "prove", claim)
		if status == 0 || strings.HasPrefix(out, "proved") {
			t.Errorf("prove %q: status %d, stdout %q, stderr %q; want no proof (undefined where %s < 0)", claim, status, out, stderr, u)
		}
	}
}
