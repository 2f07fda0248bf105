package derive

import (
	"errors"

	"github.com/symdiff/symdiff/ast"
)

// The derivative of a function of step or sign where the function has no
// value. step(u) and sign(u) are flat wherever they are continuous, so
// d(step(u), v) is 0 and the chain rule makes d(1/step(x), x) 0 at every
// x, x < 0 included, where 1/step(x) = 1/0 has no value: a derivative
// where there is no function. (relu keeps its zero set in the result:
// d(1/relu(x), x) = -step(x)/relu(x)^2 has no value where relu(x) = 0.)
// So where e depends on v only through one step(u) or sign(u) and one of
// the values e takes has none (1/0, log(0), sqrt(0 - 1)), d(e, v) is
// written piece by piece, if(u > 0, 0, 1/0 - 1/0) for 1/step(u): 0 where e
// has a value, and the piece with no value where e has none, which eval
// refuses and simplify reports with where it is undefined.

// flatDomain returns d(e, v), 0 as the chain rule found, in the piecewise
// form above when e depends on v only through one step(u) or sign(u) and
// one of e's values has none. ok is false when the plain 0 stands.
func (dv *deriver) flatDomain(e ast.Expr) (ast.Expr, bool) {
	if ast.HasSum(e) || ast.HasDeriv(e) {
		return nil, false // bound indices and inner derivatives: not looked into
	}
	var kink *ast.Call
	many := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if c, ok := x.(*ast.Call); ok && (c.Fn == "step" || c.Fn == "sign") && len(c.Args) == 1 && dv.dependsOn(c) {
			if kink != nil && kink != c {
				many = true
			}
			kink = c
			return false
		}
		return !many
	})
	if kink == nil || many || ast.Expr(kink) == e {
		return nil, false
	}
	at := func(val ast.Expr) ast.Expr {
		return ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
			if x == ast.Expr(kink) {
				return val, true
			}
			return nil, false
		})
	}
	u := kink.Args[0]
	values := []ast.Expr{ast.One, ast.Zero} // step: u > 0, else
	if kink.Fn == "sign" {
		values = []ast.Expr{ast.One, ast.MinusOne, ast.Zero} // u > 0, u < 0, else
	}
	pieces := make([]ast.Expr, len(values))
	undefined := false
	for i, val := range values {
		p := cleanTree(at(val)) // as the steps write it: 1*u is u, 0*u is 0
		if dv.dependsOn(p) {
			return nil, false // v also outside the kink
		}
		pieces[i] = ast.Zero
		if noValue(p, dv.opt.Defs) {
			// p - p: 0 where p has a value, none where p has none; a
			// factor 0 would be cleaned away (cleanTree).
			pieces[i] = ast.NewAdd(p, ast.NewNeg(p))
			undefined = true
		}
	}
	if !undefined {
		return nil, false
	}
	r := pieces[len(pieces)-1]
	if kink.Fn == "sign" {
		r = ast.NewIf(ast.NewCompare(ast.CondLt, u, ast.Zero), pieces[1], r)
	}
	return ast.NewIf(ast.NewCompare(ast.CondGt, u, ast.Zero), pieces[0], r), true
}

// noValue reports whether p, free of the variable, has no value at two
// points (its names at 1.5 and at -0.75): 1/0, log(y*0). Any other
// failure (an array, an unknown function) says nothing.
func noValue(p ast.Expr, defs *ast.Defs) bool {
	names := ast.FreeNames(p)
	for _, x := range []float64{1.5, -0.75} {
		b := ast.Bindings{}
		for _, n := range names {
			b[n] = ast.Scalar(x)
		}
		_, err := ast.Eval(p, defs, b)
		var de *ast.DomainError
		if !errors.As(err, &de) {
			return false
		}
	}
	return true
}
