package ast_test

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalPiecewise: if and its conditions in float64 and at high
// precision; the expected values are worked out by hand.
func TestEvalPiecewise(t *testing.T) {
	tests := []struct {
		src  string
		x, y float64
		want float64
	}{
		{"if(x > 0, x^2, -x)", 3, 0, 9},
		{"if(x > 0, x^2, -x)", -3, 0, 3},
		{"if(x > 0, x^2, -x)", 0, 0, 0}, // x > 0 fails at 0: -0
		{"if(x >= 0, 1, 2)", 0, 0, 1},
		{"if(x < y, 1, 2)", 1, 1, 2},
		{"if(x <= y, 1, 2)", 1, 1, 1},
		{"if(x == y, 1, 2)", 2, 2, 1},
		{"if(x != y, 1, 2)", 2, 2, 2},
		{"if(x > 0 and y > 0, 1, 2)", 1, -1, 2},
		{"if(x > 0 or y > 0, 1, 2)", -1, 1, 1},
		{"if(not (x > 0), 1, 2)", 1, 0, 2},
		{"if(0 < x < 1, 1, 2)", 0.5, 0, 1},
		{"if(0 < x < 1, 1, 2)", 1, 0, 2},
		{"if(not (x > 0 or y > 0) and x < 5, 1, 2)", -1, -1, 1},
		// Only the piece chosen is evaluated: log(x) is undefined at -1,
		// 1/y at 0.
		{"if(x > 0, log(x), 7)", -1, 0, 7},
		{"if(y != 0 and 1/y > 1, 1, 2)", 0, 0, 2}, // and stops at the first that fails
		{"if(y == 0 or 1/y > 1, 1, 2)", 0, 0, 1},  // or at the first that holds
		{"2*if(x > 1, x, 0) + if(x > 2, 1, 0)", 1.5, 0, 3},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		b := ast.Bindings{"x": ast.Scalar(tt.x), "y": ast.Scalar(tt.y)}
		got, err := ast.Eval(e, nil, b)
		if err != nil || got != tt.want {
			t.Errorf("%s at x=%g, y=%g = %g, %v; want %g", tt.src, tt.x, tt.y, got, err, tt.want)
		}
		big, err := ast.EvalBig(context.Background(), e, nil, b, 200)
		if err != nil {
			t.Errorf("%s at high precision: %v", tt.src, err)
			continue
		}
		if f, _ := big.Float64(); f != tt.want {
			t.Errorf("%s at x=%g, y=%g at high precision = %g; want %g", tt.src, tt.x, tt.y, f, tt.want)
		}
	}
}

// TestKinkDistancePiecewise: the boundary of a condition is a kink; only
// the comparisons decided on the way count.
func TestKinkDistancePiecewise(t *testing.T) {
	tests := []struct {
		src  string
		x    float64
		want float64
	}{
		{"if(x > 1, x, 0)", 1.25, 0.25},
		{"if(x > 1, abs(x - 1.5), 0)", 1.75, 0.25},    // the abs is nearer than the condition
		{"if(x > 1, 0, abs(x - 0.875))", 3, 2},        // the abs is in the piece not taken
		{"if(x > 1 or x > 2.5, 0, 1)", 1.5, 0.5},      // x > 2.5 is never decided
		{"if(x > 1 and x < 1.125, 0, 1)", 1.5, 0.375}, // both are
		{"x^2", 3, math.Inf(1)},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, nil)
		if err != nil {
			t.Fatal(err)
		}
		b := ast.Bindings{"x": ast.Scalar(tt.x)}
		got, err := ast.KinkDistance(context.Background(), e, nil, b)
		if err != nil || got != tt.want {
			t.Errorf("KinkDistance(%s) at x=%g = %g, %v; want %g", tt.src, tt.x, got, err, tt.want)
		}
		if bg, err := ast.KinkDistanceBig(context.Background(), e, nil, b, 100); err != nil {
			t.Error(err)
		} else if f := math.Inf(1); bg != nil {
			if f, _ = bg.Float64(); f != tt.want {
				t.Errorf("KinkDistanceBig(%s) at x=%g = %g; want %g", tt.src, tt.x, f, tt.want)
			}
		} else if tt.want != f {
			t.Errorf("KinkDistanceBig(%s) at x=%g found no kink; want %g", tt.src, tt.x, tt.want)
		}
	}
}

// TestCondOps: every comparison and its negation split the three orders
// between them.
func TestCondOps(t *testing.T) {
	for _, c := range ast.CondOps {
		if !c.Op.IsComparison() {
			continue
		}
		op, ok := ast.ComparisonOp(c.Token)
		if !ok || op != c.Op {
			t.Errorf("ComparisonOp(%q) = %v, %v", c.Token, op, ok)
		}
		for _, order := range []int{-1, 0, 1} {
			if c.Op.Holds(order) == c.Op.Negate().Holds(order) {
				t.Errorf("%s and its negation %s agree at order %d", c.Token, ast.CondOps[c.Op.Negate()].Token, order)
			}
		}
	}
	if ast.NewAnd(ast.NewCompare(ast.CondLt, ast.NewSym("x"), ast.One), ast.NewCompare(ast.CondGt, ast.NewSym("y"), ast.Zero)) !=
		ast.NewAnd(ast.NewCompare(ast.CondLt, ast.NewSym("x"), ast.One), ast.NewCompare(ast.CondGt, ast.NewSym("y"), ast.Zero)) {
		t.Error("conditions are not hash-consed")
	}
}
