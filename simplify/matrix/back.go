package matrix

import (
	"fmt"
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// Translation back to matrix notation. back(e, idx) finds a matrix
// expression M whose entry at the free indices idx is e: a column vector
// over idx[0], or a matrix over (idx[0], idx[1]), or a scalar for no
// index. It recognises the patterns index form writes matrix algebra in:
//
//	X[i,k] (at k, i)              X'
//	sum(j, A[i,j]*v[j])           (A*v)[i]
//	sum(i, A[k,i]*D[i]*B[i,l])    (A*diag(D)*B)[k,l]
//	f(u[i])                       f(u)[i], element-wise
//	u[i]*v[i]                     (u .* v)[i]
//	delta(k, l)                   eye(d)
//	u - u^2                       u .* (1 - u)
//
// A result it cannot write in matrix notation is an error: the caller
// shows it in index form.

// errNoForm says that no matrix form was found.
type errNoForm struct{ at ast.Expr }

func (e *errNoForm) Error() string {
	return fmt.Sprintf("no matrix form found for %s", ast.String(e.at))
}

// backer holds the sizes of the indices in scope.
type backer struct {
	size map[string]ast.Expr
	// withOnes allows an entry at (k, l) that depends on one index only, as
	// an outer product with ones (broadcast): tried after a translation
	// without, which reads better where both exist (W'*(diag(s) -
	// s*s')*v, not (W' - W'*s*ones(d)')*(v .* s)).
	withOnes bool
}

// bind gives the bound index j the size n and returns the function that
// restores j's size before: an inner sum may reuse the name of an outer
// one (sum(j, X[k,j]*exp(u[j])/sum(j, exp(u[j])))), and deleting j on its
// way out would leave the outer j with no size.
func (b *backer) bind(j string, n ast.Expr) (restore func()) {
	prev, had := b.size[j]
	b.size[j] = n
	return func() {
		if had {
			b.size[j] = prev
		} else {
			delete(b.size, j)
		}
	}
}

// Back translates e, whose free indices idx have the given sizes, to
// matrix notation.
func Back(e ast.Expr, idx []string, sizes []ast.Expr) (ast.Expr, error) {
	m, err := backWith(e, idx, sizes, false)
	if err != nil {
		if m, err2 := backWith(e, idx, sizes, true); err2 == nil {
			return m, nil
		}
	}
	return m, err
}

// backWith is Back, with outer products with ones allowed or not.
func backWith(e ast.Expr, idx []string, sizes []ast.Expr, outer bool) (ast.Expr, error) {
	b := &backer{size: map[string]ast.Expr{}, withOnes: outer}
	for i, n := range idx {
		b.size[n] = sizes[i]
	}
	m, err := b.back(e, idx)
	if err != nil {
		return nil, err
	}
	return ast.Map(m, named), nil
}

// named writes the compositions that have names by their names:
// exp(v)/sum(exp(v)) is softmax(v), log(sum(exp(v))) is logsumexp(v).
func named(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Div:
		if r, ok := softmaxOuter(x); ok {
			return r
		}
		if s, ok := x.Y.(*ast.MatOp); ok && s.Kind == ast.MatSumAll {
			if u, ok := expOf(s.Args[0]); ok {
				if r, ok := softmaxIn(x.X, u); ok {
					return r
				}
			}
		}
	case *ast.Call:
		if s, ok := x.Args[0].(*ast.MatOp); ok && x.Fn == "log" && s.Kind == ast.MatSumAll {
			if u, ok := expOf(s.Args[0]); ok {
				return ast.NewMatOp(ast.MatLogSumExp, u)
			}
		}
	}
	return e
}

// splitExp writes exp(a + b), where a and b depend on different indices
// of idx, as exp(a)*exp(b): the simplifier merges exp(x[k])*exp(x[l]).
func splitExp(e ast.Expr, idx []string) ([]ast.Expr, bool) {
	c, ok := e.(*ast.Call)
	if !ok || c.Fn != "exp" || len(idx) < 2 {
		return nil, false
	}
	add, ok := c.Args[0].(*ast.Add)
	if !ok || len(deps(add, idx)) < 2 {
		return nil, false
	}
	groups := map[string][]ast.Expr{}
	var order []string
	for _, t := range add.Terms {
		d := deps(t, idx)
		key := ""
		if len(d) == 1 {
			key = d[0]
		} else if len(d) == 2 {
			return nil, false
		}
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], t)
	}
	var out []ast.Expr
	for _, k := range order {
		out = append(out, ast.NewCall("exp", ast.NewAdd(groups[k]...)))
	}
	return out, true
}

// softmaxIn replaces the factor exp(u) of e by softmax(u): e is divided
// by sum(exp(u)).
func softmaxIn(e, u ast.Expr) (ast.Expr, bool) {
	switch x := e.(type) {
	case *ast.Call:
		if v, ok := expOf(x); ok && v == u {
			return ast.NewMatOp(ast.MatSoftmax, u), true
		}
	case *ast.Neg:
		if r, ok := softmaxIn(x.X, u); ok {
			return ast.NewNeg(r), true
		}
	case *ast.Mul:
		for i, f := range x.Factors {
			if r, ok := softmaxIn(f, u); ok {
				fs := slices.Clone(x.Factors)
				fs[i] = r
				return ast.NewMul(fs...), true
			}
		}
	case *ast.MatOp:
		switch x.Kind {
		case ast.MatMul:
			if r, ok := softmaxIn(x.Args[0], u); ok {
				return ast.NewMatMul(append([]ast.Expr{r}, x.Args[1:]...)...), true
			}
		case ast.MatDiag:
			if r, ok := softmaxIn(x.Args[0], u); ok {
				return ast.NewMatOp(ast.MatDiag, r), true
			}
		}
	}
	return nil, false
}

// softmaxOuter writes exp(u)*exp(u)'/sum(exp(u))^2 as softmax(u)*softmax(u)'.
func softmaxOuter(x *ast.Div) (ast.Expr, bool) {
	p, ok := x.Y.(*ast.Pow)
	if !ok || !ast.IsNum(p.Y, 2) {
		return nil, false
	}
	s, ok := p.X.(*ast.MatOp)
	if !ok || s.Kind != ast.MatSumAll {
		return nil, false
	}
	u, ok := expOf(s.Args[0])
	if !ok {
		return nil, false
	}
	m, ok := x.X.(*ast.MatOp)
	if !ok || m.Kind != ast.MatMul || len(m.Args) != 2 || m.Args[0] != s.Args[0] || m.Args[1] != ast.NewTranspose(s.Args[0]) {
		return nil, false
	}
	sm := ast.NewMatOp(ast.MatSoftmax, u)
	return ast.NewMatMul(sm, ast.NewTranspose(sm)), true
}

func expOf(e ast.Expr) (ast.Expr, bool) {
	c, ok := e.(*ast.Call)
	if ok && c.Fn == "exp" {
		return c.Args[0], true
	}
	return nil, false
}

// deps returns the indices of idx that occur free in e, in idx's order.
func deps(e ast.Expr, idx []string) []string {
	var out []string
	for _, i := range idx {
		if ast.HasFree(e, i) {
			out = append(out, i)
		}
	}
	return out
}

func (b *backer) back(e ast.Expr, idx []string) (ast.Expr, error) {
	d := deps(e, idx)
	if len(d) < len(idx) {
		if len(d) > 0 {
			return b.broadcast(e, d[0], idx)
		}
		idx = nil
	}
	switch e := e.(type) {
	case *ast.Num, *ast.Sym:
		return e, nil
	case *ast.Index:
		return b.index(e, idx)
	case *ast.Neg:
		x, err := b.back(e.X, idx)
		if err != nil {
			return nil, err
		}
		return ast.NewNeg(x), nil
	case *ast.Add:
		if f, ok := factorQuadratic(e); ok {
			return b.back(f, idx)
		}
		terms := make([]ast.Expr, len(e.Terms))
		for i, t := range e.Terms {
			x, err := b.back(t, idx)
			if err != nil {
				return nil, err
			}
			terms[i] = x
		}
		return factorLeft(collect(terms)), nil
	case *ast.Mul:
		return b.mul(e.Factors, idx)
	case *ast.Div:
		x, err := b.back(e.X, idx)
		if err != nil {
			return nil, err
		}
		if len(deps(e.Y, idx)) == 0 {
			y, err := b.back(e.Y, nil)
			if err != nil {
				return nil, err
			}
			return divide(x, y), nil
		}
		y, err := b.back(e.Y, idx)
		if err != nil {
			return nil, err
		}
		if len(deps(e.X, idx)) == 0 && !ast.IsNum(x, 1) {
			return nil, &errNoForm{e} // c ./ v needs ones: keep index form
		}
		if len(deps(e.X, idx)) == 0 {
			return ast.NewMatOp(ast.MatElemDiv, x, y), nil
		}
		return ast.NewMatOp(ast.MatElemDiv, x, y), nil
	case *ast.Pow:
		if len(deps(e.Y, idx)) > 0 {
			return nil, &errNoForm{e}
		}
		x, err := b.back(e.X, idx)
		if err != nil {
			return nil, err
		}
		y, err := b.back(e.Y, nil)
		if err != nil {
			return nil, err
		}
		if len(idx) == 0 {
			return ast.NewPow(x, y), nil
		}
		return ast.NewMatOp(ast.MatElemPow, x, y), nil
	case *ast.Call:
		if e.Fn == "delta" {
			return b.delta(e, idx)
		}
		if fs, ok := splitExp(e, idx); ok {
			return b.mul(fs, idx)
		}
		args := make([]ast.Expr, len(e.Args))
		for i, a := range e.Args {
			x, err := b.back(a, idx)
			if err != nil {
				return nil, err
			}
			args[i] = x
		}
		if len(idx) > 0 && len(args) > 1 {
			return nil, &errNoForm{e}
		}
		if p, ok := args[0].(*ast.Pow); ok && e.Fn == "sqrt" && ast.IsNum(p.Y, 2) {
			if m, ok := p.X.(*ast.MatOp); ok && m.Kind == ast.MatNorm {
				return m, nil // sqrt(norm(v)^2)
			}
		}
		return ast.NewCall(e.Fn, args...), nil
	case *ast.Sum:
		return b.sum(e, idx)
	case *ast.Iverson:
		if len(idx) == 0 {
			return e, nil
		}
		if b.inRange(e) {
			return ast.One, nil // [k <= d] for k in 1..d
		}
	}
	return nil, &errNoForm{e}
}

// broadcast translates an entry at (k, l) that depends on one of the two
// indices, i, as an outer product with ones: v[l] is ones(m)*v' (each row
// is v'), u[k] is u*ones(n)' (each column is u), as MatrixCalculus.org
// writes d(sum(W*w), W) = ones(d)*w'.
func (b *backer) broadcast(e ast.Expr, i string, idx []string) (ast.Expr, error) {
	if !b.withOnes || len(idx) != 2 || b.size[idx[0]] == nil || b.size[idx[1]] == nil {
		return nil, &errNoForm{e} // a vector broadcast along a matrix
	}
	// Scalar factors and divisors stand in front: 2*ones(d)*w', not
	// ones(d)*(2*w)'.
	switch x := e.(type) {
	case *ast.Neg:
		m, err := b.broadcast(x.X, i, idx)
		if err != nil {
			return nil, err
		}
		return ast.NewNeg(m), nil
	case *ast.Mul:
		var scalars, rest []ast.Expr
		for _, f := range x.Factors {
			if len(deps(f, idx)) == 0 {
				s, err := b.back(f, nil)
				if err != nil {
					return nil, err
				}
				scalars = append(scalars, s)
			} else {
				rest = append(rest, f)
			}
		}
		if len(scalars) > 0 {
			m, err := b.broadcast(ast.NewMul(rest...), i, idx)
			if err != nil {
				return nil, err
			}
			return scale(scalars, m), nil
		}
	case *ast.Div:
		if len(deps(x.Y, idx)) == 0 {
			m, err := b.broadcast(x.X, i, idx)
			if err != nil {
				return nil, err
			}
			y, err := b.back(x.Y, nil)
			if err != nil {
				return nil, err
			}
			return divide(m, y), nil
		}
	}
	v, err := b.back(e, []string{i})
	if err != nil {
		return nil, err
	}
	if n, ok := v.(*ast.Neg); ok {
		m, err := b.outer(n.X, i, idx)
		return ast.NewNeg(m), err
	}
	return b.outer(v, i, idx)
}

// outer is v broadcast along the index of idx other than i.
func (b *backer) outer(v ast.Expr, i string, idx []string) (ast.Expr, error) {
	if i == idx[0] {
		return signedMatMul(v, ast.NewTranspose(ast.NewMatOp(ast.MatOnes, b.size[idx[1]]))), nil
	}
	return signedMatMul(ast.NewMatOp(ast.MatOnes, b.size[idx[0]]), transposeProduct(v)), nil
}

// inRange reports whether a bracket only says that indices lie in their
// ranges: [k <= d], [1 <= k <= d] for k in 1..d.
func (b *backer) inRange(e *ast.Iverson) bool {
	for i := 0; i+1 < len(e.Args); i++ {
		lo, hi := e.Args[i], e.Args[i+1]
		if s, ok := hi.(*ast.Sym); ok && b.size[s.Name] != nil && ast.IsNum(lo, 1) {
			continue // [1 <= k]
		}
		if s, ok := lo.(*ast.Sym); ok && b.size[s.Name] != nil && b.size[s.Name] == hi {
			continue // [k <= d]
		}
		return false
	}
	return true
}

// index translates X[i,k] and w[k].
func (b *backer) index(e *ast.Index, idx []string) (ast.Expr, error) {
	names := make([]string, len(e.Indices))
	for i, x := range e.Indices {
		s, ok := x.(*ast.Sym)
		if !ok {
			return nil, &errNoForm{e}
		}
		names[i] = s.Name
	}
	x := ast.NewSym(e.Name)
	switch {
	case len(idx) == 0:
		return nil, &errNoForm{e} // an index bound elsewhere
	case slices.Equal(names, idx):
		return x, nil
	case len(names) == 2 && len(idx) == 2 && names[0] == idx[1] && names[1] == idx[0]:
		return ast.NewTranspose(x), nil
	}
	return nil, &errNoForm{e}
}

// delta translates delta(k, l) at (k, l) as the identity.
func (b *backer) delta(e *ast.Call, idx []string) (ast.Expr, error) {
	if len(idx) == 2 {
		a, ok1 := e.Args[0].(*ast.Sym)
		c, ok2 := e.Args[1].(*ast.Sym)
		if ok1 && ok2 && (a.Name == idx[0] && c.Name == idx[1] || a.Name == idx[1] && c.Name == idx[0]) {
			return ast.NewMatOp(ast.MatEye, b.size[idx[0]]), nil
		}
	}
	return nil, &errNoForm{e}
}

// mul translates a product: scalars multiply, entries of vectors over the
// same index multiply element-wise, and over two indices a product of
// a row factor, matrices and a column factor is diag(u)*M*diag(v).
func (b *backer) mul(factors []ast.Expr, idx []string) (ast.Expr, error) {
	var scalars, row, col, both []ast.Expr
	var split []ast.Expr
	for _, f := range factors {
		if fs, ok := splitExp(f, idx); ok {
			split = append(split, fs...)
		} else {
			split = append(split, f)
		}
	}
	for _, f := range split {
		d := deps(f, idx)
		switch {
		case len(d) == 0:
			x, err := b.back(f, nil)
			if err != nil {
				return nil, err
			}
			scalars = append(scalars, x)
		case len(d) == 2:
			both = append(both, f)
		case d[0] == idx[0]:
			row = append(row, f)
		default:
			col = append(col, f)
		}
	}
	var m ast.Expr
	switch len(idx) {
	case 0:
		return ast.NewMul(scalars...), nil
	case 1:
		x, err := b.hadamard(row, idx)
		if err != nil {
			return nil, err
		}
		m = x
	default:
		x, err := b.matrixProduct(row, both, col, idx)
		if err != nil {
			return nil, err
		}
		m = x
	}
	return scale(scalars, m), nil
}

// hadamard translates a product of factors over the same indices.
func (b *backer) hadamard(fs []ast.Expr, idx []string) (ast.Expr, error) {
	var acc ast.Expr
	for _, f := range fs {
		x, err := b.back(f, idx)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = x
		} else {
			acc = ast.NewMatOp(ast.MatHadamard, acc, x)
		}
	}
	return acc, nil
}

// matrixProduct translates u[k]*M[k,l]*v[l] as diag(u)*M*diag(v), u[k]*v[l]
// as the outer product u*v', and u[k]*delta(k,l) as diag(u).
func (b *backer) matrixProduct(row, both, col []ast.Expr, idx []string) (ast.Expr, error) {
	k, l := idx[0], idx[1]
	for i, f := range both {
		c, ok := f.(*ast.Call)
		if !ok || c.Fn != "delta" {
			continue
		}
		if _, err := b.delta(c, idx); err != nil {
			return nil, err
		}
		// u[k]*v[l]*delta(k,l) = diag(u .* v)
		rest := append(slices.Clone(both[:i]), both[i+1:]...)
		if len(rest) > 0 {
			return nil, &errNoForm{f}
		}
		var fs []ast.Expr
		fs = append(fs, row...)
		for _, x := range col {
			fs = append(fs, ast.Rename(x, l, k))
		}
		if len(fs) == 0 {
			return b.delta(c, idx)
		}
		u, err := b.hadamard(fs, []string{k})
		if err != nil {
			return nil, err
		}
		return ast.NewMatOp(ast.MatDiag, u), nil
	}
	var parts []ast.Expr
	if len(both) == 0 {
		u, err := b.hadamard(row, []string{k})
		if err != nil {
			return nil, err
		}
		v, err := b.hadamard(col, []string{l})
		if err != nil {
			return nil, err
		}
		return signedMatMul(u, transposeProduct(v)), nil
	}
	if len(row) > 0 {
		u, err := b.hadamard(row, []string{k})
		if err != nil {
			return nil, err
		}
		parts = append(parts, ast.NewMatOp(ast.MatDiag, u))
	}
	m, err := b.hadamard(both, idx)
	if err != nil {
		return nil, err
	}
	parts = append(parts, m)
	if len(col) > 0 {
		v, err := b.hadamard(col, []string{l})
		if err != nil {
			return nil, err
		}
		parts = append(parts, ast.NewMatOp(ast.MatDiag, v))
	}
	return ast.NewMatMul(parts...), nil
}

// sum translates sum(j=1..m, body) and mean(...): a contraction over j
// when indices of idx occur in the body, otherwise sum(v) or mean(v) of a
// vector over j.
func (b *backer) sum(e *ast.Sum, idx []string) (ast.Expr, error) {
	if !ast.IsNum(e.Lo, 1) {
		return nil, &errNoForm{e}
	}
	j := e.Var
	if slices.Contains(idx, j) {
		return nil, &errNoForm{e}
	}
	defer b.bind(j, e.Hi)()
	var out ast.Expr
	var err error
	switch body := e.Body.(type) {
	case *ast.Add:
		// Linearity: the sum of each term.
		terms := make([]ast.Expr, len(body.Terms))
		for i, t := range body.Terms {
			x, err := b.back(ast.NewSum(ast.OpSum, j, e.Lo, e.Hi, t), idx)
			if err != nil {
				return nil, err
			}
			terms[i] = x
		}
		out = factorLeft(collect(terms))
	case *ast.Neg:
		x, err := b.back(ast.NewSum(ast.OpSum, j, e.Lo, e.Hi, body.X), idx)
		if err != nil {
			return nil, err
		}
		out = ast.NewNeg(x)
	default:
		out, err = b.contract(j, e.Body, idx)
		if len(idx) == 0 && (err != nil || hasOnes(out)) {
			// sum(j, A[j,l]*B[l,j]) is tr(A*B), better than
			// sum((A .* B')*ones(m)).
			if tr, ok := b.trace(j, e.Hi, e.Body); ok {
				out, err = tr, nil
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if e.Op == ast.OpMean {
		return divide(out, e.Hi), nil
	}
	return out, nil
}

// contract translates sum over j of a product.
func (b *backer) contract(j string, body ast.Expr, idx []string) (ast.Expr, error) {
	factors := []ast.Expr{body}
	if m, ok := body.(*ast.Mul); ok {
		factors = m.Factors
	}
	var outside, inside []ast.Expr
	for _, f := range factors {
		if ast.HasFree(f, j) {
			inside = append(inside, f)
		} else {
			outside = append(outside, f)
		}
	}
	if len(inside) == 0 {
		return nil, &errNoForm{body} // sum of a constant: not simplified
	}
	// The factors that do not depend on j stand outside the sum.
	var coef []ast.Expr
	if len(outside) > 0 {
		d := deps(ast.NewMul(outside...), idx)
		if len(d) > 0 {
			if len(idx) == 2 {
				return nil, &errNoForm{body}
			}
			x, err := b.contract(j, ast.NewMul(inside...), idx)
			if err != nil {
				return nil, err
			}
			u, err := b.hadamard(outside, idx)
			if err != nil {
				return nil, err
			}
			return ast.NewMatOp(ast.MatHadamard, u, x), nil
		}
		for _, f := range outside {
			x, err := b.back(f, nil)
			if err != nil {
				return nil, err
			}
			coef = append(coef, x)
		}
	}
	var jOnly, rowJ, colJ []ast.Expr
	for _, f := range inside {
		d := deps(f, idx)
		switch {
		case len(d) == 0:
			jOnly = append(jOnly, f)
		case len(d) == 2:
			return nil, &errNoForm{f}
		case d[0] == idx[0]:
			rowJ = append(rowJ, f)
		default:
			colJ = append(colJ, f)
		}
	}
	var m ast.Expr
	switch {
	case len(idx) == 0:
		v, err := b.hadamard(jOnly, []string{j})
		if err != nil {
			return nil, err
		}
		m = sumAll(v)
	case len(idx) == 1:
		if len(rowJ) == 0 {
			return nil, &errNoForm{body}
		}
		a, err := b.hadamard(rowJ, []string{idx[0], j})
		if err != nil {
			return nil, err
		}
		if len(jOnly) == 0 {
			if b.size[j] == nil {
				return nil, &errNoForm{body} // never ones(nil)
			}
			m = ast.NewMatMul(a, ast.NewMatOp(ast.MatOnes, b.size[j]))
			break
		}
		v, err := b.hadamard(jOnly, []string{j})
		if err != nil {
			return nil, err
		}
		m = ast.NewMatMul(a, v)
	default:
		if len(rowJ) == 0 || len(colJ) == 0 {
			return nil, &errNoForm{body}
		}
		a, err := b.hadamard(rowJ, []string{idx[0], j})
		if err != nil {
			return nil, err
		}
		c, err := b.hadamard(colJ, []string{j, idx[1]})
		if err != nil {
			return nil, err
		}
		parts := []ast.Expr{a}
		if len(jOnly) > 0 {
			v, err := b.hadamard(jOnly, []string{j})
			if err != nil {
				return nil, err
			}
			parts = append(parts, ast.NewMatOp(ast.MatDiag, v))
		}
		m = ast.NewMatMul(append(parts, c)...)
	}
	return scale(coef, m), nil
}

// sumAll writes the sum of the entries of v: u'*v for u .* v, else sum(v).
func sumAll(v ast.Expr) ast.Expr {
	if h, ok := v.(*ast.MatOp); ok && h.Kind == ast.MatHadamard {
		if h.Args[0] == h.Args[1] {
			return ast.NewPow(ast.NewMatOp(ast.MatNorm, h.Args[0]), ast.Two)
		}
		return ast.NewMatMul(ast.NewTranspose(h.Args[0]), h.Args[1])
	}
	if p, ok := v.(*ast.MatOp); ok && p.Kind == ast.MatElemPow && ast.IsNum(p.Args[1], 2) {
		return ast.NewPow(ast.NewMatOp(ast.MatNorm, p.Args[0]), ast.Two)
	}
	return ast.NewMatOp(ast.MatSumAll, v)
}

// scale multiplies m by scalar coefficients, keeping a quotient outside:
// 2*(X'*r/n) is written 2*X'*r/n.
func scale(coef []ast.Expr, m ast.Expr) ast.Expr {
	if len(coef) == 0 {
		return m
	}
	if d, ok := m.(*ast.Div); ok {
		return ast.NewDiv(scale(coef, d.X), d.Y)
	}
	if n, ok := m.(*ast.Neg); ok {
		return ast.NewNeg(scale(coef, n.X))
	}
	if mul, ok := m.(*ast.Mul); ok {
		return ast.NewMul(append(slices.Clone(coef), mul.Factors...)...)
	}
	return ast.NewMul(append(slices.Clone(coef), m)...)
}

// divide writes x / y, merging quotients: (a/n)/m is a/(n*m).
func divide(x, y ast.Expr) ast.Expr {
	if ast.IsNum(y, 1) {
		return x
	}
	if d, ok := x.(*ast.Div); ok {
		return ast.NewDiv(d.X, ast.NewMul(d.Y, y))
	}
	if n, ok := x.(*ast.Neg); ok {
		return ast.NewNeg(divide(n.X, y))
	}
	return ast.NewDiv(x, y)
}

// factorQuadratic writes u - u^2 as u*(1 - u), the form of σ'.
func factorQuadratic(e *ast.Add) (ast.Expr, bool) {
	if len(e.Terms) != 2 {
		return nil, false
	}
	for i := range 2 {
		u, other := e.Terms[i], e.Terms[1-i]
		n, ok := other.(*ast.Neg)
		if !ok {
			continue
		}
		p, ok := n.X.(*ast.Pow)
		if ok && p.X == u && ast.IsNum(p.Y, 2) {
			return ast.NewMul(u, ast.NewAdd(ast.One, ast.NewNeg(u))), true
		}
	}
	return nil, false
}

// collect adds terms, writing u + u as 2*u.
func collect(terms []ast.Expr) ast.Expr {
	var out []ast.Expr
	count := map[ast.Expr]int64{}
	for _, t := range terms {
		if count[t] == 0 {
			out = append(out, t)
		}
		count[t]++
	}
	for i, t := range out {
		if c := count[t]; c > 1 {
			out[i] = scale([]ast.Expr{ast.NewInt(c)}, t)
		}
	}
	return ast.NewAdd(out...)
}

// factorLeft writes A*u - A*v as A*(u - v) when every term is a matrix
// product with the same first factor.
func factorLeft(e ast.Expr) ast.Expr {
	add, ok := e.(*ast.Add)
	if !ok {
		return e
	}
	var first ast.Expr
	rest := make([]ast.Expr, len(add.Terms))
	for i, t := range add.Terms {
		neg := false
		if n, ok := t.(*ast.Neg); ok {
			t, neg = n.X, true
		}
		m, ok := t.(*ast.MatOp)
		if !ok || m.Kind != ast.MatMul {
			return e
		}
		if first == nil {
			first = m.Args[0]
		} else if m.Args[0] != first {
			return e
		}
		r := ast.NewMatMul(m.Args[1:]...)
		if neg {
			r = ast.NewNeg(r)
		}
		rest[i] = r
	}
	return ast.NewMatMul(first, ast.NewAdd(rest...))
}

// hasOnes reports whether e mentions ones(n).
func hasOnes(e ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if m, ok := x.(*ast.MatOp); ok && m.Kind == ast.MatOnes {
			found = true
		}
		return !found
	})
	return found
}

// trace translates sum(j=1..n, body) as tr(M): one occurrence of j as an
// index is renamed j2, and body is translated as the matrix M over
// (j, j2); of the occurrences that give a matrix form, the one with the
// fewest transposes wins.
func (b *backer) trace(j string, n ast.Expr, body ast.Expr) (ast.Expr, bool) {
	j2 := j + "'" // no name of the input: it cannot capture
	defer b.bind(j2, n)()
	var best ast.Expr
	bestT := 0
	for k := countIndex(body, j) - 1; k >= 0 && k >= countIndex(body, j)-8; k-- {
		seen := 0
		split := replaceIndex(body, j, j2, k, &seen)
		m, err := b.back(split, []string{j, j2})
		if err != nil {
			continue
		}
		if tr := countTransposes(m); best == nil || tr < bestT {
			best, bestT = m, tr
		}
	}
	if best == nil {
		return nil, false
	}
	return ast.NewMatOp(ast.MatTrace, best), true
}

// countIndex counts the occurrences of the index j in the indices of e.
func countIndex(e ast.Expr, j string) int {
	seen := 0
	replaceIndex(e, j, j, -1, &seen)
	return seen
}

// replaceIndex renames the k-th occurrence (from 0, counted in *seen) of
// the index j as an index of an array to j2; sums that bind j are left
// alone.
func replaceIndex(e ast.Expr, j, j2 string, k int, seen *int) ast.Expr {
	switch x := e.(type) {
	case *ast.Num, *ast.Sym:
		return e
	case *ast.Index:
		idx := slices.Clone(x.Indices)
		changed := false
		for i, v := range idx {
			if s, ok := v.(*ast.Sym); ok && s.Name == j {
				if *seen == k {
					idx[i], changed = ast.NewSym(j2), true
				}
				*seen++
			}
		}
		if !changed {
			return e
		}
		return ast.NewIndex(x.Name, idx...)
	case *ast.Sum:
		if x.Var == j {
			return e
		}
	case *ast.Pow:
		if ast.IsNum(x.Y, 2) && countIndex(x.X, j) > 0 {
			// x^2 as x*x, so that one factor can be renamed.
			return replaceIndex(ast.NewMul(x.X, x.X), j, j2, k, seen)
		}
	}
	kids := ast.Children(e)
	out := make([]ast.Expr, len(kids))
	for i, c := range kids {
		out[i] = replaceIndex(c, j, j2, k, seen)
	}
	return ast.WithChildren(e, out)
}

// countTransposes counts the transposes in e.
func countTransposes(e ast.Expr) int {
	n := 0
	ast.Inspect(e, func(x ast.Expr) bool {
		if m, ok := x.(*ast.MatOp); ok && m.Kind == ast.MatTranspose {
			n++
		}
		return true
	})
	return n
}

// transposeProduct writes the transpose of a product as the product of
// the transposes in reverse order, (A*x)' = x'*A', and any other v as v'.
func transposeProduct(v ast.Expr) ast.Expr {
	m, ok := v.(*ast.MatOp)
	if !ok || m.Kind != ast.MatMul {
		return ast.NewTranspose(v)
	}
	fs := make([]ast.Expr, len(m.Args))
	for i, f := range m.Args {
		fs[len(fs)-1-i] = ast.NewTranspose(f)
	}
	return ast.NewMatMul(fs...)
}

// signedMatMul multiplies the factors with their signs taken out:
// (-u)*v' is -(u*v').
func signedMatMul(fs ...ast.Expr) ast.Expr {
	neg := false
	out := make([]ast.Expr, len(fs))
	for i, f := range fs {
		if n, ok := f.(*ast.Neg); ok {
			f, neg = n.X, !neg
		}
		out[i] = f
	}
	if neg {
		return ast.NewNeg(ast.NewMatMul(out...))
	}
	return ast.NewMatMul(out...)
}
