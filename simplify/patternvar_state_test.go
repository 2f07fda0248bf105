package simplify_test

import (
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
)

// TestPatternVarsAreNotTheUsersNames: a rule's pattern variable (u of
// sqrt(u^2) -> abs(u)) stands for any expression, so what the user's
// expression says of a name spelled the same (u is a sum's bound, so a
// size; assume u > 0) must not change how the rule is compiled. It did:
// sqrt(u^2) compiled to the bare pattern u, which matches everything, and
// y became abs(y) (symdiff diff 'sum(j=1..u, x*y)' y printed u*abs(x)).
// Oracle: ast.Eval of the input at points with negative values.
func TestPatternVarsAreNotTheUsersNames(t *testing.T) {
	for _, c := range []struct{ assume, expr string }{
		{"", "sum(j=1..u, x) + y - c"},
		{"", "sum(j=1..a, x*y) + y"},
		{"", "d(sum(j=1..u, x*y), y)"},
		{"assume u > 0", "y - c"},
		{"assume u > 0", "y*x + u"},
		{"assume 0 < k < 3", "x^2 - y"},
		{"assume a >= 1", "sigma(y) - c"},
	} {
		var opt simplify.Options
		opt.Rules = builtin
		if c.assume != "" {
			stmts, err := parser.ParseFile("t.sd", c.assume, nil)
			if err != nil {
				t.Fatal(err)
			}
			opt.Assume = []*ast.AssumeStmt{stmts[0].Stmt.(*ast.AssumeStmt)}
		}
		e := mustParse(t, c.expr, nil)
		res, err := simplify.Simplify(bg, e, opt)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		for _, vals := range []map[string]float64{
			{"x": -0.75, "y": -1.5, "c": 2.25, "u": 2, "a": 3, "k": 1.5},
			{"x": 1.25, "y": -3, "c": -0.5, "u": 1, "a": 1, "k": 2},
		} {
			pt := bindings(vals)
			want := evalOrDeriv(t, e, vals)
			got, err := ast.Eval(res.Expr, nil, pt)
			if err != nil || math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
				t.Errorf("%s %s simplified to %s: %v at %v, want %v (%v)", c.assume, c.expr, ast.String(res.Expr), got, pt, want, err)
			}
		}
	}
}

// evalOrDeriv evaluates e, and d(f, y) by a central difference in y.
func evalOrDeriv(t *testing.T, e ast.Expr, vals map[string]float64) float64 {
	t.Helper()
	pt := bindings(vals)
	if d, ok := e.(*ast.Deriv); ok {
		h := 1e-5
		y := vals["y"]
		at := func(v float64) float64 {
			q := bindings(vals)
			q["y"] = ast.Scalar(v)
			r, err := ast.Eval(d.X, nil, q)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		return (at(y+h) - at(y-h)) / (2 * h)
	}
	v, err := ast.Eval(e, nil, pt)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func bindings(vals map[string]float64) ast.Bindings {
	b := ast.Bindings{}
	for k, v := range vals {
		b[k] = ast.Scalar(v)
	}
	return b
}
