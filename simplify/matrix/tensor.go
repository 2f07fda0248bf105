package matrix

import (
	"context"
	"errors"
	"fmt"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// ErrNoMatrix says that a derivative has entries with more than two
// indices (a matrix by a matrix, a matrix by a vector, a vector by a
// matrix): it has no matrix form, and is given in index form.
var ErrNoMatrix = errors.New("no matrix form")

// tensor works out d(F, X) or jacobian(F, x) whose entries have three or
// four indices: the entry d(F[i,j], X[k,l]) in index form.
func tensor(ctx context.Context, e ast.Expr, opt Options) (*Result, error) {
	var f, w ast.Expr
	switch x := e.(type) {
	case *ast.Deriv:
		f, w = x.X, x.Wrt
	case *ast.MatOp:
		f, w = x.Args[0], x.Args[1]
	default:
		return nil, fmt.Errorf("no derivative to work out in %s", ast.String(e))
	}
	t := NewTranslator(opt.Decls, opt.Simplify.Defs)
	t.Use(e)
	sf, err := t.Shape(f)
	if err != nil {
		return nil, err
	}
	sw, err := t.Shape(w)
	if err != nil {
		return nil, err
	}
	if _, ok := w.(*ast.Sym); !ok {
		return nil, fmt.Errorf("differentiate with respect to a declared name, not %s", ast.String(w))
	}
	var idx []string
	var sizes []ast.Expr
	index := func(n ast.Expr, name string) ast.Expr {
		if n == ast.One {
			return nil
		}
		if t.used[name] {
			name = t.Fresh()
		}
		t.used[name] = true
		idx, sizes = append(idx, name), append(sizes, n)
		return ast.NewSym(name)
	}
	fi, fj := index(sf.Rows, "i"), index(sf.Cols, "j")
	wk, wl := index(sw.Rows, "k"), index(sw.Cols, "l")
	fe, err := t.Entry(f, fi, fj)
	if err != nil {
		return nil, err
	}
	we, err := t.wrtEntry(w, wk, wl)
	if err != nil {
		return nil, err
	}
	var entry ast.Expr
	if t.isSymmetricWrt(w) {
		entry, err = t.symmetrise(fe, w, wk, wl)
	} else {
		entry, err = t.total(fe, we, wrtName(w))
	}
	if err != nil {
		return nil, err
	}
	res, err := simplify.Simplify(ctx, entry, scalarOptions(t, opt.Simplify))
	if err != nil {
		return nil, err
	}
	r := &Result{Input: e, Indices: idx, Sizes: sizes, Entry: entry, Simplified: res, Atoms: t.Atoms()}
	if t.isSymmetricWrt(w) {
		r.Convention = fmt.Sprintf(Convention, wrtName(w), wrtName(w), wrtName(w))
	}
	r.NoForm = fmt.Errorf("%w: the derivative of %s (%s) by %s (%s) has %d indices", ErrNoMatrix, ast.String(f), sf, ast.String(w), sw, len(idx))
	return r, nil
}
