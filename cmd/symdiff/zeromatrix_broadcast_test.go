package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// zeroBroadcastDefs declares the shapes for the zero-matrix tests.
const zeroBroadcastDefs = `w : vector(d)
X : matrix(n, d)
lam : scalar
`

// zeroBroadcastPoint binds every name (d = 2, n = 3).
var zeroBroadcastPoint = []string{"w=[1,2]", "X=[[1,2],[3,4],[5,6]]", "lam=0.5", "d=2", "n=3"}

// evalAt evaluates expr at zeroBroadcastPoint through symdiff eval.
func evalAt(t *testing.T, defs, expr string) float64 {
	t.Helper()
	args := append([]string{"eval", "--defs", defs, expr}, zeroBroadcastPoint...)
	out, errs, status := runMain(t, args...)
	if status != 0 {
		t.Fatalf("symdiff eval %q: status %d, stderr %q", expr, status, errs)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(out), 64)
	if err != nil {
		t.Fatalf("symdiff eval %q printed %q: %v", expr, out, err)
	}
	return v
}

// A scalar added to a vector or matrix broadcasts: zeros(d) + lam is the
// vector of d entries lam, so its sum is d*lam. Dropping the zero term (the
// rule zero_matrix) must not turn the sum into the scalar lam: that changed
// values in simplify, in derivatives and in proofs. The oracle is eval of the
// input, which reads the broadcast entry by entry (and is d*lam by hand).
func TestZeroMatrixKeepsBroadcastShape(t *testing.T) {
	defs := t.TempDir() + "/defs.sd"
	if err := os.WriteFile(defs, []byte(zeroBroadcastDefs), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, expr := range []string{
		"sum(zeros(d) + lam)",
		"sum(lam + zeros(d))",
		"sum(w - w + lam)",
		"sum(0*w + lam)",
		"mean(w - w + lam)*d",
		"sum(X*(w - w) + 1)",
		"norm(w - w + lam)",
		"tr((w - w + lam)*(w - w + lam)')",
	} {
		want := evalAt(t, defs, expr)
		out, errs, status := runMain(t, "simplify", "--defs", defs, expr)
		if status != 0 {
			t.Errorf("symdiff simplify %q: status %d, stderr %q", expr, status, errs)
			continue
		}
		got := evalAt(t, defs, strings.TrimSpace(out))
		if got != want {
			t.Errorf("symdiff simplify %q = %q, which is %v at the point; the input is %v", expr, strings.TrimSpace(out), got, want)
		}
	}
	// The derivative by lam: d*2*lam = 2 at the point, as eval of d(...) gives.
	for _, expr := range []string{"sum(w*0 + lam^2)", "sum(zeros(d) + lam)"} {
		want := evalAt(t, defs, "d("+expr+", lam)")
		out, errs, status := runMain(t, "diff", "--defs", defs, expr, "lam")
		if status != 0 {
			t.Errorf("symdiff diff %q lam: status %d, stderr %q", expr, status, errs)
			continue
		}
		if got := evalAt(t, defs, strings.TrimSpace(out)); got != want {
			t.Errorf("symdiff diff %q lam = %q, which is %v at the point; eval of d(...) is %v", expr, strings.TrimSpace(out), got, want)
		}
	}
	// A false claim is never proved, a true one never refuted.
	if out, _, status := runMain(t, "prove", "--defs", defs, "sum(zeros(d) + lam) == lam"); strings.HasPrefix(out, "proved") || status == 0 {
		t.Errorf("prove sum(zeros(d) + lam) == lam (false for d = 2): status %d, %q", status, out)
	}
	if out, _, status := runMain(t, "prove", "--defs", defs, "sum(w - w + lam) == d*lam"); strings.HasPrefix(out, "refuted") || status == 1 {
		t.Errorf("prove sum(w - w + lam) == d*lam (true): status %d, %q", status, out)
	}
}
