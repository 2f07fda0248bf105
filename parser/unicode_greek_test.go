package parser_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestGreekLetterIsItsName: a Greek letter and its name are one name (λ
// is lambda), except where the letter is notation: σ( φ( Φ( δ( call the
// built-in, δⱼₖ is Kronecker's delta, Σ_ and Σ( start a sum. A vector
// named delta, printed δ[j], is an entry of delta, never the Kronecker
// delta. Each pair must read as the same tree, each Unicode print of it
// must read back as it, and the pairs marked apart must differ.
func TestGreekLetterIsItsName(t *testing.T) {
	fctx := &parser.Context{Funcs: map[string]int{"lambda": 1, "Sigma": 1}}
	same := [][2]string{
		{"λ", "lambda"}, {"α + β·γ", "alpha + beta*gamma"}, {"λᵢ", "lambda[i]"}, {"λ₁₂", "lambda[12]"},
		{"δ[j]", "delta[j]"}, {"δ[j,k]", "delta[j,k]"}, {"δⱼₖ", "delta(j,k)"}, {"δ(j, k)", "delta(j,k)"},
		{"σ(x)·σ", "sigma(x)*sigma"}, {"Φ(z) + Φ", "Phi(z) + Phi"}, {"φ(z)/φ", "phi(z)/phi"},
		{"Σ + 1", "Sigma + 1"}, {"Σ[i]·2", "Sigma[i]*2"}, {"Σ_{i=1}^{n} xᵢ", "sum(i=1..n, x[i])"}, {"Σ(i=1..n, x[i])", "sum(i=1..n, x[i])"},
		{"π·x", "pi*x"}, {"Σ_{α=1}^{n} w[α]", "sum(alpha=1..n, w[alpha])"},
		{"x ≠ 1/δ ∨ y > 1", "x != 1/delta or y > 1"},
		// functions of the user's (fctx): λ(x) calls lambda; Sigma(x) is
		// printed so, as Σ( would start a sum
		{"λ(x) + 2", "lambda(x) + 2"}, {"Sigma(x)", "Sigma(x)"},
	}
	for _, c := range same {
		ctx := (*parser.Context)(nil)
		if c[0] == "λ(x) + 2" || c[0] == "Sigma(x)" {
			ctx = fctx
		}
		if c[0] == "x ≠ 1/δ ∨ y > 1" {
			c = [2]string{"if(" + c[0] + ", 1, 2)", "if(" + c[1] + ", 1, 2)"}
		}
		a, err := parser.ParseExpr(c[0], ctx)
		if err != nil {
			t.Errorf("%s: %v", c[0], err)
			continue
		}
		b, err := parser.ParseExpr(c[1], ctx)
		if err != nil {
			t.Fatalf("%s: %v", c[1], err)
		}
		if a != b {
			t.Errorf("%s reads as %s, want %s", c[0], ast.String(a), ast.String(b))
		}
		for _, s := range []string{ast.String(b), ast.UnicodeString(b)} {
			got, err := parser.ParseExpr(s, ctx)
			if err != nil || got != b {
				t.Errorf("%s prints as %s, which reads back as %v (%v)", c[1], s, got, err)
			}
		}
	}
	apart := [][2]string{{"δ[j,k]", "delta(j,k)"}, {"δ(j,k)", "delta[j,k]"}, {"σ(x)", "sigma*x"}}
	for _, c := range apart {
		a, errA := parser.ParseExpr(c[0], nil)
		b, errB := parser.ParseExpr(c[1], nil)
		if errA != nil || errB != nil {
			t.Fatalf("%v %v", errA, errB)
		}
		if a == b {
			t.Errorf("%s and %s read as one tree, %s", c[0], c[1], ast.String(a))
		}
	}
}
