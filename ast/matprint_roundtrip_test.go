package ast_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// genElementwise writes a random square-matrix expression with the
// element-wise operations next to inverses and transposes: the Unicode
// printer writes inv(A) as A⁻¹ and inv(A)' as A⁻ᵀ, superscripts that
// must not take an element-wise power after them as theirs.
func genElementwise(r *rand.Rand, depth int) string {
	if depth == 0 || r.IntN(4) == 0 {
		return []string{"A", "B"}[r.IntN(2)]
	}
	x := genElementwise(r, depth-1)
	switch r.IntN(9) {
	case 0:
		return "inv(" + x + ")"
	case 1:
		return "inv(" + x + ")'"
	case 2:
		return "(" + x + ")'"
	case 3:
		return "(" + x + ").^" + []string{"2", "3", "y", "(1/3)"}[r.IntN(4)]
	case 4:
		return "(" + x + ") .* (" + genElementwise(r, depth-1) + ")"
	case 5:
		return "(" + x + ") ./ (" + genElementwise(r, depth-1) + ")"
	case 6:
		return "(" + x + ")*(" + genElementwise(r, depth-1) + ")"
	case 7:
		return "exp(" + x + ")"
	}
	return x + " + " + genElementwise(r, depth-1)
}

// TestUnicodeElementwiseRoundTrip: Unicode output of matrix expressions
// with element-wise operations parses back to the same tree. inv(A).^2
// printed A⁻¹.^2, which reads as A^-(1.^2) ("write A.^-1.^2 for the
// element-wise power", the element-wise reciprocal: another matrix), and
// inv(A)'.^2 printed A⁻ᵀ.^2 likewise.
func TestUnicodeElementwiseRoundTrip(t *testing.T) {
	d := ast.NewSym("d")
	ctx := func() *parser.Context {
		return &parser.Context{Shapes: map[string]ast.Shape{"A": ast.MatrixShape(d, d), "B": ast.MatrixShape(d, d)}}
	}
	for _, src := range []string{"inv(A).^2", "inv(A)'.^2", "inv(A').^y", "(inv(A)*B).^2"} {
		checkUnicodeRoundTrip(t, src, ctx())
	}
	r := rand.New(rand.NewPCG(9, 4))
	for n := range 800 {
		checkUnicodeRoundTrip(t, genElementwise(r, 1+n%4), ctx())
	}
}

func checkUnicodeRoundTrip(t *testing.T, src string, ctx *parser.Context) {
	t.Helper()
	e, err := parser.ParseExpr(src, ctx)
	if err != nil {
		return // a shape error of the generator's (d×d .^ y is fine; others are not made)
	}
	u := ast.UnicodeString(e)
	got, err := parser.ParseExpr(u, ctx)
	if err != nil {
		t.Errorf("%s prints as %q, which does not parse: %v", src, u, err)
		return
	}
	if got != e {
		t.Errorf("%s prints as %q, which parses to another tree (-want +got):\n%s", src, u, cmp.Diff(ast.Sexpr(e), ast.Sexpr(got)))
	}
}
