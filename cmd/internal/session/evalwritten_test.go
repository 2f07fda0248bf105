package session

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalWrittenCancels: an expression as the user wrote it can cancel
// as a derivative can. ((c + x^k) - x^k)*m and (x + c)^2 - x^2 - 2*c*x at
// x = 10^a lose c in float64 once x^k dwarfs it, and eval printed 0. The
// values are c*m and c^2 exactly (the oracle is that closed form in
// rationals, written here).
func TestEvalWrittenCancels(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 120; i++ {
		c := big.NewRat(int64(rng.IntN(2000)-1000), int64(1+rng.IntN(50)))
		if c.Sign() == 0 {
			c.SetInt64(3)
		}
		a := 4 + rng.IntN(60) // x = 10^a, well inside float64
		var src string
		want := new(big.Rat)
		if i%2 == 0 {
			k := 2 + rng.IntN(3)
			if a*k > 300 {
				a = 300 / k
			}
			m := big.NewRat(int64(1+rng.IntN(9)), 1)
			src = fmt.Sprintf("((%s + x^%d) - x^%d)*%s", c.RatString(), k, k, m.RatString())
			want.Mul(c, m)
		} else {
			src = fmt.Sprintf("(x + %s)^2 - x^2 - 2*%s*x", c.RatString(), c.RatString())
			want.Mul(c, c)
		}
		s := New()
		e, err := parser.ParseExpr(src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		x := math.Pow10(a)
		got, err := s.Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(x)})
		if err != nil {
			t.Fatalf("%s at x = 1e%d: %v", src, a, err)
		}
		w, _ := want.Float64()
		if math.Abs(got-w) > 1e-12*math.Abs(w) {
			t.Errorf("eval %s at x = 1e%d = %g, want %g", src, a, got, w)
		}
	}
}
