package simplify

import (
	"math"
	"math/big"
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// The sign of a polynomial in one name, by Horner's scheme. Interval
// arithmetic term by term loses the relation between the terms: with
// x > 1, x^2 ∈ (1, ∞) and -x ∈ (-∞, -1) add up to anything, so
// max(x^2, x) stayed unsimplified. The same polynomial as x*(x - 1)
// is (1, ∞)·(0, ∞), positive. Both are enclosures of the same values
// (interval arithmetic is sound for every way of writing the function),
// so their intersection is too.

// maxHornerDegree bounds the degree looked at: a coefficient list that
// long per sum is cheap, and higher degrees do not come from losses.
const maxHornerDegree = 64

// hornerSign returns an enclosure of the sum a's values by Horner's
// scheme, when a is a polynomial in one name with numeric coefficients
// of degree at least 2 (below that, term by term is the same), and false
// otherwise.
func (s *Simplifier) hornerSign(a *ast.Add) (interval, bool) {
	var v ast.Expr // the one name
	coefs := map[int]ast.Number{}
	deg := 0
	for _, t := range a.Terms {
		c, x, k, ok := monomial(t)
		if !ok {
			return anything, false
		}
		if k > 0 {
			if v == nil {
				v = x
			} else if x != v {
				return anything, false
			}
		}
		coefs[k] = coefs[k].Add(c) // the zero Number where absent
		deg = max(deg, k)
	}
	if v == nil || deg < 2 {
		return anything, false
	}
	c := make([]ast.Number, deg+1)
	for k := range c {
		c[k] = coefs[k] // the zero Number where absent
	}
	xv := s.sign(v)
	r := horner(c, xv)
	// Shifted to a finite end a of x's interval, p(a + t) with t = x - a
	// of one sign: x^2 - 3x + 2 with x > 2 is t^2 + t with t > 0, while
	// (x - 3)x + 2 is undecided.
	if deg <= maxShiftDegree {
		for _, a := range []float64{xv.lo, xv.hi} {
			if math.IsInf(a, 0) || math.Abs(a) > 1<<32 {
				continue
			}
			if q, ok := shifted(c, a); ok {
				r = intersect(r, horner(q, xv.add(point(-a))))
			}
		}
	}
	return r, true
}

// maxShiftDegree bounds the degree shifted: the shift takes deg^2 exact
// products.
const maxShiftDegree = 24

// horner encloses c[0] + c[1] x + ... + c[n] x^n for x in xv.
func horner(c []ast.Number, xv interval) interval {
	r := numInterval(c[len(c)-1])
	for k := len(c) - 2; k >= 0; k-- {
		r = r.mul(xv).add(numInterval(c[k]))
	}
	return r
}

// shifted returns the coefficients of p(a + t) for those c of p(x),
// exactly (repeated synthetic division), or false when they grow past
// the exact numbers' limit.
func shifted(c []ast.Number, a float64) ([]ast.Number, bool) {
	av := ast.FromRat(new(big.Rat).SetFloat64(a))
	q := slices.Clone(c)
	n := len(q) - 1
	for i := range n {
		for j := n - 1; j >= i; j-- {
			p, err := av.MulChecked(q[j+1])
			if err != nil {
				return nil, false
			}
			if q[j], err = q[j].AddChecked(p); err != nil {
				return nil, false
			}
		}
	}
	return q, true
}

// numInterval encloses an exact number: the point itself when float64
// holds it exactly (3, 1/2), else the floats either side of it (1/3).
func numInterval(v ast.Number) interval {
	if v.IsInt() {
		if f := v.Float64(); math.Abs(f) < 1<<53 {
			return point(f)
		}
	}
	f, exact := v.Rat().Float64()
	if exact {
		return point(f)
	}
	return interval{lo: down(f), hi: up(f)}
}

// monomial splits a term c*x^k (k a whole number from 0 to
// maxHornerDegree, x a name or an indexed name) into its parts: 3, -x^2,
// 2*w[i]^3, 5.
func monomial(t ast.Expr) (c ast.Number, x ast.Expr, k int, ok bool) {
	c = ast.One.Value
	if n, isNeg := t.(*ast.Neg); isNeg {
		c, x, k, ok = monomial(n.X)
		return c.Neg(), x, k, ok
	}
	if m, isMul := t.(*ast.Mul); isMul {
		if len(m.Factors) != 2 {
			return c, nil, 0, false
		}
		n, isNum := m.Factors[0].(*ast.Num)
		if !isNum {
			return c, nil, 0, false
		}
		_, x, k, ok = monomial(m.Factors[1])
		return n.Value, x, k, ok && k > 0
	}
	switch t := t.(type) {
	case *ast.Num:
		return t.Value, nil, 0, true
	case *ast.Sym, *ast.Index:
		return c, t, 1, true
	case *ast.Pow:
		switch t.X.(type) {
		case *ast.Sym, *ast.Index:
		default:
			return c, nil, 0, false
		}
		n, isNum := t.Y.(*ast.Num)
		if !isNum {
			return c, nil, 0, false
		}
		e, isInt := n.Value.Int64()
		if !isInt || e < 1 || e > maxHornerDegree {
			return c, nil, 0, false
		}
		return c, t.X, int(e), true
	}
	return c, nil, 0, false
}
