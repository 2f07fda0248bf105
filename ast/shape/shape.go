// Package shape infers the shapes of expressions of vectors and matrices
// and says, in words, why an expression has none.
//
// Names get their shapes from declarations (X : matrix(n, d)); a name
// defined by an expression has the shape of its body; every other name is
// a scalar. Scalars broadcast in sums and element-wise products (1 - y),
// scalar functions apply entry by entry (sigma(X*w)), and a product of two
// non-scalars is the matrix product. A 1×1 result (w'*v) is a scalar.
package shape

import (
	"fmt"

	"github.com/symdiff/symdiff/ast"
)

// An Error says why an expression has no shape. At is the subexpression
// it is about.
type Error struct {
	At  ast.Expr
	Msg string
	// Tensor is set for a derivative whose entries have more than two
	// indices (a matrix by a matrix): it has no matrix form, but it has
	// entries, which package simplify/matrix gives in index form.
	Tensor bool
}

func (e *Error) Error() string { return e.Msg }

// IsTensor reports whether err says that e itself is a derivative with
// more than two indices (and not that a part of e is wrong).
func IsTensor(err error, e ast.Expr) bool {
	se, ok := err.(*Error)
	return ok && se.Tensor && se.At == e
}

// Expr returns the subexpression the error is about (session.At uses it
// to place a caret).
func (e *Error) Expr() ast.Expr { return e.At }

// An Env infers shapes under a set of declarations and definitions; it
// memoises the shape of every node it has seen.
type Env struct {
	Decls map[string]ast.Shape
	Defs  *ast.Defs // may be nil
	memo  map[ast.Expr]ast.Shape
}

// New returns an Env for the declarations and definitions.
func New(decls map[string]ast.Shape, defs *ast.Defs) *Env {
	return &Env{Decls: decls, Defs: defs, memo: map[ast.Expr]ast.Shape{}}
}

func errf(at ast.Expr, format string, args ...any) *Error {
	return &Error{At: at, Msg: fmt.Sprintf(format, args...)}
}

// Named writes an expression with its shape for a message: X (n×d).
func Named(e ast.Expr, s ast.Shape) string {
	return fmt.Sprintf("%s (%s)", short(e), s)
}

// short prints e, cut to a readable length.
func short(e ast.Expr) string {
	s := ast.String(e)
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

// kind names a shape: a scalar, a vector, a row vector, a matrix.
func kind(s ast.Shape) string {
	switch {
	case s.IsScalar():
		return "a scalar"
	case s.IsVector():
		return "a vector"
	case s.IsRow():
		return "a row vector"
	}
	return "a matrix"
}

// Defined tells the env that name has been defined or declared since it
// was made. A shape depends on a name only through the name's own node,
// so what the env inferred stays valid unless it met that node; then it
// starts afresh. A script of n definitions is thus checked in O(n), not
// O(n²) (each definition no longer re-infers every one before it).
func (env *Env) Defined(name string) {
	if _, met := env.memo[ast.NewSym(name)]; met {
		clear(env.memo)
	}
}

// IsScalar reports whether e is a scalar (errors count as scalars: they
// are reported where the expression is built).
func (env *Env) IsScalar(e ast.Expr) bool {
	s, err := env.Of(e)
	return err != nil || s.IsScalar()
}

// Involved reports whether e mentions a vector or matrix: a declared
// non-scalar name, a definition whose body does, or a MatOp.
//
// The nodes are visited by a loop over a stack of nodes to see, each
// once, and the bodies of the definitions met join the same walk: a
// recursion as deep as the tree (a where clause of 700,000 parts, each
// naming the one before) grew the goroutine's stack a doubling at a time
// (a quarter of a second of page faults at 200,000 parts, with no look at
// a context), and walked a body again at each use of its name.
func (env *Env) Involved(e ast.Expr) bool {
	var seen ast.NodeMap[struct{}]
	seen.ReserveFrom(&involvedTables, 16)
	defer seen.Release(&involvedTables)
	var small [32]ast.Expr // most walks: no allocation
	stack := append(small[:0], e)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := seen.Get(x); ok {
			continue
		}
		seen.Put(x, struct{}{})
		switch x := x.(type) {
		case *ast.MatOp:
			return true
		case *ast.Sym:
			if s, ok := env.Decls[x.Name]; ok && !s.IsScalar() {
				return true
			}
			if d, ok := env.def(x.Name); ok {
				stack = append(stack, d.Body)
			}
		}
		stack = append(stack, ast.Children(x)...)
	}
	return false
}

// involvedTables keeps Involved's tables of nodes seen.
var involvedTables ast.TablePool[struct{}]

func (env *Env) def(name string) (*ast.Def, bool) {
	if env.Defs == nil {
		return nil, false
	}
	d, ok := env.Defs.Lookup(name)
	if !ok || d.Kind != ast.DefScalar {
		return nil, false
	}
	return d, true
}

// Of returns the shape of e.
func (env *Env) Of(e ast.Expr) (ast.Shape, error) {
	if s, ok := env.memo[e]; ok {
		return s, nil
	}
	s, err := env.of(e)
	if err != nil {
		return ast.Shape{}, err
	}
	if s.IsScalar() {
		s = ast.ScalarShape
	}
	if _, ok := e.(*ast.Sym); !ok {
		s.Symmetric = false // only a declaration says so
	}
	env.memo[e] = s
	return s, nil
}

func (env *Env) of(e ast.Expr) (ast.Shape, error) {
	scalar := ast.ScalarShape
	switch e := e.(type) {
	case *ast.Num, *ast.Index:
		return scalar, nil
	case *ast.Sym:
		if s, ok := env.Decls[e.Name]; ok {
			return s, nil
		}
		if d, ok := env.def(e.Name); ok {
			return env.Of(d.Body)
		}
		return scalar, nil
	case *ast.Neg:
		return env.Of(e.X)
	case *ast.Add:
		return env.Add(e.Terms)
	case *ast.Mul:
		out := scalar
		var first ast.Expr
		for _, f := range e.Factors {
			s, err := env.Of(f)
			if err != nil {
				return s, err
			}
			if s.IsScalar() {
				continue
			}
			if first != nil {
				return s, env.mulError(e, first, f)
			}
			first, out = f, s
		}
		return out, nil
	case *ast.Div:
		sx, err := env.Of(e.X)
		if err != nil {
			return sx, err
		}
		sy, err := env.Of(e.Y)
		if err != nil {
			return sy, err
		}
		if !sy.IsScalar() {
			return sy, errf(e, "cannot divide by %s, %s: write ./ for the element-wise quotient", Named(e.Y, sy), kind(sy))
		}
		return sx, nil
	case *ast.Pow:
		sx, err := env.Of(e.X)
		if err != nil {
			return sx, err
		}
		sy, err := env.Of(e.Y)
		if err != nil {
			return sy, err
		}
		if !sy.IsScalar() {
			return sy, errf(e, "the exponent %s is %s: write .^ for an element-wise power", Named(e.Y, sy), kind(sy))
		}
		if !sx.IsScalar() {
			b, p := short(e.X), short(e.Y)
			if !isAtom(e.X) {
				b = "(" + b + ")"
			}
			if sx.IsVector() && ast.IsNum(e.Y, 2) {
				return sx, errf(e, "%s is %s (%s): write %s.^%s for the element-wise square, or norm(%s)^2 for the squared norm", short(e.X), kind(sx), sx, b, p, short(e.X))
			}
			return sx, errf(e, "%s is %s (%s): write %s.^%s for the element-wise power", short(e.X), kind(sx), sx, b, p)
		}
		return scalar, nil
	case *ast.Call:
		var out ast.Shape
		var first ast.Expr
		for _, a := range e.Args {
			s, err := env.Of(a)
			if err != nil {
				return s, err
			}
			if s.IsScalar() {
				continue
			}
			if len(e.Args) > 1 {
				return s, errf(e, "%s applies to scalars, and %s is %s", ast.ShownName(e.Fn), Named(a, s), kind(s))
			}
			first, out = a, s
		}
		if first == nil {
			return scalar, nil
		}
		return out, nil // element-wise
	case *ast.Sum:
		for _, x := range []ast.Expr{e.Lo, e.Hi, e.Body} {
			s, err := env.Of(x)
			if err != nil {
				return s, err
			}
			if !s.IsScalar() {
				return s, errf(e, "the body of %s is %s, %s: a sum over an index adds scalars (write %s(v) for the sum of the entries of v)", e.Op, Named(x, s), kind(s), e.Op)
			}
		}
		return scalar, nil
	case *ast.Deriv:
		return env.deriv(e, e.X, e.Wrt, "d")
	case *ast.MatOp:
		return env.matOp(e)
	case *ast.Iverson:
		for _, a := range e.Args {
			s, err := env.Of(a)
			if err != nil {
				return s, err
			}
			if !s.IsScalar() {
				return s, errf(e, "a condition compares scalars (indices and sizes), and %s is %s", Named(a, s), kind(s))
			}
		}
		return scalar, nil
	case *ast.Condition, *ast.If:
		// The piecewise form and its conditions are scalar throughout:
		// if(x > 0, v, w) of vectors is written entry by entry.
		for _, a := range ast.Children(e) {
			s, err := env.Of(a)
			if err != nil {
				return s, err
			}
			if !s.IsScalar() {
				return s, errf(e, "if and its conditions take scalars, and %s is %s (write it entry by entry)", Named(a, s), kind(s))
			}
		}
		return scalar, nil
	}
	return scalar, errf(e, "no shape for %T", e)
}

// parenthesized prints e, in parentheses unless it is an atom.
func parenthesized(e ast.Expr) string {
	if isAtom(e) {
		return short(e)
	}
	return "(" + short(e) + ")"
}

func isAtom(e ast.Expr) bool {
	switch e.(type) {
	case *ast.Sym, *ast.Index, *ast.Call:
		return true
	}
	return false
}

// Add returns the shape of a sum of terms: the terms that are not scalars
// must have one shape, and scalars broadcast.
func (env *Env) Add(terms []ast.Expr) (ast.Shape, error) {
	out := ast.ScalarShape
	var first ast.Expr
	for _, t := range terms {
		s, err := env.Of(t)
		if err != nil {
			return s, err
		}
		if s.IsScalar() {
			continue
		}
		if first == nil {
			first, out = t, s
			continue
		}
		if !Same(s, out) {
			a, b := first, t
			if n, ok := b.(*ast.Neg); ok {
				b = n.X
			}
			if n, ok := a.(*ast.Neg); ok {
				a = n.X
			}
			return s, errf(ast.NewAdd(terms...), "cannot add %s and %s: the shapes differ", Named(a, out), Named(b, s))
		}
	}
	return out, nil
}

// Same reports whether two shapes are equal.
func Same(a, b ast.Shape) bool {
	if a.IsScalar() || b.IsScalar() {
		return a.IsScalar() && b.IsScalar()
	}
	return a.Rows == b.Rows && a.Cols == b.Cols
}

func (env *Env) mulError(at, a, b ast.Expr) error {
	sa, _ := env.Of(a)
	sb, _ := env.Of(b)
	return errf(at, "cannot multiply %s by %s with *: %s", Named(a, sa), Named(b, sb), "write .* for the element-wise product")
}

// MatMul returns the shape of the matrix product a*b of two non-scalars,
// or an error naming both operands and what was probably meant.
func MatMul(a, b ast.Expr, sa, sb ast.Shape) (ast.Shape, error) {
	if sa.Cols == sb.Rows {
		return ast.Shape{Rows: sa.Rows, Cols: sb.Cols}, nil
	}
	at := ast.NewMatMul(a, b)
	if sa.IsVector() && sb.IsVector() {
		an, bn := short(a), short(b)
		if !isAtom(a) {
			an = "(" + an + ")"
		}
		if !isAtom(b) {
			bn = "(" + bn + ")"
		}
		if sa.Rows == sb.Rows {
			return ast.Shape{}, errf(at, "cannot multiply %s by %s: both are column vectors; write %s'*%s or dot(%s, %s) for the inner product, or %s .* %s for the element-wise product",
				Named(a, sa), Named(b, sb), an, bn, short(a), short(b), an, bn)
		}
		return ast.Shape{}, errf(at, "cannot multiply %s by %s: both are column vectors (write %s*%s' for the outer product)", Named(a, sa), Named(b, sb), an, bn)
	}
	return ast.Shape{}, errf(at, "cannot multiply %s by %s: the inner sizes %s and %s differ", Named(a, sa), Named(b, sb), ast.String(sa.Cols), ast.String(sb.Rows))
}

func (env *Env) deriv(at, f, wrt ast.Expr, what string) (ast.Shape, error) {
	sf, err := env.Of(f)
	if err != nil {
		return sf, err
	}
	sw, err := env.Of(wrt)
	if err != nil {
		return sw, err
	}
	if !sw.IsScalar() {
		if _, ok := wrt.(*ast.Sym); !ok {
			return sw, errf(at, "%s(%s, %s): differentiate with respect to a declared name, not an expression", what, short(f), short(wrt))
		}
	}
	if what == "jacobian" && !sw.IsScalar() && !sw.IsVector() {
		return sw, errf(at, "jacobian(%s, %s): the variable must be a vector, and %s is %s (differentiate a scalar by a matrix with d)", short(f), short(wrt), Named(wrt, sw), kind(sw))
	}
	switch {
	case sw.IsScalar():
		return sf, nil
	case sf.IsScalar() && what != "jacobian":
		return sw, nil // the gradient, shaped like wrt
	case sf.IsScalar():
		return sw.T(), nil // the Jacobian of a scalar is a row
	case sf.IsVector() && sw.IsVector():
		return ast.Shape{Rows: sf.Rows, Cols: sw.Rows}, nil
	case sf.IsRow() && sw.IsVector():
		col := parenthesized(f) + "'"
		if t, ok := f.(*ast.MatOp); ok && t.Kind == ast.MatTranspose {
			col = short(t.Args[0])
		}
		return sf, errf(at, "%s(%s, %s): %s is a row vector; differentiate the column vector instead, jacobian(%s, %s)", what, short(f), short(wrt), Named(f, sf), col, short(wrt))
	}
	te := errf(at, "%s(%s, %s): the derivative of %s by %s is not a matrix (its entries have more than two indices); on its own it is given in index form",
		what, short(f), short(wrt), kind(sf), kind(sw))
	te.Tensor = true
	return sf, te
}

func (env *Env) matOp(e *ast.MatOp) (ast.Shape, error) {
	scalar := ast.ScalarShape
	shapes := make([]ast.Shape, len(e.Args))
	for i, a := range e.Args {
		if (e.Kind == ast.MatJacobian || e.Kind == ast.MatHessian) && i == 0 {
			continue // checked below, as a derivative
		}
		s, err := env.Of(a)
		if err != nil {
			return s, err
		}
		shapes[i] = s
	}
	name := func() string { f, _ := ast.LookupMatFuncKind(e.Kind); return f.Name }
	switch e.Kind {
	case ast.MatMul:
		acc, accE := shapes[0], e.Args[0]
		for i := 1; i < len(e.Args); i++ {
			if acc.IsScalar() || shapes[i].IsScalar() {
				if acc.IsScalar() {
					acc = shapes[i]
				}
			} else {
				s, err := MatMul(accE, e.Args[i], acc, shapes[i])
				if err != nil {
					return s, err
				}
				acc = s
			}
			accE = ast.NewMatMul(e.Args[:i+1]...)
		}
		return acc, nil
	case ast.MatTranspose:
		if shapes[0].IsScalar() {
			return scalar, errf(e, "%s is a scalar: the transpose applies to vectors and matrices", short(e.Args[0]))
		}
		return shapes[0].T(), nil
	case ast.MatHadamard, ast.MatElemDiv, ast.MatElemPow:
		a, b := shapes[0], shapes[1]
		switch {
		case a.IsScalar():
			return b, nil
		case b.IsScalar() || Same(a, b):
			return a, nil
		}
		what := map[ast.MatKind]string{ast.MatHadamard: "multiply", ast.MatElemDiv: "divide", ast.MatElemPow: "raise"}[e.Kind]
		link := map[ast.MatKind]string{ast.MatHadamard: "by", ast.MatElemDiv: "by", ast.MatElemPow: "to"}[e.Kind]
		return a, errf(e, "cannot %s %s %s %s element-wise: the shapes differ", what, Named(e.Args[0], a), link, Named(e.Args[1], b))
	case ast.MatSumAll, ast.MatMeanAll:
		return scalar, nil
	case ast.MatDot:
		a, b := shapes[0], shapes[1]
		if !a.IsVector() || !b.IsVector() {
			bad, s := e.Args[0], a
			if a.IsVector() {
				bad, s = e.Args[1], b
			}
			return scalar, errf(e, "dot takes two vectors, and %s is %s", Named(bad, s), kind(s))
		}
		if a.Rows != b.Rows {
			return scalar, errf(e, "dot(%s, %s): the vectors have different sizes, %s and %s", short(e.Args[0]), short(e.Args[1]), ast.String(a.Rows), ast.String(b.Rows))
		}
		return scalar, nil
	case ast.MatNorm:
		if !shapes[0].IsVector() && !shapes[0].IsRow() {
			return scalar, errf(e, "norm takes a vector, and %s is %s", Named(e.Args[0], shapes[0]), kind(shapes[0]))
		}
		return scalar, nil
	case ast.MatTrace:
		s := shapes[0]
		if s.IsScalar() {
			// A 1×1 matrix (w'*w, or one declared matrix(1, 1)) is a number.
			return scalar, errf(e, "tr takes a square matrix, and %s is a scalar (1×1): a number is its own trace, write %s", short(e.Args[0]), short(e.Args[0]))
		}
		if s.Rows != s.Cols {
			return scalar, errf(e, "tr takes a square matrix, and %s is not square", Named(e.Args[0], s))
		}
		return scalar, nil
	case ast.MatInv, ast.MatDet, ast.MatLogDet:
		s := shapes[0]
		switch {
		case s.IsScalar() && e.Kind == ast.MatInv:
			return scalar, errf(e, "inv takes a square matrix, and %s is a scalar: write 1/%s for its reciprocal", short(e.Args[0]), parenthesized(e.Args[0]))
		case s.IsScalar():
			return scalar, errf(e, "%s takes a square matrix, and %s is a scalar", name(), short(e.Args[0]))
		case s.Rows != s.Cols:
			return scalar, errf(e, "%s takes a square matrix, and %s is %s, not square", name(), Named(e.Args[0], s), kind(s))
		}
		if e.Kind == ast.MatInv {
			return s, nil
		}
		return scalar, nil
	case ast.MatSoftmax, ast.MatLogSumExp:
		s := shapes[0]
		if !s.IsVector() {
			return scalar, errf(e, "%s takes a vector, and %s is %s", name(), Named(e.Args[0], s), kind(s))
		}
		if e.Kind == ast.MatSoftmax {
			return s, nil
		}
		return scalar, nil
	case ast.MatDiag:
		s := shapes[0]
		if !s.IsVector() {
			return scalar, errf(e, "diag takes a vector, and %s is %s", Named(e.Args[0], s), kind(s))
		}
		return ast.Shape{Rows: s.Rows, Cols: s.Rows}, nil
	case ast.MatOnes, ast.MatEye, ast.MatZeros:
		for _, a := range e.Args {
			if !IsSize(a) {
				return scalar, errf(e, "the sizes of %s must be names or whole numbers, like %s(n)", name(), name())
			}
		}
		switch {
		case e.Kind == ast.MatEye:
			return ast.Shape{Rows: e.Args[0], Cols: e.Args[0]}, nil
		case len(e.Args) == 2:
			return ast.Shape{Rows: e.Args[0], Cols: e.Args[1]}, nil
		}
		return ast.VectorShape(e.Args[0]), nil
	case ast.MatJacobian:
		return env.deriv(e, e.Args[0], e.Args[1], "jacobian")
	case ast.MatHessian:
		sf, err := env.Of(e.Args[0])
		if err != nil {
			return sf, err
		}
		if !sf.IsScalar() {
			return sf, errf(e, "hessian takes a scalar function, and %s is %s (the Jacobian is jacobian(%s, %s))", Named(e.Args[0], sf), kind(sf), short(e.Args[0]), short(e.Args[1]))
		}
		sw := shapes[1]
		if _, ok := e.Args[1].(*ast.Sym); !ok || !sw.IsVector() {
			return sw, errf(e, "hessian(%s, %s): the variable must be a declared vector", short(e.Args[0]), short(e.Args[1]))
		}
		return ast.Shape{Rows: sw.Rows, Cols: sw.Rows}, nil
	}
	return scalar, errf(e, "no shape for %s", ast.String(e))
}

// IsSize reports whether e can be a size: a name or a positive whole
// number.
func IsSize(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Sym:
		return true
	case *ast.Num:
		return e.Value.IsInt() && e.Value.Sign() > 0
	}
	return false
}
