// Package matrix is symdiff's matrix calculus: a matrix expression is
// translated to index form (X*w at row i is sum(j=1..d, X[i,j]*w[j])),
// differentiated and simplified there by the index calculus of packages
// derive and simplify, and translated back to matrix notation
// (sum(i=1..n, X[i,k]*r[i]) at row k is X'*r), the approach of Laue,
// Mitterreiter and Giesen (NeurIPS 2018) and MatrixCalculus.org.
package matrix

import (
	"fmt"
	"strconv"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
)

// A Translator translates matrix expressions to index form under a set of
// declarations and definitions. Index names it invents are fresh: they
// clash with no name of the expressions it has seen.
type Translator struct {
	Env  *shape.Env
	Defs *ast.Defs
	used map[string]bool
	memo map[entryKey]ast.Expr // an entry translated once: X*w is one sum

	atoms  []*Atom // inv, det and logdet in index form (atoms.go)
	atomOf map[atomKey]*Atom

	// unconstrained says that the next derivative translated, the input
	// itself, is taken by a symmetric matrix with its entries taken as
	// independent; every other derivative by a symmetric matrix is
	// symmetrised (symmetric.go).
	unconstrained bool
}

type entryKey struct{ e, r, c ast.Expr }

// NewTranslator returns a translator for the declarations and definitions.
func NewTranslator(decls map[string]ast.Shape, defs *ast.Defs) *Translator {
	if defs == nil {
		defs = &ast.Defs{}
	}
	own := make(map[string]ast.Shape, len(decls)) // the atoms are declared in it
	for name, s := range decls {
		own[name] = s
	}
	t := &Translator{Env: shape.New(own, defs), Defs: defs, used: map[string]bool{}, memo: map[entryKey]ast.Expr{}, atomOf: map[atomKey]*Atom{}}
	for name, s := range decls {
		t.used[name] = true
		for _, x := range []ast.Expr{s.Rows, s.Cols} {
			if x != nil {
				for _, n := range ast.FreeNames(x) {
					t.used[n] = true
				}
			}
		}
	}
	for _, d := range defs.All() {
		t.used[d.Name] = true
	}
	return t
}

// Use marks the names of e as taken, so that no invented index clashes.
func (t *Translator) Use(e ast.Expr) {
	for _, n := range ast.FreeNames(t.inline(e)) {
		t.used[n] = true
	}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if s, ok := x.(*ast.Sum); ok {
			t.used[s.Var] = true
		}
		return true
	})
}

var indexNames = []string{"i", "j", "k", "l", "m", "p", "q", "r", "s", "t"}

// Fresh returns an index name not yet used.
func (t *Translator) Fresh() string {
	for _, n := range indexNames {
		if !t.used[n] {
			t.used[n] = true
			return n
		}
	}
	for k := 2; ; k++ {
		for _, n := range indexNames {
			c := n + strconv.Itoa(k)
			if !t.used[c] {
				t.used[c] = true
				return c
			}
		}
	}
}

// inline replaces the defined names whose bodies involve vectors or
// matrices by their bodies.
func (t *Translator) inline(e ast.Expr) ast.Expr {
	return t.Defs.ExpandIf(e, func(name string) bool {
		d, ok := t.Defs.Lookup(name)
		return ok && d.Kind == ast.DefScalar && t.Env.Involved(d.Body)
	})
}

// Involved reports whether e is a matrix expression: it mentions a
// vector or a matrix.
func (t *Translator) Involved(e ast.Expr) bool { return t.Env.Involved(e) }

// Shape returns the shape of e.
func (t *Translator) Shape(e ast.Expr) (ast.Shape, error) { return t.Env.Of(e) }

// Entry returns the entry (r, c) of e in index form; r or c is nil for a
// dimension of size 1 (c for a column vector, both for a scalar).
func (t *Translator) Entry(e ast.Expr, r, c ast.Expr) (ast.Expr, error) {
	return t.entry(t.oneIndex(t.inline(e)), r, c)
}

// oneIndex writes an entry of a declared row vector that the user indexed
// as a matrix, R[1,j], as the index form has it, R[j] (entryOf), so that
// both are one name to derive and to evaluate (its value is then flattened
// by rowsFlat): R[1,1] next to det(C) was evaluated against that flattened
// value and refused. A first index other than 1 is left as written, to be
// refused as out of range.
func (t *Translator) oneIndex(e ast.Expr) ast.Expr {
	rows := false // Entry runs once per entry: no walk without a row vector
	for _, s := range t.Env.Decls {
		if s.IsRow() {
			rows = true
			break
		}
	}
	if !rows {
		return e
	}
	return ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
		ix, ok := x.(*ast.Index)
		if !ok || len(ix.Indices) != 2 || !ast.IsNum(ix.Indices[0], 1) {
			return nil, false
		}
		if s, ok := t.Env.Decls[ix.Name]; ok && s.IsRow() {
			return ast.NewIndex(ix.Name, ix.Indices[1]), true
		}
		return nil, false
	})
}

func (t *Translator) entry(e ast.Expr, r, c ast.Expr) (ast.Expr, error) {
	k := entryKey{e, r, c}
	if x, ok := t.memo[k]; ok {
		return x, nil
	}
	x, err := t.entry1(e, r, c)
	if err == nil {
		t.memo[k] = x
	}
	return x, err
}

func (t *Translator) entry1(e ast.Expr, r, c ast.Expr) (ast.Expr, error) {
	s, err := t.Env.Of(e)
	if err != nil {
		return nil, err
	}
	if s.IsScalar() {
		r, c = nil, nil
	} else {
		if s.Rows == ast.One {
			r = nil
		}
		if s.Cols == ast.One {
			c = nil
		}
	}
	if !t.Env.Involved(e) {
		return e, nil
	}
	switch e := e.(type) {
	case *ast.Sym:
		return entryOf(e.Name, s, r, c)
	case *ast.Neg:
		x, err := t.entry(e.X, r, c)
		if err != nil {
			return nil, err
		}
		return ast.NewNeg(x), nil
	case *ast.Pow:
		if m, ok := e.X.(*ast.MatOp); ok && m.Kind == ast.MatNorm && ast.IsNum(e.Y, 2) {
			// norm(v)^2 is the sum of squares, without a square root.
			i := ast.NewSym(t.Fresh())
			sv, err := t.Env.Of(m.Args[0])
			if err != nil {
				return nil, err
			}
			x, err := t.entry(m.Args[0], i, i)
			if err != nil {
				return nil, err
			}
			n := sv.Rows
			if sv.IsRow() {
				n = sv.Cols
			}
			return ast.NewSum(ast.OpSum, i.Name, ast.One, n, ast.NewPow(x, ast.Two)), nil
		}
		x, err := t.entry(e.X, r, c)
		if err != nil {
			return nil, err
		}
		y, err := t.entry(e.Y, r, c)
		if err != nil {
			return nil, err
		}
		return ast.NewPow(x, y), nil
	case *ast.Add, *ast.Mul, *ast.Call, *ast.Div, *ast.Iverson, *ast.If, *ast.Condition:
		kids := ast.Children(e)
		out := make([]ast.Expr, len(kids))
		for i, k := range kids {
			x, err := t.entry(k, r, c)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return ast.WithChildren(e, out), nil
	case *ast.Sum:
		body, err := t.entry(e.Body, nil, nil)
		if err != nil {
			return nil, err
		}
		return ast.NewSum(e.Op, e.Var, e.Lo, e.Hi, body), nil
	case *ast.Deriv:
		return t.deriv(e.X, e.Wrt, r, c, false)
	case *ast.MatOp:
		return t.matOp(e, s, r, c)
	}
	return nil, fmt.Errorf("cannot translate %s to index form", ast.String(e))
}

// entryOf indexes a declared name: X[r,c], w[r].
func entryOf(name string, s ast.Shape, r, c ast.Expr) (ast.Expr, error) {
	switch {
	case s.IsScalar():
		return ast.NewSym(name), nil
	case s.IsVector() && r != nil:
		return ast.NewIndex(name, r), nil
	case s.IsRow() && c != nil:
		return ast.NewIndex(name, c), nil
	case r != nil && c != nil:
		return ast.NewIndex(name, r, c), nil
	}
	return nil, fmt.Errorf("%s (%s) has no entry here: an index is missing", name, s)
}

// wrtEntry is the variable entry of a derivative: w[r] for a vector w.
func (t *Translator) wrtEntry(w ast.Expr, r, c ast.Expr) (ast.Expr, error) {
	sw, err := t.Env.Of(w)
	if err != nil {
		return nil, err
	}
	if sw.IsScalar() {
		return w, nil
	}
	sym, ok := w.(*ast.Sym)
	if !ok {
		return nil, fmt.Errorf("differentiate with respect to a declared name, not %s", ast.String(w))
	}
	return entryOf(sym.Name, sw, r, c)
}

// deriv translates d(f, w) (or jacobian(f, w) when jac) at (r, c).
func (t *Translator) deriv(f, w ast.Expr, r, c ast.Expr, jac bool) (ast.Expr, error) {
	unconstrained := t.unconstrained
	t.unconstrained = false
	sf, err := t.Env.Of(f)
	if err != nil {
		return nil, err
	}
	sw, err := t.Env.Of(w)
	if err != nil {
		return nil, err
	}
	var fe, we ast.Expr
	switch {
	case sw.IsScalar():
		fe, err = t.entry(f, r, c)
		we = w
	case sf.IsScalar() && !jac:
		fe, err = t.entry(f, nil, nil)
		if err != nil {
			return nil, err
		}
		if t.isSymmetricWrt(w) && !unconstrained {
			return t.symmetrise(fe, w, r, c)
		}
		we, err = t.wrtEntry(w, r, c)
	case sf.IsScalar():
		fe, err = t.entry(f, nil, nil)
		if err == nil {
			we, err = t.wrtEntry(w, c, nil)
		}
	default:
		fe, err = t.entry(f, r, nil)
		if err == nil {
			we, err = t.wrtEntry(w, c, nil)
		}
	}
	if err != nil {
		return nil, err
	}
	return t.total(fe, we, wrtName(w))
}

func (t *Translator) matOp(e *ast.MatOp, s ast.Shape, r, c ast.Expr) (ast.Expr, error) {
	a := e.Args
	switch e.Kind {
	case ast.MatMul:
		last := a[len(a)-1]
		head := ast.NewMatMul(a[:len(a)-1]...)
		sh, err := t.Env.Of(head)
		if err != nil {
			return nil, err
		}
		sl, err := t.Env.Of(last)
		if err != nil {
			return nil, err
		}
		if sh.IsScalar() || sl.IsScalar() {
			x, err := t.entry(head, r, c)
			if err != nil {
				return nil, err
			}
			y, err := t.entry(last, r, c)
			if err != nil {
				return nil, err
			}
			return mulEntries(x, y), nil
		}
		var j ast.Expr
		if sh.Cols != ast.One {
			j = ast.NewSym(t.Fresh())
		}
		x, err := t.entry(head, r, j)
		if err != nil {
			return nil, err
		}
		y, err := t.entry(last, j, c)
		if err != nil {
			return nil, err
		}
		if j == nil {
			return mulEntries(x, y), nil
		}
		return ast.NewSum(ast.OpSum, j.(*ast.Sym).Name, ast.One, sh.Cols, mulEntries(x, y)), nil
	case ast.MatTranspose:
		return t.entry(a[0], c, r)
	case ast.MatHadamard, ast.MatElemDiv, ast.MatElemPow:
		x, err := t.entry(a[0], r, c)
		if err != nil {
			return nil, err
		}
		y, err := t.entry(a[1], r, c)
		if err != nil {
			return nil, err
		}
		switch e.Kind {
		case ast.MatHadamard:
			return mulEntries(x, y), nil
		case ast.MatElemDiv:
			return ast.NewDiv(x, y), nil
		}
		return ast.NewPow(x, y), nil
	case ast.MatSumAll, ast.MatMeanAll:
		sa, err := t.Env.Of(a[0])
		if err != nil {
			return nil, err
		}
		op := ast.OpSum
		if e.Kind == ast.MatMeanAll {
			op = ast.OpMean
		}
		var i, j ast.Expr
		if sa.Rows != ast.One {
			i = ast.NewSym(t.Fresh())
		}
		if sa.Cols != ast.One {
			j = ast.NewSym(t.Fresh())
		}
		body, err := t.entry(a[0], i, j)
		if err != nil {
			return nil, err
		}
		if j != nil {
			body = ast.NewSum(op, j.(*ast.Sym).Name, ast.One, sa.Cols, body)
		}
		if i != nil {
			body = ast.NewSum(op, i.(*ast.Sym).Name, ast.One, sa.Rows, body)
		}
		return body, nil
	case ast.MatDot, ast.MatNorm, ast.MatTrace:
		sa, err := t.Env.Of(a[0])
		if err != nil {
			return nil, err
		}
		i := ast.NewSym(t.Fresh())
		var body ast.Expr
		switch e.Kind {
		case ast.MatDot:
			x, err := t.entry(a[0], i, nil)
			if err != nil {
				return nil, err
			}
			y, err := t.entry(a[1], i, nil)
			if err != nil {
				return nil, err
			}
			body = mulEntries(x, y)
		case ast.MatNorm:
			x, err := t.entry(a[0], i, i)
			if err != nil {
				return nil, err
			}
			body = ast.NewPow(x, ast.Two)
		default:
			x, err := t.entry(a[0], i, i)
			if err != nil {
				return nil, err
			}
			body = x
		}
		n := sa.Rows
		if sa.IsRow() {
			n = sa.Cols
		}
		sum := ast.NewSum(ast.OpSum, i.Name, ast.One, n, body)
		if e.Kind == ast.MatNorm {
			return ast.NewCall("sqrt", sum), nil
		}
		return sum, nil
	case ast.MatSoftmax, ast.MatLogSumExp:
		sa, err := t.Env.Of(a[0])
		if err != nil {
			return nil, err
		}
		i := ast.NewSym(t.Fresh())
		x, err := t.entry(a[0], i, nil)
		if err != nil {
			return nil, err
		}
		z := ast.NewSum(ast.OpSum, i.Name, ast.One, sa.Rows, ast.NewCall("exp", x))
		if e.Kind == ast.MatLogSumExp {
			return ast.NewCall("log", z), nil
		}
		xr, err := t.entry(a[0], r, nil)
		if err != nil {
			return nil, err
		}
		return ast.NewDiv(ast.NewCall("exp", xr), z), nil
	case ast.MatDiag:
		x, err := t.entry(a[0], r, nil)
		if err != nil {
			return nil, err
		}
		return ast.NewMul(x, ast.Delta(r, c)), nil
	case ast.MatOnes:
		return ast.One, nil
	case ast.MatZeros:
		return ast.Zero, nil
	case ast.MatEye:
		return ast.Delta(r, c), nil
	case ast.MatJacobian:
		return t.deriv(a[0], a[1], r, c, true)
	case ast.MatHessian:
		we, err := t.wrtEntry(a[1], r, nil)
		if err != nil {
			return nil, err
		}
		wc, err := t.wrtEntry(a[1], c, nil)
		if err != nil {
			return nil, err
		}
		fe, err := t.entry(a[0], nil, nil)
		if err != nil {
			return nil, err
		}
		w := wrtName(a[1])
		g, err := t.total(fe, we, w)
		if err != nil {
			return nil, err
		}
		return t.total(g, wc, w)
	case ast.MatInv, ast.MatDet, ast.MatLogDet:
		return t.atomEntry(e.Kind, a[0], r, c)
	}
	return nil, fmt.Errorf("cannot translate %s to index form", ast.String(e))
}

// mulEntries is the product of two entries, without a factor 1 (an entry of
// ones(n) or eye(n) on its diagonal): sum(j=1..K, exp(Z[i,j])*1) would hide
// the log-sum-exp of exp(Z)*ones(K) from the code generator's rewrites for
// numerical stability, and x*1 is x wherever x is defined or not.
func mulEntries(x, y ast.Expr) ast.Expr {
	switch {
	case ast.IsNum(y, 1):
		return x
	case ast.IsNum(x, 1):
		return y
	}
	return ast.NewMul(x, y)
}
