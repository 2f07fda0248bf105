package session

import (
	"context"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestUndefinedPartTooDeep: the walk for parts without a value recursed
// once per level, and a part nested 700,000 deep overflowed the stack (a
// fatal error that no recover catches). Past maxUndefinedDepth it says so;
// below it the walk still finds a part that has no value at the bottom.
func TestUndefinedPartTooDeep(t *testing.T) {
	nest := func(n int, leaf ast.Expr) ast.Expr {
		e := leaf
		for range n {
			e = ast.NewCall("sin", e)
		}
		return e
	}
	x := ast.NewSym("x")
	opt := simplify.Options{}
	if err := undefinedPart(context.Background(), nest(maxUndefinedDepth+10, x), nil, opt); err == nil || !strings.Contains(err.Error(), "too deep") {
		t.Errorf("nested %d deep: %v, want a too-deep error", maxUndefinedDepth+10, err)
	}
	if err := undefinedPart(context.Background(), nest(1000, x), nil, opt); err != nil {
		t.Errorf("sin nested 1,000 deep around x: %v, want nil", err)
	}
	bottom := ast.NewDiv(x, ast.NewAdd(x, ast.NewNeg(x))) // x/(x - x): no value anywhere
	if err := undefinedPart(context.Background(), nest(1000, bottom), nil, opt); err == nil {
		t.Error("x/(x - x) under 1,000 sines: no error, want one")
	}
}
