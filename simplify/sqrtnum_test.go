package simplify

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestSqrtNumber: sqrt of a number comes out as k*sqrt(r) with k^2*r equal
// to the number exactly (big.Rat arithmetic, not the engine's), r free of
// square factors up to the trial bound, and r = 1 (no sqrt) exactly when
// the number is a square of a rational, which big.Int.Sqrt decides.
func TestSqrtNumber(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 11))
	isSquare := func(n *big.Int) bool {
		s := new(big.Int).Sqrt(n)
		return s.Mul(s, s).Cmp(n) == 0
	}
	randInt := func() *big.Int {
		switch rng.IntN(4) {
		case 0: // a product of small primes and squares
			n := big.NewInt(1)
			for range rng.IntN(6) {
				p := []int64{2, 3, 5, 7, 11, 13, 4093}[rng.IntN(7)]
				n.Mul(n, big.NewInt(p))
			}
			return n
		case 1: // past int64
			n := new(big.Int).Lsh(big.NewInt(rng.Int64N(1000)+1), uint(rng.IntN(100)))
			return n.Mul(n, n).Mul(n, big.NewInt(rng.Int64N(50)+1))
		default:
			return big.NewInt(rng.Int64N(100000) + 1)
		}
	}
	for range 3000 {
		x := new(big.Rat).SetFrac(randInt(), randInt())
		in := ast.NewCall("sqrt", ast.NewNum(ast.FromRat(x)))
		got, ok := sqrtNumber(in)
		square := isSquare(x.Num()) && isSquare(x.Denom())
		if !ok {
			if square {
				t.Fatalf("sqrt(%v): not taken out, but it is a square", x)
			}
			continue
		}
		var k, r *big.Rat
		switch g := got.(type) {
		case *ast.Num:
			k, r = g.Value.Rat(), big.NewRat(1, 1)
		case *ast.Mul:
			c := g.Factors[1].(*ast.Call)
			if c.Fn != "sqrt" {
				t.Fatalf("sqrt(%v) = %s", x, ast.String(got))
			}
			k, r = g.Factors[0].(*ast.Num).Value.Rat(), c.Args[0].(*ast.Num).Value.Rat()
		default:
			t.Fatalf("sqrt(%v) = %s", x, ast.String(got))
		}
		back := new(big.Rat).Mul(k, k)
		if back.Mul(back, r); back.Cmp(x) != 0 || k.Sign() <= 0 {
			t.Fatalf("sqrt(%v) = %s: k^2*r = %v", x, ast.String(got), back)
		}
		if (r.Cmp(big.NewRat(1, 1)) == 0) != square {
			t.Fatalf("sqrt(%v) = %s: square %v", x, ast.String(got), square)
		}
		for d := int64(2); d <= 200; d++ {
			d2 := big.NewInt(d * d)
			if new(big.Int).Rem(r.Num(), d2).Sign() == 0 || new(big.Int).Rem(r.Denom(), d2).Sign() == 0 {
				t.Fatalf("sqrt(%v) = %s: %d^2 still divides %v", x, ast.String(got), d, r)
			}
		}
	}
	for _, e := range []ast.Expr{
		ast.NewCall("sqrt", ast.NewInt(-4)), ast.NewCall("sqrt", ast.Two), ast.NewCall("sqrt", ast.NewSym("x")),
		ast.NewCall("sqrt", ast.NewNum(ast.Frac(3, 5))), ast.NewCall("sqrt", ast.NewNum(ast.Frac(-9, 4))),
	} {
		if got, ok := sqrtNumber(e); ok {
			t.Errorf("%s: rewritten to %s", ast.String(e), ast.String(got))
		}
	}
}
