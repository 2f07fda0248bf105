// Package derive differentiates expressions symbolically.
//
// Differentiation is a set of named rules, each of which takes d(E, v) one
// layer down: linearity pushes d through sums, the product, quotient and
// power rules through their operators, the chain rule through a function
// using the function's derivative rule from package rules, and definitions
// are opened where they depend on v. D applies the rules recursively with
// a memo table over the hash-consed tree, so shared subexpressions are
// differentiated once; Steps applies them a layer at a time and records
// each application, which is what a derivation prints. Both use the same
// rule functions, so the steps cannot disagree with the result.
package derive

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Rule names, as traces show them.
const (
	RuleConst      = "constant"                 // d(c, v) = 0
	RuleVar        = "derivative of a variable" // d(v, v) = 1, d(w[j], w[k]) = delta(j,k)
	RuleDef        = "definition"               // open a defined name that depends on v
	RuleLinear     = "linearity"                // sums, means, differences, constant factors
	RuleProduct    = "product rule"             // (uv)' = u'v + uv'
	RuleQuotient   = "quotient rule"            // (u/w)' = (u'w - uw')/w^2
	RulePower      = "power rule"               // (u^c)' = c u^(c-1) u'
	RuleExpRule    = "exponential"              // (c^u)' = c^u log(c) u'
	RuleGenPower   = "general power"            // (u^w)' = u^w (w' log u + w u'/u)
	RuleChain      = "chain rule"               // f(u)' = f'(u) u', with f' from the rules
	RuleNestedDiff = "derivative of a derivative"
)

// Options configure differentiation.
type Options struct {
	Defs  *ast.Defs  // definitions in force; may be nil
	Rules *rules.Set // derivative rules; nil means rules.Builtin()
	Ctx   context.Context
}

// An Error says why an expression cannot be differentiated.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// ErrTooLarge reports a derivative beyond the size limit.
var ErrTooLarge = errors.New("derivative too large")

// MaxNodes bounds the number of distinct nodes a derivative may create.
const MaxNodes = 50_000_000

// D returns the derivative of e with respect to v (a name, or an indexed
// name with index variables or numbers). The result is not simplified.
// Derivatives written inside e, d(E, u), are evaluated first.
func D(e, v ast.Expr, opt Options) (ast.Expr, error) {
	dv, err := newDeriver(v, opt)
	if err != nil {
		return nil, err
	}
	e, err = Expand(e, opt)
	if err != nil {
		return nil, err
	}
	return dv.d(e)
}

// Expand evaluates every derivative d(E, v) written in e, innermost first.
func Expand(e ast.Expr, opt Options) (ast.Expr, error) {
	return rewriteDerivs(e, true, func(d *ast.Deriv) (ast.Expr, error) {
		return D(d.X, d.Wrt, opt)
	})
}

// rewriteDerivs rebuilds the parts of e that hold derivatives, replacing
// a derivative d by f(d); f returns nil to leave d and look inside it.
// With inner, the derivatives inside d are rewritten before d is. Each
// distinct node is visited once, and parts without derivatives not at all.
func rewriteDerivs(e ast.Expr, inner bool, f func(*ast.Deriv) (ast.Expr, error)) (ast.Expr, error) {
	memo := map[ast.Expr]ast.Expr{}
	var walk func(ast.Expr) (ast.Expr, error)
	walk = func(x ast.Expr) (ast.Expr, error) {
		if !ast.HasDeriv(x) {
			return x, nil
		}
		if r, ok := memo[x]; ok {
			return r, nil
		}
		if d, ok := x.(*ast.Deriv); ok && !inner {
			r, err := f(d)
			if err != nil {
				return nil, err
			}
			if r != nil {
				memo[x] = r
				return r, nil
			}
		}
		kids := ast.Children(x)
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			r, err := walk(k)
			if err != nil {
				return nil, err
			}
			nk[i] = r
		}
		r := ast.WithChildren(x, nk)
		if d, ok := r.(*ast.Deriv); ok && inner {
			nr, err := f(d)
			if err != nil {
				return nil, err
			}
			if nr != nil {
				r = nr
			}
		}
		memo[x] = r
		return r, nil
	}
	return walk(e)
}

type deriver struct {
	v       ast.Expr
	name    string // the variable's name
	opt     Options
	rules   *rules.Set
	depends map[string]bool // defined name → depends on v
	memo    map[ast.Expr]ast.Expr
	created int
}

func newDeriver(v ast.Expr, opt Options) (*deriver, error) {
	var name string
	switch w := v.(type) {
	case *ast.Sym:
		name = w.Name
	case *ast.Index:
		name = w.Name
		for _, i := range w.Indices {
			switch i.(type) {
			case *ast.Sym, *ast.Num:
			default:
				return nil, &Error{Msg: fmt.Sprintf("cannot differentiate with respect to %s: its indices must be names or numbers", ast.String(v))}
			}
		}
	default:
		return nil, &Error{Msg: fmt.Sprintf("cannot differentiate with respect to %s: it must be a name like x or an indexed name like w[k]", ast.String(v))}
	}
	if opt.Rules == nil {
		opt.Rules = rules.Builtin()
	}
	if opt.Ctx == nil {
		opt.Ctx = context.Background()
	}
	return &deriver{v: v, name: name, opt: opt, rules: opt.Rules, depends: map[string]bool{}, memo: map[ast.Expr]ast.Expr{}}, nil
}

// dependsOn reports whether e may depend on v: v's name occurs in e, or a
// defined name does whose definition depends on v.
func (dv *deriver) dependsOn(e ast.Expr) bool {
	for _, n := range ast.FreeNames(e) {
		if n == dv.name || dv.defDepends(n) {
			return true
		}
	}
	// User functions are reached through calls, which FreeNames omits.
	found := false
	if dv.opt.Defs.Len() > 0 || dv.rules.Defs().Len() > 0 {
		ast.InspectOnce(e, func(x ast.Expr) bool {
			if c, ok := x.(*ast.Call); ok && dv.defDepends(c.Fn) {
				found = true
			}
			return !found
		})
	}
	return found
}

// lookupDef finds a definition among the user's and the rule files'.
func (dv *deriver) lookupDef(name string) (*ast.Def, bool) {
	if d, ok := dv.opt.Defs.Lookup(name); ok {
		return d, true
	}
	return dv.rules.Defs().Lookup(name)
}

func (dv *deriver) defDepends(name string) bool {
	if name == dv.name {
		return false // the variable itself is not opened
	}
	if r, ok := dv.depends[name]; ok {
		return r
	}
	d, ok := dv.lookupDef(name)
	if !ok {
		return false
	}
	dv.depends[name] = false // definitions are acyclic; this guards anyway
	r := false
	for _, n := range ast.FreeNames(d.Body) {
		if slices.Contains(d.Params, n) {
			continue
		}
		if n == dv.name || dv.defDepends(n) {
			r = true
			break
		}
	}
	if !r {
		ast.InspectOnce(d.Body, func(x ast.Expr) bool {
			if c, ok := x.(*ast.Call); ok && dv.defDepends(c.Fn) {
				r = true
			}
			return !r
		})
	}
	dv.depends[name] = r
	return r
}

// d differentiates e: one layer by rule, then the sub-derivatives the layer
// asks for, memoised.
func (dv *deriver) d(e ast.Expr) (ast.Expr, error) {
	if r, ok := dv.memo[e]; ok {
		return r, nil
	}
	if err := dv.opt.Ctx.Err(); err != nil {
		return nil, err
	}
	dv.created++
	if dv.created > MaxNodes {
		return nil, fmt.Errorf("%w: more than %d steps", ErrTooLarge, MaxNodes)
	}
	layer, _, err := dv.layer(e)
	if err != nil {
		return nil, err
	}
	r, err := dv.resolve(layer)
	if err != nil {
		return nil, err
	}
	dv.memo[e] = r
	return r, nil
}

// resolve replaces the derivatives d(x, v) that a layer left by their
// values.
func (dv *deriver) resolve(e ast.Expr) (ast.Expr, error) {
	return rewriteDerivs(e, false, func(d *ast.Deriv) (ast.Expr, error) {
		if d.Wrt != dv.v {
			return nil, nil
		}
		return dv.d(d.X)
	})
}

// dd is d(x, v) as a node, or 0 when x cannot depend on v.
func (dv *deriver) dd(x ast.Expr) ast.Expr {
	if !dv.dependsOn(x) {
		return ast.Zero
	}
	return ast.NewDeriv(x, dv.v)
}

// layer applies one rule to d(e, v) and names it. The result may contain
// derivatives d(x, v) of parts x of e.
func (dv *deriver) layer(e ast.Expr) (ast.Expr, string, error) {
	if !dv.dependsOn(e) {
		return ast.Zero, RuleConst, nil
	}
	switch x := e.(type) {
	case *ast.Sym:
		if x.Name == dv.name {
			if _, isSym := dv.v.(*ast.Sym); !isSym {
				return nil, "", &Error{Msg: fmt.Sprintf("%s is indexed: differentiate with respect to %s, not %s", dv.name, ast.String(dv.v), x.Name)}
			}
			return ast.One, RuleVar, nil
		}
		return dv.openDef(x.Name, nil, e)
	case *ast.Index:
		if x.Name == dv.name {
			w, ok := dv.v.(*ast.Index)
			if !ok {
				return nil, "", &Error{Msg: fmt.Sprintf("%s is used with indices (%s): differentiate with respect to %s[...]", x.Name, ast.String(x), x.Name)}
			}
			if len(w.Indices) != len(x.Indices) {
				return nil, "", &Error{Msg: fmt.Sprintf("%s has %d indices but %s has %d", ast.String(x), len(x.Indices), ast.String(w), len(w.Indices))}
			}
			var deltas []ast.Expr
			for i := range x.Indices {
				deltas = append(deltas, ast.Delta(x.Indices[i], w.Indices[i]))
			}
			return mul(deltas...), RuleVar, nil
		}
		return dv.openDef(x.Name, x.Indices, e)
	case *ast.Neg:
		return ast.NewNeg(dv.dd(x.X)), RuleLinear, nil
	case *ast.Add:
		var terms []ast.Expr
		for _, t := range x.Terms {
			if dt := dv.dd(t); dt != ast.Zero {
				terms = append(terms, dt)
			}
		}
		return add(terms...), RuleLinear, nil
	case *ast.Mul:
		var dep []int
		for i, f := range x.Factors {
			if dv.dependsOn(f) {
				dep = append(dep, i)
			}
		}
		var terms []ast.Expr
		for _, i := range dep {
			fs := slices.Clone(x.Factors)
			fs[i] = dv.dd(x.Factors[i])
			terms = append(terms, mul(fs...))
		}
		if len(dep) == 1 {
			return terms[0], RuleLinear, nil
		}
		return add(terms...), RuleProduct, nil
	case *ast.Div:
		dx, dy := dv.dependsOn(x.X), dv.dependsOn(x.Y)
		switch {
		case !dy:
			return ast.NewDiv(dv.dd(x.X), x.Y), RuleLinear, nil
		case !dx:
			// (c/w)' = -c w'/w^2
			return ast.NewNeg(ast.NewDiv(mul(x.X, dv.dd(x.Y)), ast.NewPow(x.Y, ast.Two))), RuleQuotient, nil
		}
		num := add(mul(dv.dd(x.X), x.Y), ast.NewNeg(mul(x.X, dv.dd(x.Y))))
		return ast.NewDiv(num, ast.NewPow(x.Y, ast.Two)), RuleQuotient, nil
	case *ast.Pow:
		return dv.pow(x)
	case *ast.Call:
		return dv.call(x)
	case *ast.Sum:
		if dv.dependsOn(x.Lo) || dv.dependsOn(x.Hi) {
			return nil, "", &Error{Msg: fmt.Sprintf("cannot differentiate %s with respect to %s: a bound of the sum depends on it (sums are over whole numbers)", ast.String(e), ast.String(dv.v))}
		}
		v, body := x.Var, x.Body
		if ast.HasFree(dv.v, v) {
			// d(sum(k=..., a[k]*w[k]), w[k]): rename the bound k first.
			nv := ast.Fresh(v, func(c string) bool { return ast.HasFree(dv.v, c) || ast.HasFree(x.Body, c) })
			body, v = ast.Rename(body, v, nv), nv
		}
		return ast.NewSum(x.Op, v, x.Lo, x.Hi, dv.dd(body)), RuleLinear, nil
	case *ast.Deriv:
		inner, err := D(x.X, x.Wrt, dv.opt)
		if err != nil {
			return nil, "", err
		}
		return dv.dd(inner), RuleNestedDiff, nil
	case *ast.Num:
		return ast.Zero, RuleConst, nil
	}
	panic(fmt.Sprintf("derive: unexpected node %T", e))
}

// openDef replaces a defined name (that depends on v) by its definition.
func (dv *deriver) openDef(name string, args []ast.Expr, e ast.Expr) (ast.Expr, string, error) {
	d, ok := dv.lookupDef(name)
	if !ok {
		return ast.Zero, RuleConst, nil
	}
	return dv.dd(d.Instantiate(args)), RuleDef, nil
}

func (dv *deriver) pow(x *ast.Pow) (ast.Expr, string, error) {
	bx, by := dv.dependsOn(x.X), dv.dependsOn(x.Y)
	switch {
	case !by:
		// (u^c)' = c u^(c-1) u'
		var exp ast.Expr
		if n, ok := x.Y.(*ast.Num); ok {
			exp = ast.NewNum(n.Value.Sub(ast.Int(1)))
		} else {
			exp = add(x.Y, ast.MinusOne)
		}
		var p ast.Expr = ast.NewPow(x.X, exp)
		if ast.IsNum(exp, 1) {
			p = x.X
		} else if ast.IsNum(exp, 0) {
			p = ast.One
		}
		return mul(x.Y, p, dv.dd(x.X)), RulePower, nil
	case !bx:
		// (c^u)' = c^u log(c) u'
		return mul(x, ast.NewCall("log", x.X), dv.dd(x.Y)), RuleExpRule, nil
	}
	// (u^w)' = u^w (w' log u + w u'/u)
	inner := add(mul(dv.dd(x.Y), ast.NewCall("log", x.X)), ast.NewDiv(mul(x.Y, dv.dd(x.X)), x.X))
	return mul(x, inner), RuleGenPower, nil
}

func (dv *deriver) call(x *ast.Call) (ast.Expr, string, error) {
	if x.Fn == "delta" {
		return ast.Zero, RuleConst, nil
	}
	var terms []ast.Expr
	var missing []int
	for k, a := range x.Args {
		if !dv.dependsOn(a) {
			continue
		}
		r, ok := dv.rules.Deriv(x.Fn, k)
		if !ok {
			missing = append(missing, k)
			continue
		}
		terms = append(terms, mul(r.Instantiate(x.Args), dv.dd(a)))
	}
	if len(missing) == 0 {
		if len(terms) == 0 {
			// Only the definition depends on v (a user function's body
			// mentions v): open it.
			return dv.openDef(x.Fn, x.Args, x)
		}
		return add(terms...), RuleChain, nil
	}
	// No derivative rule for some argument: differentiate the definition.
	if _, ok := dv.lookupDef(x.Fn); ok {
		return dv.openDef(x.Fn, x.Args, x)
	}
	return nil, "", &Error{Msg: fmt.Sprintf("no derivative rule for %s with respect to its argument %d: define %s(...) := ... or add a rule: deriv %s(u) = ...", x.Fn, missing[0]+1, x.Fn, x.Fn)}
}

// add and mul build sums and products, dropping zero terms and unit
// factors (and a product with a zero factor); the simplifier does the rest.
func add(terms ...ast.Expr) ast.Expr {
	out := terms[:0:0]
	for _, t := range terms {
		if t != ast.Zero {
			out = append(out, t)
		}
	}
	return ast.NewAdd(out...)
}

func mul(factors ...ast.Expr) ast.Expr {
	out := factors[:0:0]
	for _, f := range factors {
		if f == ast.Zero {
			return ast.Zero
		}
		if f != ast.One {
			out = append(out, f)
		}
	}
	return ast.NewMul(out...)
}
