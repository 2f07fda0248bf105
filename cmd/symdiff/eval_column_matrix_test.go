package main

import (
	"strings"
	"testing"
)

// TestEvalColumnMatrixValue: a value written as a matrix of one column,
// x=[[1],[2]] (the design matrix of a one-feature regression), is a 2×1
// matrix and takes two indices. eval read it as vector(2) and refused
// x[1,1] + x[2,1] ("x is declared vector(2) (2×1): it takes 1 index"),
// and with --defs its own message contradicted itself ("x is declared
// vector(3), but its value [[-2], [0], [2]] has 2 dimension(s)");
// gradcheck takes the same value.
func TestEvalColumnMatrixValue(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{"x[1,1] + x[2,1]", "3"},
		{"sum(i=1..2, sum(j=1..1, x[i,j]*w[j]))", "6"},             // (1 + 2)*2
		{"d(sum(i=1..n, sum(j=1..d, x[i,j]*w[j])^2), w[1])", "20"}, // sum of 2*x[i,1]^2*w[1] = 2*(1 + 4)*2
	} {
		out, stderr, status := runMain(t, "eval", c.expr, "x=[[1],[2]]", "w=[2]", "n=2", "d=1")
		if status != 0 || strings.TrimSpace(out) != c.want {
			t.Errorf("eval %s: status %d, stdout %q, stderr %q; want %s", c.expr, status, out, stderr, c.want)
		}
	}
}
