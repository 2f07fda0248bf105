package main

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// An entry in index form holds for every index of its position, whether
// or not it mentions each: d(sum(w'*W), W) is w[k] at [k,l], and its
// "for" listed k alone (k = 1..d), and d(sum((W*w)'), W) l alone. The
// oracle is the input's shapes: the ranges are those of the rows and the
// columns of the variable (a gradient has its shape), at the indices the
// note names ("the entry at [k,l]").
func TestIndexFormRangesAllEntryIndices(t *testing.T) {
	defs := t.TempDir() + "/defs.sd"
	if err := os.WriteFile(defs, []byte("W : matrix(d, d)\nX : matrix(n, d)\nw : vector(d)\nx : vector(n)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dims := map[string][]string{"W": {"d", "d"}, "X": {"n", "d"}, "w": {"d"}}
	at := regexp.MustCompile(`the entry at \[([a-z,]+)\]`)
	seen := 0
	for _, c := range []struct{ expr, wrt string }{
		{"sum(w'*W)", "W"},
		{"sum((W*w)')", "W"},
		{"sum(X*w)", "X"},
		{"sum(x'*X)", "X"},
		{"sum(w'*X')", "X"},
		{"sum(softmax(X*w))", "w"},
		// Entries of one index with no matrix form (the ones above now
		// have one, an outer product with ones).
		{"sum(i=1..d, sum(j=1..d, W[i,j]*w[i]^i))", "W"},
		{"sum(i=1..d, sum(j=1..d, W[i,j]*j))", "W"},
		{"sum(i=1..n, sum(j=1..d, X[i,j]*x[i]^i))", "X"},
	} {
		out, errs, status := runMain(t, "diff", "--json", "--defs", defs, c.expr, c.wrt)
		if status != 0 {
			t.Errorf("diff %s %s: status %d, %s", c.expr, c.wrt, status, errs)
			continue
		}
		var r struct {
			For   map[string]string `json:"for"`
			Notes []string          `json:"notes"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		m := at.FindStringSubmatch(strings.Join(r.Notes, " "))
		if m == nil {
			continue // a matrix form: nothing to check here
		}
		seen++
		idx := strings.Split(m[1], ",")
		var want []string
		for i, k := range idx {
			want = append(want, k+"=1.."+dims[c.wrt][i])
		}
		var got []string
		for k, v := range r.For {
			got = append(got, k+"="+v)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("diff %s %s: for %v, want %v (%s)", c.expr, c.wrt, got, want, strings.TrimSpace(out))
		}
	}
	if seen < 3 {
		t.Errorf("only %d results in index form: the test tested little", seen)
	}
}
