package codegen

import (
	"slices"

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

const rwHypotQuo = "u^m/(hypot(a, b, ...)^k * ...) with u one of a, b, ... -> (u/h)^m/.../h/h... (k - m divisions by h), and a^2 + b^2 + ... in a quotient by hypot -> hypot(a, b, ...)^2"

// hypotQuo takes the squares out of a quotient by a Euclidean length: the
// gradient of 1/sqrt(x^2 + y^2) is -y/(hypot(x, y)*(x^2 + y^2)), whose
// x^2 + y^2 overflows at |x| = 1e200 (the gradient is then 0 where it is
// a number), and y^2/(x^2 + y^2)^(3/2) is Inf/Inf. Each u^m in the
// dividend with u one of the lengths' arguments is paired with m of the
// divisor's factors h (u/h is at most 1 in size), the sum of squares in
// the divisor is h^2, and what is left of h^k divides one h at a time,
// so no intermediate overflows or underflows where the quotient does
// not.
func hypotQuo(q *ast.Div) (ast.Expr, bool) {
	var h *ast.Call
	k := int64(0)
	var rest []ast.Expr
	squares := false
	for _, f := range factorsOf(q.Y) {
		g, m := f, int64(1)
		if p, ok := f.(*ast.Pow); ok {
			if n, ok := p.Y.(*ast.Num); ok {
				if v, ok := n.Value.Int64(); ok && v > 0 {
					g, m = p.X, v
				}
			}
		}
		var this *ast.Call
		if c, ok := g.(*ast.Call); ok && c.Fn == hypotFn {
			this = c
		} else if args, ok := hypotArgs(g); ok {
			this, m, squares = ast.NewCall(hypotFn, args...), 2*m, true
		}
		if this == nil || h != nil && this != h {
			rest = append(rest, f)
			continue
		}
		h, k = this, k+m
	}
	if h == nil {
		return nil, false
	}
	num, negated := q.X, false
	if x, ok := isNegated(num); ok {
		num, negated = x, true
	}
	paired := false
	var nfs []ast.Expr
	for _, f := range factorsOf(num) {
		u, m := f, int64(1)
		if p, ok := f.(*ast.Pow); ok {
			if n, ok := p.Y.(*ast.Num); ok {
				if v, ok := n.Value.Int64(); ok && v > 0 {
					u, m = p.X, v
				}
			}
		}
		j := min(m, k)
		if j == 0 || !slices.Contains(h.Args, u) {
			nfs = append(nfs, f)
			continue
		}
		paired, k = true, k-j
		nfs = append(nfs, powOf(ast.NewDiv(u, h), j))
		if m > j {
			nfs = append(nfs, powOf(u, m-j))
		}
	}
	if !paired && !(squares && k > 1) {
		return nil, false
	}
	r := ast.Expr(ast.NewMul(nfs...))
	if len(rest) > 0 {
		r = ast.NewDiv(r, ast.NewMul(rest...))
	}
	for range k {
		r = ast.NewDiv(r, h)
	}
	if negated {
		r = neg(r)
	}
	return r, true
}

// factorsOf is the factors of a product, or e alone.
func factorsOf(e ast.Expr) []ast.Expr {
	if m, ok := e.(*ast.Mul); ok {
		return m.Factors
	}
	return []ast.Expr{e}
}

// powOf is u^m, u itself for m = 1.
func powOf(u ast.Expr, m int64) ast.Expr {
	if m == 1 {
		return u
	}
	return ast.NewPow(u, ast.NewInt(m))
}

// hypotMul is hypotQuo for a product with a negative power of a length
// among its factors: y*x^3*hypot(x, y)^-3 is y*x^3/hypot(x, y)^3.
func hypotMul(m *ast.Mul) (ast.Expr, bool) {
	var num, den []ast.Expr
	for _, f := range m.Factors {
		if p, ok := f.(*ast.Pow); ok {
			if n, ok := p.Y.(*ast.Num); ok && n.Value.IsInt() && n.Value.Sign() < 0 {
				if c, ok := p.X.(*ast.Call); ok && c.Fn == hypotFn || isSquares(p.X) {
					den = append(den, powOf(p.X, -mustInt64(n)))
					continue
				}
			}
		}
		num = append(num, f)
	}
	if len(den) == 0 || len(num) == 0 {
		return nil, false
	}
	return hypotQuo(ast.NewDiv(ast.NewMul(num...), ast.NewMul(den...)))
}

func isSquares(e ast.Expr) bool { _, ok := hypotArgs(e); return ok }

func mustInt64(n *ast.Num) int64 { v, _ := n.Value.Int64(); return v }
