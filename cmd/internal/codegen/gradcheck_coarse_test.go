package codegen

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestGradcheckCoarseStepNotOK (review3): where the step 1e-5*|x| is coarse
// for f's curvature (sin(20000*x) at x = 1: the step spans 0.2 radians), the
// finite difference's own error estimate |d(h) - d(h/2)| is large, and a
// derivative 0.1% off is taken as agreeing within it: "ok". A check that
// cannot tell a wrong derivative must not say ok.
func TestGradcheckCoarseStepNotOK(t *testing.T) {
	ctx := context.Background()
	wrong, err := LoadEngine([]string{"testdata/wrongsin.rules"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{1, 0.7, 1.3} {
		res, err := Check(ctx, wrong, &CheckRequest{Loss: mustParse(t, wrong, "g(20000*x)"), Wrt: []ast.Expr{mustParse(t, wrong, "x")}, Given: ast.Bindings{"x": ast.Scalar(x)}})
		if err != nil {
			t.Fatal(err)
		}
		if res.OK() {
			t.Errorf("g(20000*x) at x = %v with g' 0.1%% off: ok (symbolic %v, finite difference %v, relative error %v)", x, res.Rows[0].Symbolic, res.Rows[0].Numeric, res.Rows[0].RelErr)
		}
	}
}

// TestGradcheckHalvedStepDecides: the step is halved until the finite
// difference can tell a relative error of the tolerance; right derivatives
// pass where the first step is coarse or the slope tiny (exp(x - 0.1) - x
// at the float64 0.1: 5.55e-18, where the first difference was 4e-14),
// and a derivative 0 passes where it is right and fails where it is not.
func TestGradcheckHalvedStepDecides(t *testing.T) {
	ctx := context.Background()
	en, err := LoadEngine([]string{"testdata/wrongsin.rules"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		loss string
		x    float64
		ok   bool
	}{
		{"sin(20000*x)", 1, true},
		{"sin(20000*x)", 0.7, true},
		{"exp(x - 0.1) - x", 0.1, true},
		{"x^3", 0, true},
		{"x^3 + x^5", 0, true},
		// g' is 1001/1000*cos: the symbolic derivative is 0, the true one
		// -cos(x)/1000.
		{"g(x) - 1001/1000*sin(x)", 0.3, false},
		{"x^3 + g(x) - 1001/1000*sin(x)", 0, false},
	} {
		res, err := Check(ctx, en, &CheckRequest{Loss: mustParse(t, en, c.loss), Wrt: []ast.Expr{mustParse(t, en, "x")}, Given: ast.Bindings{"x": ast.Scalar(c.x)}})
		if err != nil {
			t.Fatalf("%s at %v: %v", c.loss, c.x, err)
		}
		row := res.Rows[0]
		if c.ok && (!res.OK() || res.Verdict() != "ok") || !c.ok && !res.Failed() {
			t.Errorf("%s at %v: %s (symbolic %v, finite difference %v ± %v, undecided %v), want ok %v", c.loss, c.x, res.Verdict(), row.Symbolic, row.Numeric, row.NumErr, res.Undecided, c.ok)
		}
		if c.ok && row.Symbolic != 0 && math.Abs(row.Numeric-row.Symbolic) > 1e-7*math.Abs(row.Symbolic) {
			t.Errorf("%s at %v: finite difference %v, symbolic %v", c.loss, c.x, row.Numeric, row.Symbolic)
		}
	}
}
