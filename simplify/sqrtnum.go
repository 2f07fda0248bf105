package simplify

import (
	"math/big"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// RuleSqrtNumber takes the square factors out of the square root of a
// number, as a person (and SymPy) writes it: sqrt(4) = 2, sqrt(8) =
// 2*sqrt(2), sqrt(9/4) = 3/2. The canonical form keeps sqrt(u) as a call
// (u^(1/2) is the prover's basis), so 4^(1/2) folded to 2 while sqrt(4)
// stayed.
var RuleSqrtNumber = &rules.Rule{Name: "sqrt_of_number", Kind: rules.Simplify, Root: "call sqrt", Source: rules.Source{File: goFile},
	Doc:      "sqrt(a^2*b) = a*sqrt(b) for numbers a > 0 and b >= 0: sqrt(4) = 2, sqrt(8) = 2*sqrt(2), sqrt(9/4) = 3/2",
	Examples: []string{"sqrt(4)", "sqrt(8)", "sqrt(9/4)", "sqrt(8/9)", "sqrt(12)", "sqrt(1/2)", "sqrt(50)*x"}}

func sqrtNumberRules() []*rules.Rule {
	RuleSqrtNumber.Apply = func(_ rules.Env, e ast.Expr) (ast.Expr, bool) { return sqrtNumber(e) }
	return []*rules.Rule{RuleSqrtNumber}
}

// sqrtTrialMax bounds the trial division that looks for square factors:
// a numerator or denominator past it keeps the factors not found (the
// result is still right, only less reduced).
const sqrtTrialMax = 1 << 12

func sqrtNumber(e ast.Expr) (ast.Expr, bool) {
	call, ok := e.(*ast.Call)
	if !ok || call.Fn != "sqrt" || len(call.Args) != 1 {
		return nil, false
	}
	x, ok := numOf(call.Args[0])
	if !ok || x.Sign() < 0 {
		return nil, false // sqrt of a negative number has no value: it stays visible
	}
	if r, ok := x.Root(2); ok {
		return ast.NewNum(r), true
	}
	// x = (an/ad)^2 * (rn/rd) with rn, rd free of the squares found.
	an, rn := squarePart(x.Num())
	ad, rd := squarePart(x.Denom())
	if an.Cmp(big.NewInt(1)) == 0 && ad.Cmp(big.NewInt(1)) == 0 {
		return nil, false
	}
	k, ok1 := ast.FromBigInt(an).Quo(ast.FromBigInt(ad))
	rest, ok2 := ast.FromBigInt(rn).Quo(ast.FromBigInt(rd))
	if !ok1 || !ok2 {
		return nil, false
	}
	return ast.NewMul(ast.NewNum(k), ast.NewCall("sqrt", ast.NewNum(rest))), true
}

// squarePart writes n >= 1 as a^2 * r, taking out the squares of the
// primes up to sqrtTrialMax (and a remainder that is itself a square).
func squarePart(n *big.Int) (a, r *big.Int) {
	a, r = big.NewInt(1), new(big.Int).Set(n)
	var q, m big.Int
	d := big.NewInt(2)
	sq := new(big.Int)
	for k := int64(2); k <= sqrtTrialMax; k++ {
		d.SetInt64(k)
		sq.Mul(d, d)
		if sq.Cmp(r) > 0 {
			break
		}
		for {
			q.QuoRem(r, sq, &m)
			if m.Sign() != 0 {
				break
			}
			r.Set(&q)
			a.Mul(a, d)
		}
	}
	if s := new(big.Int).Sqrt(r); s.Cmp(big.NewInt(1)) > 0 && new(big.Int).Mul(s, s).Cmp(r) == 0 {
		a.Mul(a, s)
		r.SetInt64(1)
	}
	return a, r
}
