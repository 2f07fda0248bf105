package simplify_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// TestRuleNestingStops: a sound rule that applies to its own results for
// ever, each a new expression (tanh(2*u) on tanh(6) gives tanh(3), then
// tanh(3/2), ...: no repeat for the cycle check to see), used to run the
// stack out (a fatal error, not a panic the command could report). It now
// stops with the step limit and a value unchanged: the result is compared
// with the input by float evaluation at the input's point (tanh(6)) and at
// random points, not by the engine.
func TestRuleNestingStops(t *testing.T) {
	set, err := load.File(builtin, "halving.rules", "rule tanh_double: tanh(2*u) -> 2*tanh(u)/(1 + tanh(u)^2)\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"tanh(6)", "x*tanh(6) + tanh(2*y)", "tanh(-6) - tanh(2*x)"} {
		e := parsetest.MustParse(t, in, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		start := time.Now()
		res, err := simplify.Simplify(ctx, e, simplify.Options{Rules: set})
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v", in, d)
		}
		if res.Stop != simplify.StopSteps || !strings.Contains(res.Detail, "tanh_double") {
			t.Errorf("%s: stop %v (%s), want the step limit naming the rule", in, res.Stop, res.Detail)
		}
		for _, p := range [][2]float64{{0.3, -1.2}, {2, 0.5}, {-0.7, 3}} {
			b := ast.Bindings{"x": ast.Scalar(p[0]), "y": ast.Scalar(p[1])}
			want, err1 := ast.Eval(e, nil, b)
			got, err2 := ast.Eval(res.Expr, nil, b)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: eval: %v, %v", in, err1, err2)
			}
			if math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
				t.Errorf("%s = %s: %g, want %g at %v", in, ast.String(res.Expr), got, want, p)
			}
		}
	}
}
