package derive

import (
	"errors"
	"slices"

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
	"f(relu(u))' = if(u < 0, 0, f'(relu(u))*relu(u)'): relu(u) is constant where u < 0, so the term is 0 there even where f'(0) is undefined (sqrt, cube roots); likewise max(u, c) and min(u, c) and clip(u, lo, hi) with c, lo, hi free of the variable (where c is not a number, at c = 0: if(u < c and c == 0, 0, ...)), and a kink inside a sum, product or quotient with parts free of the variable (sqrt(2*relu(u)))")

// A flatPiece is an open set on which a kink is constant, as a condition
// on its argument, and its value there.
type flatPiece struct{ cond, val ast.Expr }

// flatPart returns the pieces on which a is constant: a kink of one
// argument that depends on v, its other arguments free of v (relu(u),
// max(u, c), clip(u, lo, hi)), or a sum, product, quotient or negation
// whose only part that depends on v is such a kink (2*relu(u), with the
// value 2*0 where u < 0). ok is false for anything else.
func (dv *deriver) flatPart(a ast.Expr) (pieces []flatPiece, ok bool) {
	if p, ok := dv.kinkFlat(a); ok {
		return p, true
	}
	switch a.(type) {
	case *ast.Add, *ast.Mul, *ast.Div, *ast.Neg:
	default:
		return nil, false
	}
	kids := ast.Children(a)
	if !slices.ContainsFunc(kids, isKinkCall) {
		return nil, false // the common case, without asking what depends on v
	}
	at := -1
	for i, k := range kids {
		if dv.dependsOn(k) {
			if at >= 0 {
				return nil, false
			}
			at = i
		}
	}
	if at < 0 {
		return nil, false
	}
	// The other parts must not take the value away where the kink is
	// flat: a kink in a denominator is 0 there (y/relu(x) has no value for
	// x < 0), and so may be a name it is divided by (relu(x)/y at y = 0).
	// A sum takes any part free of v, a product numbers and names, a
	// quotient a number below the kink.
	for i, k := range kids {
		if i == at {
			continue
		}
		switch a.(type) {
		case *ast.Mul:
			switch k.(type) {
			case *ast.Num, *ast.Sym:
			default:
				return nil, false
			}
		case *ast.Div:
			if _, num := k.(*ast.Num); !num || at != 0 {
				return nil, false
			}
		}
	}
	inner, ok := dv.kinkFlat(kids[at])
	if !ok {
		return nil, false
	}
	for i, p := range inner {
		nk := slices.Clone(kids)
		nk[at] = p.val
		inner[i].val = ast.WithChildren(a, nk)
	}
	return inner, true
}

// isKinkCall reports whether e is a call of a kink with a flat part.
func isKinkCall(e ast.Expr) bool {
	c, ok := e.(*ast.Call)
	return ok && (c.Fn == "relu" || c.Fn == "max" || c.Fn == "min" || c.Fn == "clip")
}

// kinkFlat is flatPart for a kink itself.
func (dv *deriver) kinkFlat(a ast.Expr) ([]flatPiece, bool) {
	c, isCall := a.(*ast.Call)
	if !isCall {
		return nil, false
	}
	free := func(e ast.Expr) bool { return !dv.dependsOn(e) }
	switch {
	case c.Fn == "relu" && len(c.Args) == 1:
		return []flatPiece{{ast.NewCompare(ast.CondLt, c.Args[0], ast.Zero), ast.Zero}}, true
	case (c.Fn == "max" || c.Fn == "min") && len(c.Args) == 2:
		u, k := c.Args[0], c.Args[1]
		if free(u) {
			u, k = k, u
		}
		if !free(k) || free(u) {
			return nil, false
		}
		op := ast.CondLt // max(u, k) is k where u < k
		if c.Fn == "min" {
			op = ast.CondGt
		}
		return []flatPiece{{ast.NewCompare(op, u, k), k}}, true
	case c.Fn == "clip" && len(c.Args) == 3 && free(c.Args[1]) && free(c.Args[2]) && !free(c.Args[0]):
		u, lo, hi := c.Args[0], c.Args[1], c.Args[2]
		// clip(u, lo, hi) is lo where u < lo only where lo <= hi (else it
		// is hi everywhere): numbers are compared here, names in the
		// condition.
		ln, lok := lo.(*ast.Num)
		hn, hok := hi.(*ast.Num)
		// Where lo > hi, clip(u, lo, hi) = min(max(u, lo), hi) is hi for
		// every u: flat everywhere.
		if lok && hok {
			if ln.Value.Cmp(hn.Value) > 0 {
				return []flatPiece{{ast.NewCompare(ast.CondGt, lo, hi), hi}}, true
			}
			return []flatPiece{{ast.NewCompare(ast.CondLt, u, lo), lo}, {ast.NewCompare(ast.CondGt, u, hi), hi}}, true
		}
		ordered := ast.NewCompare(ast.CondLe, lo, hi)
		return []flatPiece{{ast.NewAnd(ast.NewCompare(ast.CondLt, u, lo), ordered), lo}, {ast.NewAnd(ast.NewCompare(ast.CondGt, u, hi), ordered), hi}, {ast.NewCompare(ast.CondGt, lo, hi), hi}}, true
	}
	return nil, false
}

// throughFlat wraps the chain rule's term for the argument a of f, whose
// value and derivative at a value are f(value) and fprime(value), in
// if(cond, 0, term) when a has a flat part and f' is undefined at one of
// its values there, f being defined at all of them: where f itself has
// no value (log(relu(x)) for x < 0) neither has its derivative, and the
// term is left as the chain rule writes it. A value that is not a number
// (max(u, c) with c a name) is taken only where it is 0, and only when f
// is defined at 0 and f' is not (roots): cond is then u < c and c == 0;
// elsewhere the term stands, undefined where f(c) or f'(c) is, 0 where
// both are defined.
func (dv *deriver) throughFlat(a ast.Expr, f, fprime func(val ast.Expr) ast.Expr, term ast.Expr) (ast.Expr, bool) {
	pieces, ok := dv.flatPart(a)
	if !ok || !dv.dependsOn(a) {
		return term, false
	}
	var conds []ast.Expr
	for _, p := range pieces {
		val, cond := p.val, p.cond
		if ast.HasFreeNames(val) {
			val, cond = ast.Zero, ast.NewAnd(p.cond, ast.NewCompare(ast.CondEq, p.val, ast.Zero))
		}
		if _, err := ast.Eval(f(val), nil, nil); err != nil {
			if val != p.val {
				continue // f undefined at 0: nothing to take out
			}
			return term, false // f undefined there, or not known to be defined
		}
		_, err := ast.Eval(fprime(val), nil, nil)
		var de *ast.DomainError
		if errors.As(err, &de) {
			conds = append(conds, cond)
		}
	}
	switch len(conds) {
	case 0:
		return term, false
	case 1:
		return ast.NewIf(conds[0], ast.Zero, term), true
	}
	return ast.NewIf(ast.NewOr(conds...), ast.Zero, term), true
}

// flatArg reports whether some argument of x that depends on v is a kink
// with a flat part (direct leaves such calls and powers to the layer).
func (dv *deriver) flatArg(args ...ast.Expr) bool {
	for _, a := range args {
		if _, ok := dv.flatPart(a); ok && dv.dependsOn(a) {
			return true
		}
	}
	return false
}
