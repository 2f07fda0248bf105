package session_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalTies checks eval where a comparison or a kink test is an exact
// tie that float64 rounding breaks (0.1 + 0.2 is 0.30000000000000004 in
// float64): the values are worked out by hand in exact decimals, and
// simplify, which computes with exact rationals, must agree with eval on
// each (the expression with the binding written in as a number).
func TestEvalTies(t *testing.T) {
	tests := []struct {
		expr, x string // x is "" for a closed expression
		want    string
	}{
		{"if(0.1 + 0.2 == 0.3, 1, 0)", "", "1"},
		{"if(0.1 + 0.2 <= 0.3, 1, 0)", "", "1"},
		{"if(0.1 + 0.2 > 0.3, 1, 0)", "", "0"},
		{"if(0.1 + 0.2 == 0.3000000001, 1, 0)", "", "0"}, // a near miss stays a miss
		{"step(x + 0.2 - 0.3)", "0.1", "0"},              // step(0) = 0
		{"step(x + 0.2 - 0.3)", "0.1000001", "1"},
		{"step(0.3 - 0.2 - x)", "0.1", "0"},
		{"sign(x + 0.2 - 0.3)", "0.1", "0"},
		{"sign(x + 0.2 - 0.3)", "0.0999999", "-1"},
		{"max(x + 0.2, 0.3)", "0.1", "3/10"}, // a tie: either argument, 3/10 exactly
		{"min(0.3, x + 0.2)", "0.1", "3/10"},
		{"relu(x + 0.2 - 0.3)", "0.1", "0"},      // float64 gives 5.55e-17
		{"abs(x + 0.2 - 0.3)", "0.1", "0"},       // at exact 0
		{"clip(x + 0.2, 0, 0.3)", "0.1", "3/10"}, // at the upper bound exactly
		{"clip(0.7 - x, 0.3, 1)", "0.4", "3/10"}, // at the lower bound exactly
		{"step(clip(x + 0.2, 0, 0.3) - 0.3)", "0.1", "0"},
		{"step(3*x - 1) + step(1 - 3*x)", "1/3", "0"},
		{"if(3*x == 1, 1, 0)", "1/3", "1"},
		{"if(3*x == 1, 1, 0)", "0.3333333333333333", "0"}, // the decimal is not 1/3
	}
	ctx := context.Background()
	for _, tc := range tests {
		s := session.New()
		e, err := parser.ParseExpr(tc.expr, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		b := ast.Bindings{}
		closed := e
		if tc.x != "" {
			v, err := ast.ParseValue(tc.x)
			if err != nil {
				t.Fatal(err)
			}
			b["x"] = v
			xe, err := parser.ParseExpr(tc.x, s.Context())
			if err != nil {
				t.Fatal(err)
			}
			closed = ast.Subst(e, map[string]ast.Expr{"x": xe})
		}
		want, ok := new(big.Rat).SetString(tc.want)
		if !ok {
			t.Fatalf("bad want %q", tc.want)
		}
		wantF, _ := want.Float64()
		got, err := s.Eval(ctx, e, b)
		if err != nil {
			t.Errorf("eval %s at x=%s: %v", tc.expr, tc.x, err)
			continue
		}
		if diff := cmp.Diff(wantF, got); diff != "" {
			t.Errorf("eval %s at x=%s (-want +got):\n%s", tc.expr, tc.x, diff)
		}
		r, err := s.Simplify(ctx, closed)
		if err != nil {
			t.Fatal(err)
		}
		n, ok := r.Expr.(*ast.Num)
		if !ok {
			// simplify does not fold clip of numbers; its exact sums
			// (0.1 + 0.2 to 0.3) must still leave the hand value.
			xr, _, err := ast.EvalExact(ctx, r.Expr, nil, nil)
			if err != nil || xr == nil || xr.Cmp(want) != 0 {
				t.Errorf("simplify %s = %s = %v (%v), eval and the hand value say %s", ast.String(closed), ast.String(r.Expr), xr, err, tc.want)
			}
			continue
		}
		if got := n.Value.Float64(); got != wantF {
			t.Errorf("simplify %s = %s, eval and the hand value say %s", ast.String(closed), ast.String(r.Expr), tc.want)
		}
	}
}
