package codegen

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestGradcheckSubnormalPoint (review3): the step 1e-5*|x| is 0 in float64
// for |x| below about 1e-318 (and h/2 is 0 where h is the least
// subnormal), and the central difference divided 0 by 0: big.Float
// panics (ErrNaN), and the command printed "internal error". A point the
// user gives must have an answer or a clear error, never a panic.
func TestGradcheckSubnormalPoint(t *testing.T) {
	ctx := context.Background()
	en, err := LoadEngine(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{5e-324, 1e-320, 5e-319} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("x^2 at x = %v: panic: %v", x, r)
				}
			}()
			res, err := Check(ctx, en, &CheckRequest{Loss: mustParse(t, en, "x^2"), Wrt: []ast.Expr{mustParse(t, en, "x")}, Given: ast.Bindings{"x": ast.Scalar(x)}})
			if err == nil && !res.OK() {
				t.Errorf("x^2 at x = %v: not ok (symbolic %v, finite difference %v)", x, res.Rows[0].Symbolic, res.Rows[0].Numeric)
			}
		}()
	}
}
