package main

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A derivative by a matrix whose index form has a sum over a row of the
// matrix times a factor free of that sum's index (sum(softmax(X*w)) by X)
// reached the translation back to matrix notation with no size for the
// sum's index, and panicked ("internal error: ... nil pointer
// dereference", exit 2). The oracle for the value is eval of d(...), which
// differentiates entry by entry; sum(softmax(u)) is 1, so it is also 0 by
// hand.
func TestMatrixBackSumOverRowHasSize(t *testing.T) {
	defs := t.TempDir() + "/defs.sd"
	if err := os.WriteFile(defs, []byte("X : matrix(n, d)\nW : matrix(d, d)\nw : vector(d)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	point := []string{"X=[[1,2],[3,4],[5,6]]", "W=[[0.5,-1],[2,0.25]]", "w=[0.3,-0.7]", "n=3", "d=2"}
	for _, c := range []struct{ expr, wrt string }{
		{"sum(softmax(X*w))", "X"},
		{"sum(softmax(W*w))", "W"},
		{"sum(exp(W*w)/sum(exp(W*w)))", "W"},
	} {
		out, errs, status := runMain(t, "diff", "--defs", defs, c.expr, c.wrt)
		if status != 0 || strings.Contains(errs, "internal error") {
			t.Errorf("symdiff diff %q %s: status %d, stderr %q", c.expr, c.wrt, status, errs)
			continue
		}
		got, errs, status := runMain(t, append([]string{"eval", "--defs", defs, strings.TrimSpace(out)}, point...)...)
		want, errs2, status2 := runMain(t, append([]string{"eval", "--defs", defs, "d(" + c.expr + ", " + c.wrt + ")"}, point...)...)
		if status != 0 || status2 != 0 || !numbersClose(got, want, 1e-12) {
			t.Errorf("symdiff diff %q %s = %q: eval gives %q (%s), eval of d(...) gives %q (%s)", c.expr, c.wrt, strings.TrimSpace(out), got, errs, want, errs2)
		}
	}
}

// numbersClose reports whether the two printed values have the same numbers
// within tol (absolute), in the same layout.
func numbersClose(a, b string, tol float64) bool {
	num := regexp.MustCompile(`-?[0-9.]+(e[-+]?[0-9]+)?`)
	if num.ReplaceAllString(a, "#") != num.ReplaceAllString(b, "#") {
		return false
	}
	xs, ys := num.FindAllString(a, -1), num.FindAllString(b, -1)
	for i := range xs {
		x, err1 := strconv.ParseFloat(xs[i], 64)
		y, err2 := strconv.ParseFloat(ys[i], 64)
		if err1 != nil || err2 != nil || math.Abs(x-y) > tol {
			return false
		}
	}
	return true
}
