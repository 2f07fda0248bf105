package simplify

import (
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// The form a person writes. Tidy turns the canonical form into a display
// form; the display form is then one candidate among the forms the
// algebra verbs make of it (factored, one fraction, expanded, and each of
// these after writing exp(±u) through σ(u)), and the cheapest by Cost is
// shown. Each candidate is an exact rewriting of the same rational
// function of the same atoms, so the value never changes (where the input
// is defined; cancelling a common factor can only extend the domain).

// Rules naming the form chosen, for the last line of a derivation.
var (
	FormFactor   = passRule("form_factor", "take out common factors")
	FormTogether = passRule("form_together", "over a common denominator")
	FormExpand   = passRule("form_expand", "multiply out")
	FormSigma    = passRule("form_sigma", `write e^u through \sigma(u) = 1/(1 + e^{-u})`)
)

// maxReshape bounds the size of an expression whose forms are tried, and
// reshapeWork the coefficient operations spent on each form.
const (
	maxReshape  = 400
	reshapeWork = 50_000
)

// Cost measures how hard a display expression is to read:
//
//   - 1 for every name, number, function and operation written (a sum of
//     n terms or a product of n factors is n - 1 operations, a sum over an
//     index counts 2), and 1 more for every 4 characters of a number
//     beyond its first;
//   - 3 more for a fraction inside a numerator or denominator, at each
//     level of nesting: a/(b/c) costs 3 more than a*c/b;
//   - 3 more for each exp: a named function (σ, softplus) is preferred to
//     the exponentials it stands for.
//
// So 2*(f - y) (cost 5) beats 2*f - 2*y (7): a residual stays grouped,
// and common factors stay taken out unless that costs more than it saves.
func Cost(e ast.Expr) int {
	c := 0
	var walk func(e ast.Expr, depth int)
	walk = func(e ast.Expr, depth int) {
		switch x := e.(type) {
		case *ast.Num:
			c += 1 + (len(x.Value.String())-1)/4 // a long number is read in groups
			if x.Value.Sign() < 0 {
				c++
			}
		case *ast.Sym, *ast.Index:
			c++
		case *ast.Neg:
			c++
			walk(x.X, depth)
		case *ast.Add:
			c += len(x.Terms) - 1
			for _, t := range x.Terms {
				walk(t, depth)
			}
		case *ast.Mul:
			c += len(x.Factors) - 1
			for _, f := range x.Factors {
				walk(f, depth)
			}
		case *ast.Div:
			c += 1 + 3*depth
			walk(x.X, depth+1)
			walk(x.Y, depth+1)
		case *ast.Pow:
			c++
			walk(x.X, depth)
			walk(x.Y, depth)
		case *ast.Call:
			c++
			if x.Fn == "exp" {
				c += 3
			}
			for _, a := range x.Args {
				walk(a, depth)
			}
		case *ast.Sum:
			c += 2
			walk(x.Lo, depth)
			walk(x.Hi, depth)
			walk(x.Body, depth)
		case *ast.Deriv:
			c += 2
			walk(x.X, depth)
			walk(x.Wrt, depth)
		}
	}
	walk(e, 0)
	return c
}

// Reshape returns the cheapest form of a display expression (see Cost),
// with the rule that names it (nil when e itself is cheapest). The bodies
// of sums and the arguments of functions are reshaped first.
func Reshape(e ast.Expr) (ast.Expr, *rules.Rule) {
	memo := map[ast.Expr]ast.Expr{}
	var inner func(ast.Expr) ast.Expr
	inner = func(x ast.Expr) ast.Expr {
		if r, ok := memo[x]; ok {
			return r
		}
		r := x
		switch y := x.(type) {
		case *ast.Sum:
			b, _ := best(inner(y.Body))
			r = ast.NewSum(y.Op, y.Var, y.Lo, y.Hi, b)
		case *ast.Call:
			args := make([]ast.Expr, len(y.Args))
			for i, a := range y.Args {
				args[i], _ = best(inner(a))
			}
			r = ast.NewCall(y.Fn, args...)
		case *ast.Deriv:
		default:
			if kids := ast.Children(x); len(kids) > 0 {
				nk := make([]ast.Expr, len(kids))
				for i, k := range kids {
					nk[i] = inner(k)
				}
				r = ast.WithChildren(x, nk)
			}
		}
		memo[x] = r
		return r
	}
	if e.Size() > maxReshape || ast.HasDeriv(e) {
		return e, nil
	}
	x := inner(e)
	r, rule := best(x)
	if rule == nil && x != e {
		rule = FormFactor // only the inside changed
	}
	return r, rule
}

// best is the cheapest of e and the forms the verbs make of it.
func best(e ast.Expr) (ast.Expr, *rules.Rule) {
	if !reshapeable(e) {
		return e, nil
	}
	out, cost := e, Cost(e)
	var rule *rules.Rule
	try := func(x ast.Expr, forms []*rules.Rule) {
		f, t, x2 := algebra.Forms(x, reshapeWork)
		for i, y := range []ast.Expr{f, t, x2} {
			if y == nil || forms[i] == FormSigma && sigmaBelow(y) {
				continue
			}
			if c := Cost(y); c < cost {
				out, cost, rule = y, c, forms[i]
			}
		}
	}
	try(e, []*rules.Rule{FormFactor, FormTogether, FormExpand})
	if s, ok := sigmaForm(e); ok {
		try(s, []*rules.Rule{FormSigma, FormSigma, FormSigma})
	}
	return out, rule
}

// sigmaForm writes exp(-u) as (1 - σ(u))/σ(u) and exp(u) as
// σ(u)/(1 - σ(u)): identities everywhere, since 0 < σ(u) < 1.
func sigmaForm(e ast.Expr) (ast.Expr, bool) {
	changed := false
	out := ast.Map(e, func(x ast.Expr) ast.Expr {
		c, ok := x.(*ast.Call)
		if !ok || c.Fn != "exp" {
			return x
		}
		changed = true
		u := c.Args[0]
		if n, ok := u.(*ast.Neg); ok {
			s := ast.NewCall("sigma", n.X)
			return ast.NewDiv(ast.NewAdd(ast.One, ast.NewNeg(s)), s)
		}
		s := ast.NewCall("sigma", u)
		return ast.NewDiv(s, ast.NewAdd(ast.One, ast.NewNeg(s)))
	})
	return out, changed
}

// reshapeable reports whether the verbs could change e: it has a sum or an
// exponential outside function arguments and sums over an index (which
// are reshaped on their own).
func reshapeable(e ast.Expr) bool {
	found := false
	var walk func(ast.Expr)
	walk = func(x ast.Expr) {
		if found {
			return
		}
		switch y := x.(type) {
		case *ast.Add:
			found = true
		case *ast.Call:
			found = y.Fn == "exp"
		case *ast.Sum, *ast.Deriv:
		default:
			for _, k := range ast.Children(x) {
				walk(k)
			}
		}
	}
	walk(e)
	return found
}

// sigmaBelow reports whether σ occurs in a denominator: the σ form is a
// gain only where the exponentials cancel into a polynomial in σ (σ(1 − σ),
// σ − y), not where exp(u) becomes σ(u)/(1 − σ(u)).
func sigmaBelow(e ast.Expr) bool {
	found := false
	hasSigma := func(x ast.Expr) bool {
		in := false
		ast.InspectOnce(x, func(y ast.Expr) bool {
			if c, ok := y.(*ast.Call); ok && c.Fn == "sigma" {
				in = true
			}
			return !in
		})
		return in
	}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch y := x.(type) {
		case *ast.Div:
			found = found || hasSigma(y.Y)
		case *ast.Pow:
			if n, ok := y.Y.(*ast.Num); ok && n.Value.Sign() < 0 {
				found = found || hasSigma(y.X)
			}
		}
		return !found
	})
	return found
}
