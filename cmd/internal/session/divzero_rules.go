package session

import (
	"context"
	"math/big"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// ruleZeroDivisor reports whether a divisor in x (u/v, or v to a negative
// power) is 0 for every value after the rules, where the canonical form
// without them does not see it: log(exp(x)) - x, (x + 1)^2 - x^2 - 2*x - 1,
// sin(x)^2 + cos(x)^2 - 1. diff of 1/(log(exp(x)) - x) printed 0. The rules
// are sound, so a divisor they make 0 is 0 wherever it is defined.
// Simplifying every function that may divide cost diff of a sum of 20
// x^k/(1 + k*x^2) 77% more instructions; a divisor is simplified here only
// when evaluation at high precision at two points finds it 0 (or without a
// value) at both: a divisor with a value other than 0 at one point is not
// 0 for every value, whatever the rules say.
func (s *Session) ruleZeroDivisor(ctx context.Context, x ast.Expr) bool {
	var divisors []ast.Expr
	var seen map[ast.Expr]bool // past a few divisors (a list is cheaper below)
	known := func(v ast.Expr) bool {
		if seen != nil {
			return seen[v]
		}
		if len(divisors) < 16 {
			return slices.Contains(divisors, v)
		}
		seen = map[ast.Expr]bool{}
		for _, d := range divisors {
			seen[d] = true
		}
		return seen[v]
	}
	add := func(n ast.Expr) {
		var v ast.Expr
		switch n := n.(type) {
		case *ast.Div:
			v = n.Y
		case *ast.Pow:
			if c, ok := n.Y.(*ast.Num); ok && c.Value.Sign() < 0 {
				v = n.X
			}
		}
		if v != nil && !known(v) {
			if _, isNum := v.(*ast.Num); !isNum {
				divisors = append(divisors, v)
				if seen != nil {
					seen[v] = true
				}
			}
		}
	}
	if x.Size() > maxTreeWalk {
		ast.InspectOnce(x, func(n ast.Expr) bool { add(n); return true })
	} else {
		// As a tree: InspectOnce's set of nodes seen cost more than
		// the walk (W1's functions, which have no divisor).
		var walk func(n ast.Expr)
		walk = func(n ast.Expr) {
			add(n)
			switch n := n.(type) {
			case *ast.Num, *ast.Sym:
			case *ast.Add:
				for _, t := range n.Terms {
					walk(t)
				}
			case *ast.Mul:
				for _, f := range n.Factors {
					walk(f)
				}
			default:
				for _, c := range ast.Children(n) {
					walk(c)
				}
			}
		}
		walk(x)
	}
	defs := s.evalDefs()
	for _, v := range divisors {
		if ctx.Err() != nil || ruleZeroSkip && nonzeroSomewhere(ctx, v, defs) {
			continue
		}
		if r, err := simplify.Simplify(ctx, v, s.options()); err == nil && r.Canonical == ast.Zero {
			return true
		}
	}
	return false
}

// ruleZeroSkip turns on ruleZeroDivisor's skipping of the divisors that
// nonzeroSomewhere clears (the tests compare the answers with and
// without it).
var ruleZeroSkip = true

// nonzeroSomewhere reports whether e has a value other than 0 at one of
// two points, evaluated at undefinedPrec bits: a value above 2^-64 in
// magnitude is far from the rounding of a 0. The names in a sum's bounds
// or in a bracket are whole numbers.
func nonzeroSomewhere(ctx context.Context, e ast.Expr, defs *ast.Defs) bool {
	whole := wholeNames(e)
	tiny := new(big.Float).SetMantExp(big.NewFloat(1), -64)
	for p := range int64(2) {
		b := ast.Bindings{}
		for j, n := range ast.FreeNames(e) {
			k := int64(j)
			if whole[n] {
				b[n] = ast.RatScalar(big.NewRat(2+p, 1))
			} else {
				// Numbers with no relation to one another.
				b[n] = ast.RatScalar(big.NewRat(71+37*k+29*p, 113+17*k-41*p))
			}
		}
		v, err := ast.EvalBig(ctx, e, defs, b, undefinedPrec)
		if err == nil && new(big.Float).Abs(v).Cmp(tiny) > 0 {
			return true
		}
	}
	return false
}

// wholeNames are the names in e's brackets and sums' bounds: whole
// numbers (sizes and indices, from 1).
func wholeNames(e ast.Expr) map[string]bool {
	whole := map[string]bool{}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Iverson:
			for _, n := range ast.FreeNames(x) {
				whole[n] = true
			}
		case *ast.Sum:
			for _, n := range append(ast.FreeNames(x.Lo), ast.FreeNames(x.Hi)...) {
				whole[n] = true
			}
		}
		return true
	})
	return whole
}
