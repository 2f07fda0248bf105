package main

import (
	"strings"
	"testing"
)

// TestGradcheckCoarseAndSubnormal (review3): a derivative 0.1% off where
// the first step is coarse for f's curvature exits 1, not 0 with "ok";
// at a subnormal point the check answers, not "internal error".
func TestGradcheckCoarseAndSubnormal(t *testing.T) {
	out, errOut, status := runMain(t, "gradcheck", "--rules", "../internal/codegen/testdata/wrongsin.rules", "g(20000*x)", "--wrt", "x", "x=1")
	if status != 1 || !strings.Contains(out, "FAIL: worst relative error 0.001 > tolerance") {
		t.Errorf("g' 0.1%% off: status %d, stdout:\n%s\nstderr: %s", status, out, errOut)
	}
	for _, x := range []string{"x=5e-324", "x=1e-320"} {
		out, errOut, status := runMain(t, "gradcheck", "x^2", "--wrt", "x", x)
		if status != 0 || !strings.Contains(out, "ok: worst relative error 0 <=") {
			t.Errorf("x^2 at %s: status %d, stdout:\n%s\nstderr: %s", x, status, out, errOut)
		}
	}
}
