package session

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestFlatPieceDividedKinkSession (review7): d(sqrt(y/relu(x)), x) has the
// value -1/2 at x = 1, y = 1 (-y/(2*x^2*sqrt(y/x))); left7's flat-piece rule
// wrote its flat value y/0 into a condition, and the session then refused
// the derivative as "divides by zero: it is undefined everywhere".
func TestFlatPieceDividedKinkSession(t *testing.T) {
	s := New()
	stmts, err := parser.ParseFile("t.sd", "d(sqrt(y/relu(x)), x)", s.Context())
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Exec(context.Background(), stmts[0])
	if err != nil {
		t.Fatalf("d(sqrt(y/relu(x)), x): %v", err)
	}
	got, err := ast.Eval(r.Value, nil, ast.Bindings{"x": ast.Scalar(1), "y": ast.Scalar(1)})
	if err != nil || got != -0.5 {
		t.Fatalf("d(sqrt(y/relu(x)), x) = %s is %g (%v) at x = 1, y = 1, want -0.5", ast.String(r.Value), got, err)
	}
}
