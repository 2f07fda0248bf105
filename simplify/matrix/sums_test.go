package matrix

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestCancelInverses: inv(A)[a,j]*A[j,b] summed over j = 1..m is
// delta(a, b); over another range, or with j elsewhere too, it is not.
func TestCancelInverses(t *testing.T) {
	m := ast.NewSym("m")
	atoms := []*Atom{{Name: "Ainv", Kind: ast.MatInv, Arg: ast.NewSym("A"), Size: m}}
	k, l, j := ast.NewSym("k"), ast.NewSym("l"), ast.NewSym("j")
	z := ast.NewIndex("Ainv", k, j)
	a := ast.NewIndex("A", j, l)
	tests := []struct {
		in   ast.Expr
		want string
	}{
		{ast.NewSum(ast.OpSum, "j", ast.One, m, ast.NewMul(z, a)), "delta(k, l)"},
		{ast.NewSum(ast.OpSum, "j", ast.One, m, ast.NewMul(ast.NewIndex("A", k, j), ast.NewIndex("Ainv", j, l))), "delta(k, l)"},
		{ast.NewSum(ast.OpSum, "j", ast.One, m, ast.NewMul(ast.NewIndex("Ainv", j, k), ast.NewIndex("A", l, j))), "delta(l, k)"},
		{ast.NewSum(ast.OpSum, "j", ast.One, ast.NewInt(2), ast.NewMul(z, a)), "sum(j=1..2, Ainv[k,j]*A[j,l])"},
		{ast.NewSum(ast.OpSum, "j", ast.One, m, ast.NewMul(z, a, ast.NewIndex("x", j))), "sum(j=1..m, Ainv[k,j]*A[j,l]*x[j])"},
		{ast.NewSum(ast.OpSum, "j", ast.One, m, ast.NewMul(z, ast.NewIndex("A", l, j))), "sum(j=1..m, Ainv[k,j]*A[l,j])"},
	}
	for _, tt := range tests {
		if got := ast.String(cancelInverses(tt.in, atoms)); got != tt.want {
			t.Errorf("cancelInverses(%s) = %s, want %s", ast.String(tt.in), got, tt.want)
		}
	}
}
