package simplify_test

import (
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestSizeShadowedBySum: a name used as a sum's bound is a size, a
// positive integer, but only where it is free: the index of a sum that
// binds the same name ranges over the sum's range, which may hold zero and
// negative numbers, so abs(i) of that index is not i. Oracle: ast.Eval
// sums the input term by term at integer points.
func TestSizeShadowedBySum(t *testing.T) {
	for _, src := range []string{
		"sum(j=1..i, x) + sum(i=-3..3, abs(i))", // 12 + i*x, was i*x
		"sum(i=-3..3, abs(i) + sum(j=1..i, x))", // 12 + 6*x, was 6*x
		"sum(i=1..m, sum(j=1..i, x)) + sum(i=-3..n, abs(i)*y)",
		"sum(j=1..i, x) + sum(i=-4..2, sqrt(i^2))",
		"sum(j=1..i, x)*sum(i=-2..n, abs(i))",
		"abs(i) + sum(j=1..i, x) + sum(i=-2..2, abs(i)*x)", // the free i stays a size
	} {
		e := mustParse(t, src, nil)
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for _, pt := range []ast.Bindings{
			{"x": ast.Scalar(0.75), "y": ast.Scalar(-1.5), "i": ast.Scalar(2), "m": ast.Scalar(3), "n": ast.Scalar(4)},
			{"x": ast.Scalar(-2), "y": ast.Scalar(3), "i": ast.Scalar(5), "m": ast.Scalar(1), "n": ast.Scalar(2)},
		} {
			want, err := ast.Eval(e, nil, pt)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			got, err := ast.Eval(res.Expr, nil, pt)
			if err != nil || math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
				t.Errorf("%s simplified to %s: %v at %v, want %v (%v)", src, ast.String(res.Expr), got, pt, want, err)
			}
		}
	}
}
