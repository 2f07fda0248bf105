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
