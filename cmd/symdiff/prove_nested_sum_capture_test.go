package main

import (
	"os"
	"strings"
	"testing"
)

// The rational normal form merged sums by renaming each index to one fixed
// name, so in nested sums the inner index was renamed onto the outer one:
// 2*sum(i, x[i]*sum(j, A[i,j]*y[j])) and 2*sum(i, x[i]*sum(j, A[j,i]*y[j]))
// (x'*A*y and x'*A'*y, different for a non-symmetric A) became one atom.
// The numeric check caught the claimed equality, so the verdict was
// unknown with "an internal inconsistency; please report it" instead of
// refuted. The oracle is the counterexample the check itself found.
func TestProveNestedSumsKeepTheirIndices(t *testing.T) {
	for _, claim := range []string{
		"2*sum(i=1..n, x[i]*sum(j=1..n, A[i,j]*y[j])) == 2*sum(i=1..n, x[i]*sum(j=1..n, A[j,i]*y[j]))",
		"2*sum(i=1..n, sum(j=1..n, A[i,j]*y[j])) == 2*sum(i=1..n, sum(j=1..n, A[j,i]*y[j]))",
		"2*sum(i=1..n, x[i]*sum(j=1..m, A[i,j]*y[j])) == 2*sum(i=1..n, x[i]*sum(j=1..m, A[j,i]*y[j]))",
	} {
		out, errs, status := runMain(t, "prove", claim)
		if status != 1 || !strings.HasPrefix(out, "refuted") || strings.Contains(out, "internal inconsistency") {
			t.Errorf("prove %q (false for a non-symmetric A): status %d, %s%s", claim, status, out, errs)
		}
	}
	defs := t.TempDir() + "/defs.sd"
	writeDefs(t, defs, "A : matrix(n, n)\nx : vector(n)\ny : vector(n)\nz : vector(n)\n")
	if out, errs, status := runMain(t, "prove", "--defs", defs, "x'*A*y*z == x'*A'*y*z"); status != 1 || strings.Contains(out, "internal inconsistency") {
		t.Errorf("prove x'*A*y*z == x'*A'*y*z: status %d, %s%s", status, out, errs)
	}
	// True: the order of summation exchanged. It was proved before only
	// through the same capture (both sides collapsed to one diagonal sum), so
	// here it need only not be refuted.
	claim := "2*sum(i=1..n, x[i]*sum(j=1..n, A[i,j]*y[j])) == 2*sum(j=1..n, y[j]*sum(i=1..n, A[i,j]*x[i]))"
	if out, errs, status := runMain(t, "prove", claim); status == 1 || strings.Contains(out, "internal inconsistency") {
		t.Errorf("prove %q (true): status %d, %s%s", claim, status, out, errs)
	}
}

func writeDefs(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
