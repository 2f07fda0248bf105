package ast_test

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalLogSigma: log(σ(u)) is evaluated as -softplus(-u), so that it
// has a value where σ(u) underflows to 0 (u below -745), as u - softplus(u)
// has; checked against -(max(-u, 0) + log1p(exp(-|u|))) computed here, in
// float64 and in big.Float.
func TestEvalLogSigma(t *testing.T) {
	e, err := parser.ParseExpr("log(sigma(2*u))", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []float64{-1000, -400, -30, -15.5, -1, -1e-9, 0, 0.3, 15, 30, 400, 1000} {
		x := 2 * u
		want := -(math.Max(-x, 0) + math.Log1p(math.Exp(-math.Abs(x))))
		b := ast.Bindings{"u": ast.Scalar(u)}
		got, err := ast.Eval(e, nil, b)
		if err != nil || math.Abs(got-want) > 1e-15*math.Max(1, math.Abs(want)) {
			t.Errorf("log(sigma(2*u)) at u = %g is %v (%v), want %v", u, got, err, want)
		}
		bg, err := ast.EvalBig(context.Background(), e, nil, b, 200)
		if err != nil {
			t.Errorf("log(sigma(2*u)) at u = %g in big.Float: %v", u, err)
			continue
		}
		if f, _ := bg.Float64(); math.Abs(f-want) > 1e-15*math.Max(1, math.Abs(want)) {
			t.Errorf("log(sigma(2*u)) at u = %g in big.Float is %v, want %v", u, f, want)
		}
	}
}
