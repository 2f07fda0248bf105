package matrix_test

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// The seed in matrix form, in process: translation to index form,
// differentiation, simplification and translation back.
func benchSimplify(b *testing.B, src string) {
	opt, pctx := setup(b)
	e, err := parser.ParseExpr(src, pctx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil || r.Value == nil {
			b.Fatal(err, r.NoForm)
		}
	}
}

func BenchmarkCEGradient(b *testing.B)  { benchSimplify(b, "d(CE, w)") }
func BenchmarkCEHessian(b *testing.B)   { benchSimplify(b, "hessian(CE, w)") }
func BenchmarkMSEGradient(b *testing.B) { benchSimplify(b, "d(MSE, w)") }

func BenchmarkProveCEGradient(b *testing.B) {
	opt, pctx := setup(b)
	lhs, _ := parser.ParseExpr("d(CE, w)", pctx)
	rhs, _ := parser.ParseExpr("X'*(sigma(X*w) - y)/n", pctx)
	for b.Loop() {
		if _, err := matrix.Prove(context.Background(), lhs, rhs, opt); err != nil {
			b.Fatal(err)
		}
	}
}
