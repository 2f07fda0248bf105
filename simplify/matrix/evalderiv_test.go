package matrix_test

import (
	"context"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestEvalDerivExtreme: a derivative's entries are evaluated at high
// precision, as a scalar derivative is, so the chain rule's form does not
// overflow where the derivative is a moderate number. Each want is worked
// out by the test itself in a form that cannot overflow: x/|x| with
// math.Hypot, and the softmax shifted by its largest exponent. Before the
// fix, d(norm(x), x) at [1e200, 1e200] was [0, 0] (the squares overflowed
// to +Inf) and d(log(sum(exp(x))), x) at [800, 1] was NaN.
func TestEvalDerivExtreme(t *testing.T) {
	opt, pctx := setupSource(t, "preamble", "x : vector(n)\n")
	unit := func(v ...float64) []float64 {
		h := math.Hypot(v[0], v[1])
		return []float64{v[0] / h, v[1] / h}
	}
	softmax := func(v ...float64) []float64 {
		m := math.Max(v[0], v[1])
		a, b := math.Exp(v[0]-m), math.Exp(v[1]-m)
		return []float64{a / (a + b), b / (a + b)}
	}
	tests := []struct {
		src  string
		x    []float64
		want []float64
	}{
		{"d(norm(x), x)", []float64{1e200, 1e200}, unit(1e200, 1e200)},
		{"d(norm(x), x)", []float64{3e-200, -4e-200}, unit(3e-200, -4e-200)},
		{"d(norm(x), x)", []float64{3, 4}, unit(3, 4)},
		{"d(log(sum(exp(x))), x)", []float64{800, 1}, softmax(800, 1)},
		{"d(log(sum(exp(x))), x)", []float64{-800, -801}, softmax(-800, -801)},
		{"d(log(sum(exp(x))), x)", []float64{0.5, -1}, softmax(0.5, -1)},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		b := ast.Bindings{"x": ast.Value{Shape: []int{2}, Data: tt.x}}
		v, err := matrix.Eval(context.Background(), e, b, opt, opt.Simplify.Rules.Defs())
		if err != nil {
			t.Errorf("%s at x=%v: %v", tt.src, tt.x, err)
			continue
		}
		if diff := cmp.Diff(tt.want, v.Data, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) <= 1e-14*(1+math.Abs(a)) })); diff != "" {
			t.Errorf("%s at x=%v (-want +got):\n%s", tt.src, tt.x, diff)
		}
	}
}
