package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestDiffZeroDivisionPlaced (review3): where the function of a
// derivative divides by zero everywhere, diff and simplify of d(...)
// placed the error at the quotient with line:column and a caret
// ("1:3: 1/(x - x) is undefined: ... ^"); derivedZeroDivision answers
// first with an unplaced "symdiff: 1/(x - x) divides by zero: it is
// undefined everywhere", and in a script it pointed at the statement. The
// oracle: the column where the quotient is written in the input, and the
// function's words.
func TestDiffZeroDivisionPlaced(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string // a script, for run -
		src   string // the line the quotient is on
		line  int
		quo   string // the quotient, as written
		words string // the function's message
	}{
		{args: []string{"diff", "1/(x-x)", "x"}, src: "1/(x-x)", line: 1, quo: "1/(x-x)", words: "1/(x - x) divides by zero"},
		{args: []string{"simplify", "d(1/(x-x), x)"}, src: "d(1/(x-x), x)", line: 1, quo: "1/(x-x)", words: "1/(x - x) divides by zero"},
		{args: []string{"diff", "exp(1/(x-x))", "x"}, src: "exp(1/(x-x))", line: 1, quo: "1/(x-x)", words: "exp(1/(x - x)) divides by zero"},
		{args: []string{"diff", "x^2 + (x-x)^-2", "x"}, src: "x^2 + (x-x)^-2", line: 1, quo: "(x-x)^-2", words: "x^2 + (x - x)^-2 divides by zero"},
		{args: []string{"run", "-"}, stdin: "a := 2\nd(exp(1/(x-x)), x)\n", src: "d(exp(1/(x-x)), x)", line: 2, quo: "1/(x-x)", words: "exp(1/(x - x)) divides by zero"},
	} {
		_, stderr, status := runMainStdin(t, tc.stdin, tc.args...)
		col := strings.Index(tc.src, tc.quo) + 1
		caret := "\n    " + strings.Repeat(" ", col-1) + "^"
		if status != 2 || !strings.Contains(stderr, fmt.Sprintf("%d:%d: ", tc.line, col)) || !strings.Contains(stderr, caret) || !strings.Contains(stderr, tc.words) {
			t.Errorf("symdiff %q: status %d, stderr %q; want exit 2, %q at %d:%d with a caret", tc.args, status, stderr, tc.words, tc.line, col)
		}
	}
}

// TestEvalEngineErrorPlaced (hunt10): an engine error about a part of
// EXPR that eval meets (a derivative with respect to a non-name, reached
// through a where clause) came without line:column or caret, where diff,
// simplify and run place it. The oracle: the column of the offending part
// as written, computed from the input, and the same words as diff's.
func TestEvalEngineErrorPlaced(t *testing.T) {
	for _, tc := range []struct {
		expr, part string
		binds      []string
	}{
		{"d(v^2, v) where v = x^3", "x^3", []string{"x=2"}},
		{"1 + d(v, v) where v = sin(x)", "sin(x)", []string{"x=0.5"}},
		{"d(y*v, v) where v = 2*y", "2*y", []string{"y=1"}},
	} {
		_, stderr, status := runMainStdin(t, "", append([]string{"eval", tc.expr}, tc.binds...)...)
		col := strings.Index(tc.expr, tc.part) + 1
		caret := "\n    " + strings.Repeat(" ", col-1) + "^"
		if status != 2 || !strings.Contains(stderr, fmt.Sprintf("1:%d: cannot differentiate with respect to", col)) || !strings.Contains(stderr, caret) {
			t.Errorf("eval %q: status %d, stderr %q; want exit 2 at 1:%d with a caret", tc.expr, status, stderr, col)
		}
	}
}
