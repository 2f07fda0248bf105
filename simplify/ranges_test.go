package simplify_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
)

// TestInferRangesDefined: a defined name indexed by a free index is not
// an array. P[m,l] with P[i,l] := exp(Z[i,l])/sum(j=1..K, exp(Z[i,j]))
// says nothing about l by itself (no sum runs over P's index); the arrays
// of its body (W[j,l] through Z) give l its range. Before, the use of l
// in P[m,l] left l without one, and the prover could not close
// d(logsumexp, Z[m,l]) == P[m,l].
func TestInferRangesDefined(t *testing.T) {
	const softmax = "Z[i,l] := sum(j=1..d, x[i,j]*W[j,l])\nP[i,l] := exp(Z[i,l])/sum(j=1..K, exp(Z[i,j]))"
	for _, c := range []struct {
		defs string
		es   []string
		want map[string]string // index: hi (lo is 1)
	}{
		{softmax, []string{"d(log(sum(j=1..K, exp(Z[m,j]))), Z[m,l])", "P[m,l]"}, map[string]string{"l": "K"}},
		{softmax, []string{"P[m,l]"}, map[string]string{"l": "K"}},
		// A body with no array at that index: no range at all.
		{"Q[i] := i^2", []string{"Q[k]"}, nil},
		{"Q[i] := i^2", []string{"Q[k] + sum(i=1..n, x[i])*x[k]"}, map[string]string{"k": "n"}},
		// A sum over the defined name's index still counts, and must agree.
		{"Q[i] := x[i]", []string{"sum(i=1..m, Q[i]) + sum(i=1..n, x[i]) + Q[k]"}, nil},
		{"Q[i] := x[i]", []string{"sum(i=1..n, Q[i]) + Q[k]"}, map[string]string{"k": "n"}},
		// The arrays still disagree with each other: no range.
		{softmax, []string{"P[m,l] + sum(j=1..L, W[1,j])"}, nil},
	} {
		defs := parsetest.DefsFrom(t, c.defs)
		var es []ast.Expr
		for _, s := range c.es {
			es = append(es, mustParse(t, s, defs))
		}
		got := map[string]string{}
		for k, r := range simplify.InferRanges(defs, nil, es...) {
			if !ast.IsNum(r.Lo, 1) {
				t.Errorf("%v: %s starts at %s", c.es, k, ast.String(r.Lo))
			}
			got[k] = ast.String(r.Hi)
		}
		want := c.want
		if want == nil {
			want = map[string]string{}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("InferRanges(%v) (-want +got):\n%s", c.es, d)
		}
	}
}
