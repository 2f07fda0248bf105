package simplify

import (
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// The hyperbolic forms. Where e^u and e^(-u) both occur, they are written
// e^u = cosh(u) + sinh(u) and e^(-u) = cosh(u) - sinh(u) (identities
// everywhere); the algebra verbs then collect (e^u + e^(-u))/2 into
// cosh(u), (e^u - e^(-u))/2 into sinh(u), and their quotient into tanh(u)
// (through the hyperbolic form of best). Where the user did not write σ
// and the engine made it (1/(1 + e^(-2x)) is σ(2x)), σ(w) may be written
// (1 + tanh(w/2))/2, an identity everywhere: 2σ(2x) - 1 is tanh(x). Both
// are candidates like the others: Cost chooses.

// Rules naming the hyperbolic forms.
var (
	FormCoshSinh  = &rules.Rule{Name: "form_cosh_sinh", Kind: rules.Pass, Doc: "write exp(u) and exp(-u) through cosh(u) = (exp(u) + exp(-u))/2 and sinh(u) = (exp(u) - exp(-u))/2", Source: rules.Source{File: goFile}}
	FormSigmaTanh = &rules.Rule{Name: "form_sigma_tanh", Kind: rules.Pass, Doc: "write sigma(2*u) as (1 + tanh(u))/2", Source: rules.Source{File: goFile}}
)

// coshSinhForm writes e^(k*u) and e^(-k*u), where both occur, as
// cosh(k*u) ± sinh(k*u). It reports false when no such pair occurs.
func coshSinhForm(e ast.Expr) (ast.Expr, bool) {
	if !hasFn(e, "exp") {
		return e, false
	}
	type key struct {
		u ast.Expr
		k int64
	}
	signs := map[key]int{} // 1: e^(ku) occurs, 2: e^(-ku), 3: both
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if u, k, ok := expCall(x); ok {
			if k > 0 {
				signs[key{u, k}] |= 1
			} else {
				signs[key{u, -k}] |= 2
			}
			return false
		}
		return true
	})
	pair := false
	for _, v := range signs {
		pair = pair || v == 3
	}
	if !pair {
		return e, false
	}
	return ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
		u, k, ok := expCall(x)
		if !ok {
			return nil, false
		}
		a := k
		if a < 0 {
			a = -a
		}
		if signs[key{u, a}] != 3 {
			return nil, false
		}
		w := u
		if a != 1 {
			w = ast.NewMul(ast.NewInt(a), u)
		}
		c, s := ast.NewCall("cosh", w), ast.NewCall("sinh", w)
		if k < 0 {
			return ast.NewAdd(c, ast.NewNeg(s)), true
		}
		return ast.NewAdd(c, s), true
	}), true
}

// expCall reads x, a call of exp, as e^(k*u) with k a non-zero integer
// and u without a sign: exp(u), exp(-u), exp(-a*b) (u = a*b, k = -1),
// exp(2*x).
func expCall(x ast.Expr) (u ast.Expr, k int64, ok bool) {
	c, isCall := x.(*ast.Call)
	if !isCall || c.Fn != "exp" {
		return nil, 0, false
	}
	u, k, _ = expPower(c)
	if abs, neg := unsigned(u); neg {
		u, k = abs, -k
	}
	return u, k, true
}

// unsigned splits a display expression into its absolute form and its
// sign: -u, -a*b (the minus on the first factor), -2*x and v - u (whose
// term first by its text is negative) are negative.
func unsigned(e ast.Expr) (ast.Expr, bool) {
	switch x := e.(type) {
	case *ast.Neg:
		a, neg := unsigned(x.X)
		return a, !neg
	case *ast.Num:
		if x.Value.Sign() < 0 {
			return ast.NewNum(x.Value.Neg()), true
		}
	case *ast.Add:
		// v - u is -(u - v): the sign of the term first by its text (numbers
		// aside).
		var first ast.Expr
		firstNeg, key := false, ""
		for _, t := range x.Terms {
			a, neg := unsigned(t)
			if _, isNum := a.(*ast.Num); isNum {
				continue // x - 1 is positive
			}
			if k := ast.String(a); first == nil || k < key {
				first, firstNeg, key = a, neg, k
			}
		}
		if !firstNeg {
			return e, false
		}
		var pos, negs []ast.Expr
		for _, t := range x.Terms {
			if a, neg := unsigned(t); neg {
				pos = append(pos, a)
			} else {
				negs = append(negs, ast.NewNeg(a))
			}
		}
		return ast.NewAdd(append(pos, negs...)...), true
	case *ast.Mul:
		a, neg := unsigned(x.Factors[0])
		if !neg {
			return e, false
		}
		fs := append([]ast.Expr{a}, x.Factors[1:]...)
		if ast.IsNum(a, 1) {
			fs = fs[1:]
		}
		return ast.NewMul(fs...), true
	}
	return e, false
}

// sigmaTanhForm writes each σ(w) as (1 + tanh(w/2))/2 (tanh(u) for
// w = 2*u). It reports false when e has no σ.
func sigmaTanhForm(e ast.Expr) (ast.Expr, bool) {
	changed := false
	out := ast.Map(e, func(x ast.Expr) ast.Expr {
		c, ok := x.(*ast.Call)
		if !ok || c.Fn != "sigma" {
			return x
		}
		changed = true
		var half ast.Expr = ast.NewDiv(c.Args[0], ast.NewInt(2))
		if m, ok := c.Args[0].(*ast.Mul); ok && ast.IsNum(m.Factors[0], 2) {
			half = ast.NewMul(m.Factors[1:]...)
		}
		return ast.NewDiv(ast.NewAdd(ast.One, ast.NewCall("tanh", half)), ast.NewInt(2))
	})
	return out, changed
}

// hasFn reports whether fn is called in e. It walks the tree without a
// memo, so it allocates nothing: use it on display expressions of bounded
// size (see maxReshape).
func hasFn(e ast.Expr, fn string) bool {
	switch x := e.(type) {
	case *ast.Num, *ast.Sym:
		return false
	case *ast.Call:
		if x.Fn == fn {
			return true
		}
	case *ast.Neg:
		return hasFn(x.X, fn)
	case *ast.Div:
		return hasFn(x.X, fn) || hasFn(x.Y, fn)
	case *ast.Pow:
		return hasFn(x.X, fn) || hasFn(x.Y, fn)
	case *ast.Sum:
		return hasFn(x.Lo, fn) || hasFn(x.Hi, fn) || hasFn(x.Body, fn)
	}
	for _, k := range ast.Children(e) { // no copy for the others
		if hasFn(k, fn) {
			return true
		}
	}
	return false
}
