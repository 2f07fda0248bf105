package main

import (
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/texcheck"
)

// TestPDFLaTeXWideDerivations: a derivation whose formulas are wider than
// the page is broken so that nothing runs off it (README: "breaks a
// formula wider than the page at the + and − of its outer sum"; the tests
// "fail on any overfull box wider than 1pt"). A chain rule through a long
// product keeps the prefix 1/(1 + exp(u))·exp(u) on the line that opens
// \Bigl(, and a quotient's numerator is set whole: pdflatex reported boxes
// 57pt and 129pt too wide, and the right end of the formulas was cut off
// at the paper's edge (pdftoppm); a justification set in one \text{...}
// cannot break at all. pdflatex's log is the oracle.
func TestPDFLaTeXWideDerivations(t *testing.T) {
	for _, c := range []struct{ name, expr string }{
		{"chain-through-product", "log(1 + exp(sin(x)^2*sigma(x*y)*cos(x*y)*tanh(x)))"},
		{"quotient-numerator", "log(1 + exp(sin(x)^2*sigma(x*y)))/sqrt(1 + x^2) + relu(x - 1)^2*tanh(x)"},
		// the justification of collect and cancel, one \text{...} of 116pt too many
		{"long-justification", "sigma(2*x/x)*abs(x*y/2*x) + (2*x)^2"},
	} {
		for _, all := range []bool{false, true} {
			args := []string{"latex", "--doc", "--wrt", "x", "--", c.expr}
			name := c.name
			if all {
				args = append(args[:2], append([]string{"--all-steps"}, args[2:]...)...)
				name += "-all-steps"
			}
			t.Run(name, func(t *testing.T) {
				doc := collect(t, 0, args...)
				texcheck.PDFLaTeX(t, name, doc)
			})
		}
	}
}
