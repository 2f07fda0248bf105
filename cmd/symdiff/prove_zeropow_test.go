package main

import (
	"strings"
	"testing"
)

// TestProveZeroToNegativePower: 0 to a power that is negative for every
// value is undefined as 1/0 is, in text and --json (exit status 2, the
// part under a caret): prove said "proved" of the claim below, where the
// same claim with 1/(x - x) says where it is undefined. An exponent that
// is negative somewhere makes the part undefined there. The values are
// checked against mpmath in session's TestUndefinedZeroPowers; here the
// command's answer.
func TestProveZeroToNegativePower(t *testing.T) {
	for _, c := range []struct{ claim, want string }{
		{"y + sum(i=2..n, (x-x)^(z-z-1)) - sum(i=2..n, (x-x)^(z-z-1)) == y",
			"1:17: (x - x)^(z - z - 1) is undefined wherever 2 <= n (where the sum over i = 2..n has terms; where it has none, the sum is 0): division by zero (x - x is 0 for every value)"},
		{"y + (x-x)^z - (x-x)^z == y",
			"1:5: (x - x)^z is undefined wherever z < 0 (where the exponent is negative): division by zero (x - x is 0 for every value)"},
	} {
		for _, json := range []bool{false, true} {
			args := []string{"prove", c.claim}
			if json {
				args = append(args, "--json")
			}
			out, stderr, status := runMain(t, args...)
			if status != 2 || out != "" || !strings.HasPrefix(stderr, c.want+"\n") || !strings.Contains(stderr, "^") {
				t.Errorf("%v: status %d, stdout %q, stderr %q; want status 2 and %q with a caret", args, status, out, stderr, c.want)
			}
		}
	}
	// A power that is 0 to a non-negative power keeps its proof.
	out, stderr, status := runMain(t, "prove", "y + (x-x)^(z^2) - (x-x)^(z^2) == y")
	if status != 0 || !strings.HasPrefix(out, "proved:") {
		t.Errorf("0^(z^2): status %d, stdout %q, stderr %q; want proved", status, out, stderr)
	}
	// simplify places the error at the power (it had no line:column).
	_, stderr, status = runMain(t, "simplify", "(x-x)^(z-z-1)")
	if want := "1:1: (x - x)^(z - z - 1) divides by zero: it is undefined everywhere\n"; status != 2 || !strings.HasPrefix(stderr, want) {
		t.Errorf("simplify: status %d, stderr %q; want %q", status, stderr, want)
	}
}
