package simplify

import (
	"math/big"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Sine and cosine at rational multiples of π with a closed form in square
// roots of 2 and 3: multiples of π/4 and π/6; and of an argument shifted by
// a multiple of π/2. Rules written in Go because they reduce the multiple
// modulo 2π first.
var (
	RuleSinPi = &rules.Rule{Name: "sin_of_pi_multiple", Kind: rules.Simplify, Root: "call sin", Source: rules.Source{File: goFile},
		Doc:      "sin(k*pi) in closed form for k a multiple of 1/4 or 1/6: sin(pi/6) = 1/2, sin(pi/4) = sqrt(2)/2, sin(pi) = 0; sin(u + pi) = -sin(u), sin(u + pi/2) = cos(u)",
		Examples: []string{"sin(pi)", "sin(pi/6)", "sin(pi/4)", "sin(-2*pi/3)", "sin(7*pi/4)", "sin(13*pi/6)", "sin(x + pi)", "sin(x - pi/2)"}}
	RuleCosPi = &rules.Rule{Name: "cos_of_pi_multiple", Kind: rules.Simplify, Root: "call cos", Source: rules.Source{File: goFile},
		Doc:      "cos(k*pi) in closed form for k a multiple of 1/4 or 1/6: cos(pi) = -1, cos(pi/3) = 1/2, cos(pi/4) = sqrt(2)/2; cos(u + pi) = -cos(u), cos(u + pi/2) = -sin(u)",
		Examples: []string{"cos(pi)", "cos(pi/3)", "cos(pi/4)", "cos(5*pi/6)", "cos(-pi/2)", "cos(4*pi)", "cos(x + pi/2)", "cos(x - 3*pi)"}}
)

func trigPiRules() []*rules.Rule {
	RuleSinPi.Apply = withCanon(trigOfPi)
	RuleCosPi.Apply = withCanon(trigOfPi)
	return []*rules.Rule{RuleSinPi, RuleCosPi}
}

// piMultiple returns k when e is k*pi for a rational k.
func piMultiple(e ast.Expr) (ast.Number, bool) {
	switch x := e.(type) {
	case *ast.Call:
		if x.Fn == "pi" && len(x.Args) == 0 {
			return ast.Int(1), true
		}
	case *ast.Mul:
		if len(x.Factors) == 2 {
			if k, ok := numOf(x.Factors[0]); ok {
				if c, ok := x.Factors[1].(*ast.Call); ok && c.Fn == "pi" && len(c.Args) == 0 {
					return k, true
				}
			}
		}
	case *ast.Neg:
		if k, ok := piMultiple(x.X); ok {
			return k.Neg(), true
		}
	}
	return ast.Number{}, false
}

// sinTwelfths()[n] is sin(n*pi/12) for n = 0..11 where it has a closed
// form in square roots of 2 and 3 (n a multiple of 2 or 3); nil otherwise.
// It is made on first use, not by every program's start (beside a
// sync.Once: a package-level sync.OnceValue is itself a call at start-up).
func sinTwelfths() []ast.Expr {
	sinTwelfthsOnce.Do(func() {
		half := ast.NewNum(ast.Frac(1, 2))
		r2 := ast.NewDiv(ast.NewCall("sqrt", ast.Two), ast.Two)
		r3 := ast.NewDiv(ast.NewCall("sqrt", ast.NewInt(3)), ast.Two)
		sinTwelfthsOnce.v = []ast.Expr{0: ast.Zero, 2: half, 3: r2, 4: r3, 6: ast.One, 8: r3, 9: r2, 10: half, 11: nil}
	})
	return sinTwelfthsOnce.v
}

var sinTwelfthsOnce struct {
	sync.Once
	v []ast.Expr
}

func trigOfPi(c *canon, e ast.Expr) (ast.Expr, bool) {
	call := e.(*ast.Call)
	if r, ok := quarterTurn(c, call); ok {
		return r, true
	}
	k, ok := piMultiple(call.Args[0])
	if !ok {
		return nil, false
	}
	// n = 12k (a whole number), shifted by a quarter turn for cos,
	// reduced modulo 24 (a full turn).
	t := k.Mul(ast.Int(12))
	if !t.IsInt() {
		return nil, false
	}
	n := new(big.Int).Set(t.Num())
	if call.Fn == "cos" {
		n.Add(n, big.NewInt(6))
	}
	n.Mod(n, big.NewInt(24))
	i := int(n.Int64())
	neg := i >= 12
	if neg {
		i -= 12
	}
	v := sinTwelfths()[i]
	if v == nil {
		return nil, false
	}
	if neg {
		v = ast.NewNeg(v)
	}
	return c.expr(v), true
}

// quarterTurn takes a multiple of pi/2 out of a sum: sin(u + pi) = -sin(u),
// cos(u + pi/2) = -sin(u).
func quarterTurn(c *canon, call *ast.Call) (ast.Expr, bool) {
	sum, ok := call.Args[0].(*ast.Add)
	if !ok {
		return nil, false
	}
	for i, t := range sum.Terms {
		k, ok := piMultiple(t)
		if !ok {
			continue
		}
		q := k.Mul(ast.Int(2)) // quarter turns
		if !q.IsInt() {
			return nil, false
		}
		n := new(big.Int).Mod(q.Num(), big.NewInt(4)).Int64()
		rest := ast.NewAdd(append(append([]ast.Expr{}, sum.Terms[:i]...), sum.Terms[i+1:]...)...)
		if call.Fn == "cos" {
			n = (n + 1) % 4 // cos(v) = sin(v + pi/2)
		}
		var r ast.Expr
		switch n {
		case 0:
			r = ast.NewCall("sin", rest)
		case 1:
			r = ast.NewCall("cos", rest)
		case 2:
			r = ast.NewNeg(ast.NewCall("sin", rest))
		default:
			r = ast.NewNeg(ast.NewCall("cos", rest))
		}
		return c.expr(r), true
	}
	return nil, false
}
