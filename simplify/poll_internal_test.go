package simplify

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// TestPollsSeeLateCancellation: the context, which stopped asks only at
// some of its polls, is still asked all along: cancelled after its
// first few answers, a long normalisation stops as cancelled.
func TestPollsSeeLateCancellation(t *testing.T) {
	x := ast.NewSym("x")
	sum := func(d int64) ast.Expr {
		var ts []ast.Expr
		for k := int64(1); k <= 300; k++ {
			ts = append(ts, ast.NewDiv(ast.NewMul(ast.NewInt(k), ast.NewPow(x, ast.NewInt(k-1))), ast.NewInt(k+d)))
		}
		return ast.NewAdd(ts...)
	}
	for _, n := range []int{0, 1, 3} {
		s := New(Options{Rules: load.Builtin()})
		// A first normalisation compiles the rules and polls: the
		// second's context is asked only by stopped.
		s.Normalize(context.Background(), sum(0), false)
		ctx := parsetest.CancelAfter(n)
		s.Normalize(ctx, sum(1), false)
		if r, _ := s.Stop(); r != StopCanceled {
			t.Errorf("cancelled after %d answers: stopped by %v, want %v", n, r, StopCanceled)
		}
		if ctx.Asked() < n+1 {
			t.Errorf("the context was asked %d times", ctx.Asked())
		}
	}
}
