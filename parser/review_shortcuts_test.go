package parser

import "testing"

// TestShortcutsReview: inputs found in review where a shortcut (the
// shape checks skipped while there are only scalars, the checks skipped
// for a free name met before) could change the outcome; each is parsed
// with and without the shortcuts and must give the same statements or
// the same error.
func TestShortcutsReview(t *testing.T) {
	for _, src := range []string{
		"a := log(sigma)\nsigma(u) := u^2\nb := sigma + 1",
		"a := log(sigma)\nsigma(u) := u^2\nb := sigma(2) + sigma",
		"a := x + 1\nx(u) := u\nb := x + 1",
		"a := x + 1\nx[i] := i\nb := x + 1",
		"a := x + 1\nx : vector(n)\nb := x + 1",
		"a := x + 1\nx := 2\nb := x + 1",
		"a := pi + 1\npi := 3\nb := pi",
		"a := x\nb := x where x = 2",
		"a := x\nb := y where y = x, x = 2",
		"f := x * x\nx : vector(n)\ng := f + 1",
		"A := 1\nB := A * A\nA := ones(3)\nC := B + 1",
		"A := ones(2,2)\nA := 2\nB := A * A",
		"x : vector(n)\nf := x'\nf := 2\ng := f * f",
		"a := b * c\nb := ones(2)\nc := ones(2)\nz := a + 1",
		"g(u) := u * u\nx : vector(n)\ny := g(x) + 1",
		"s := x .* x\nt := s * s",
		"h := w * w\nw : vector(3)\nk := h * ones(3)",
		"a := sum(i=1..3, i)\ni := 5\nb := a + i",
		"a := x\nrule r: x*y -> y*x\nb := x*y",
		"a := x + 1\nassume x > 0\nb := x",
		"a := T + 1\nX : matrix(2, 2)\nb := X^T",
		"a := T\nb := x^T",
		"a := e + 1\nb := e^x",
		"v : vector(3)\na := x\nb := v' * v + x",
		"a := x\n\tb := x +\r\n x",
	} {
		checkShortcuts(t, src, src)
	}
}
