package shape_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
)

// TestOf checks inferred shapes on trees built directly (the parser's
// tests check the messages with their places).
func TestOf(t *testing.T) {
	n, d := ast.NewSym("n"), ast.NewSym("d")
	X, w, y, lam := ast.NewSym("X"), ast.NewSym("w"), ast.NewSym("y"), ast.NewSym("lam")
	defs := &ast.Defs{}
	xw := ast.NewMatMul(X, w)
	if err := defs.Define(&ast.Def{Name: "P", Kind: ast.DefScalar, Body: ast.NewCall("sigma", xw)}); err != nil {
		t.Fatal(err)
	}
	env := shape.New(map[string]ast.Shape{"X": ast.MatrixShape(n, d), "w": ast.VectorShape(d), "y": ast.VectorShape(n)}, defs)
	tests := []struct {
		e    ast.Expr
		want string
	}{
		{lam, "1×1"},
		{xw, "n×1"},
		{ast.NewTranspose(X), "d×n"},
		{ast.NewMatMul(ast.NewTranspose(w), w), "1×1"},
		{ast.NewMatMul(w, ast.NewTranspose(w)), "d×d"},
		{ast.NewAdd(ast.One, ast.NewNeg(y)), "n×1"},
		{ast.NewMul(lam, X), "n×d"},
		{ast.NewSym("P"), "n×1"}, // a definition has its body's shape
		{ast.NewDeriv(ast.NewMatOp(ast.MatSumAll, ast.NewSym("P")), w), "d×1"},
		{ast.NewMatOp(ast.MatJacobian, xw, w), "n×d"},
		{ast.NewMatOp(ast.MatHessian, ast.NewMatOp(ast.MatSumAll, xw), w), "d×d"},
		{ast.NewMatOp(ast.MatDiag, y), "n×n"},
		{ast.NewMatOp(ast.MatOnes, n, d), "n×d"},
		{ast.NewMatOp(ast.MatSoftmax, y), "n×1"},
		{ast.NewIndex("X", ast.NewSym("i"), ast.NewSym("j")), "1×1"},
	}
	for _, tt := range tests {
		s, err := env.Of(tt.e)
		if err != nil {
			t.Errorf("Of(%s): %v", ast.String(tt.e), err)
			continue
		}
		if s.String() != tt.want {
			t.Errorf("Of(%s) = %s, want %s", ast.String(tt.e), s, tt.want)
		}
	}
	if !env.Involved(ast.NewSym("P")) || env.Involved(ast.NewIndex("X", ast.One, ast.One)) || env.Involved(lam) {
		t.Error("Involved: P involves a vector; X[1,1] and lam do not")
	}
	bad := ast.NewMatMul(X, y)
	_, err := env.Of(bad)
	se, ok := err.(*shape.Error)
	if !ok || se.Msg != "cannot multiply X (n×d) by y (n×1): the inner sizes d and n differ" {
		t.Errorf("Of(X*y) = %v", err)
	}
}
