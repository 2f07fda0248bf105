package session

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalSizesFromIndexedValues: with x : vector(n) declared, eval of
// an expression that uses x only indexed reads n off x's value, as eval
// of one that uses x whole (sum(x)/n) did: sum(i=1..n, x[i])/n at
// x = [1, 2, 3] said "missing values for n", and x[1] at n = 4 gave 1
// for an x of three entries. The oracle is the mean computed here from
// random values of random lengths; a size given that disagrees with the
// value is an error.
func TestEvalSizesFromIndexedValues(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 1))
	for range 30 {
		s := New()
		for _, st := range parseStmts(t, s, "x : vector(n)\nA : matrix(n, d)\nm := sum(i=1..n, x[i])/n") {
			if _, err := s.Exec(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		n := 1 + rng.IntN(6)
		xs := make([]float64, n)
		sum := 0.0
		for i := range xs {
			xs[i] = float64(rng.IntN(21) - 10)
			sum += xs[i]
		}
		b := ast.Bindings{"x": {Shape: []int{n}, Data: xs}}
		for src, want := range map[string]float64{"m": sum / float64(n), "sum(i=1..n, x[i])": sum, "x[1]*n": xs[0] * float64(n)} {
			e, err := parser.ParseExpr(src, s.Context())
			if err != nil {
				t.Fatal(err)
			}
			v, err := s.EvalValue(ctx, e, b)
			if err != nil {
				t.Fatalf("%s at x=%v: %v", src, xs, err)
			}
			if got := v.Data[0]; got != want {
				t.Errorf("%s at x=%v = %g, want %g", src, xs, got, want)
			}
		}
		e, err := parser.ParseExpr("x[1]", s.Context())
		if err != nil {
			t.Fatal(err)
		}
		b["n"] = ast.Scalar(float64(n + 1))
		if _, err := s.EvalValue(ctx, e, b); err == nil || !strings.Contains(err.Error(), "x is declared vector(n) with n=") {
			t.Errorf("x[1] at x=%v, n=%d: %v, want an error that n disagrees with x", xs, n+1, err)
		}
	}
}

func parseStmts(t *testing.T, s *Session, src string) []*parser.Statement {
	t.Helper()
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		t.Fatal(err)
	}
	return stmts
}
