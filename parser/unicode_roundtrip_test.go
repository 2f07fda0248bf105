package parser_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// uniMatrixContext declares A, B and C as d×d matrices, S symmetric, v a
// vector.
func uniMatrixContext() *parser.Context {
	d := ast.NewSym("d")
	return &parser.Context{Shapes: map[string]ast.Shape{
		"A": ast.MatrixShape(d, d), "B": ast.MatrixShape(d, d), "C": ast.MatrixShape(d, d),
		"S": ast.SymmetricShape(d), "v": ast.VectorShape(d),
	}}
}

// genMatrix writes a random square-matrix expression in plain notation:
// products, sums, inverses, transposes, scalar multiples, and the
// inverse's transpose in both orders, which the Unicode printer writes
// A⁻¹, A⁻ᵀ, (A·B)⁻ᵀ.
func genMatrix(r *rand.Rand, depth int) string {
	if depth == 0 || r.IntN(4) == 0 {
		return []string{"A", "B", "C", "S"}[r.IntN(4)]
	}
	x := genMatrix(r, depth-1)
	switch r.IntN(7) {
	case 0:
		return "inv(" + x + ")"
	case 1:
		return "inv(" + x + ")'"
	case 2:
		return "inv((" + x + ")')"
	case 3:
		return "(" + x + ")'"
	case 4:
		return "(" + x + ")*" + genMatrix(r, depth-1)
	case 5:
		return x + " + " + genMatrix(r, depth-1)
	}
	return "2*(" + x + ")"
}

// TestUnicodeMatrixRoundTrip: --unicode output of matrix expressions parses
// back to the same tree. A⁻ᵀ (inv(A)') did not parse ("expected a
// superscript digit after ⁻"), nor did A⁻¹ (inv(A): "write A.^-1 for the
// element-wise power"). The oracle is the tree parsed from the plain
// input, which prints and parses back as itself.
func TestUnicodeMatrixRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	inverses, transposed := 0, 0
	for n := range 600 {
		src := genMatrix(r, 1+n%4)
		if r.IntN(3) == 0 {
			src = "v'*(" + src + ")*v"
		}
		e, err := parser.ParseExpr(src, uniMatrixContext())
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for _, s := range []string{ast.String(e), ast.UnicodeString(e)} {
			got, err := parser.ParseExpr(s, uniMatrixContext())
			if err != nil {
				t.Errorf("%s prints as %q, which does not parse: %v", src, s, err)
				continue
			}
			if got != e {
				t.Errorf("%s prints as %q, which parses to another tree (-want +got):\n%s", src, s, cmp.Diff(ast.Sexpr(e), ast.Sexpr(got)))
			}
		}
		u := ast.UnicodeString(e)
		if strings.Contains(u, "⁻¹") {
			inverses++
		}
		if strings.Contains(u, "⁻ᵀ") {
			transposed++
		}
	}
	if inverses < 20 || transposed < 20 {
		t.Errorf("%d outputs with ⁻¹ and %d with ⁻ᵀ: the generator should make many", inverses, transposed)
	}
}

// TestUnicodeInverseForms: the superscript forms parse as the inverse and
// its transpose; written in ASCII, A^-1 is still an error, and so is ⁻ᵀ on
// a scalar (x⁻¹ is 1/x).
func TestUnicodeInverseForms(t *testing.T) {
	for src, want := range map[string]string{
		"A⁻¹":      "inv(A)",
		"A⁻ᵀ":      "inv(A)'",
		"(A*B)⁻ᵀ":  "inv(A*B)'",
		"Aᵀ⁻¹":     "inv(A')",
		"v'*A⁻ᵀ*v": "v'*inv(A)'*v",
		"x⁻¹":      "x^-1",
		"A⁻²":      "error",
		"A^-1":     "error",
		"x⁻ᵀ":      "error",
	} {
		e, err := parser.ParseExpr(src, uniMatrixContext())
		switch {
		case want == "error":
			if err == nil {
				t.Errorf("%s: %s, want an error", src, ast.String(e))
			}
		case err != nil:
			t.Errorf("%s: %v", src, err)
		default:
			w, err := parser.ParseExpr(want, uniMatrixContext())
			if err != nil {
				t.Fatal(err)
			}
			if e != w {
				t.Errorf("%s: %s, want %s", src, ast.String(e), want)
			}
		}
	}
}
