package main

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestEvalTinyDivisorAndLogArgument: a divisor or log argument that
// float64 rounds to 0 but that is not 0 is settled at a higher precision
// (README: 512 bits, raised to 4096 as cancellation needs). 1 - sigma(z)
// is exactly 1/(1 + exp(z)), about e^-z: past z = 355 it is below 2^-512,
// and eval said "log(0) is undefined" and "division by zero" (status 2)
// although every value below is a float64. The expected values come from
// the identities 1/(1 - sigma(z)) = 1 + exp(z) and
// log(1 - sigma(z)) = -z - log1p(exp(-z)), d/dz of it = -sigma(z).
func TestEvalTinyDivisorAndLogArgument(t *testing.T) {
	for _, c := range []struct {
		expr, at string
		want     float64
	}{
		{"1/(1 - sigma(z))", "z=400", 1 + math.Exp(400)},
		{"log(1 - sigma(z))", "z=360", -360 - math.Log1p(math.Exp(-360))},
		{"log(1 - sigma(z))", "z=2000", -2000},
		{"d(log(1 - sigma(z)), z)", "z=400", -1 / (1 + math.Exp(-400))},
		{"d(y*log(sigma(z)) + (1 - y)*log(1 - sigma(z)), z)", "z=400", 1 / (1 + math.Exp(400))}, // y - sigma(z) at y = 1
	} {
		stdout, stderr, status := runMain(t, "eval", c.expr, c.at, "y=1")
		got, err := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
		if status != 0 || err != nil || math.Abs(got-c.want) > 1e-12*math.Abs(c.want) {
			t.Errorf("eval %s at %s: status %d, stdout %q, stderr %q; want %v", c.expr, c.at, status, stdout, stderr, c.want)
		}
	}
}
