package matrix_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestEvalInverseExact: eval prints each entry of inv(A) and det(A) as the
// float64 nearest its true value, for A as written (9.000001 is
// 9000001/1000000), however ill-conditioned A is: a float64 LU inverse of
// [[1,2,3],[4,5,6],[7,8,9.000001]] printed 999998.334081734 for
// 999998.333333333. The oracle is Cramer's rule in rationals, computed
// here (adjugate over determinant), independent of the elimination eval
// uses; and inv(A)*A, which is eye(3).
func TestEvalInverseExact(t *testing.T) {
	opt, pctx := setupSource(t, "inv.sd", "A : matrix(3, 3)\n")
	parse := func(s string) ast.Expr {
		e, err := parser.ParseExpr(s, pctx)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	inv, det, id := parse("inv(A)"), parse("det(A)"), parse("inv(A)*A")
	rng := rand.New(rand.NewPCG(9, 1))
	ctx := context.Background()
	for range 100 {
		// A singular integer matrix with one entry moved by 10^-k.
		u := [3]int64{rng.Int64N(9) - 4, rng.Int64N(9) - 4, rng.Int64N(9) - 4}
		v := [3]int64{rng.Int64N(9) - 4, rng.Int64N(9) - 4, rng.Int64N(9) - 4}
		w := [3]int64{rng.Int64N(9) - 4, rng.Int64N(9) - 4, rng.Int64N(9) - 4}
		var m [3][3]*big.Rat
		for i := range 3 {
			for j := range 3 {
				m[i][j] = big.NewRat(u[i]*v[j]+w[i]*u[j], 1) // rank 2 at most
			}
		}
		k := 3 + rng.IntN(10)
		i0, j0 := rng.IntN(3), rng.IntN(3)
		m[i0][j0].Add(m[i0][j0], new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)))
		src := "["
		for i := range 3 {
			if i > 0 {
				src += ", "
			}
			src += "["
			for j := range 3 {
				if j > 0 {
					src += ", "
				}
				src += m[i][j].FloatString(k)
			}
			src += "]"
		}
		src += "]"
		val, err := ast.ParseValue(src)
		if err != nil {
			t.Fatal(err)
		}
		b := ast.Bindings{"A": val}
		cof := func(i, j int) *big.Rat { // the cofactor of entry (i, j)
			r := [2]int{}
			c := [2]int{}
			for x, n := 0, 0; x < 3; x++ {
				if x != i {
					r[n] = x
					n++
				}
			}
			for x, n := 0, 0; x < 3; x++ {
				if x != j {
					c[n] = x
					n++
				}
			}
			d := new(big.Rat).Sub(new(big.Rat).Mul(m[r[0]][c[0]], m[r[1]][c[1]]), new(big.Rat).Mul(m[r[0]][c[1]], m[r[1]][c[0]]))
			if (i+j)%2 == 1 {
				d.Neg(d)
			}
			return d
		}
		dm := new(big.Rat)
		for j := range 3 {
			dm.Add(dm, new(big.Rat).Mul(m[0][j], cof(0, j)))
		}
		if dm.Sign() == 0 {
			continue
		}
		got, err := matrix.Eval(ctx, det, b, opt, opt.Simplify.Rules.Defs())
		if want, _ := dm.Float64(); err != nil || got.Data[0] != want {
			t.Errorf("det(A) at A = %s: %v, %v; want %v", src, got, err, want)
		}
		got, err = matrix.Eval(ctx, inv, b, opt, opt.Simplify.Rules.Defs())
		if err != nil {
			t.Fatalf("inv(A) at A = %s: %v", src, err)
		}
		for i := range 3 {
			for j := range 3 {
				want, _ := new(big.Rat).Quo(cof(j, i), dm).Float64()
				if got.Data[3*i+j] != want {
					t.Errorf("inv(A)[%d,%d] at A = %s: %v, want %v", i+1, j+1, src, got.Data[3*i+j], want)
				}
			}
		}
		got, err = matrix.Eval(ctx, id, b, opt, opt.Simplify.Rules.Defs())
		if err != nil || fmt.Sprint(got.Data) != "[1 0 0 0 1 0 0 0 1]" {
			t.Errorf("inv(A)*A at A = %s: %v, %v; want eye(3)", src, got.Data, err)
		}
	}
}
