package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEvalDomainErrorPlaced (evalpos11): a numeric failure of eval
// ("symdiff: division by zero" for d(1/step(x), x) at x = -1) had no
// place, where an engine error has line:column and a caret. It is now
// placed under the part of EXPR it happened in, named, with the index
// values where it happened in a sum's term; where the subexpression that
// failed is a derivative's term, under the innermost written part that
// fails on its own (1/step(x)), or under the derivative. The column is
// computed from the input; the words are given by hand; and the part
// said to fail is checked independently: eval of the part alone (where
// it has no sum index in it) fails too, with the same reason.
func TestEvalDomainErrorPlaced(t *testing.T) {
	for _, tc := range []struct {
		expr  string
		binds []string
		part  string // as written in expr: the caret is under its start
		words string // the message
	}{
		{"d(1/step(x), x)", []string{"x=-1"}, "1/step(x)", "division by zero in 1/step(x)"},
		{"d(sqrt(x), x)", []string{"x=0"}, "d(sqrt(x), x)", "division by zero in 1/(2*sqrt(x)), in d(sqrt(x), x) worked out"},
		{"d(sqrt(x),x) + d(x^2, x)", []string{"x=0"}, "d(sqrt(x),x)", "division by zero in 1/(2*sqrt(x)), in d(sqrt(x), x) worked out"},
		{"log(x-1) + 2", []string{"x=1"}, "log(x-1)", "log(0) is undefined in log(x - 1)"},
		{"3 + sqrt(x)*2", []string{"x=-4"}, "sqrt(x)", "sqrt(-4) is undefined in sqrt(x)"},
		{"x^2 + (x-1)^(-2)", []string{"x=1"}, "(x-1)^(-2)", "division by zero (0 to a negative power) in (x - 1)^-2"},
		{"d(x^2, x) + 1/(x - x)", []string{"x=1"}, "1/(x - x)", "division by zero in 1/(x - x)"},
		{"sum(i=1..3, 1/(i-2))", nil, "1/(i-2)", "division by zero in 1/(i - 2) at i = 2"},
		{"sum(j=1..2, sum(i=2..3, x/(i-j-1)))", []string{"x=1"}, "x/(i-j-1)", "division by zero in x/(i - j - 1) at j = 1, i = 2"},
		{"sum(i=1..3, x[i])", []string{"x=[1,2]"}, "x[i]", "index out of range: x[i] with i=3, but x has 2 elements in dimension 1"},
	} {
		col := strings.Index(tc.expr, tc.part) + 1
		want := fmt.Sprintf("1:%d: %s\n    %s\n    %s^\n", col, tc.words, tc.expr, strings.Repeat(" ", col-1))
		for _, jsonFlag := range []bool{false, true} {
			args := append([]string{"eval", tc.expr}, tc.binds...)
			if jsonFlag {
				args = append(args, "--json")
			}
			stdout, stderr, status := runMainStdin(t, "", args...)
			if diff := cmp.Diff(want, stderr); diff != "" || status != 2 || stdout != "" {
				t.Errorf("symdiff %q: status %d, stdout %q, stderr (-want +got):\n%s", args, status, stdout, diff)
			}
		}
		if strings.Contains(tc.expr, "sum(") {
			continue // the part has the sum's index in it
		}
		reason, _, _ := strings.Cut(tc.words, " in ")
		_, stderr, status := runMainStdin(t, "", append([]string{"eval", tc.part}, tc.binds...)...)
		if status != 2 || !strings.Contains(stderr, reason) {
			t.Errorf("eval %q alone: status %d, stderr %q; want it to fail with %q", tc.part, status, stderr, reason)
		}
	}
}
