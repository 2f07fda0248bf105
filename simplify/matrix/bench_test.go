package matrix_test

import (
	"context"
	"fmt"
	"math/rand/v2"
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

// chainSource declares x : vector(m) and W1..Wk : matrix(m, m) and
// returns the declarations and F = sum(tanh(Wk*tanh(...tanh(W1*x)))), a
// k-layer tanh network summed to a scalar.
func chainSource(k int) (decls, f string) {
	decls = "x : vector(m)\n"
	f = "x"
	for i := 1; i <= k; i++ {
		decls += fmt.Sprintf("W%d : matrix(m, m)\n", i)
		f = fmt.Sprintf("tanh(W%d*%s)", i, f)
	}
	return decls, "sum(" + f + ")"
}

// chainSetup parses a chain's declarations.
func chainSetup(tb testing.TB, k int) (matrix.Options, *parser.Context, string) {
	tb.Helper()
	decls, f := chainSource(k)
	opt, pctx := setupSource(tb, "chain", decls)
	return opt, pctx, f
}

// d/dW1 of the 10-layer chain, in process.
func BenchmarkChain10GradientW1(b *testing.B) {
	opt, pctx, f := chainSetup(b, 10)
	e, err := parser.ParseExpr("d("+f+", W1)", pctx)
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

// The chain's gradient is right: for 1 to 3 layers, against central
// finite differences at random sizes and values (10 layers: symdiff
// gradcheck, as the README shows; evaluating it entry by entry here would
// take m^10 steps an entry).
func TestChainGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for k := 1; k <= 3; k++ {
		opt, pctx, f := chainSetup(t, k)
		e, err := parser.ParseExpr("d("+f+", W1)", pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil || r.Value == nil {
			t.Fatalf("%d layers: %v %v", k, err, r.NoForm)
		}
		for trial := range 3 {
			checkFD(t, e, r.Value, opt, rng, trial)
		}
	}
}
