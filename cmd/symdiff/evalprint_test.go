package main

import (
	"strings"
	"testing"
)

// TestEvalPrintsWhatItHas: eval prints a subnormal with the digits it has
// (4e-320, not 3.99995546873073e-320), a vector's entries as a scalar's,
// and an entry out of float64's range as the scalar is: an error saying
// so, with the entry, not a 0 (x.^4 at x = [1e-83, 1] printed [0, 1]).
func TestEvalPrintsWhatItHas(t *testing.T) {
	for _, c := range []struct {
		args   []string
		status int
		out    string // stdout, or the start of stderr's message
	}{
		{[]string{"eval", "x", "x=4e-320"}, 0, "4e-320\n"},
		{[]string{"eval", "x/2", "x=1e-320"}, 0, "5e-321\n"},
		{[]string{"eval", "x", "x=[4e-320, 0.1]"}, 0, "[4e-320, 0.1]\n"},
		{[]string{"eval", "0.1 + x", "x=0.2"}, 0, "0.3\n"},
		{[]string{"eval", "x^4", "x=1e-83"}, 2, "symdiff: the result is about 1e-332: too small for a float64"},
		{[]string{"eval", "x.^4", "x=[1e-83, 1]"}, 2, "symdiff: entry [1] of x.^4: the result is about 1e-332: too small for a float64"},
		{[]string{"eval", "x.^4./x", "x=[1, 1e-83]"}, 0, "[1, 1e-249]\n"},
	} {
		stdout, stderr, status := runMain(t, c.args...)
		got := stdout
		if c.status != 0 {
			got = stderr
		}
		if status != c.status || !strings.HasPrefix(got, c.out) {
			t.Errorf("symdiff %q: status %d, stdout %q, stderr %q; want status %d and %q", c.args, status, stdout, stderr, c.status, c.out)
		}
	}
}
