package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestProveSimplifyMatrixDefs: symdiff prove and symdiff simplify with
// --defs declaring vectors and matrices work entry by entry, as a script's
// prove statement and expression statement do. They used the scalar
// prover and simplifier: prove 'norm(w)^2' 'dot(w,v)' said "unknown: ... no
// point was found where both sides are defined" (exit 3) for a false
// identity, prove 'd(tr(A*B), A)' "B'" and simplify 'd(tr(A*B), A)' failed
// with exit 2. The refutation's counterexample is checked by evaluating both
// sides by hand.
func TestProveSimplifyMatrixDefs(t *testing.T) {
	defs := filepath.Join(t.TempDir(), "defs.sd")
	if err := os.WriteFile(defs, []byte("A : matrix(d, d)\nB : matrix(d, d)\nw : vector(d)\nv : vector(d)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		status int
		want   string // the first line of standard output
	}{
		{[]string{"prove", "d(tr(A*B), A)", "B'"}, 0, "proved: d(tr(A*B), A) == B'"},
		{[]string{"prove", "tr(A*B)", "tr(B*A)"}, 0, "proved: tr(A*B) == tr(B*A)"},
		{[]string{"prove", "norm(w)^2", "dot(w, w)"}, 0, "proved: norm(w)^2 == dot(w, w)"},
		{[]string{"prove", "d(tr(A*B), A)", "B"}, 1, "refuted: d(tr(A*B), A) == B"},
		{[]string{"prove", "norm(w)^2", "dot(w, v)"}, 1, "refuted: norm(w)^2 == dot(w, v)"},
		{[]string{"prove", "--neq", "norm(w)^2", "dot(w, v)"}, 0, "holds: norm(w)^2 != dot(w, v)"},
		{[]string{"simplify", "d(tr(A*B), A)"}, 0, "B'"},
		{[]string{"simplify", "(A')'*w + A*w"}, 0, "2*A*w"},
		{[]string{"simplify", "x^2 + x^2"}, 0, "2*x^2"}, // scalars as before
	}
	for _, tt := range tests {
		out, errOut, status := runMain(t, append(tt.args, "--defs", defs)...)
		first, _, _ := strings.Cut(out, "\n")
		if status != tt.status || first != tt.want {
			t.Errorf("%q: status %d, first line %q; want %d, %q\nstderr: %s", tt.args, status, first, tt.status, tt.want, errOut)
		}
	}

	// The counterexample of norm(w)^2 == dot(w, v), evaluated by hand.
	out, _, _ := runMain(t, "prove", "norm(w)^2", "dot(w, v)", "--defs", defs)
	vec := func(name string) []float64 {
		m := regexp.MustCompile(`\b` + name + `=(\[[^\]]*\])`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no value of %s in the counterexample:\n%s", name, out)
		}
		var x []float64
		if err := json.Unmarshal([]byte(m[1]), &x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	w, v := vec("w"), vec("v")
	var ww, wv float64
	for i := range w {
		ww += w[i] * w[i]
		wv += w[i] * v[i]
	}
	if math.Abs(ww-wv) < 1e-9 {
		t.Errorf("the counterexample w=%v v=%v is not one: |w|² = %g = w·v", w, v, ww)
	}
}
