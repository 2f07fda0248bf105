package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/texcheck"
)

// TestLaTeXNamesApart: a document that uses x1, x_1 and x[1], and yhat,
// y_hat and ŷ writes each apart (they all printed x_{1} and \hat{y}
// before): the array element and the accented letter keep their notation,
// the others are spelled in italics, and every occurrence of a name is
// written the same way. lambda and λ are one name (λ is read as lambda),
// written \lambda wherever it occurs. A document
// without such a clash keeps the natural notation (x1 is x_{1}). Every
// formula is rendered by KaTeX and the document compiled by pdflatex.
func TestLaTeXNamesApart(t *testing.T) {
	path := writeScript(t, "apart.sd", "f := x1*x[1] + x_1 + lambda*λ\nd(f, x[1])\nprove yhat + y_hat == ŷ + yhat + y_hat - ŷ\n")
	out, stderr, status := runMain(t, "latex", path)
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	for _, want := range []string{`\mathit{x1}`, `\mathit{x\_1}`, `x_{1}`, `\lambda \lambda`, `\mathit{yhat}`, `\mathit{y\_hat}`, `\hat{y}`} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in:\n%s", want, out)
		}
	}
	if strings.Contains(out, `\mathit{lambda}`) {
		t.Errorf("lambda and λ are one name, written apart:\n%s", out)
	}
	fs, err := texFormulas("apart", out)
	if err != nil {
		t.Fatal(err)
	}
	texcheck.KaTeX(t, fs)
	doc, stderr, status := runMain(t, "latex", "--doc", path)
	if status != 0 {
		t.Fatalf("--doc: status %d: %s", status, stderr)
	}
	texcheck.PDFLaTeX(t, "apart", doc)

	plain := writeScript(t, "natural.sd", "g := x1*x2 + lambda*w[1]\n")
	out, _, _ = runMain(t, "latex", plain)
	if !strings.Contains(out, `x_{1} x_{2} + \lambda w_{1}`) {
		t.Errorf("without a clash, names keep their notation:\n%s", out)
	}
}

// TestLaTeXNamesApartRandom: random sets of names that look alike, printed
// with print --latex: no two distinct names print alike (the oracle: the
// printed names, cut out of the formula term by term), and KaTeX renders
// every formula.
func TestLaTeXNamesApartRandom(t *testing.T) {
	names := []string{"x1", "x_1", "x[1]", "x[12]", "x[1,2]", "x1[2]", "x12", "lambda", "λ", "lambda_2", "λ2", "lambda[2]",
		"yhat", "y_hat", "ŷ", "alpha", "α", "w1", "w[1]", "w_1"}
	// A whole Greek letter is read as its name: one name, not two that
	// look alike.
	sameName := map[string]string{"λ": "lambda", "lambda": "λ", "α": "alpha", "alpha": "α"}
	rng := rand.New(rand.NewPCG(7, 15))
	var fs []texcheck.Formula
	for i := range 40 {
		var terms []string
		seen := map[string]bool{}
		for range 2 + rng.IntN(5) {
			n := names[rng.IntN(len(names))]
			if one := sameName[n]; !seen[n] && !seen[one] {
				seen[n], seen[one] = true, true
				terms = append(terms, n)
			}
		}
		expr := strings.Join(terms, " + ")
		out, stderr, status := runMain(t, "print", "--latex", expr)
		if status != 0 {
			// A name used with and without indices (x1 and x1[2]): an
			// error of its own.
			t.Logf("%s: %s", expr, stderr)
			continue
		}
		out = strings.TrimSpace(out)
		fs = append(fs, texcheck.Formula{TeX: out, Display: true, Name: fmt.Sprintf("set %d: %s", i, expr)})
		// The printer orders terms; each printed term is one name.
		shown := strings.Split(out, " + ")
		if len(shown) != len(terms) {
			t.Errorf("%s printed %s: %d terms, want %d", expr, out, len(shown), len(terms))
			continue
		}
		at := map[string]bool{}
		for _, s := range shown {
			if at[s] {
				t.Errorf("%s printed %s: %s twice", expr, out, s)
			}
			at[s] = true
		}
	}
	texcheck.KaTeX(t, fs)
}
