package simplify

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// termOrderListed is termOrder as it was, with a list made for a term of
// one factor: the reference for TestTermOrderNoList.
func termOrderListed(a, b ast.Expr) int {
	parts := func(t ast.Expr) (ast.Number, []ast.Expr) {
		switch x := t.(type) {
		case *ast.Num:
			return x.Value, nil
		case *ast.Mul:
			if n, ok := x.Factors[0].(*ast.Num); ok {
				return n.Value, x.Factors[1:]
			}
			return ast.Int(1), x.Factors
		}
		return ast.Int(1), []ast.Expr{t}
	}
	ca, fa := parts(a)
	cb, fb := parts(b)
	var c int
	switch {
	case len(fa) == 1 && len(fb) == 1:
		c = Compare(fa[0], fb[0])
	case len(fa) == 0 || len(fb) == 0:
		c = len(fa) - len(fb)
	default:
		c = compareMonomials(fa, fb)
	}
	if c != 0 {
		return c
	}
	return ca.Cmp(cb)
}

// TestTermOrderNoList: termOrder, which takes a term of one factor as it
// is, returns what it returned with a list made for it, on pairs of
// random terms: numbers, names, powers, calls, products with and without
// a coefficient (and a product of one number and one factor, which the
// canonical form does not make but an ast.Mul may hold).
func TestTermOrderNoList(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 4))
	g := parsetest.NewGen(rng)
	term := func() ast.Expr {
		switch rng.IntN(7) {
		case 0:
			return ast.NewInt(int64(rng.IntN(5)) - 2)
		case 1:
			return ast.NewSym([]string{"x", "y", "z"}[rng.IntN(3)])
		case 2:
			return ast.NewPow(ast.NewSym("x"), ast.NewInt(int64(2+rng.IntN(3))))
		case 3:
			return ast.NewMul(ast.NewInt(int64(rng.IntN(5))-2), g.Leaf(), g.Leaf())
		case 4:
			return ast.NewMul(g.Leaf(), g.Leaf(), g.Leaf())
		case 5:
			return &ast.Mul{Factors: []ast.Expr{ast.NewInt(3), g.Leaf()}}
		}
		return g.Expr(2)
	}
	for i := range 20000 {
		a, b := term(), term()
		if rng.IntN(5) == 0 {
			b = a
		}
		if got, want := termOrder(a, b), termOrderListed(a, b); got != want {
			t.Fatalf("%d: termOrder(%s, %s) = %d, was %d", i, ast.String(a), ast.String(b), got, want)
		}
	}
}
