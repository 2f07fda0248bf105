package matrix

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// TestDifferAtIllConditioned: at a nearly singular A (condition number
// up to about 2^48), inv(A)*y against x with y = A*x exactly holds, and
// differAt, with the inverse exact, must not find a difference however
// badly float64 would compute the inverse; the same point with x moved by
// 2^-60 of itself must be found.
func TestDifferAtIllConditioned(t *testing.T) {
	rs := load.Builtin()
	defs := &ast.Defs{}
	pctx := load.Context(rs, defs)
	pctx.Shapes = map[string]ast.Shape{"A": ast.MatrixShape(ast.NewInt(3), ast.NewInt(3)), "x": ast.MatrixShape(ast.NewInt(3), ast.One), "y": ast.MatrixShape(ast.NewInt(3), ast.One)}
	opt := Options{Decls: pctx.Shapes, Simplify: simplify.Options{Defs: defs, Rules: rs}}
	parse := func(s string) ast.Expr {
		e, err := parser.ParseExpr(s, pctx)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	ctx := context.Background()
	for _, k := range []int{16, 32, 44} {
		d := math.Ldexp(1, -k)
		pt := ast.Bindings{"A": {Shape: []int{3, 3}, Data: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9 + d}}, "x": {Shape: []int{3}, Data: []float64{1, 1, 1}}, "y": {Shape: []int{3}, Data: []float64{6, 15, 24 + d}}}
		a, b := parse("inv(A)*y"), parse("x")
		if _, ce, known, err := differAt(ctx, a, b, pt, opt, rs.Defs()); err != nil || !known || ce != nil {
			t.Errorf("2^-%d: inv(A)*y == x: known %v, err %v, counterexample %v", k, known, err, ce)
		}
		if _, ce, known, err := differAt(ctx, a, parse("x + 2^-60*x"), pt, opt, rs.Defs()); err != nil || !known || ce == nil {
			t.Errorf("2^-%d: inv(A)*y == x + 2^-60*x: known %v, err %v, no counterexample", k, known, err)
		}
	}
}
