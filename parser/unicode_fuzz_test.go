package parser_test

import (
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// FuzzUnicodeRoundTrip: an expression that parses prints in Unicode as
// text that parses too, without a panic, and (but for sums, where the
// printer is not one to one: a mean prints as (1/n)·Σ…) the tree read
// back prints as the same text. Names are printed as symdiff prints
// them, with DistinctNames: lambda and λ both print as λ unless both
// occur, so the tree read back may have λ where there was lambda, and it
// prints the same. The seeds are the printer's forms.
func FuzzUnicodeRoundTrip(f *testing.F) {
	for _, s := range []string{
		"sum(i=1..n, abs(u[i])^2) + x_1 + sqrt(x)",
		"Σ_{i=1}^{n} Σ_{j=1}^{d} xᵢⱼ·wⱼ − (1/n)·Σ_{i=1}^{n} (yᵢ − pᵢ)²",
		"x₁₂ + x1₂ + δⱼₖ·wₖ + δ(j,k1) + |x − |y||³ + ∂(x·y)/∂y·2",
		"if(x > 0 ∧ ¬(y = 1) ∨ z ≠ 2, max(a, b, c), min(|r|, δ)²/2)",
		"1e−30·x + 2^10¹⁰ + λ·lambda + ŷᵢ + [1 ≤ k ≤ n]",
		"u1 + u1² where u1 = sin(x)",
		"xⁿ + 2ᵏ·yᵢⁿ", "xⁿᵐ", "x²ⁿ",
		"xᵢ₁", "|a|b|c|", "Σᵢ xᵢ", "∂x/∂y²", "Σ_{i=1}^n − 1·x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			if _, ok := err.(*parser.Error); !ok {
				t.Fatalf("%q: error is a %T, not a *parser.Error: %v", src, err, err)
			}
			return
		}
		// As symdiff prints: names that would look alike (lambda and λ)
		// are written as spelled.
		u, err := ast.FormatSpelled(e, ast.Unicode, nil, nil, ast.DistinctNames(ast.Unicode, e))
		if err != nil {
			return // too large to print
		}
		back, err := parser.ParseExpr(u, nil)
		if err != nil && strings.Contains(err.Error(), "is used with") {
			// λ·lambda[i] prints as λ·λᵢ, a name used with and without
			// indices once read back: DistinctNames keeps apart names
			// that print alike, not a name and an indexed name. Refused
			// with a clear error, not misread.
			return
		}
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", src, u, err)
		}
		if strings.Contains(u, "Σ") {
			return
		}
		if again, _ := ast.FormatSpelled(back, ast.Unicode, nil, nil, ast.DistinctNames(ast.Unicode, back)); again != u {
			t.Fatalf("%q prints as %q, which reads back as %s, printed %q", src, u, ast.String(back), again)
		}
	})
}
