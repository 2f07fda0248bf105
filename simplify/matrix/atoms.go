package matrix

import (
	"context"
	"fmt"
	"math"

	"github.com/symdiff/symdiff/ast"
)

// The inverse, the determinant and the log-determinant have no finite
// index form: inv(A)[i,j] is not a sum of products of entries of A. In
// index form each stands as an atom, a fresh name of its own: inv(A) is a
// matrix Ainv, indexed Ainv[i,j]; det(A) and logdet(A) are scalars detA
// and logdetA. An expression in index form is then a function of the
// declared names and of the atoms, treated as independent, and its
// derivative by w is the total derivative (the chain rule through the
// atoms):
//
//	d f / d w = ∂f/∂w + sum(a, b, ∂f/∂Ainv[a,b] * d Ainv[a,b] / d w) + ...
//
// with the rules of the Matrix Cookbook (Petersen and Pedersen, 2.2),
// written entry by entry:
//
//	d Ainv[a,b]  = -sum(p, q, Ainv[a,p] * d A[p,q] * Ainv[q,b])
//	d detA       = detA * sum(p, q, Ainv[q,p] * d A[p,q])
//	d logdetA    = sum(p, q, Ainv[q,p] * d A[p,q])
//
// where d A[p,q] is again a total derivative, so atoms nest. The result
// is translated back to matrix notation with the atoms' names, which are
// then replaced by what they stand for. Numerically, an atom is bound to
// its value, computed by an LU factorisation with partial pivoting.

// An Atom stands, in index form, for a matrix function with no finite
// index form.
type Atom struct {
	Name string
	Kind ast.MatKind // ast.MatInv, ast.MatDet or ast.MatLogDet
	Arg  ast.Expr    // the square matrix, in matrix notation
	Size ast.Expr    // its number of rows and columns
}

// Expr returns the matrix expression the atom stands for: inv(A).
func (a *Atom) Expr() ast.Expr { return ast.NewMatOp(a.Kind, a.Arg) }

type atomKey struct {
	kind ast.MatKind
	arg  ast.Expr
}

// atom returns the atom for kind applied to arg, making it the first time.
func (t *Translator) atom(kind ast.MatKind, arg ast.Expr) (*Atom, error) {
	k := atomKey{kind, arg}
	if a, ok := t.atomOf[k]; ok {
		return a, nil
	}
	s, err := t.Env.Of(arg)
	if err != nil {
		return nil, err
	}
	base := map[ast.MatKind]string{ast.MatInv: "inv", ast.MatDet: "det", ast.MatLogDet: "logdet"}[kind]
	if sym, ok := arg.(*ast.Sym); ok {
		if kind == ast.MatInv {
			base = sym.Name + "inv"
		} else {
			base += sym.Name
		}
	}
	name := base
	if t.used[name] {
		name = ast.Fresh(base, func(n string) bool { return t.used[n] })
	}
	t.used[name] = true
	a := &Atom{Name: name, Kind: kind, Arg: arg, Size: s.Rows}
	if kind == ast.MatInv {
		t.Env.Decls[name] = ast.MatrixShape(s.Rows, s.Rows)
	} else {
		t.Env.Decls[name] = ast.ScalarShape
	}
	t.atoms = append(t.atoms, a)
	t.atomOf[k] = a
	return a, nil
}

// Atoms returns the atoms made so far, in the order they were made.
func (t *Translator) Atoms() []*Atom { return t.atoms }

// atomEntry is the entry (r, c) of inv(A), det(A) or logdet(A).
func (t *Translator) atomEntry(kind ast.MatKind, arg ast.Expr, r, c ast.Expr) (ast.Expr, error) {
	a, err := t.atom(kind, arg)
	if err != nil {
		return nil, err
	}
	if kind == ast.MatInv {
		return ast.NewIndex(a.Name, r, c), nil
	}
	return ast.NewSym(a.Name), nil
}

// unatom replaces the atoms' names in a matrix expression by what they
// stand for.
func (t *Translator) unatom(e ast.Expr) ast.Expr {
	if len(t.atoms) == 0 {
		return e
	}
	m := map[string]ast.Expr{}
	for _, a := range t.atoms {
		m[a.Name] = a.Expr()
	}
	return ast.Subst(e, m)
}

// wrtName is the name a derivative is taken by: w for w and w[k].
func wrtName(w ast.Expr) string {
	switch w := w.(type) {
	case *ast.Sym:
		return w.Name
	case *ast.Index:
		return w.Name
	}
	return ""
}

// total returns the total derivative of fe, an entry in index form, by
// we, an entry of the variable w: d(fe, we) and a term for each atom of
// fe whose matrix depends on w.
func (t *Translator) total(fe, we ast.Expr, w string) (ast.Expr, error) {
	terms := []ast.Expr{ast.NewDeriv(fe, we)}
	for i := 0; i < len(t.atoms); i++ { // the terms may make atoms
		a := t.atoms[i]
		if !ast.HasFree(fe, a.Name) || !ast.HasFree(t.Defs.Expand(a.Arg), w) {
			continue
		}
		term, err := t.atomTerm(a, fe, we, w)
		if err != nil {
			return nil, err
		}
		terms = append(terms, term)
	}
	return ast.NewAdd(terms...), nil
}

// atomTerm is the term of the total derivative of fe that goes through
// the atom a.
func (t *Translator) atomTerm(a *Atom, fe, we ast.Expr, w string) (ast.Expr, error) {
	sum := func(i ast.Expr, body ast.Expr) ast.Expr {
		return ast.NewSum(ast.OpSum, i.(*ast.Sym).Name, ast.One, a.Size, body)
	}
	p, q := ast.NewSym(t.Fresh()), ast.NewSym(t.Fresh())
	m, err := t.entry(a.Arg, p, q)
	if err != nil {
		return nil, err
	}
	dm, err := t.total(m, we, w)
	if err != nil {
		return nil, err
	}
	if a.Kind == ast.MatInv {
		i, j := ast.NewSym(t.Fresh()), ast.NewSym(t.Fresh())
		z := func(r, c ast.Expr) ast.Expr { return ast.NewIndex(a.Name, r, c) }
		dz := ast.NewNeg(sum(p, sum(q, ast.NewMul(z(i, p), dm, z(q, j)))))
		return sum(i, sum(j, ast.NewMul(ast.NewDeriv(fe, z(i, j)), dz))), nil
	}
	inv, err := t.atom(ast.MatInv, a.Arg)
	if err != nil {
		return nil, err
	}
	// d logdet(A) = tr(inv(A) dA) = sum(p, q, inv(A)[q,p] * dA[p,q])
	dlog := sum(p, sum(q, ast.NewMul(ast.NewIndex(inv.Name, q, p), dm)))
	self := ast.NewSym(a.Name)
	if a.Kind == ast.MatDet {
		return ast.NewMul(ast.NewDeriv(fe, self), self, dlog), nil
	}
	return ast.NewMul(ast.NewDeriv(fe, self), dlog), nil
}

// bindAtoms adds the values of the atoms to b: each matrix is evaluated,
// then factored.
func (t *Translator) bindAtoms(ctx context.Context, b ast.Bindings, opt Options, funcs *ast.Defs, minPivot float64) error {
	values := map[ast.Expr]ast.Value{}
	for _, a := range t.atoms {
		m, ok := values[a.Arg]
		if !ok {
			var err error
			m, err = eval(ctx, a.Arg, b, opt, funcs, minPivot)
			if err != nil {
				return err
			}
			values[a.Arg] = m
		}
		lu, err := factor(ctx, m)
		if err != nil {
			return fmt.Errorf("%s: %w", ast.String(a.Expr()), err)
		}
		if lu.singular(minPivot) && a.Kind != ast.MatDet {
			return fmt.Errorf("%s is undefined at the values given: %s is singular (to working precision)", ast.String(a.Expr()), ast.String(a.Arg))
		}
		switch a.Kind {
		case ast.MatInv:
			b[a.Name] = lu.inverse()
		case ast.MatDet:
			b[a.Name] = ast.Scalar(lu.det())
		case ast.MatLogDet:
			// The sign from the pivots: det(A) itself underflows to 0 for
			// 1e-200*eye(2), whose logdet is -921.03.
			if lu.detSign() <= 0 {
				return fmt.Errorf("%s is undefined at the values given: det(%s) = %s is not positive", ast.String(a.Expr()), ast.String(a.Arg), lu.detString())
			}
			b[a.Name] = ast.Scalar(lu.logdet())
		}
	}
	return nil
}

// An lu is the factorisation P*A = L*U of a square matrix with partial
// pivoting: L (unit lower triangular) and U share a, perm is P as a
// permutation of the rows, and sign is its determinant.
type lu struct {
	n    int
	a    []float64 // row major
	perm []int
	sign float64
	max  float64 // the largest entry of A, in magnitude
}

// factor computes the LU factorisation of m, an n×n value.
func factor(ctx context.Context, m ast.Value) (*lu, error) {
	if len(m.Shape) != 2 || m.Shape[0] != m.Shape[1] {
		return nil, fmt.Errorf("not a square matrix (%v)", m.Shape)
	}
	n := m.Shape[0]
	f := &lu{n: n, a: append([]float64(nil), m.Data...), perm: make([]int, n), sign: 1}
	for i := range f.perm {
		f.perm[i] = i
	}
	for _, x := range f.a {
		f.max = math.Max(f.max, math.Abs(x))
	}
	a := f.a
	for k := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// The largest pivot in column k, at or below the diagonal.
		p := k
		for i := k + 1; i < n; i++ {
			if math.Abs(a[i*n+k]) > math.Abs(a[p*n+k]) {
				p = i
			}
		}
		if p != k {
			for j := range n {
				a[k*n+j], a[p*n+j] = a[p*n+j], a[k*n+j]
			}
			f.perm[k], f.perm[p] = f.perm[p], f.perm[k]
			f.sign = -f.sign
		}
		piv := a[k*n+k]
		if piv == 0 {
			continue // singular: det is 0, and no inverse
		}
		for i := k + 1; i < n; i++ {
			l := a[i*n+k] / piv
			a[i*n+k] = l
			for j := k + 1; j < n; j++ {
				a[i*n+j] -= l * a[k*n+j]
			}
		}
	}
	return f, nil
}

// singular reports whether a pivot is negligible: smaller than minPivot
// (at least n times the unit roundoff) relative to the largest entry.
func (f *lu) singular(minPivot float64) bool {
	tol := math.Max(minPivot, float64(f.n)*0x1p-52) * f.max
	for k := range f.n {
		if math.Abs(f.a[k*f.n+k]) <= tol {
			return true
		}
	}
	return false
}

func (f *lu) det() float64 {
	d := f.sign
	for k := range f.n {
		d *= f.a[k*f.n+k]
	}
	if d == 0 {
		return 0 // not -0
	}
	return d
}

// detSign is the sign of det(A): -1, 0 or 1, read from the pivots, so that
// it is right where det(A) underflows or overflows a float64.
func (f *lu) detSign() float64 {
	s := f.sign
	for k := range f.n {
		switch p := f.a[k*f.n+k]; {
		case p == 0:
			return 0
		case p < 0:
			s = -s
		}
	}
	return s
}

// detString writes det(A) for a message: as a float64 where it is one,
// else in powers of ten from its logarithm (-1e-400).
func (f *lu) detString() string {
	d := f.det()
	if s := f.detSign(); s == 0 || (d != 0 && !math.IsInf(d, 0)) {
		return fmt.Sprintf("%g", d)
	}
	e10 := f.logdet() / math.Ln10
	exp := math.Floor(e10)
	mant := math.Pow(10, e10-exp)
	if f.detSign() < 0 {
		mant = -mant
	}
	return fmt.Sprintf("%.6ge%+d", mant, int(exp))
}

// logdet is log(det(A)) for det(A) > 0, summed in logarithms so that it
// neither overflows nor underflows.
func (f *lu) logdet() float64 {
	s := 0.0
	for k := range f.n {
		s += math.Log(math.Abs(f.a[k*f.n+k]))
	}
	return s
}

// inverse solves A*X = I column by column.
func (f *lu) inverse() ast.Value {
	n := f.n
	out := ast.Value{Shape: []int{n, n}, Data: make([]float64, n*n)}
	x := make([]float64, n)
	for col := range n {
		// P*A*x = P*e_col: forward substitution with L, then back with U.
		for i := range n {
			if f.perm[i] == col {
				x[i] = 1
			} else {
				x[i] = 0
			}
			for j := range i {
				x[i] -= f.a[i*n+j] * x[j]
			}
		}
		for i := n - 1; i >= 0; i-- {
			for j := i + 1; j < n; j++ {
				x[i] -= f.a[i*n+j] * x[j]
			}
			x[i] /= f.a[i*n+i]
		}
		for i := range n {
			out.Data[i*n+col] = x[i]
		}
	}
	return out
}
