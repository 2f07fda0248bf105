package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestColumnSecondIndex: a declared vector is one column, so x[i,1] is
// x[i], and another number or a free name as its second index is an error
// with a caret (a sum's index stays, for evaluation to check its range).
// left8's change let a vector take two indices of any kind: prove
// 'w[1,2] == 5' was "refuted" with a 2×2 counterexample for w : vector(3),
// and w[2,1] == w[2] was unknown.
func TestColumnSecondIndex(t *testing.T) {
	defs := filepath.Join(t.TempDir(), "w.sd")
	if err := os.WriteFile(defs, []byte("w : vector(3)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args   []string
		status int
		out    string // a prefix of standard output
		err    string // a prefix of standard error
	}{
		{[]string{"prove", "--defs", defs, "w[1,2] == 5"}, 2, "", "in A: 1:5: w is declared vector(3) (3×1), one column: its second index is 1, as in w[i,1]; found 2\n"},
		{[]string{"diff", "--defs", defs, "w[2,j]^2", "w"}, 2, "", "1:5: w is declared vector(3) (3×1), one column: its second index is 1, as in w[i,1]; found j\n"},
		{[]string{"prove", "--defs", defs, "w[1,j] == 5"}, 2, "", "in A: 1:5: w is declared vector(3) (3×1), one column: its second index is 1, as in w[i,1]; found j\n"},
		{[]string{"prove", "--defs", defs, "w[2,1] == w[2]"}, 0, "proved:", ""},
		{[]string{"eval", "sum(i=1..2, sum(j=1..d, x[i,j]*w[j]))", "x=[[1],[2]]", "w=[2]", "d=1"}, 0, "6\n", ""},
		{[]string{"prove", "--defs", defs, "w[2,1]*w[3,1] == w[3]*w[2]"}, 0, "proved:", ""},
		{[]string{"eval", "--defs", defs, "w[1,1] + w[3,1]", "w=[[1],[2],[3]]"}, 0, "4\n", ""},
		{[]string{"eval", "--defs", defs, "w[1,1] + w[3]", "w=[1,2,3]"}, 0, "4\n", ""},
	} {
		out, stderr, status := runMain(t, c.args...)
		if status != c.status || !strings.HasPrefix(out, c.out) || !strings.HasPrefix(stderr, c.err) || (c.err != "" && !strings.Contains(stderr, "^")) {
			t.Errorf("%q: status %d, stdout %q, stderr %q; want status %d, %q, %q", c.args, status, out, stderr, c.status, c.out, c.err)
		}
	}
}
