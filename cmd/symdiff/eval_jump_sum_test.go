package main

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEvalJumpInSumWritten (evalpos11): eval's refusal of a jump inside a
// sum quoted the term with the index put in (step(sqrt(2)^2 - 2)) and no
// index value nor place. It now quotes the term as written, says at which
// index value, and puts the caret under the term in EXPR. The oracle for
// the index value: the first i of the range (sums are gone through in
// order) where float64's sqrt(i)^2 - i is not 0, computed here with
// math.Sqrt; exactly it is 0 for every i, so that is the first jump whose
// side rests on rounding. Where there is none, eval prints the value with
// every step(0) = 0.
func TestEvalJumpInSumWritten(t *testing.T) {
	for _, tc := range []struct {
		expr   string // with I for the term's sum bounds
		term   string // the jump as written in expr (and as printed)
		lo, hi int
		none   string // eval's output where no jump is in doubt (step(0) is 0)
	}{
		{"sum(i=%d..%d, step(sqrt(i)^2 - i))", "step(sqrt(i)^2 - i)", 1, 3, "0"},
		{"sum(i=%d..%d, step(sqrt(i)^2 - i))", "step(sqrt(i)^2 - i)", 3, 9, "0"},
		{"1 + sum(i=%d..%d, 2*step(sqrt(i)^2 - i))", "step(sqrt(i)^2 - i)", 4, 4, "1"},
		{"sum(i=%d..%d, step(sqrt(i)^2 - i))", "step(sqrt(i)^2 - i)", 9, 9, "0"},
		{"sum(j=1..2, sum(i=%d..%d, j*step(sqrt(i)^2 - i)))", "step(sqrt(i)^2 - i)", 4, 7, "0"},
	} {
		expr := fmt.Sprintf(tc.expr, tc.lo, tc.hi)
		stdout, stderr, status := runMainStdin(t, "", "eval", expr)
		first := 0
		for i := tc.lo; i <= tc.hi && first == 0; i++ {
			if s := math.Sqrt(float64(i)); s*s-float64(i) != 0 {
				first = i
			}
		}
		if first == 0 {
			if status != 0 || stdout != tc.none+"\n" {
				t.Errorf("eval %q: status %d, stdout %q, stderr %q; want %s", expr, status, stdout, stderr, tc.none)
			}
			continue
		}
		col := strings.Index(expr, tc.term) + 1
		want := fmt.Sprintf("1:%d: the side of the jump at %s at i = %d cannot be decided", col, tc.term, first)
		caret := "\n    " + expr + "\n    " + strings.Repeat(" ", col-1) + "^\n"
		if status != 2 || !strings.HasPrefix(stderr, want) || !strings.HasSuffix(stderr, caret) {
			t.Errorf("eval %q: status %d, stderr:\n%s\nwant exit 2, %q ... %q", expr, status, stderr, want, caret)
		}
		_, jstderr, jstatus := runMainStdin(t, "", "eval", "--json", expr)
		if diff := cmp.Diff(stderr, jstderr); diff != "" || jstatus != status {
			t.Errorf("eval --json %q: status %d, stderr (-plain +json):\n%s", expr, jstatus, diff)
		}
	}
}
