package ast

import (
	"strings"
)

// Vectors and matrices. A name declared with a shape (X : matrix(n, d))
// stays a Sym; what makes an expression a matrix expression is its shape,
// which package ast/shape infers, and the MatOp nodes below for the
// operations that are not those of scalars. Element-wise functions
// (sigma(X*w)), sums with broadcast scalars (1 - y) and products with a
// scalar (2*w) reuse Call, Add and Mul. The matrix product is not
// commutative, so it is never a Mul, whose canonical form sorts factors.

// A Shape is the shape of a value: Rows × Cols, where the sizes are Sym or
// integer Num nodes. A scalar is 1×1 and a (column) vector is n×1.
// Symmetric is set for a name declared symmetric (S : symmetric(d)): a
// square matrix with S' = S. Shapes computed for expressions leave it
// unset; compare shapes by their sizes.
type Shape struct {
	Rows, Cols Expr
	Symmetric  bool
}

// ScalarShape is the shape of a scalar.
var ScalarShape = Shape{Rows: One, Cols: One}

// VectorShape returns the shape of a column vector of n entries.
func VectorShape(n Expr) Shape { return Shape{Rows: n, Cols: One} }

// MatrixShape returns the shape of an n×m matrix.
func MatrixShape(n, m Expr) Shape { return Shape{Rows: n, Cols: m} }

// SymmetricShape returns the shape of a symmetric n×n matrix.
func SymmetricShape(n Expr) Shape { return Shape{Rows: n, Cols: n, Symmetric: true} }

func (s Shape) norm() Shape {
	if s.Rows == nil {
		s.Rows = One
	}
	if s.Cols == nil {
		s.Cols = One
	}
	return s
}

// IsScalar reports whether s is 1×1.
func (s Shape) IsScalar() bool { s = s.norm(); return s.Rows == One && s.Cols == One }

// IsVector reports whether s is a column vector (n×1 with n not 1).
func (s Shape) IsVector() bool { s = s.norm(); return s.Cols == One && s.Rows != One }

// IsRow reports whether s is a row vector (1×n with n not 1).
func (s Shape) IsRow() bool { s = s.norm(); return s.Rows == One && s.Cols != One }

// T returns the shape of the transpose.
func (s Shape) T() Shape {
	s = s.norm()
	return Shape{Rows: s.Cols, Cols: s.Rows, Symmetric: s.Symmetric}
}

// String writes the shape as n×d (a vector as n×1, a scalar as 1×1).
func (s Shape) String() string {
	s = s.norm()
	return String(s.Rows) + "×" + String(s.Cols)
}

// Decl writes the shape as it is declared: scalar, vector(n), matrix(n, d),
// symmetric(n) (a row vector, which cannot be declared, as matrix(1, n)).
func (s Shape) Decl() string {
	s = s.norm()
	switch {
	case s.IsScalar():
		return "scalar"
	case s.Symmetric:
		return "symmetric(" + String(s.Rows) + ")"
	case s.IsVector():
		return "vector(" + String(s.Rows) + ")"
	}
	return "matrix(" + String(s.Rows) + ", " + String(s.Cols) + ")"
}

// A DeclStmt declares the shape of a name: X : matrix(n, d), w : vector(d),
// lam : scalar. Names not declared are scalars.
type DeclStmt struct {
	Name  string
	Shape Shape
}

func (*DeclStmt) stmtNode() {}

// MatKind says what a MatOp node computes.
type MatKind uint8

const (
	MatMul       MatKind = iota // A*B*C: the matrix product of two or more factors, in order
	MatTranspose                // A': the transpose
	MatHadamard                 // a .* b: the element-wise product
	MatElemDiv                  // a ./ b: the element-wise quotient
	MatElemPow                  // a .^ b: the element-wise power
	MatSumAll                   // sum(A): the sum of all entries
	MatMeanAll                  // mean(A): the mean of all entries
	MatDot                      // dot(a, b): the inner product of two vectors
	MatNorm                     // norm(v): the 2-norm of a vector
	MatTrace                    // tr(A): the trace of a square matrix
	MatDiag                     // diag(v): the diagonal matrix with v on its diagonal
	MatOnes                     // ones(n) or ones(n, m): the vector or matrix of ones
	MatEye                      // eye(n): the n×n identity
	MatJacobian                 // jacobian(f, x): the matrix of d(f[i], x[j])
	MatHessian                  // hessian(f, x): the matrix of d(f, x[i], x[j])
	MatSoftmax                  // softmax(v): exp(v)/sum(exp(v))
	MatLogSumExp                // logsumexp(v): log(sum(exp(v)))
	MatInv                      // inv(A): the inverse of a square matrix
	MatDet                      // det(A): the determinant of a square matrix
	MatLogDet                   // logdet(A): log(det(A)), where det(A) > 0
	MatZeros                    // zeros(n) or zeros(n, m): the vector or matrix of zeros
)

// A MatFunc describes a matrix function written as a call: its name,
// the numbers of arguments it takes and its LaTeX.
type MatFunc struct {
	Kind     MatKind
	Name     string
	Min, Max int // arguments
	LaTeX    string
	Doc      string
}

// MatFuncs lists the matrix functions written as calls. sum and mean with
// one argument are these; with a range they are ast.Sum.
var MatFuncs = []MatFunc{
	{MatSumAll, "sum", 1, 1, `\operatorname{sum}`, "sum of all entries"},
	{MatMeanAll, "mean", 1, 1, `\operatorname{mean}`, "mean of all entries"},
	{MatDot, "dot", 2, 2, `\operatorname{dot}`, "inner product of two vectors"},
	{MatNorm, "norm", 1, 1, ``, "2-norm of a vector"},
	{MatTrace, "tr", 1, 1, `\operatorname{tr}`, "trace of a square matrix"},
	{MatDiag, "diag", 1, 1, `\operatorname{diag}`, "diagonal matrix of a vector"},
	{MatOnes, "ones", 1, 2, `\mathbf{1}`, "vector ones(n) or matrix ones(n, m) of ones"},
	{MatZeros, "zeros", 1, 2, `\mathbf{0}`, "vector zeros(n) or matrix zeros(n, m) of zeros"},
	{MatEye, "eye", 1, 1, `\mathbf{I}`, "identity matrix eye(n)"},
	{MatJacobian, "jacobian", 2, 2, `\operatorname{J}`, "Jacobian matrix of a vector function"},
	{MatHessian, "hessian", 2, 2, `\operatorname{H}`, "Hessian matrix of a scalar function"},
	{MatSoftmax, "softmax", 1, 1, `\operatorname{softmax}`, "softmax exp(v)/sum(exp(v)) of a vector"},
	{MatLogSumExp, "logsumexp", 1, 1, `\operatorname{logsumexp}`, "log(sum(exp(v))) of a vector"},
	{MatInv, "inv", 1, 1, `^{-1}`, "inverse of a square matrix"},
	{MatDet, "det", 1, 1, `\det`, "determinant of a square matrix"},
	{MatLogDet, "logdet", 1, 1, `\log\det`, "log(det(A)) of a square matrix with det(A) > 0"},
}

// LookupMatFunc returns the matrix function called name.
func LookupMatFunc(name string) (MatFunc, bool) {
	for _, f := range MatFuncs {
		if f.Name == name {
			return f, true
		}
	}
	return MatFunc{}, false
}

func matFunc(k MatKind) (MatFunc, bool) {
	for _, f := range MatFuncs {
		if f.Kind == k {
			return f, true
		}
	}
	return MatFunc{}, false
}

// A MatOp node represents an operation on vectors and matrices that is not
// one of scalars: the matrix product, the transpose, an element-wise
// operator or a matrix function (see MatKind).
type MatOp struct {
	node
	Kind MatKind
	Args []Expr
}

func (*MatOp) exprNode() {}

// NewMatOp returns the node applying kind to args; a matrix product of one
// factor is the factor.
func NewMatOp(kind MatKind, args ...Expr) Expr {
	if kind == MatMul && len(args) == 1 {
		return args[0]
	}
	return internMatOp(kind, args)
}

// NewMatMul returns the matrix product of the factors in order, flattening
// products inside it (the product is associative).
func NewMatMul(factors ...Expr) Expr {
	var flat []Expr
	for _, f := range factors {
		if m, ok := f.(*MatOp); ok && m.Kind == MatMul {
			flat = append(flat, m.Args...)
			continue
		}
		flat = append(flat, f)
	}
	return NewMatOp(MatMul, flat...)
}

// NewTranspose returns x'; the transpose of a transpose is the matrix.
func NewTranspose(x Expr) Expr {
	if m, ok := x.(*MatOp); ok && m.Kind == MatTranspose {
		return m.Args[0]
	}
	return NewMatOp(MatTranspose, x)
}

// matPrec is the precedence of a MatOp as printed.
func matPrec(e *MatOp) int {
	switch e.Kind {
	case MatMul, MatHadamard, MatElemDiv:
		return PrecMul
	case MatElemPow:
		return PrecPow
	}
	return PrecAtom
}

// matOpOf maps the binary element-wise kinds to their operators.
func matOpOf(k MatKind) Op {
	switch k {
	case MatHadamard:
		return OpHadamard
	case MatElemDiv:
		return OpElemDiv
	}
	return OpElemPow
}

func (p *printer) matOp(e *MatOp) {
	switch e.Kind {
	case MatMul:
		for i, f := range e.Args {
			if i > 0 {
				p.op(OpMul)
			}
			// A product inside a product was flattened; one in parentheses
			// is another kind of node of the same precedence, and an
			// element-wise product reads as one factor only in them.
			p.sub(f, p.prec(f) < PrecMul || (i > 0 || isElementwise(f)) && p.prec(f) == PrecMul)
		}
	case MatTranspose:
		x := e.Args[0]
		if inv, ok := x.(*MatOp); ok && inv.Kind == MatInv && p.uni {
			// A⁻ᵀ, the Matrix Cookbook's A^{-T}: one superscript.
			y := inv.Args[0]
			p.sub(y, p.prec(y) < PrecAtom || isTranspose(y))
			p.write("⁻ᵀ")
			return
		}
		p.sub(x, p.prec(x) < PrecAtom)
		p.op(OpTranspose)
	case MatHadamard, MatElemDiv:
		p.sub(e.Args[0], p.prec(e.Args[0]) < PrecMul)
		p.op(matOpOf(e.Kind))
		p.sub(e.Args[1], p.prec(e.Args[1]) <= PrecMul)
	case MatElemPow:
		// A⁻¹ and A⁻ᵀ end in a superscript. The parser reads a
		// superscript as a postfix, so A⁻¹.^2 would read back right,
		// but a person may read it as A^-(1.^2): such a base is
		// written in parentheses, (A⁻¹).^2.
		p.sub(e.Args[0], p.prec(e.Args[0]) <= PrecPow || p.uni && superInverse(e.Args[0]))
		p.op(OpElemPow)
		p.sub(e.Args[1], p.prec(e.Args[1]) < PrecUnary)
	case MatInv, MatLogDet:
		if p.uni {
			// A⁻¹ and log det(A), as written by hand.
			if e.Kind == MatInv {
				x := e.Args[0]
				p.sub(x, p.prec(x) < PrecAtom || isTranspose(x))
				p.write("⁻¹")
				return
			}
			p.write("log det(")
			p.expr(e.Args[0])
			p.write(")")
			return
		}
		fallthrough
	default:
		f, _ := matFunc(e.Kind)
		p.write(f.Name + "(")
		for i, a := range e.Args {
			if i > 0 {
				p.write(", ")
			}
			p.expr(a)
		}
		p.write(")")
	}
}

// superInverse reports whether the Unicode printer writes e with a
// trailing superscript: an inverse (A⁻¹) or the transpose of one (A⁻ᵀ).
func superInverse(e Expr) bool {
	m, ok := e.(*MatOp)
	if ok && m.Kind == MatTranspose {
		m, ok = m.Args[0].(*MatOp)
	}
	return ok && m.Kind == MatInv
}

func isElementwise(e Expr) bool {
	m, ok := e.(*MatOp)
	return ok && (m.Kind == MatHadamard || m.Kind == MatElemDiv)
}

func (p *latexPrinter) matOp(e *MatOp) {
	switch e.Kind {
	case MatMul:
		for i, f := range e.Args {
			if i > 0 {
				p.write(" ")
			}
			p.sub(f, Prec(f) < PrecMul || i > 0 && Prec(f) == PrecMul && !isMatMul(f))
		}
	case MatTranspose:
		x := e.Args[0]
		if inv, ok := x.(*MatOp); ok && inv.Kind == MatInv {
			// A^{-\top}: one superscript for the inverse of the transpose.
			p.sub(inv.Args[0], !latexPowBase(inv.Args[0]))
			p.write(`^{-\top}`)
			return
		}
		p.sub(x, Prec(x) < PrecAtom || isInv(x))
		p.op(OpTranspose)
	case MatInv:
		p.sub(e.Args[0], !latexPowBase(e.Args[0]))
		p.write(`^{-1}`)
	case MatHadamard, MatElemDiv:
		p.sub(e.Args[0], Prec(e.Args[0]) < PrecMul)
		p.op(matOpOf(e.Kind))
		p.sub(e.Args[1], Prec(e.Args[1]) <= PrecMul)
	case MatElemPow:
		p.sub(e.Args[0], !latexPowBase(e.Args[0]))
		p.write("^{\\circ ")
		p.expr(e.Args[1])
		p.write("}")
	case MatHessian:
		p.write(`\nabla^{2}_{`)
		p.expr(e.Args[1])
		p.write(`} `)
		p.sub(e.Args[0], !latexAtom(e.Args[0]))
	case MatNorm:
		p.write(`\left\lVert `)
		p.expr(e.Args[0])
		p.write(`\right\rVert`)
	case MatOnes, MatEye, MatZeros:
		f, _ := matFunc(e.Kind)
		p.write(f.LaTeX + "_{")
		for i, a := range e.Args {
			if i > 0 {
				p.write(` \times `)
			}
			p.expr(a)
		}
		p.write("}")
	default:
		f, _ := matFunc(e.Kind)
		p.write(f.LaTeX)
		p.write(`\left(`)
		for i, a := range e.Args {
			if i > 0 {
				p.write(", ")
			}
			p.expr(a)
		}
		p.write(`\right)`)
	}
}

func isInv(e Expr) bool {
	m, ok := e.(*MatOp)
	return ok && m.Kind == MatInv
}

func isTranspose(e Expr) bool {
	m, ok := e.(*MatOp)
	return ok && m.Kind == MatTranspose
}

func isMatMul(e Expr) bool {
	m, ok := e.(*MatOp)
	return ok && m.Kind == MatMul
}

// FormatShaped prints e like Format; the LaTeX printer sets the names
// declared as vectors or matrices in bold (\mathbf{X}).
func FormatShaped(e Expr, st Style, shapes map[string]Shape) (string, error) {
	if st != LaTeX || len(shapes) == 0 {
		return Format(e, st)
	}
	p := &latexPrinter{bold: boldNames(shapes)}
	p.expr(e)
	return printed(&p.b, p.over, e, p.halt)
}

// boldNames returns the names that shapes declares non-scalar: vectors
// and matrices, which LaTeX sets in bold.
func boldNames(shapes map[string]Shape) map[string]bool {
	bold := map[string]bool{}
	for name, s := range shapes {
		if !s.IsScalar() {
			bold[name] = true
		}
	}
	return bold
}

// latexSym writes a name, in bold when it is declared non-scalar.
func (p *latexPrinter) latexSym(name string) {
	if p.bold[name] {
		base := p.name(name)
		if strings.HasPrefix(base, `\`) {
			p.write(`\boldsymbol{` + base + "}")
			return
		}
		p.write(`\mathbf{` + base + "}")
		return
	}
	p.write(p.name(name))
}

func (s *DeclStmt) String() string { return s.Name + " : " + s.Shape.Decl() }

// LookupMatFuncKind returns the matrix function of the given kind, if it
// is written as a call.
func LookupMatFuncKind(k MatKind) (MatFunc, bool) { return matFunc(k) }
