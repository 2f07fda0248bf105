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
		h := math.Ldexp(1, -k)
		pt := ast.Bindings{"A": {Shape: []int{3, 3}, Data: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9 + h}}, "x": {Shape: []int{3}, Data: []float64{1, 1, 1}}, "y": {Shape: []int{3}, Data: []float64{6, 15, 24 + h}}}
		a, b := parse("inv(A)*y"), parse("x")
		if d, err := differAt(ctx, a, b, pt, opt, rs.Defs()); err != nil || !d.known || d.ce != nil {
			t.Errorf("2^-%d: inv(A)*y == x: known %v, err %v, counterexample %v", k, d.known, err, d.ce)
		}
		d, err := differAt(ctx, a, parse("x + 2^-60*x"), pt, opt, rs.Defs())
		if err != nil || !d.known || d.ce == nil {
			t.Fatalf("2^-%d: inv(A)*y == x + 2^-60*x: known %v, err %v, no counterexample", k, d.known, err)
		}
		// The sides shown are the float64 nearest each entry: x itself,
		// however badly float64 computes the inverse.
		if !d.ok || FormatValue(d.left) != FormatValue(pt["x"]) {
			t.Errorf("2^-%d: inv(A)*y is shown as %v (ok %v), want %s", k, d.left, d.ok, FormatValue(pt["x"]))
		}
	}
}
