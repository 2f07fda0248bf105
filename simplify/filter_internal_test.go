package simplify

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Every test of the package runs with the check that the operand-kind
// filter of rewrite never passes over a rule that matches: a rule passed
// over is matched anyway, and a match panics with the rule and the
// expression.
func init() { filterCheck = true }

// TestMayMatchOps: the filter passes every subject a pattern matches,
// including a number standing for a product c*u of the pattern, and
// rejects what cannot match.
func TestMayMatchOps(t *testing.T) {
	x, y, u := ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("u")
	two, six := ast.NewNum(ast.Int(2)), ast.NewNum(ast.Int(6))
	vars := []string{"u"}
	for _, c := range []struct {
		lhs, e ast.Expr
		match  bool
	}{
		{ast.NewAdd(x, ast.NewMul(two, u)), ast.NewAdd(x, six), true}, // u = 3
		{ast.NewAdd(x, ast.NewMul(two, u)), ast.NewAdd(x, ast.NewMul(two, y)), true},
		{ast.NewAdd(x, ast.NewCall("sigma", u)), ast.NewAdd(x, ast.NewCall("exp", y)), false},
		{ast.NewMul(ast.NewCall("sigma", u), ast.NewCall("exp", u)), ast.NewMul(ast.NewCall("sigma", y), y), false},
		{ast.NewMul(ast.NewCall("sigma", u), u), ast.NewMul(ast.NewCall("sigma", y), y), true},
	} {
		_, ok := rules.MatchRoot(c.lhs, c.e, vars)
		if ok != c.match {
			t.Fatalf("%s against %s: match %v, want %v", ast.String(c.lhs), ast.String(c.e), ok, c.match)
		}
		pass := mayMatchOps(operandKinds(c.lhs, vars), operands(c.e))
		if ok && !pass {
			t.Errorf("%s matches %s, but the filter passes it over", ast.String(c.lhs), ast.String(c.e))
		}
		if !ok && pass {
			t.Logf("%s against %s: not excluded (the filter is only a necessary condition)", ast.String(c.lhs), ast.String(c.e))
		}
	}
}
