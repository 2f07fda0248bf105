package matrix_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestReview2EvalDerivCancelsBeyond512Bits: a derivative's entry is
// evaluated at 512 bits, and its chain-rule form can cancel beyond that:
// d(sum(4*x ./ (x + 2^(-600))), x) at x = [1, 1] is 4*2^-600/(1 + 2^-600)^2
// = 9.64e-181 in each entry, and was [0, 0]. Each entry must be the value
// (within 1e-12, the closed form 4*e/(x + e)^2 worked out by hand) or an
// error saying there is none; never another number.
func TestReview2EvalDerivCancelsBeyond512Bits(t *testing.T) {
	opt, pctx := setupSource(t, "preamble", "x : vector(n)\n")
	for _, c := range []struct {
		src  string
		x    []float64
		want float64 // every entry
	}{
		{"d(sum(4*x ./ (x + 2^(-600))), x)", []float64{1, 1}, 9.639679460411536e-181},
		{"d(sum(4*x ./ (x + 2^(-1000))), x)", []float64{1, 1}, 3.7330544740128755e-301},
		{"d(sum(4*x ./ (x + 2^(-63))), x)", []float64{1, 1}, 4.336808689942018e-19},
	} {
		e, err := parser.ParseExpr(c.src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		b := ast.Bindings{"x": ast.Value{Shape: []int{2}, Data: c.x}}
		v, err := matrix.Eval(context.Background(), e, b, opt, opt.Simplify.Rules.Defs())
		var de *ast.DomainError
		if err != nil {
			if !errors.As(err, &de) {
				t.Errorf("%s at x=%v: %v", c.src, c.x, err)
			}
			continue
		}
		for i, g := range v.Data {
			if math.Abs(g-c.want) > 1e-12*c.want {
				t.Errorf("%s at x=%v: entry %d is %v; want %v (or an error saying there is no answer)", c.src, c.x, i+1, g, c.want)
			}
		}
	}
}
