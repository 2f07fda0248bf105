package parser_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestSuperscriptInverseThenElementwise: a superscript inverse is a
// whole: A⁻¹.^2 is (A⁻¹).^2 and A⁻ᵀ.^2 is (A⁻ᵀ).^2, as printed before
// the printer parenthesised them; read as A^-(1.^2) they failed with
// advice (write A.^-1.^2) whose value is another matrix. Stacked on a
// scalar, x⁻¹⁻¹ is (x⁻¹)⁻¹ as A⁻¹⁻¹ is (A⁻¹)⁻¹ = A, not x^-(1^-1) = 1/x.
// A transpose after the superscript is the inverse's (A⁻ᵀ' failed with
// "1 is a scalar: the transpose ' applies to vectors and matrices").
func TestSuperscriptInverseThenElementwise(t *testing.T) {
	for src, want := range map[string]string{
		"A⁻¹.^2": "inv(A).^2",
		"A⁻ᵀ.^2": "inv(A)'.^2",
		"A⁻¹.^y": "inv(A).^y",
		"x⁻¹⁻¹":  "(x^-1)^-1",
		"A⁻¹⁻¹":  "inv(inv(A))",
		"A⁻¹'":   "inv(A)'",
		"A⁻ᵀ'":   "inv(A)''",
	} {
		w, err := parser.ParseExpr(want, uniMatrixContext())
		if err != nil {
			t.Fatalf("%s: %v", want, err)
		}
		got, err := parser.ParseExpr(src, uniMatrixContext())
		if err != nil {
			t.Errorf("%s: %v, want %s", src, err, ast.String(w))
			continue
		}
		if got != w {
			t.Errorf("%s parses as %s, want %s", src, ast.String(got), ast.String(w))
		}
	}
}
