package main

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestEvalKinkCancellation: eval settles an expression whose terms cancel
// in float64 with a bound on rounding ((1 + x^2) - x^2 at x = 1e10 is 1,
// README), but an expression with any kink or condition in it kept
// float64's value, so K + c*y - c*y at y = 1e20, where c*y is not exact,
// printed 0 where it is K: far from any tie, the kink only has to be
// somewhere in the expression. The expected value is K itself, worked out
// here from its definition, since c*y - c*y is exactly 0 whatever c is.
// The kink-free case (K = 1) is the control that main already passes.
func TestEvalKinkCancellation(t *testing.T) {
	const y = 1e20 // far from every kink's tie at 0
	for _, c := range []struct {
		k    string
		want float64
	}{
		{"1", 1},
		{"step(y)", 1},
		{"sign(y)", 1},
		{"abs(y)/y", 1},
		{"relu(-y) + 2", 2},
		{"max(y, 0)/y", 1},
		{"if(y > 0, 3, 0)", 3},
		{"clip(y, -1, 1)", 1},
	} {
		for _, cst := range []string{"sqrt(2)", "exp(1)", "sigma(1)"} {
			e := c.k + " + " + cst + "*y - " + cst + "*y"
			stdout, stderr, status := runMain(t, "eval", e, "y="+strconv.FormatFloat(y, 'g', -1, 64))
			got, err := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
			if status != 0 || err != nil || math.Abs(got-c.want) > 1e-9 {
				t.Errorf("eval %s at y=%g: status %d, stdout %q, stderr %q; want %v", e, y, status, stdout, stderr, c.want)
			}
		}
	}
	// The stable softplus identity: log(1 + exp(z)) - max(z, 0) is
	// log1p(exp(-|z|)), about 4.2e-18 at z = 40; without the kink
	// (log(1 + exp(z)) - z) eval already gives it.
	want := math.Log1p(math.Exp(-40))
	for _, e := range []string{"log(1 + exp(z)) - z", "log(1 + exp(z)) - relu(z)", "softplus(z) - max(z, 0)"} {
		stdout, stderr, status := runMain(t, "eval", e, "z=40")
		got, err := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
		if status != 0 || err != nil || math.Abs(got-want) > 1e-9*want {
			t.Errorf("eval %s at z=40: status %d, stdout %q, stderr %q; want %v", e, status, stdout, stderr, want)
		}
	}
}
