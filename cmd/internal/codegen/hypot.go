package codegen

import (
	"github.com/symdiff/symdiff/ast"
)

// A Euclidean length written as it reads, sqrt(x^2 + y^2), squares its
// terms first: x^2 overflows to Inf once |x| passes about 1.3e154, where
// the length is a moderate number, and underflows to 0 below about
// 1.5e-162, where it is not 0. The gradient x/sqrt(x^2 + y^2) is then 0
// (or NaN) where it is about ±1. hypot computes the same length without
// squaring; each language has it (C99 hypot, Go math.Hypot, Python
// math.hypot, NumPy np.hypot), for two numbers, so more terms nest.

// hypotFn names hypot(a, b, ...), sqrt(a^2 + b^2 + ...) computed without
// overflow or underflow: a function of the generated code only.
const hypotFn = "$hypot"

const rwHypot = "sqrt(a^2 + b^2 + ...) -> hypot(a, b, ...), and (a^2 + b^2 + ...)^(k/2) -> hypot(a, b, ...)^k"

// hypotArgs matches a sum of squares a^2 + c*b^2 + k (c, k positive
// numbers) with at least two terms, one of them not a number, and gives
// the lengths whose squares they are: a, sqrt(c)*b, sqrt(k).
func hypotArgs(e ast.Expr) ([]ast.Expr, bool) {
	s, ok := e.(*ast.Add)
	if !ok || len(s.Terms) < 2 {
		return nil, false
	}
	out := make([]ast.Expr, 0, len(s.Terms))
	variable := false
	for _, t := range s.Terms {
		r, isNum, ok := squareRoot(t)
		if !ok {
			return nil, false
		}
		variable = variable || !isNum
		out = append(out, r)
	}
	return out, variable
}

// squareRoot gives a length whose square is t: u for u^2, sqrt(c)*u for
// c*u^2 with c > 0, sqrt(k) for a number k > 0 (isNum).
func squareRoot(t ast.Expr) (r ast.Expr, isNum, ok bool) {
	if n, ok := t.(*ast.Num); ok {
		if n.Value.Sign() <= 0 {
			return nil, false, false
		}
		if v, ok := n.Value.Root(2); ok {
			return ast.NewNum(v), true, true
		}
		return ast.NewCall("sqrt", n), true, true
	}
	base := func(x ast.Expr) (ast.Expr, bool) {
		p, ok := x.(*ast.Pow)
		if !ok || !ast.IsNum(p.Y, 2) {
			return nil, false
		}
		return p.X, true
	}
	if u, ok := base(t); ok {
		return u, false, true
	}
	m, ok := t.(*ast.Mul)
	if !ok || len(m.Factors) != 2 {
		return nil, false, false
	}
	c, ok := m.Factors[0].(*ast.Num)
	if !ok || c.Value.Sign() <= 0 {
		return nil, false, false
	}
	u, ok := base(m.Factors[1])
	if !ok {
		return nil, false, false
	}
	if v, ok := c.Value.Root(2); ok {
		return ast.NewMul(ast.NewNum(v), u), false, true
	}
	return ast.NewMul(ast.NewCall("sqrt", c), u), false, true
}

// hypotOf rewrites sqrt(sum of squares) as hypot, and a sum of squares
// to an odd multiple of 1/2 as a power of hypot: (x^2 + y^2)^(-1/2) is
// 1/hypot(x, y), (x^2 + y^2)^(3/2) is hypot(x, y)^3.
func hypotOf(x ast.Expr) (ast.Expr, bool) {
	if arg, ok := call1(x, "sqrt"); ok {
		if args, ok := hypotArgs(arg); ok {
			return ast.NewCall(hypotFn, args...), true
		}
		return nil, false
	}
	p, ok := x.(*ast.Pow)
	if !ok {
		return nil, false
	}
	k, ok := p.Y.(*ast.Num)
	if !ok {
		return nil, false
	}
	twice := k.Value.Mul(ast.Int(2))
	odd, ok := twice.Int64()
	if !ok || odd%2 == 0 {
		return nil, false
	}
	args, ok := hypotArgs(p.X)
	if !ok {
		return nil, false
	}
	h := ast.NewCall(hypotFn, args...)
	if odd == 1 {
		return h, true
	}
	return ast.NewPow(h, ast.NewInt(odd)), true
}
