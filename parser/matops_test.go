package parser_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// opsContext declares square matrices next to decls.
func opsContext(t *testing.T) *parser.Context {
	t.Helper()
	ctx := matrixContext(t)
	stmts, err := parser.ParseFile("", "A : matrix(m, m)\nB : matrix(3, 3)\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stmts {
		d := st.Stmt.(*ast.DeclStmt)
		ctx.Shapes[d.Name] = d.Shape
	}
	return ctx
}

// TestMatOpsErrors: inv, det and logdet take square matrices; the whole
// message names the shape.
func TestMatOpsErrors(t *testing.T) {
	ctx := opsContext(t)
	tests := []struct{ src, want string }{
		{"inv(X)", `1:1: inv takes a square matrix, and X (n×d) is a matrix, not square
    inv(X)
    ^`},
		{"det(w)", `1:1: det takes a square matrix, and w (d×1) is a vector, not square
    det(w)
    ^`},
		{"logdet(w')", `1:1: logdet takes a square matrix, and w' (1×d) is a row vector, not square
    logdet(w')
    ^`},
		{"2*inv(X'*X*w)", `1:3: inv takes a square matrix, and X'*X*w (d×1) is a vector, not square
    2*inv(X'*X*w)
      ^`},
		{"inv(lam)", `1:1: inv takes a square matrix, and lam is a scalar: write 1/lam for its reciprocal
    inv(lam)
    ^`},
		{"inv(lam + 1)", `1:1: inv takes a square matrix, and lam + 1 is a scalar: write 1/(lam + 1) for its reciprocal
    inv(lam + 1)
    ^`},
		{"det(lam)", `1:1: det takes a square matrix, and lam is a scalar
    det(lam)
    ^`},
		{"inv(A, A)", `1:1: inv takes 1 argument, found 2
    inv(A, A)
    ^`},
		{"inv(A)*X", `1:7: cannot multiply inv(A) (m×m) by X (n×d): the inner sizes m and n differ
    inv(A)*X
          ^`},
		{"inv(A) + B", `1:8: cannot add inv(A) (m×m) and B (3×3): the shapes differ
    inv(A) + B
           ^`},
		{"det(A)'", `1:7: det(A) is a scalar: the transpose ' applies to vectors and matrices
    det(A)'
          ^`},
		{"2*d(X*w*w', X)", `1:2: d(X*w*w', X): the derivative of a matrix by a matrix is not a matrix (its entries have more than two indices); on its own it is given in index form
    2*d(X*w*w', X)
     ^`},
		{"d((X*w)', w)", `1:1: d((X*w)', w): (X*w)' (1×n) is a row vector; differentiate the column vector instead, jacobian(X*w, w)
    d((X*w)', w)
    ^`},
		{"w*w", `1:2: cannot multiply w (d×1) by w (d×1): both are column vectors; write w'*w or dot(w, w) for the inner product, or w .* w for the element-wise product
    w*w
     ^`},
		{"w'*v'", `1:3: cannot multiply w' (1×d) by v' (1×d): the inner sizes d and 1 differ
    w'*v'
      ^`},
	}
	for _, src := range []string{"d(X*w*w', X)", "jacobian(X*diag(w), w)", "d(inv(A), A)"} {
		if _, err := parser.ParseExpr(src, ctx); err != nil {
			t.Errorf("ParseExpr(%q): %v; on its own it is given in index form", src, err)
		}
	}
	for _, tt := range tests {
		_, err := parser.ParseExpr(tt.src, ctx)
		if err == nil {
			t.Errorf("ParseExpr(%q): no error", tt.src)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseExpr(%q):\n%s\nwant\n%s", tt.src, err, tt.want)
		}
	}
}

// TestMatOpsPrint: the plain form reads back as the same tree; Unicode
// writes A⁻¹, LaTeX \mathbf{A}^{-1}, \det and \log\det.
func TestMatOpsPrint(t *testing.T) {
	ctx := opsContext(t)
	tests := []struct{ src, plain, uni, tex string }{
		{"inv(A)", "inv(A)", "A⁻¹", `\mathbf{A}^{-1}`},
		{"inv(A)'", "inv(A)'", "A⁻ᵀ", `\mathbf{A}^{-\top}`},
		{"inv(A')", "inv(A')", "(Aᵀ)⁻¹", `\left(\mathbf{A}^\top\right)^{-1}`},
		{"det(A)*inv(A)'", "det(A)*inv(A)'", "det(A)·A⁻ᵀ", `\det\left(\mathbf{A}\right) \mathbf{A}^{-\top}`},
		{"logdet(A)", "logdet(A)", "log det(A)", `\log\det\left(\mathbf{A}\right)`},
		{"inv(X'*X + lam*eye(d))*X'*y", "inv(X'*X + lam*eye(d))*X'*y", "(Xᵀ·X + lam·eye(d))⁻¹·Xᵀ·y",
			`\left(\mathbf{X}^\top \mathbf{X} + \mathrm{lam} \mathbf{I}_{d}\right)^{-1} \mathbf{X}^\top \mathbf{y}`},
		{"-(inv(A)'*A*inv(A)')", "-(inv(A)'*A*inv(A)')", "−(A⁻ᵀ·A·A⁻ᵀ)", `-\mathbf{A}^{-\top} \mathbf{A} \mathbf{A}^{-\top}`},
		{"tr(inv(A))", "tr(inv(A))", "tr(A⁻¹)", `\operatorname{tr}\left(\mathbf{A}^{-1}\right)`},
		{"w'*X'", "w'*X'", "wᵀ·Xᵀ", `\mathbf{w}^\top \mathbf{X}^\top`},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := ast.String(e); got != tt.plain {
			t.Errorf("String(%q) = %q, want %q", tt.src, got, tt.plain)
		}
		back, err := parser.ParseExpr(ast.String(e), ctx)
		if err != nil || back != e {
			t.Errorf("%q does not read back as the same tree: %v", ast.String(e), err)
		}
		if got := ast.UnicodeString(e); got != tt.uni {
			t.Errorf("Unicode(%q) = %q, want %q", tt.src, got, tt.uni)
		}
		if got, _ := ast.FormatShaped(e, ast.LaTeX, ctx.Shapes); got != tt.tex {
			t.Errorf("LaTeX(%q) = %q, want %q", tt.src, got, tt.tex)
		}
	}
}
