package derive_test

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// TestFlatPieceDividedKink (review7): a kink in a denominator, or a clip
// with lo > hi, must not turn a derivative that has a value into none.
// sqrt(y/relu(x)) at x = 1, y = 1 has derivative -1/2 (central difference);
// sqrt(clip(x, 1, 0)) is constant, so its derivative is 0 at every x.
func TestFlatPieceDividedKink(t *testing.T) {
	bg := context.Background()
	builtin := load.Builtin()
	for _, c := range []struct {
		src string
		at  ast.Bindings
	}{
		{"sqrt(y/relu(x))", ast.Bindings{"x": ast.Scalar(1), "y": ast.Scalar(1)}},
		{"sqrt(y/relu(x))", ast.Bindings{"x": ast.Scalar(2), "y": ast.Scalar(3)}},
		{"sqrt(clip(x, 1, 0))", ast.Bindings{"x": ast.Scalar(0.5)}},
		{"sqrt(clip(x, 1, 0))", ast.Bindings{"x": ast.Scalar(3)}},
	} {
		e, err := parser.ParseExpr(c.src, nil)
		if err != nil {
			t.Fatal(err)
		}
		x := ast.NewSym("x")
		raw, err := derive.D(bg, e, x, derive.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("D(%s): %v", c.src, err)
		}
		res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify: %v", err)
		}
		x0 := c.at["x"].Data[0]
		f := func(s float64) float64 {
			b := ast.Bindings{}
			for k, v := range c.at {
				b[k] = v
			}
			b["x"] = ast.Scalar(s)
			v, err := ast.Eval(e, nil, b)
			if err != nil {
				t.Fatalf("%s at x=%g: %v", c.src, s, err)
			}
			return v
		}
		h := 1e-6
		fd := (f(x0+h) - f(x0-h)) / (2 * h)
		for _, d := range []ast.Expr{raw, res.Expr} {
			got, err := ast.Eval(d, nil, c.at)
			if err != nil || math.Abs(got-fd) > 1e-4 {
				t.Errorf("d(%s, x) = %s at %v: %g (%v), want %g (central difference)", c.src, ast.String(d), c.at, got, err, fd)
			}
		}
	}
}

// TestFlatPieceNoValueWhereFunctionHasNone: where the function has no
// value on the kink's flat part (relu(x)/y at y = 0), the derivative has
// none either; taking the flat part out would have given 0 there.
func TestFlatPieceNoValueWhereFunctionHasNone(t *testing.T) {
	bg := context.Background()
	builtin := load.Builtin()
	for _, src := range []string{"sqrt(relu(x)/y)", "sqrt(y/relu(x))", "sqrt(relu(x)*y^-1)"} {
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		at := ast.Bindings{"x": ast.Scalar(-1), "y": ast.Scalar(0)}
		if v, err := ast.Eval(e, nil, at); err == nil {
			t.Fatalf("%s has the value %g at %v; the test needs a point where it has none", src, v, at)
		}
		raw, err := derive.D(bg, e, ast.NewSym("x"), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("D(%s): %v", src, err)
		}
		res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify: %v", err)
		}
		for _, d := range []ast.Expr{raw, res.Expr} {
			if v, err := ast.Eval(d, nil, at); err == nil {
				t.Errorf("d(%s, x) = %s has the value %g at %v, where the function has none", src, ast.String(d), v, at)
			}
		}
	}
}
