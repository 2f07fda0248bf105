package parser_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// decls is the preamble of the matrix tests: rows 1 to 5.
const decls = "X : matrix(n, d)\nw : vector(d)\nv : vector(d)\ny : vector(n)\nlam : scalar\n"

// parseDecl parses decls and src, and returns src's statements' context.
func matrixContext(t *testing.T) *parser.Context {
	t.Helper()
	stmts, err := parser.ParseFile("", decls, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &parser.Context{Shapes: map[string]ast.Shape{}}
	for _, st := range stmts {
		d := st.Stmt.(*ast.DeclStmt)
		ctx.Shapes[d.Name] = d.Shape
	}
	return ctx
}

// TestMatrixErrors asserts the whole message of each shape error: what
// is wrong, both shapes, and what was probably meant.
func TestMatrixErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"inner sizes", "X*y", `1:2: cannot multiply X (n×d) by y (n×1): the inner sizes d and n differ
    X*y
     ^`},
		{"two column vectors", "w*v", `1:2: cannot multiply w (d×1) by v (d×1): both are column vectors; write w'*v or dot(w, v) for the inner product, or w .* v for the element-wise product
    w*v
     ^`},
		{"column vectors of two sizes", "w*y", `1:2: cannot multiply w (d×1) by y (n×1): both are column vectors (write w*y' for the outer product)
    w*y
     ^`},
		{"chain", "X'*y*w", `1:5: cannot multiply X'*y (d×1) by w (d×1): both are column vectors; write (X'*y)'*w or dot(X'*y, w) for the inner product, or (X'*y) .* w for the element-wise product
    X'*y*w
        ^`},
		{"transpose of a scalar", "lam'", `1:4: lam is a scalar: the transpose ' applies to vectors and matrices
    lam'
       ^`},
		{"transpose of an expression", "(lam + 1)^T", `1:1: lam + 1 is a scalar: the transpose ^T applies to vectors and matrices (for the power, declare T : scalar)
    (lam + 1)^T
    ^`},
		{"undeclared ^T", "z^T*w", `1:1: z^T: z is not declared, so it is a scalar; declare its shape first, like z : vector(n) or z : matrix(n, d)
    z^T*w
    ^`},
		{"undeclared '", "Z'*w", `1:1: Z': Z is not declared, so it is a scalar; declare its shape first, like Z : vector(n) or Z : matrix(n, d)
    Z'*w
    ^`},
		{"add", "X + w", `1:3: cannot add X (n×d) and w (d×1): the shapes differ
    X + w
      ^`},
		{"add later term", "1 - y + w", `1:7: cannot add y (n×1) and w (d×1): the shapes differ
    1 - y + w
          ^`},
		{"power of a vector", "w^2", `1:2: w is a vector (d×1): write w.^2 for the element-wise square, or norm(w)^2 for the squared norm
    w^2
     ^`},
		{"power of a matrix", "X^3", `1:2: X is a matrix (n×d): write X.^3 for the element-wise power
    X^3
     ^`},
		{"divide by a vector", "y/v", `1:2: cannot divide by v (d×1), a vector: write ./ for the element-wise quotient
    y/v
     ^`},
		{"element-wise", "w .* y", `1:3: cannot multiply w (d×1) by y (n×1) element-wise: the shapes differ
    w .* y
      ^`},
		{"dot sizes", "dot(w, y)", `1:1: dot(w, y): the vectors have different sizes, d and n
    dot(w, y)
    ^`},
		{"dot of a matrix", "dot(X, y)", `1:1: dot takes two vectors, and X (n×d) is a matrix
    dot(X, y)
    ^`},
		{"trace", "tr(w)", `1:1: tr takes a square matrix, and w (d×1) is not square
    tr(w)
    ^`},
		{"trace of a number", "tr(w'*w)", `1:1: tr takes a square matrix, and w'*w is a scalar (1×1): a number is its own trace, write w'*w
    tr(w'*w)
    ^`},
		{"norm of a matrix", "norm(X)", `1:1: norm takes a vector, and X (n×d) is a matrix
    norm(X)
    ^`},
		{"diag of a matrix", "diag(X)", `1:1: diag takes a vector, and X (n×d) is a matrix
    diag(X)
    ^`},
		{"sum of a scalar", "sum(lam)", `1:5: sum needs a range first: sum(i=1..n, body)
    sum(lam)
        ^`},
		{"sum over an index of a vector", "sum(i=1..n, w)", `1:1: the body of sum is w (d×1), a vector: a sum over an index adds scalars (write sum(v) for the sum of the entries of v)
    sum(i=1..n, w)
    ^`},
		{"indices of a matrix", "X[i]", `1:1: X is declared matrix(n, d) (n×d): it takes 2 indices, as in X[i,j]; found 1
    X[i]
    ^`},
		{"indices of a scalar", "lam[i]", `1:1: lam is declared a scalar: write lam without indices
    lam[i]
    ^`},
		{"hessian of a vector", "hessian(X*w, w)", `1:1: hessian takes a scalar function, and X*w (n×1) is a vector (the Jacobian is jacobian(X*w, w))
    hessian(X*w, w)
    ^`},
		{"two-argument function", "delta(w, v)", `1:1: delta applies to scalars, and w (d×1) is a vector
    delta(w, v)
    ^`},
		{"ones", "ones(n + 1)", `1:1: the sizes of ones must be names or whole numbers, like ones(n)
    ones(n + 1)
    ^`},
		{"unknown shape", "Z : tensor(3)", `1:5: unknown shape tensor: write scalar, vector(n), matrix(n, d) or symmetric(n)
    Z : tensor(3)
        ^`},
		{"matrix with one size", "Z : matrix(n)", `1:5: matrix takes 2 sizes, found 1: write scalar, vector(n), matrix(n, d) or symmetric(n)
    Z : matrix(n)
        ^`},
		{"vector without size", "Z : vector", `1:5: vector needs its size: write scalar, vector(n), matrix(n, d) or symmetric(n)
    Z : vector
        ^`},
		{"size zero", "Z : vector(0)", `1:12: a size must be a name or a positive whole number, like vector(n)
    Z : vector(0)
               ^`},
		{"declare a keyword", "mean : scalar", `1:6: mean needs a range and a body: mean(i=1..n, body)
    mean : scalar
         ^`},
		{"define a declared name", "w := 2", `1:1: w is declared (w : vector(d)): a declared name is an input and cannot be defined
    w := 2
    ^`},
	}
	ctx := matrixContext(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parser.ParseFile("", tt.src, ctx)
			if err == nil {
				t.Fatalf("ParseFile(%q) succeeded, want error:\n%s", tt.src, tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("ParseFile(%q) error (-want +got):\n%s", tt.src, diff)
			}
		})
	}
	// A defined name cannot be declared.
	_, err := parser.ParseFile("", "CE := 1\nCE : scalar", nil)
	want := `2:1: CE is defined (as CE): a declaration gives the shape of an input, not of a defined name
    CE : scalar
    ^`
	if err == nil || err.Error() != want {
		t.Errorf("declaring a defined name: got %v, want\n%s", err, want)
	}
}

// TestMatrixParse checks the trees of matrix expressions: * between
// non-scalars is the matrix product in order, scalars stand in front.
func TestMatrixParse(t *testing.T) {
	tests := []struct{ src, want string }{
		{"X*w", "(mat0 X w)"},
		{"X'*X*w", "(mat0 (mat1 X) X w)"},
		{"2*X'*y/n", "(div (mul 2 (mat0 (mat1 X) y)) n)"},
		{"X'*2*y", "(mul 2 (mat0 (mat1 X) y))"},
		{"w'*v*w", "(mul (mat0 (mat1 w) v) w)"}, // w'*v is a scalar
		{"Xᵀ*y", "(mat0 (mat1 X) y)"},
		{"X^T*y", "(mat0 (mat1 X) y)"},
		{"w''", "w"},
		{"1 - y", "(add 1 (neg y))"},
		{"y .* log(sigma(X*w))", "(mat2 y (call log (call sigma (mat0 X w))))"},
		{"(y - X*w).^2", "(mat4 (add y (neg (mat0 X w))) 2)"},
		{"y ./ 2", "(mat3 y 2)"},
		{"sum(y)", "(mat5 y)"},
		{"mean(y)", "(mat6 y)"},
		{"sum(i=1..n, y[i])", "(sum i 1 n y[i])"},
		{"dot(w, v) + norm(w) + tr(X'*X)", "(add (mat7 w v) (mat8 w) (mat9 (mat0 (mat1 X) X)))"},
		{"diag(y)*X + ones(n)*w' + eye(n)*X", "(add (mat0 (mat10 y) X) (mat0 (mat11 n) (mat1 w)) (mat0 (mat12 n) X))"},
		{"d(lam*norm(w)^2, w)", "(d (mul lam (pow (mat8 w) 2)) w)"},
		{"hessian(norm(X*w)^2, w)", "(mat14 (pow (mat8 (mat0 X w)) 2) w)"},
		{"jacobian(sigma(X*w), w)", "(mat13 (call sigma (mat0 X w)) w)"},
		{"T*x^T", "(mul T (pow x T))"}, // T is a name of this input
	}
	ctx := matrixContext(t)
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, ctx)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.src, err)
			continue
		}
		if got := ast.Sexpr(e); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

// TestMatrixRoundTrip: printing a matrix expression and parsing it again
// gives the same node, and the printed forms are those of the results.
func TestMatrixRoundTrip(t *testing.T) {
	tests := []string{
		"X'*(sigma(X*w) - y)/n",
		"2*X'*(X*w - y)/n",
		"X'*diag(sigma(X*w) .* (1 - sigma(X*w)))*X/n",
		"-mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w)))",
		"mean((y - X*w).^2)",
		"(X*w)'*y",
		"(X'*X + lam*eye(d))*w",
		"-(X'*y)",
		"norm(w)^2 + lam*dot(w, v)",
		"w .* v ./ (1 + w.^2)",
		"X*w*w'",
		"2*(w .* v)",
		"X'*y/(n*lam)",
		"sum(exp(X*w)) - y'*X*w",
	}
	ctx := matrixContext(t)
	for _, src := range tests {
		e, err := parser.ParseExpr(src, ctx)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", src, err)
			continue
		}
		s := ast.String(e)
		if s != src {
			t.Errorf("ParseExpr(%q) prints as %q", src, s)
		}
		back, err := parser.ParseExpr(s, ctx)
		if err != nil {
			t.Errorf("ParseExpr(%q) (printed): %v", s, err)
			continue
		}
		if back != e {
			t.Errorf("%q: printed and parsed again gives %s, want %s", src, ast.Sexpr(back), ast.Sexpr(e))
		}
	}
}

// TestMatrixPrinters: the Unicode and LaTeX forms of the seed's results.
func TestMatrixPrinters(t *testing.T) {
	ctx := matrixContext(t)
	tests := []struct{ src, uni, tex string }{
		{"X'*(sigma(X*w) - y)/n", "Xᵀ·(σ(X·w) − y)/n", `\frac{\mathbf{X}^\top \left(\sigma(\mathbf{X} \mathbf{w}) - \mathbf{y}\right)}{n}`},
		{"X'*diag(sigma(X*w) .* (1 - sigma(X*w)))*X/n", "Xᵀ·diag(σ(X·w) ⊙ (1 − σ(X·w)))·X/n",
			`\frac{\mathbf{X}^\top \operatorname{diag}\left(\sigma(\mathbf{X} \mathbf{w}) \odot \left(1 - \sigma(\mathbf{X} \mathbf{w})\right)\right) \mathbf{X}}{n}`},
		{"norm(w)^2 + lam*eye(d)*w", "norm(w)² + lam·eye(d)·w", `\left\lVert \mathbf{w}\right\rVert^{2} + \mathrm{lam} \mathbf{I}_{d} \mathbf{w}`},
		{"(y - X*w).^2", "(y − X·w).^2", `\left(\mathbf{y} - \mathbf{X} \mathbf{w}\right)^{\circ 2}`},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := ast.UnicodeString(e); got != tt.uni {
			t.Errorf("Unicode(%q) = %q, want %q", tt.src, got, tt.uni)
		}
		if got, _ := ast.FormatShaped(e, ast.LaTeX, ctx.Shapes); got != tt.tex {
			t.Errorf("LaTeX(%q) = %q, want %q", tt.src, got, tt.tex)
		}
	}
}

// TestHigherDerivatives: d(f, x, 2) and d(f, x, y) are nested derivatives.
func TestHigherDerivatives(t *testing.T) {
	tests := []struct{ src, want string }{
		{"d(x^3, x, 2)", "(d (d (pow x 3) x) x)"},
		{"d(x^3, x, 1)", "(d (pow x 3) x)"},
		{"d(x*y, x, y)", "(d (d (mul x y) x) y)"},
		{"d(f, w[j], w[k])", "(d (d f w[j]) w[k])"},
	}
	for _, tt := range tests {
		if got := ast.Sexpr(mustParseExpr(t, tt.src)); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
	for _, src := range []string{"d(x^3, x, 0)", "d(x^3, x, 1.5)", "d(x^3, x, 11)"} {
		_, err := parser.ParseExpr(src, nil)
		if err == nil || !strings.Contains(err.Error(), "the order of a derivative must be a whole number from 1 to 10") {
			t.Errorf("ParseExpr(%q): %v", src, err)
		}
	}
}

// TestShapesWithoutDeclarations: shapes are checked only once a vector or
// matrix can occur, so these are the inputs where one occurs with no
// declaration in sight: made by a function of sizes (ones, eye), defined
// in the context, or after scalar statements in one file.
func TestShapesWithoutDeclarations(t *testing.T) {
	defs, err := parser.ParseFile("", "u := ones(3)\ns := 2\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &parser.Context{Defs: &ast.Defs{}}
	for _, st := range defs {
		if err := ctx.Defs.Define(st.Stmt.(*ast.DefStmt).Def); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		src  string
		ctx  *parser.Context
		want string // the error, or "" for none
	}{
		{"a := x*y\nb := ones(3)*ones(3)", nil, "2:13: cannot multiply ones(3) (3×1) by ones(3) (3×1): both are column vectors; write (ones(3))'*(ones(3)) or dot(ones(3), ones(3)) for the inner product, or (ones(3)) .* (ones(3)) for the element-wise product"},
		{"a := x + 1\nb := a + ones(3)", nil, ""},
		{"u*u", ctx, "1:2: cannot multiply u (3×1) by u (3×1): both are column vectors; write u'*u or dot(u, u) for the inner product, or u .* u for the element-wise product"},
		{"s*s + sin(u)", ctx, ""},
		{"s*s + u", ctx, ""},
		{"sum(i=1..3, u)", ctx, "1:1: the body of sum is u (3×1), a vector: a sum over an index adds scalars (write sum(v) for the sum of the entries of v)"},
	}
	for _, tt := range tests {
		_, err := parser.ParseFile("", tt.src, tt.ctx)
		got := ""
		if err != nil {
			got = err.Error()
			if i := strings.IndexByte(got, '\n'); i >= 0 {
				got = got[:i]
			}
		}
		if got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}
