package main

import (
	"testing"

	"github.com/symdiff/symdiff/simplify"
)

// TestComputedOnce: rendering a script computes each result once, and
// rendering it as LaTeX costs little more than running it. Before the
// trace was kept with the results, `latex` built 31 simplifiers and ran
// the driver 124 times on the seed script, and `run` 11 and 39; now
// (measured when this test was written) 14 and 24, and 11 and 24; with the
// softmax part the script gained for issue 10 (two statements more), 17
// and 30, and 13 and 30.
func TestComputedOnce(t *testing.T) {
	for _, tc := range []struct {
		args                []string
		maxBuilt, maxDriven int64
	}{
		{[]string{"run", "../../examples/logistic.sd"}, 14, 34},
		{[]string{"latex", "../../examples/logistic.sd"}, 18, 34},
	} {
		simplify.ResetCaches()
		b0, n0, p0 := simplify.Built.Load(), simplify.Normalizations.Load(), simplify.Passes.Load()
		if _, stderr, status := runMain(t, tc.args...); status != 0 {
			t.Fatalf("symdiff %v: status %d: %s", tc.args, status, stderr)
		}
		built, driven, passes := simplify.Built.Load()-b0, simplify.Normalizations.Load()-n0, simplify.Passes.Load()-p0
		t.Logf("symdiff %v: %d simplifiers, %d runs of the driver, %d passes", tc.args, built, driven, passes)
		if built > tc.maxBuilt || driven > tc.maxDriven {
			t.Errorf("symdiff %v: %d simplifiers and %d runs of the driver, want at most %d and %d", tc.args, built, driven, tc.maxBuilt, tc.maxDriven)
		}
	}
}
