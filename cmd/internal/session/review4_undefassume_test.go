package session

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestUndefinedWhereUnreachable (review4): a piece with no value that is
// reached only where a condition holds that the assumptions (or sizes,
// whole numbers from 1) rule out leaves the input defined everywhere it is
// meant to be: no "undefined wherever" error. The oracle is the evaluator
// at points where the assumptions hold: the input has a value at each.
func TestUndefinedWhereUnreachable(t *testing.T) {
	cases := []struct {
		script string // the last statement is the one checked
		expr   string // the input, for the evaluator
		point  func(i int) ast.Bindings
	}{
		{"assume x > 0\nif(x <= 0, log(y - y), 1) + x", "if(x <= 0, log(y - y), 1) + x",
			func(i int) ast.Bindings { return ast.Bindings{"x": ast.Scalar(0.25 + float64(i)), "y": ast.Scalar(2)} }},
		{"sum(i=1..n, x) + if(n < 1, sqrt(y - y - 1), 0)", "sum(i=1..n, x) + if(n < 1, sqrt(y - y - 1), 0)",
			func(i int) ast.Bindings {
				return ast.Bindings{"n": ast.Scalar(float64(1 + i)), "x": ast.Scalar(1.5), "y": ast.Scalar(2)}
			}},
		{"assume k in 1..d\nh := sum(j=1..d, w[j]) + if(k > d, log(y - y), 0)\nprove d(h, w[k]) == 1", "sum(j=1..d, w[j]) + if(k > d, log(y - y), 0)",
			func(i int) ast.Bindings {
				d := 1 + i
				return ast.Bindings{"d": ast.Scalar(float64(d)), "k": ast.Scalar(float64(1 + i/2)), "y": ast.Scalar(2),
					"w": ast.Value{Shape: []int{d}, Data: make([]float64, d)}}
			}},
	}
	for _, c := range cases {
		e := mustParseSession(t, c.expr)
		for i := range 6 {
			if _, err := ast.EvalContext(context.Background(), e, nil, c.point(i)); err != nil {
				t.Fatalf("%s: the oracle's point %v is not defined: %v", c.expr, c.point(i), err)
			}
		}
		s := New()
		stmts, err := parser.ParseFile("t.sd", c.script, s.Context())
		if err != nil {
			t.Fatalf("parse %q: %v", c.script, err)
		}
		for _, st := range stmts {
			if _, err := s.Exec(context.Background(), st); err != nil {
				t.Errorf("%q: %v; want a result (the input has a value wherever the assumptions hold)", st.Text, err)
			}
		}
	}
}
