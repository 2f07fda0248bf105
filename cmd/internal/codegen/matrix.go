package codegen

import (
	"context"
	"fmt"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// Losses in matrix notation (X : matrix(n, d), CE := -mean(y .* log(
// sigma(X*w)) + ...)) are translated to index form by package
// simplify/matrix, and the code is generated from that: X*w at row i is
// sum(j=1..d, X[i,j]*w[j]), which the NumPy emitter writes back as X @ w.
// A variable declared as a vector or a matrix (--wrt w) is differentiated
// entry by entry (w[k]). The gradient in matrix form, as d(CE, w) prints
// it, goes into the header, and gradcheck checks that form: it is
// translated to index form again and evaluated, independently of the
// index-form derivative the code computes.

// A matrixForm is what a loss in matrix notation keeps from before its
// translation.
type matrixForm struct {
	loss  ast.Expr   // as written, definitions opened
	names []string   // per variable: the name as given (w), "" for a scalar
	grads []ast.Expr // per variable: d(loss, w) in matrix notation; nil when none was found
	hess  []ast.Expr // per variable: hessian(loss, w) in matrix notation (vectors only); nil otherwise
	// gradEntry and hessEntry are those forms translated back to index
	// form, at the variable's indices (and the second derivative's).
	gradEntry []ast.Expr
	hessEntry []ast.Expr
	t         *matrix.Translator
	opt       matrix.Options
}

// matrixNotation reports whether the loss, with its definitions opened,
// is written in matrix notation: it mentions a declared vector or matrix.
func matrixNotation(en Engine, loss ast.Expr) bool {
	if len(en.Decls) == 0 {
		return false
	}
	return matrix.NewTranslator(en.Decls, en.Defs).Involved(loss)
}

// wholeArrays reports whether a variable is a declared vector or matrix
// named whole (--wrt w): it is differentiated entry by entry, as for a
// loss in matrix notation, even when the loss indexes it (w[j]).
func wholeArrays(en Engine, wrt []ast.Expr) bool {
	for _, w := range wrt {
		if s, ok := en.Decls[w2name(w)]; ok && !s.IsScalar() {
			return true
		}
	}
	return false
}

// indexForm translates a loss in matrix notation, and its variables, to
// index form; it returns the engine to use on the result (its definitions
// of matrix expressions dropped, as they are opened in the loss).
func indexForm(en Engine, loss ast.Expr, wrt []ast.Expr) (Engine, ast.Expr, []ast.Expr, *matrixForm, error) {
	t := matrix.NewTranslator(en.Decls, en.Defs)
	t.Use(loss)
	t.Use(en.allDefs().Expand(loss)) // the sums' names in scalar definitions too
	for _, w := range wrt {
		t.Use(w)
	}
	s, err := t.Shape(loss)
	if err != nil {
		return en, nil, nil, nil, err
	}
	if !s.IsScalar() {
		return en, nil, nil, nil, errorf("the loss %s is %s, not a number: code is generated for a scalar loss (sum it, as in sum(v), or take a norm)", ast.String(loss), s)
	}
	// The code and the check draw and perturb the entries of a matrix
	// independently; a symmetric matrix's results are simplified with
	// S' = S (and d(f, S) is symmetrised), so they would not agree.
	for _, n := range ast.FreeNames(en.allDefs().Expand(loss)) {
		if s := en.Decls[n]; s.Symmetric {
			return en, nil, nil, nil, errorf("%s is declared symmetric(%s): code generation and gradient checks take the entries of a matrix as independent and do not handle symmetric matrices yet; declare %s : matrix(%s, %s) instead", n, ast.String(s.Rows), n, ast.String(s.Rows), ast.String(s.Rows))
		}
	}
	entry, err := t.Entry(loss, nil, nil)
	if err != nil {
		return en, nil, nil, nil, err
	}
	// inv(A), det(A) and logdet(A) stand in index form as names of their
	// own (Ainv[i,j], detA): the code would read them as inputs and the
	// check would hold them fixed while it perturbs A.
	if atoms := t.Atoms(); len(atoms) > 0 {
		a := atoms[0]
		return en, nil, nil, nil, errorf("the loss has %s: code generation and gradient checks do not handle inv, det and logdet yet (they would take %s as an input of its own, not computed from %s)", ast.String(a.Expr()), ast.String(a.Expr()), ast.String(a.Arg))
	}
	mf := &matrixForm{t: t, opt: matrix.Options{Decls: en.Decls, Simplify: simplify.Options{Defs: en.Defs, Rules: en.Rules}}}
	mf.loss = loss
	if en.Defs != nil {
		mf.loss = en.Defs.ExpandIf(loss, func(name string) bool {
			d, ok := en.Defs.Lookup(name)
			return ok && t.Involved(d.Body)
		})
	}
	var out []ast.Expr
	for _, w := range wrt {
		sym, ok := w.(*ast.Sym)
		ws, declared := en.Decls[w2name(w)]
		if !ok || !declared || ws.IsScalar() {
			out = append(out, w)
			mf.names = append(mf.names, "")
			continue
		}
		var idx []ast.Expr
		for _, n := range []ast.Expr{ws.Rows, ws.Cols} {
			if n != nil && n != ast.One {
				idx = append(idx, ast.NewSym(t.Fresh()))
			}
		}
		out = append(out, ast.NewIndex(sym.Name, idx...))
		mf.names = append(mf.names, sym.Name)
	}
	// The index form needs no matrix definitions: they are opened.
	ien := Engine{Rules: en.Rules}
	if en.Defs != nil {
		ien.Defs = &ast.Defs{}
		for _, d := range en.Defs.All() {
			if d.Kind == ast.DefScalar && t.Involved(d.Body) {
				continue
			}
			_ = ien.Defs.Define(d)
		}
	}
	return ien, entry, out, mf, nil
}

// w2name returns the name of a variable written as a name.
func w2name(w ast.Expr) string {
	if s, ok := w.(*ast.Sym); ok {
		return s.Name
	}
	return ""
}

// derive works out the gradients (and, for a vector, the Hessian) in
// matrix notation, and their entries in index form at the indices that
// analysis chose for each variable.
func (mf *matrixForm) derive(ctx context.Context, en Engine, p *problem, hessian bool) error {
	mf.grads = make([]ast.Expr, len(p.wrt))
	mf.hess = make([]ast.Expr, len(p.wrt))
	mf.gradEntry = make([]ast.Expr, len(p.wrt))
	mf.hessEntry = make([]ast.Expr, len(p.wrt))
	for a, w := range p.wrt {
		name := mf.names[a]
		if name == "" {
			continue
		}
		for _, k := range append(append([]string{}, w.idx...), w.hidx...) {
			mf.t.Use(ast.NewSym(k))
		}
		v := ast.NewSym(name)
		g, err := matrix.Simplify(ctx, ast.NewDeriv(mf.loss, v), mf.opt)
		if err != nil {
			return fmt.Errorf("d(loss, %s) in matrix notation: %w", name, err)
		}
		if g.Value == nil {
			continue // the code and the check use the index form
		}
		mf.grads[a] = g.Value
		e, err := mf.entry(en, g.Value, w.idx)
		if err != nil {
			return err
		}
		mf.gradEntry[a] = e
		if !hessian || len(w.idx) != 1 {
			continue
		}
		h, err := matrix.Simplify(ctx, ast.NewMatOp(ast.MatHessian, mf.loss, v), mf.opt)
		if err != nil {
			return fmt.Errorf("hessian(loss, %s) in matrix notation: %w", name, err)
		}
		if h.Value == nil {
			continue
		}
		mf.hess[a] = h.Value
		if mf.hessEntry[a], err = mf.entry(en, h.Value, append(append([]string{}, w.idx...), w.hidx...)); err != nil {
			return err
		}
	}
	return nil
}

// entry translates a matrix expression to index form at the given
// indices, with the definitions the evaluator needs opened.
func (mf *matrixForm) entry(en Engine, v ast.Expr, idx []string) (ast.Expr, error) {
	var r, c ast.Expr
	if len(idx) > 0 {
		r = ast.NewSym(idx[0])
	}
	if len(idx) > 1 {
		c = ast.NewSym(idx[1])
	}
	e, err := mf.t.Entry(v, r, c)
	if err != nil {
		return nil, fmt.Errorf("%s in index form: %w", ast.String(v), err)
	}
	return en.allDefs().Expand(e), nil
}

// describe says, for the header comment, what was asked in matrix
// notation.
func (mf *matrixForm) describe(show func(ast.Expr) string) []string {
	var lines []string
	if _, isName := mf.loss.(*ast.Sym); !isName { // a name of a loss in index form is opened below
		lines = append(lines, "loss = "+show(mf.loss))
	}
	for a, name := range mf.names {
		if name == "" {
			continue
		}
		if g := mf.grads[a]; g != nil {
			lines = append(lines, fmt.Sprintf("d(loss, %s) = %s", name, show(g)))
		}
		if h := mf.hess[a]; h != nil {
			lines = append(lines, fmt.Sprintf("hessian(loss, %s) = %s", name, show(h)))
		}
	}
	return append(lines, "in index form:")
}

// checked puts the entries of the matrix forms in place of the index-form
// derivatives that gradcheck evaluates, and says which forms those are.
// A variable with no matrix form keeps its index-form derivative.
func (mf *matrixForm) checked(p *problem) []string {
	var lines []string
	show := p.en.shower()
	for a, name := range mf.names {
		if name == "" {
			continue
		}
		if e := mf.gradEntry[a]; e != nil {
			p.symbolic[a] = e
			lines = append(lines, fmt.Sprintf("d(loss, %s) = %s", name, show(mf.grads[a])))
		} else {
			lines = append(lines, fmt.Sprintf("d(loss, %s): no matrix form found; its index form is checked", name))
		}
		if p.symHess == nil {
			continue
		}
		if e := mf.hessEntry[a]; e != nil {
			p.symHess[a][a] = e
			lines = append(lines, fmt.Sprintf("hessian(loss, %s) = %s", name, show(mf.hess[a])))
		}
	}
	return lines
}
