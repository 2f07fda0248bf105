package ast_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestExactZeroPower: an exact 0 to a power k > 0 is exactly 0 whatever k
// is (fractional, past the size bound on exact powers, past int64), and
// 1 and -1 to a whole power are exactly ±1: the exact evaluator went on in
// float64 there, so (z - 2^20)^20000 at z = 2^20 was no exact 0 and a
// refutation that needs it was "unknown". 0^0 stays 1, 0 to a negative
// power stays a division by zero. The oracle is EvalBig at 512 bits on
// the same point, whose 0 base is exact too, and the parity of k.
func TestExactZeroPower(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 20))
	z := big.NewRat(1<<20, 1)
	for i := range 200 {
		var k string
		switch i % 4 {
		case 0:
			k = fmt.Sprint(1 + rng.IntN(1<<20)) // past maxExactBits for many
		case 1:
			k = fmt.Sprintf("(%d/%d)", 1+rng.IntN(50), 2+rng.IntN(50))
		case 2:
			k = fmt.Sprintf("2^%d", 63+rng.IntN(40)) // past int64
		case 3:
			k = fmt.Sprint(rng.IntN(3) - 2) // 0, -1, -2
		}
		for _, base := range []string{"(z - 2^20)", "(z - 2^20 + 1)", "(2^20 - 1 - z)"} {
			src := base + "^" + k
			e, err := parser.ParseExpr(src, nil)
			if err != nil {
				t.Fatal(err)
			}
			b := ast.Bindings{"z": ast.RatScalar(z)}
			r, _, err := ast.EvalExact(ctx, e, nil, b)
			hi, herr := ast.EvalBig(ctx, e, nil, b, 512)
			if herr != nil {
				if err == nil {
					t.Errorf("%s at z = 2^20: exact %v, at 512 bits %v", src, r, herr)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s at z = 2^20: exact %v, at 512 bits %v", src, err, hi)
				continue
			}
			if r == nil {
				// Only a base of ±1 to a fractional power is left to
				// float64 (-1 to it is not real, 1 to it is 1).
				if i%4 != 1 || base == "(z - 2^20)" {
					t.Errorf("%s at z = 2^20: not exact (%v at 512 bits)", src, hi)
				}
				continue
			}
			if new(big.Float).SetRat(r).Cmp(hi) != 0 {
				t.Errorf("%s at z = 2^20 = %s exactly, %v at 512 bits", src, r.RatString(), hi)
			}
		}
	}
}
