package parser

import (
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
)

// Vectors and matrices: declarations, and the lowering of the operators
// whose meaning depends on shapes (* is the matrix product between two
// non-scalars). Every expression built here is shape-checked as it is
// built, so an error points at the operator or call it is about.

// shapeErr turns a shape error into a positioned one.
func (lw *lowerer) shapeErr(at spot, err error) error {
	if se, ok := err.(*shape.Error); ok {
		return lw.errorf(at, "%s", se.Msg)
	}
	return lw.errorf(at, "%v", err)
}

// checkShape checks the shape of e, built at at.
func (lw *lowerer) checkShape(e ast.Expr, at spot) error {
	if !lw.matrices {
		return nil
	}
	if _, err := lw.env.Of(e); err != nil {
		return lw.shapeErr(at, err)
	}
	return nil
}

// checkDerivShape checks the shape of a derivative d(F, X) or
// jacobian(F, x), built at at. One whose entries have more than two
// indices (a matrix by a matrix) has no matrix form, but can still be
// worked out alone, in index form; as a part of a larger expression it
// is an error there.
func (lw *lowerer) checkDerivShape(e ast.Expr, at spot) error {
	if !lw.matrices {
		return nil
	}
	if _, err := lw.env.Of(e); err != nil && !shape.IsTensor(err, e) {
		return lw.shapeErr(at, err)
	}
	return nil
}

func (lw *lowerer) isScalar(e ast.Expr) bool { return !lw.matrices || lw.env.IsScalar(e) }

// declare lowers X : matrix(n, d), w : vector(d), lam : scalar.
func (lw *lowerer) declare(lhs, rhs Node) (ast.Stmt, error) {
	id, ok := lhs.(*identNode)
	if !ok {
		return nil, lw.errorf(lhs.pos(), "the left side of a declaration must be a name, like X : matrix(n, d)")
	}
	if err := lw.checkNewName(id.name, id.at, "a declared name"); err != nil {
		return nil, err
	}
	if d, ok := lw.defs.Lookup(id.name); ok {
		return nil, lw.errorf(id.at, "%s is defined (as %s): a declaration gives the shape of an input, not of a defined name", id.name, ast.String(d.Head()))
	}
	const want = "write scalar, vector(n), matrix(n, d) or symmetric(n)"
	var s ast.Shape
	switch r := rhs.(type) {
	case *identNode:
		if r.name != "scalar" {
			if r.name == "vector" || r.name == "matrix" || r.name == "symmetric" {
				return nil, lw.errorf(r.at, "%s needs its size%s: %s", r.name, map[bool]string{true: "s", false: ""}[r.name == "matrix"], want)
			}
			return nil, lw.errorf(r.at, "unknown shape %s: %s", r.name, want)
		}
		s = ast.ScalarShape
	case *callNode:
		n := map[string]int{"vector": 1, "matrix": 2, "symmetric": 1}[r.fn]
		if n == 0 {
			return nil, lw.errorf(r.at, "unknown shape %s: %s", r.fn, want)
		}
		if len(r.args) != n {
			return nil, lw.errorf(r.at, "%s takes %s, found %d: %s", r.fn, count(n, "size", "sizes"), len(r.args), want)
		}
		var sizes []ast.Expr
		for _, a := range r.args {
			var e ast.Expr
			switch a := a.(type) {
			case *identNode:
				if err := lw.checkNewName(a.name, a.at, "a size"); err != nil {
					return nil, err
				}
				e = ast.NewSym(a.name)
			case *numNode:
				v, err := ast.ParseNumber(a.lit)
				if err == nil && v.IsInt() && v.Sign() > 0 {
					e = ast.NewNum(v)
				}
			}
			if e == nil {
				return nil, lw.errorf(a.pos(), "a size must be a name or a positive whole number, like %s(n)", r.fn)
			}
			sizes = append(sizes, e)
		}
		switch {
		case r.fn == "symmetric":
			s = ast.SymmetricShape(sizes[0])
		case n == 1:
			s = ast.VectorShape(sizes[0])
		default:
			s = ast.MatrixShape(sizes[0], sizes[1])
		}
	default:
		return nil, lw.errorf(rhs.pos(), "expected a shape after \":\": %s", want)
	}
	lw.decls[id.name] = s
	lw.env.Defined(id.name) // shapes seen so far may change
	if !s.IsScalar() {
		lw.matrices = true
	}
	lw.forget(id.name)
	return &ast.DeclStmt{Name: id.name, Shape: s}, nil
}

// declared returns the declared shape of name.
func (lw *lowerer) declared(name string) (ast.Shape, bool) {
	s, ok := lw.decls[name]
	return s, ok
}

// product builds the product of factors joined by * (ops are the operators
// between them): scalars multiply anything, and the non-scalars in a
// row form a matrix product, in order. A product that is 1×1 (w'*v) is a
// scalar factor.
func (lw *lowerer) product(factors []ast.Expr, ops []*binaryNode) (ast.Expr, error) {
	// A scalar multiple in parentheses, (2*a)*b', joins the product: it
	// prints without them, and must read back as the same tree.
	if !lw.matrices {
		return ast.NewMul(factors...), nil
	}
	var flat []ast.Expr
	var before []spot // the operator before each factor
	for i, f := range factors {
		at := ops[max(i-1, 0)].at
		if m, ok := f.(*ast.Mul); ok && !lw.isScalar(m) {
			for _, g := range m.Factors {
				flat, before = append(flat, g), append(before, at)
			}
			continue
		}
		flat, before = append(flat, f), append(before, at)
	}
	var scalars, group []ast.Expr
	var acc ast.Shape
	for i, f := range flat {
		s, err := lw.env.Of(f)
		if err != nil {
			return nil, lw.shapeErr(before[i], err)
		}
		if s.IsScalar() {
			scalars = append(scalars, f)
			continue
		}
		if len(group) == 0 {
			group, acc = []ast.Expr{f}, s
			continue
		}
		next, err := shape.MatMul(ast.NewMatMul(group...), f, acc, s)
		if err != nil {
			return nil, lw.shapeErr(before[i], err)
		}
		group, acc = append(group, f), next
		if acc.IsScalar() {
			scalars, group = append(scalars, ast.NewMatMul(group...)), nil
		}
	}
	if len(group) == 0 {
		return ast.NewMul(scalars...), nil
	}
	return ast.NewMul(append(scalars, ast.NewMatMul(group...))...), nil
}

// transpose lowers x' and x^T.
func (lw *lowerer) transpose(x ast.Expr, xn Node, at spot, spelled string) (ast.Expr, error) {
	if lw.isScalar(x) {
		name := ast.String(x)
		if sym, ok := x.(*ast.Sym); ok {
			if _, declared := lw.declared(sym.Name); !declared {
				if _, defined := lw.defs.Lookup(sym.Name); !defined {
					return nil, lw.errorf(xn.pos(), "%s%s: %s is not declared, so it is a scalar; declare its shape first, like %s : vector(n) or %s : matrix(n, d)", name, spelled, name, name, name)
				}
			}
		}
		if spelled == "^T" {
			return nil, lw.errorf(xn.pos(), "%s is a scalar: the transpose ^T applies to vectors and matrices (for the power, declare T : scalar)", name)
		}
		return nil, lw.errorf(at, "%s is a scalar: the transpose %s applies to vectors and matrices", name, spelled)
	}
	return ast.NewTranspose(x), nil
}

// isTransposeT reports whether the exponent of x^T is the transpose: a
// bare T that names nothing.
func (lw *lowerer) isTransposeT(y Node) bool {
	id, ok := y.(*identNode)
	if !ok || id.name != "T" || lw.isLocal("T") {
		return false
	}
	if _, used := lw.uses.get("T"); used {
		return false // T is a scalar of this input
	}
	if _, ok := lw.declared("T"); ok {
		return false
	}
	if _, ok := lw.defs.Lookup("T"); ok {
		return false
	}
	return true
}

// elementwise lowers a .* b, a ./ b and a .^ b.
func (lw *lowerer) elementwise(n *binaryNode) (ast.Expr, error) {
	x, err := lw.expr(n.x)
	if err != nil {
		return nil, err
	}
	y, err := lw.expr(n.y)
	if err != nil {
		return nil, err
	}
	kind := map[ast.Op]ast.MatKind{ast.OpHadamard: ast.MatHadamard, ast.OpElemDiv: ast.MatElemDiv, ast.OpElemPow: ast.MatElemPow}[n.op.Op]
	lw.matrices = true // checked from here on, this operation first
	e := ast.NewMatOp(kind, x, y)
	if err := lw.checkShape(e, n.at); err != nil {
		return nil, err
	}
	return e, nil
}

// matCall lowers a call of a matrix function (dot, norm, tr, diag, ones,
// eye, jacobian, hessian, and sum and mean of one argument).
func (lw *lowerer) matCall(n *callNode, f ast.MatFunc) (ast.Expr, error) {
	if len(n.args) < f.Min || len(n.args) > f.Max {
		want := count(f.Min, "argument", "arguments")
		if f.Max > f.Min {
			want = "1 or 2 arguments"
		}
		return nil, lw.errorf(n.at, "%s takes %s, found %d", f.Name, want, len(n.args))
	}
	args := make([]ast.Expr, len(n.args))
	for i, a := range n.args {
		e, err := lw.expr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	lw.matrices = true // checked from here on, this call first (ones(n) of scalars is a vector)
	if (f.Kind == ast.MatSumAll || f.Kind == ast.MatMeanAll) && lw.isScalar(args[0]) {
		return nil, lw.errorf(n.args[0].pos(), "%s needs a range first: %s(i=1..n, body)", f.Name, f.Name)
	}
	e := ast.NewMatOp(f.Kind, args...)
	if f.Kind == ast.MatJacobian {
		return e, lw.checkDerivShape(e, n.at)
	}
	if err := lw.checkShape(e, n.at); err != nil {
		return nil, err
	}
	return e, nil
}

// indexDeclared checks the indices of a declared name: a vector takes one,
// a matrix two, a scalar none. A vector is an n×1 matrix too, and takes
// two (x[i,1]), as numpy's (n, 1) array and MatrixCalculus.org's column
// vector do: eval x[1,1] + x[2,1] at x = [[1], [2]] was refused.
func (lw *lowerer) indexDeclared(n *indexNode, s ast.Shape, k int) error {
	want := 2
	switch {
	case s.IsScalar():
		return lw.errorf(n.at, "%s is declared a scalar: write %s without indices", n.name, n.name)
	case s.IsVector():
		want = 1
		if k == 2 {
			return nil
		}
	}
	if k != want {
		return lw.errorf(n.at, "%s is declared %s (%s): it takes %s, as in %s; found %d", n.name, s.Decl(), s, count(want, "index", "indices"),
			map[int]string{1: n.name + "[i]", 2: n.name + "[i,j]"}[want], k)
	}
	return nil
}

// indexInDeclared checks a number used as an index of a declared name
// against a dimension declared as a number: w[5] of w : vector(3) is read
// nowhere, and prove took it as a claim about an array drawn 8 long.
func (lw *lowerer) indexInDeclared(n *indexNode, s ast.Shape, idx []ast.Expr) error {
	dims := []ast.Expr{s.Rows, s.Cols}
	for k, i := range idx {
		num, ok := i.(*ast.Num)
		if !ok || k >= len(dims) || k == 1 && s.IsVector() { // a column's second index: lower.go
			continue
		}
		size, ok := dims[k].(*ast.Num)
		if !ok {
			continue
		}
		if num.Value.Sign() < 1 || num.Value.Cmp(size.Value) > 0 {
			which := ""
			if len(idx) == 2 {
				which = []string{" (its rows)", " (its columns)"}[k]
			}
			return lw.errorf(n.indices[k].pos(), "%s is declared %s: index %s is out of range 1..%s%s", n.name, s.Decl(), ast.String(i), ast.String(size), which)
		}
	}
	return nil
}

// secondDerivative lowers d(f, x, 2), the second derivative, and
// d(f, x, y), the mixed one: d(d(f, x), y). The order of a derivative
// is a whole number from 1 to 10.
func (lw *lowerer) secondDerivative(n *callNode) (ast.Expr, error) {
	x, err := lw.expr(n.args[0])
	if err != nil {
		return nil, err
	}
	d, err := lw.derivBy(n, x, n.args[1])
	if err != nil {
		return nil, err
	}
	if num, ok := n.args[2].(*numNode); ok {
		v, err := ast.ParseNumber(num.lit)
		var k int64
		small := false
		if err == nil && v.IsInt() {
			k, small = v.Int64()
		}
		if !small || k < 1 || k > 10 {
			return nil, lw.errorf(num.at, "the order of a derivative must be a whole number from 1 to 10, like d(f, x, 2)")
		}
		for range k - 1 {
			if d, err = lw.derivBy(n, d, n.args[1]); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	return lw.derivBy(n, d, n.args[2])
}
