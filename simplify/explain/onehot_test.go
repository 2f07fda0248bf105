package explain_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestExplainMatrixOneHotOption: the --one-hot option on a softmax
// cross-entropy in matrix notation acts as `assume sum(c=1..K, T[i,c]) ==
// 1`: the weight gradient (1/n)·Xᵀ(softmax(XW) − T) is stated and proved
// in matrix notation. The check is independent of the engine's
// derivative: a dense evaluator written here computes the loss
// −(1/n)Σᵢ Σₗ Tᵢₗ log softmax(XW)ᵢₗ and its central finite differences,
// which the stated matrix expression (evaluated by matrix.Eval) must
// match at one-hot labels. Without the option the form is not claimed.
func TestExplainMatrixOneHotOption(t *testing.T) {
	const src = "X : matrix(n, d)\nW : matrix(d, K)\nT : matrix(n, K)\nP := exp(X*W) ./ (exp(X*W)*ones(K)*ones(K)')\nXE := -mean((T .* log(P))*ones(K))"
	opt, name := matrixScript(t, src)
	opt.Assume.OneHot = true
	e, err := explain.Explain(context.Background(), ast.NewSym(name), opt)
	if err != nil {
		t.Fatal(err)
	}
	if e.Verdict != explain.Residual || e.Weights == nil || e.Weights.MatrixExpr == nil || !has(e, explain.PartMatrix, prove.Proved) {
		t.Fatalf("verdict %s: no weight gradient proved in matrix notation:\n%s\nnotes %q", e.Verdict, claims(e), e.Notes)
	}
	if got, want := ast.String(e.Weights.MatrixExpr), "1/n*X'*(exp(X*W) ./ (exp(X*W)*ones(K)*ones(K)') - T)"; got != want {
		t.Errorf("matrix form %s, want %s", got, want)
	}
	for _, cl := range e.Claims {
		if !cl.Holds() {
			t.Errorf("claim %q: %s, needed %s", cl.Say, cl.Proof.Verdict, cl.Want)
		}
	}
	for _, n := range e.Notes {
		if strings.Contains(n, "index form only") {
			t.Errorf("note %q beside a proved matrix form", n)
		}
	}

	// The dense oracle.
	const n, d, K = 5, 3, 4
	loss := func(X, W, T []float64) float64 {
		var s float64
		for i := range n {
			z := make([]float64, K)
			lse := 0.0
			for l := range K {
				for j := range d {
					z[l] += X[i*d+j] * W[j*K+l]
				}
				lse += math.Exp(z[l])
			}
			for l := range K {
				s -= T[i*K+l] * (z[l] - math.Log(lse))
			}
		}
		return s / n
	}
	mopt := matrix.Options{Decls: opt.Decls, Simplify: opt.Simplify}
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 3 {
		scale := float64(1 + 2*trial) // far from 0 too
		u := func() float64 { return scale * (2*rng.Float64() - 1) }
		X, W := array(1, u, n, d), array(1, u, d, K)
		T := array(1, func() float64 { return 0 }, n, K)
		for i := range n {
			T.Data[i*K+rng.IntN(K)] = 1
		}
		b := ast.Bindings{"X": X, "W": W, "T": T}
		g, err := matrix.Eval(context.Background(), e.Weights.MatrixExpr, b, mopt, opt.Simplify.Rules.Defs())
		if err != nil {
			t.Fatal(err)
		}
		const h = 1e-6
		for k := range W.Data {
			wp := append([]float64(nil), W.Data...)
			wm := append([]float64(nil), W.Data...)
			wp[k] += h
			wm[k] -= h
			fd := (loss(X.Data, wp, T.Data) - loss(X.Data, wm, T.Data)) / (2 * h)
			if math.Abs(fd-g.Data[k]) > 1e-6*math.Max(1, math.Abs(fd)) {
				t.Errorf("trial %d, W entry %d: stated %g, finite differences %g", trial, k, g.Data[k], fd)
			}
		}
	}

	// Without the option the labels need not be one-hot: no residual form.
	opt.Assume.OneHot = false
	e, err = explain.Explain(context.Background(), ast.NewSym(name), opt)
	if err != nil {
		t.Fatal(err)
	}
	if e.Verdict == explain.Residual {
		t.Errorf("without --one-hot: verdict %s", e.Verdict)
	}
}
