package numcheck

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestExactBindingBound: a binding that is an exact rational with no
// finite binary expansion (an entry of an exact inverse) is rounded at
// every precision, and its bound must say so: q*x == p for x = p/q is
// true, never a counterexample; q*x == p + 2^-300 is false, always one.
func TestExactBindingBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 200 {
		p, q := rng.Int64N(2001)-1000, rng.Int64N(999)+2
		r := big.NewRat(p, q)
		pt := ast.Bindings{"x": ast.RatScalar(r)}
		x := ast.NewMul(ast.NewNum(ast.FromRat(big.NewRat(q, 1))), ast.NewSym("x"))
		exact := ast.NewNum(ast.FromRat(new(big.Rat).Mul(r, big.NewRat(q, 1))))
		ce, err := Confirm(bg, x, exact, pt, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ce != nil {
			t.Fatalf("%d*x == %s at x = %s: refuted, %s", q, ast.String(exact), r.RatString(), ce.Summary())
		}
		off := new(big.Rat).Add(new(big.Rat).Mul(r, big.NewRat(q, 1)), new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 300)))
		ce, err = Confirm(bg, x, ast.NewNum(ast.FromRat(off)), pt, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ce == nil {
			t.Fatalf("%d*x == %s + 2^-300 at x = %s: not refuted", q, ast.String(exact), r.RatString())
		}
	}
}

// TestExactBindingSettles: Settle of (x - c)*2^300 at x = 1/3 exact, c
// the 250-bit binary fraction nearest 1/3, must give the float64 nearest
// the exact value (1/3 - c)*2^300: at 256 bits x itself is off by 2^-258,
// a 1% error in the difference, which a bound of 0 on x would let pass.
func TestExactBindingSettles(t *testing.T) {
	third := big.NewRat(1, 3)
	for _, bits := range []uint{200, 240, 250, 254} {
		c, _ := new(big.Float).SetPrec(bits).SetRat(third).Rat(nil)
		pow := new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 300))
		e := ast.NewMul(ast.NewAdd(ast.NewSym("x"), ast.NewNum(ast.FromRat(new(big.Rat).Neg(c)))), ast.NewNum(ast.FromRat(pow)))
		want, _ := new(big.Rat).Mul(new(big.Rat).Sub(third, c), pow).Float64()
		v, settled, _, err := Settle(bg, e, ast.Bindings{"x": ast.RatScalar(third)}, 256)
		if err != nil {
			t.Fatal(err)
		}
		if !settled {
			t.Fatalf("%d bits: not settled", bits)
		}
		if got, _ := v.Float64(); got != want {
			t.Errorf("c to %d bits: settled at %g, want %g", bits, got, want)
		}
	}
}
