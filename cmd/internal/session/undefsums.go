package session

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// Sums over long ranges of numbers. A part with no names is evaluated to
// see whether it has a value, and a sum is evaluated term by term: simplify
// sum(i=1..100000000, i) took 68 s adding up the terms after the closed
// form was found at once. A sum over more than enumerateLimit terms is
// decided from its body instead, where the body is made of operations
// defined everywhere and of the few that are not, each of an argument that
// is a polynomial of degree at most 2 in the index: a divisor (undefined
// where it is 0), the base of a negative power (the same), the argument of
// log (where it is at most 0) and of sqrt (where it is negative). Where
// such an argument is bad at a whole number of the range, it is bad at one
// of a few candidates: the ends of the range and the whole numbers next to
// the polynomial's real roots and its vertex. The body is evaluated at the
// candidates, which decides: undefined at one of them (the sum then has no
// value), or defined at every point. Any other body is evaluated term by
// term as before (within the statement's time limit).

// enumerateLimit is the number of terms up to which a sum is evaluated
// term by term (a few milliseconds).
const enumerateLimit = 1 << 14

// totalFunc reports whether fn is a built-in function defined at every
// real argument (an overflow is not a reason to be undefined).
func totalFunc(fn string) bool {
	switch fn {
	case "exp", "sigma", "softplus", "tanh", "cosh", "sinh",
		"sin", "cos", "Phi", "phi", "abs", "sign", "step",
		"relu", "max", "min":
		return true
	}
	return false
}

// longRange returns the bounds of a sum without names whose range holds
// more than enumerateLimit numbers.
func longRange(ctx context.Context, s *ast.Sum, defs *ast.Defs) (lo, hi *big.Int, ok bool) {
	if ast.HasFreeNames(s.Lo) || ast.HasFreeNames(s.Hi) {
		return nil, nil, false
	}
	l, errL := ast.EvalBig(ctx, s.Lo, defs, nil, undefinedPrec)
	h, errH := ast.EvalBig(ctx, s.Hi, defs, nil, undefinedPrec)
	if errL != nil || errH != nil || !l.IsInt() || !h.IsInt() {
		return nil, nil, false
	}
	lo, _ = l.Int(nil)
	hi, _ = h.Int(nil)
	n := new(big.Int).Sub(hi, lo)
	return lo, hi, n.Cmp(big.NewInt(enumerateLimit)) >= 0
}

// hasLongSum reports whether e holds a sum over a long range of numbers.
func hasLongSum(ctx context.Context, e ast.Expr, defs *ast.Defs) bool {
	if !ast.HasSum(e) {
		return false
	}
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if found {
			return false
		}
		if s, ok := x.(*ast.Sum); ok {
			if _, _, long := longRange(ctx, s, defs); long {
				found = true
				return false
			}
		}
		return ast.HasSum(x)
	})
	return found
}

// longSumDefined decides whether the sum s over the long range lo..hi has
// a value from its body (see above): decided false when the body's form is
// not one it handles. err says why s has no value.
func longSumDefined(ctx context.Context, s *ast.Sum, lo, hi *big.Int, defs *ast.Defs, canonical func(ast.Expr) ast.Expr) (err error, decided bool) {
	var args []ast.Expr // arguments that are bad at some whole numbers
	ok := true
	var walk func(x ast.Expr)
	walk = func(x ast.Expr) {
		if !ok {
			return
		}
		if !ast.HasFree(x, s.Var) {
			if ast.HasFreeNames(x) {
				ok = false // a name bound inside the body
				return
			}
			if _, isNum := x.(*ast.Num); !isNum {
				if _, undefined, valued := noValue(ctx, x, defs); undefined || !valued {
					ok = false // evaluated with the sum, for the error and its position
				}
			}
			return
		}
		switch x := x.(type) {
		case *ast.Sym, *ast.Neg, *ast.Add, *ast.Mul:
		case *ast.Div:
			args = append(args, x.Y)
		case *ast.Pow:
			n, isNum := x.Y.(*ast.Num)
			if !isNum || !n.Value.IsInt() || ast.HasFree(x.Y, s.Var) {
				ok = false
				return
			}
			if n.Value.Sign() < 0 {
				args = append(args, x.X)
			}
		case *ast.Call:
			switch {
			case totalFunc(x.Fn):
			case (x.Fn == "log" || x.Fn == "sqrt") && len(x.Args) == 1:
				args = append(args, x.Args[0])
			default:
				ok = false
				return
			}
		default:
			ok = false // a nested sum, a condition, an if
			return
		}
		for _, c := range ast.Children(x) {
			walk(c)
		}
	}
	walk(s.Body)
	if !ok {
		return nil, false
	}
	points := map[string]*big.Int{lo.String(): lo, hi.String(): hi}
	for _, a := range args {
		cs, ok := polyCandidates(a, s.Var)
		if !ok {
			// 10^7 - i: the canonical form works out the numbers.
			if cs, ok = polyCandidates(canonical(a), s.Var); !ok {
				return nil, false
			}
		}
		for _, c := range cs {
			if c.Cmp(lo) >= 0 && c.Cmp(hi) <= 0 {
				points[c.String()] = c
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(points), func(a, b string) int { return points[a].Cmp(points[b]) })
	for _, key := range keys {
		c := points[key]
		if ctx.Err() != nil {
			return nil, false
		}
		at := ast.Subst(s.Body, map[string]ast.Expr{s.Var: ast.NewNum(ast.FromBigInt(c))})
		if why, undefined, _ := noValue(ctx, at, defs); undefined {
			return undefinedError(s, fmt.Sprintf("%s at %s = %s", why, s.Var, key)), true
		}
	}
	return nil, true
}

// polyOf returns the coefficients of e as a polynomial of degree at most
// 2 in v (c[0] + c[1]*v + c[2]*v^2), multiplied out from e's form, or
// false.
func polyOf(e ast.Expr, v string) ([3]*big.Rat, bool) {
	var zero [3]*big.Rat
	mk := func() [3]*big.Rat { return [3]*big.Rat{new(big.Rat), new(big.Rat), new(big.Rat)} }
	mul := func(a, b [3]*big.Rat) ([3]*big.Rat, bool) {
		r := mk()
		for i := range 3 {
			for j := range 3 {
				if a[i].Sign() == 0 || b[j].Sign() == 0 {
					continue
				}
				if i+j > 2 {
					return zero, false
				}
				r[i+j].Add(r[i+j], new(big.Rat).Mul(a[i], b[j]))
			}
		}
		return r, true
	}
	switch e := e.(type) {
	case *ast.Num:
		r := mk()
		r[0].Set(e.Value.Rat())
		return r, true
	case *ast.Sym:
		if e.Name != v {
			return zero, false
		}
		r := mk()
		r[1].SetInt64(1)
		return r, true
	case *ast.Neg:
		a, ok := polyOf(e.X, v)
		if !ok {
			return zero, false
		}
		for i := range a {
			a[i].Neg(a[i])
		}
		return a, true
	case *ast.Add:
		r := mk()
		for _, t := range e.Terms {
			a, ok := polyOf(t, v)
			if !ok {
				return zero, false
			}
			for i := range r {
				r[i].Add(r[i], a[i])
			}
		}
		return r, true
	case *ast.Mul:
		r := mk()
		r[0].SetInt64(1)
		for _, f := range e.Factors {
			a, ok := polyOf(f, v)
			if !ok {
				return zero, false
			}
			if r, ok = mul(r, a); !ok {
				return zero, false
			}
		}
		return r, true
	case *ast.Div:
		n, ok := e.Y.(*ast.Num)
		if !ok || n.Value.Sign() == 0 {
			return zero, false
		}
		a, ok := polyOf(e.X, v)
		if !ok {
			return zero, false
		}
		inv := new(big.Rat).Inv(n.Value.Rat())
		for i := range a {
			a[i].Mul(a[i], inv)
		}
		return a, true
	case *ast.Pow:
		n, ok := e.Y.(*ast.Num)
		if !ok {
			return zero, false // 2^(1 + 1): the canonical form works it out
		}
		k, isSmall := n.Value.Int64()
		if !isSmall || k < 0 || k > 2 {
			return zero, false
		}
		base, ok := polyOf(e.X, v)
		if !ok {
			return zero, false
		}
		r := mk()
		r[0].SetInt64(1)
		for range k {
			if r, ok = mul(r, base); !ok {
				return zero, false
			}
		}
		return r, true
	}
	return zero, false
}

// polyCandidates returns, for a polynomial p of degree at most 2 in v,
// the whole numbers next to its real roots and its vertex: every set of
// whole numbers of an interval where p = 0, p <= 0 or p < 0 that is not
// empty holds one of them or an end of the interval.
func polyCandidates(p ast.Expr, v string) ([]*big.Int, bool) {
	c, ok := polyOf(p, v)
	if !ok {
		return nil, false
	}
	var xs []*big.Float // real points near which to look
	const prec = 512
	switch {
	case c[2].Sign() != 0:
		// vertex -b/2a; roots (-b ± sqrt(b^2 - 4ac))/2a
		twoA := new(big.Rat).Mul(c[2], big.NewRat(2, 1))
		vert := new(big.Rat).Quo(new(big.Rat).Neg(c[1]), twoA)
		xs = append(xs, new(big.Float).SetPrec(prec).SetRat(vert))
		disc := new(big.Rat).Mul(c[1], c[1])
		disc.Sub(disc, new(big.Rat).Mul(big.NewRat(4, 1), new(big.Rat).Mul(c[2], c[0])))
		if disc.Sign() >= 0 {
			r := new(big.Float).SetPrec(prec).SetRat(disc)
			r.Sqrt(r)
			r.Quo(r, new(big.Float).SetPrec(prec).SetRat(twoA))
			vf := new(big.Float).SetPrec(prec).SetRat(vert)
			xs = append(xs, new(big.Float).SetPrec(prec).Add(vf, r), new(big.Float).SetPrec(prec).Sub(vf, r))
		}
	case c[1].Sign() != 0:
		root := new(big.Rat).Quo(new(big.Rat).Neg(c[0]), c[1])
		xs = append(xs, new(big.Float).SetPrec(prec).SetRat(root))
	}
	var out []*big.Int
	for _, x := range xs {
		f, _ := x.Int(nil) // toward zero
		for d := int64(-1); d <= 2; d++ {
			out = append(out, new(big.Int).Add(f, big.NewInt(d)))
		}
	}
	return out, true
}
