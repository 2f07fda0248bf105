package main

import (
	"strings"
	"testing"
)

// TestGradcheckAtKinkExitCodes: at a point on a kink gradcheck exits 0
// where the symbolic value is the convention's (d|x| at 0 is 0, between
// the one-sided differences -1 and 1, by hand) and says so; a wrong
// derivative exits 1 as before.
func TestGradcheckAtKinkExitCodes(t *testing.T) {
	out, errOut, status := runMain(t, "gradcheck", "abs(a) + a^2", "--wrt", "a", "a=0")
	if status != 0 || !strings.Contains(out, "a (point 1) is at a kink: the one-sided differences are -1 and 1; symdiff's convention gives 0, as the convention prescribes: ok") {
		t.Errorf("status %d, stdout:\n%s\nstderr: %s", status, out, errOut)
	}
	out, _, status = runMain(t, "gradcheck", "--rules", "../internal/codegen/testdata/wrongkink.rules", "r(a)", "--wrt", "a", "a=0")
	if status != 1 || !strings.Contains(out, "but the convention at kinks prescribes 0: FAIL") {
		t.Errorf("a wrong convention: status %d, stdout:\n%s", status, out)
	}
}
