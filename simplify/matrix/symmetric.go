package matrix

import (
	"context"
	"fmt"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Derivatives by a symmetric matrix. A name declared S : symmetric(n) is
// a square matrix with S' = S, so its entries are not independent, and
// "the derivative by S" needs a convention. symdiff follows
// MatrixCalculus.org and PyTorch: the gradient G of f with the entries of
// S taken as independent (the unconstrained gradient), symmetrised:
// (G + G')/2. It is the one symmetric matrix R with
//
//	d/dt f(S + t*E) at t = 0  =  tr(R'*E)  =  sum(R .* E)
//
// for every symmetric direction E, which is what the tests check with
// finite differences: the gradient for the trace inner product on
// symmetric matrices (Srinivasan and Panda, arXiv:1911.06491). Where G is already symmetric on symmetric inputs
// (the Gaussian log-likelihood), R = G. The Matrix Cookbook's structured
// derivative (its section 2.8, 2*G - diag(G) for a symmetric G) counts
// each off-diagonal entry once, and is not this gradient.

// Convention is the note stated with a derivative by a symmetric matrix.
const Convention = "%s is symmetric: the result R is the gradient G with the entries of %s taken as independent, symmetrised, (G + G')/2, as MatrixCalculus.org and PyTorch take it; d f(%s + t*E)/dt = sum(R .* E) for a symmetric E, and the Matrix Cookbook's structured derivative is 2*R - diag(diag(R))"

// RuleSymmetricGradient is the step that symmetrises the gradient by a
// symmetric matrix.
var RuleSymmetricGradient = &rules.Rule{Name: "symmetric_gradient", Kind: rules.Calculus, Source: matSource,
	Doc:  "the gradient by a symmetric matrix is the unconstrained gradient, symmetrised",
	Text: symmetricGradientText}

// symmetricGradientText states RuleSymmetricGradient and RuleSymmetrised: a
// constant, so that both rules are data (a copy of one's field into the
// other is work at every start).
const symmetricGradientText = "d(f, S) = (G + G')/2 for S declared symmetric(n), where G is the gradient with the entries of S taken as independent; = G when G' = G"

// symmetricGradient reports whether e is d(f, S) of a scalar f by a name
// S declared symmetric.
func symmetricGradient(e ast.Expr, t *Translator) (*ast.Deriv, bool) {
	d, ok := e.(*ast.Deriv)
	if !ok {
		return nil, false
	}
	s, ok := d.Wrt.(*ast.Sym)
	if !ok || !t.Env.Decls[s.Name].Symmetric {
		return nil, false
	}
	sf, err := t.Env.Of(d.X)
	return d, err == nil && sf.IsScalar()
}

// isSymmetricWrt reports whether w is a name declared symmetric.
func (t *Translator) isSymmetricWrt(w ast.Expr) bool {
	s, ok := w.(*ast.Sym)
	return ok && t.Env.Decls[s.Name].Symmetric
}

// symmetrise returns (d(fe, S[r,c]) + d(fe, S[c,r]))/2 in index form: the
// entry (r, c) of the symmetrised gradient.
func (t *Translator) symmetrise(fe ast.Expr, w ast.Expr, r, c ast.Expr) (ast.Expr, error) {
	sw, err := t.Env.Of(w)
	if err != nil {
		return nil, err
	}
	name := wrtName(w)
	a, err := entryOf(name, sw, r, c)
	if err != nil {
		return nil, err
	}
	b, err := entryOf(name, sw, c, r)
	if err != nil {
		return nil, err
	}
	ga, err := t.total(fe, a, name)
	if err != nil {
		return nil, err
	}
	gb, err := t.total(fe, b, name)
	if err != nil {
		return nil, err
	}
	return ast.NewDiv(ast.NewAdd(ga, gb), ast.Two), nil
}

// simplifySymmetric works out d(f, S) for a symmetric S: the
// unconstrained gradient G in matrix notation, then G itself when G' = G
// is proved (or reads so), else (G + G')/2. Without a matrix form, the
// entry is symmetrised in index form.
func simplifySymmetric(ctx context.Context, e ast.Expr, d *ast.Deriv, opt Options) (*Result, error) {
	t, s, idx, sizes, err := newFor(e, opt)
	if err != nil {
		return nil, err
	}
	t.unconstrained = true
	r, err := simplifyAt(ctx, e, t, s, idx, sizes, opt)
	if err != nil {
		return nil, err
	}
	name := d.Wrt.(*ast.Sym).Name
	r.Convention = fmt.Sprintf(Convention, name, name, name)
	r.Notes = append(r.Notes, r.Convention)
	if r.Value == nil {
		t2, s2, idx2, sizes2, err := newFor(e, opt)
		if err != nil {
			return nil, err
		}
		r2, err := simplifyAt(ctx, e, t2, s2, idx2, sizes2, opt)
		if err != nil {
			return nil, err
		}
		r2.Convention = r.Convention
		return r2, nil // r2.Note() states the convention
	}
	g := r.Value
	id := &identities{ctx: ctx, env: t.Env, memo: map[ast.Expr]ast.Expr{}}
	ast.InspectOnce(t.inline(e), func(x ast.Expr) bool {
		if a, ok := x.(*ast.Add); ok && id.nonScalar(a) {
			id.like = append(id.like, a)
		}
		return true
	})
	if id.symmetric(g) {
		return r, nil // symmetric by its form
	}
	gt := id.rewrite(id.transposeIn(g))
	if gt == g {
		return r, nil
	}
	pr, err := Prove(ctx, g, gt, opt)
	if err != nil {
		return nil, err
	}
	if pr.Verdict == prove.Proved {
		return r, nil
	}
	sym := ast.NewDiv(ast.NewAdd(g, gt), ast.Two)
	id.steps = nil
	out := id.rewrite(sym)
	step := rules.Step{Rule: RuleSymmetricGradient, Before: g, After: sym}
	if len(id.steps) > 0 {
		step.Sub = id.steps
	}
	r.Symmetrised = step
	r.Value = out
	return r, nil
}

// transposeIn writes e' with the transpose taken inside products, sums,
// multiples and element-wise operations: (A*B)' = B'*A'.
func (id *identities) transposeIn(e ast.Expr) ast.Expr {
	if !id.nonScalar(e) {
		return e
	}
	switch x := e.(type) {
	case *ast.MatOp:
		switch x.Kind {
		case ast.MatTranspose:
			return x.Args[0]
		case ast.MatMul:
			fs := make([]ast.Expr, len(x.Args))
			for i, f := range x.Args {
				fs[len(fs)-1-i] = id.transposeIn(f)
			}
			return ast.NewMatMul(fs...)
		case ast.MatHadamard, ast.MatElemDiv:
			return ast.NewMatOp(x.Kind, id.transposeIn(x.Args[0]), id.transposeIn(x.Args[1]))
		case ast.MatElemPow:
			return ast.NewMatOp(x.Kind, id.transposeIn(x.Args[0]), x.Args[1])
		}
	case *ast.Neg:
		return ast.NewNeg(id.transposeIn(x.X))
	case *ast.Add:
		if s, _ := id.shapeOf(e); s.IsVector() || s.IsRow() {
			return ast.NewTranspose(e) // (x - mu)', not x' - mu'
		}
		ts := make([]ast.Expr, len(x.Terms))
		for i, t := range x.Terms {
			ts[i] = id.transposeIn(t)
		}
		return ast.NewAdd(ts...)
	case *ast.Mul:
		fs := slices.Clone(x.Factors)
		for i, f := range fs {
			fs[i] = id.transposeIn(f)
		}
		return ast.NewMul(fs...)
	case *ast.Div:
		return ast.NewDiv(id.transposeIn(x.X), x.Y)
	case *ast.Call:
		as := make([]ast.Expr, len(x.Args))
		for i, a := range x.Args {
			as[i] = id.transposeIn(a)
		}
		return ast.NewCall(x.Fn, as...)
	}
	return ast.NewTranspose(e)
}
