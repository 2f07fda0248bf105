package derive

import (
	"errors"

	"github.com/symdiff/symdiff/ast"
)

// The chain rule through a flat piece. relu(u) is 0 on the open set
// u < 0, so f(relu(u)) is constant there and its derivative is 0. The
// chain rule writes f'(relu(u))*step(u)*u', which is 0 times f'(0) there:
// undefined when f' is undefined at 0 (sqrt, cube roots), so that
// sqrt(relu(x))' would be undefined on the whole half-line where the
// function is flat. Where f' at the flat value is undefined, the term is
// written if(u < 0, 0, f'(relu(u))*d(relu(u), v)): 0 on the open set,
// the chain rule elsewhere. At u = 0 itself the chain rule's term stays,
// so a point where f is not differentiable stays undefined. Where f' is
// defined at the flat value the chain rule's term is already 0 there, and
// it is left as it is (relu(x)^2 stays 2*relu(x)).

// RuleFlatChain is the chain rule with the flat part of a kink taken out.
var RuleFlatChain = calc("chain_rule_flat_piece", "chain rule through a flat piece",
	"f(relu(u))' = if(u < 0, 0, f'(relu(u))*relu(u)'): relu(u) is constant where u < 0, so the term is 0 there even where f'(0) is undefined (sqrt, cube roots); likewise max(u, c) and min(u, c) with a number c, and clip(u, lo, hi) with numbers lo, hi")

// flatPart returns the open set on which the kink a is constant, as a
// condition on its argument, and the values it takes there. ok is false
// when a is not a kink of one argument that depends on v with numbers for
// its other arguments.
func (dv *deriver) flatPart(a ast.Expr) (cond ast.Expr, vals []ast.Expr, ok bool) {
	c, isCall := a.(*ast.Call)
	if !isCall {
		return nil, nil, false
	}
	num := func(e ast.Expr) bool { _, ok := e.(*ast.Num); return ok }
	switch {
	case c.Fn == "relu" && len(c.Args) == 1:
		return ast.NewCompare(ast.CondLt, c.Args[0], ast.Zero), []ast.Expr{ast.Zero}, true
	case (c.Fn == "max" || c.Fn == "min") && len(c.Args) == 2:
		u, k := c.Args[0], c.Args[1]
		if num(u) {
			u, k = k, u
		}
		if !num(k) || num(u) {
			return nil, nil, false
		}
		op := ast.CondLt // max(u, k) is k where u < k
		if c.Fn == "min" {
			op = ast.CondGt
		}
		return ast.NewCompare(op, u, k), []ast.Expr{k}, true
	case c.Fn == "clip" && len(c.Args) == 3 && num(c.Args[1]) && num(c.Args[2]) && !num(c.Args[0]):
		u, lo, hi := c.Args[0], c.Args[1], c.Args[2]
		return ast.NewOr(ast.NewCompare(ast.CondLt, u, lo), ast.NewCompare(ast.CondGt, u, hi)), []ast.Expr{lo, hi}, true
	}
	return nil, nil, false
}

// throughFlat wraps the chain rule's term for the argument a of f, whose
// value and derivative at a value are f(value) and fprime(value), in
// if(cond, 0, term) when a has a flat part and f' is undefined at one of
// its values there, f being defined at all of them: where f itself has
// no value (log(relu(x)) for x < 0) neither has its derivative, and the
// term is left as the chain rule writes it.
func (dv *deriver) throughFlat(a ast.Expr, f, fprime func(val ast.Expr) ast.Expr, term ast.Expr) (ast.Expr, bool) {
	cond, vals, ok := dv.flatPart(a)
	if !ok || !dv.dependsOn(a) {
		return term, false
	}
	undefined := false
	for _, val := range vals {
		if _, err := ast.Eval(f(val), nil, nil); err != nil {
			return term, false // f undefined there, or not known to be defined
		}
		_, err := ast.Eval(fprime(val), nil, nil)
		var de *ast.DomainError
		undefined = undefined || errors.As(err, &de)
	}
	if undefined {
		return ast.NewIf(cond, ast.Zero, term), true
	}
	return term, false
}

// flatArg reports whether some argument of x that depends on v is a kink
// with a flat part (direct leaves such calls and powers to the layer).
func (dv *deriver) flatArg(args ...ast.Expr) bool {
	for _, a := range args {
		if _, _, ok := dv.flatPart(a); ok && dv.dependsOn(a) {
			return true
		}
	}
	return false
}
