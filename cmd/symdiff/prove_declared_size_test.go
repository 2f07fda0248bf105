package main

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// A name that a declaration uses as a size (d in w : vector(d)) is a size
// in every claim made under that declaration: a whole number >= 1. A claim
// that mentions d but no array of size d drew d as any real, and was
// refuted at d=-1.5, while the same claim times sum(w) is proved.
func TestProveDeclaredSizeIsPositiveWhole(t *testing.T) {
	defs := t.TempDir() + "/defs.sd"
	if err := os.WriteFile(defs, []byte("w : vector(d)\nlam : scalar\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, claim := range []string{
		"abs(d)*lam == d*lam",
		"abs(d) == d",
		"sqrt(d^2) == d",
		"floor(d) == d", // a whole number
	} {
		out, errs, status := runMain(t, "prove", "--defs", defs, claim)
		if status == 1 || strings.HasPrefix(out, "refuted") {
			t.Errorf("prove %q (true for every size d >= 1): status %d, %s%s", claim, status, out, errs)
		}
	}
	// False claims about a size are still refuted, at a whole d >= 1.
	for _, claim := range []string{"d == 1", "d^2 == d", "abs(d - 1.5) == d - 1.5"} {
		out, errs, status := runMain(t, "prove", "--json", "--defs", defs, claim)
		var res struct {
			Counterexample struct {
				Point map[string]float64 `json:"point"`
			} `json:"counterexample"`
		}
		if status != 1 || json.Unmarshal([]byte(out), &res) != nil {
			t.Errorf("prove %q (false for some size d): status %d, %s%s", claim, status, out, errs)
			continue
		}
		if d, ok := res.Counterexample.Point["d"]; !ok || d < 1 || d != math.Trunc(d) {
			t.Errorf("prove %q: counterexample d=%v (ok %v) is not a size", claim, d, ok)
		}
	}
	// The control: with an array of size d in the claim, it is proved.
	if out, errs, status := runMain(t, "prove", "--defs", defs, "abs(d)*sum(w) == d*sum(w)"); status != 0 {
		t.Errorf("prove abs(d)*sum(w) == d*sum(w): status %d, %s%s", status, out, errs)
	}
}

// A size the claim uses as a sum's bound is drawn as a size, small enough
// for the sums to be evaluated: given the range 1.. of a declared size, it
// was drawn up to 2^40, only the points at n = 1 could be evaluated, and
// these false claims were "numerically equal" (unknown) instead of
// refuted.
func TestProveDeclaredSizeInSumBounds(t *testing.T) {
	defs := t.TempDir() + "/defs.sd"
	if err := os.WriteFile(defs, []byte("x : vector(n)\ny : vector(n)\nA : matrix(n,n)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, claim := range []string{
		"sum(i=1..n, x[i]) == x[1]",
		"sum(i=1..n, x[i]^2) == sum(i=1..n, x[i])^2",
		"sum(i=1..n, sum(j=1..n, x[i]*y[j])) == sum(i=1..n, x[i]*y[i])",
		"sum(i=1..n, sum(j=1..i, A[i,j])) == sum(j=1..n, sum(i=1..j, A[i,j]))",
		"n*sum(i=1..n, x[i]) == sum(i=1..n, x[i])",
	} {
		var res struct {
			Counterexample struct {
				Point map[string]json.RawMessage `json:"point"`
			} `json:"counterexample"`
		}
		out, errs, status := runMain(t, "prove", "--json", "--defs", defs, claim)
		if status != 1 || json.Unmarshal([]byte(out), &res) != nil {
			t.Errorf("prove %q (false at n = 2): status %d, %s%s", claim, status, out, errs)
			continue
		}
		var n float64
		if err := json.Unmarshal(res.Counterexample.Point["n"], &n); err != nil || n < 2 || n != math.Trunc(n) {
			t.Errorf("prove %q: counterexample n=%s is not a size >= 2", claim, res.Counterexample.Point["n"])
		}
	}
}
