package derive_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
)

// TestInstantiateAgrees: the derivative rules' bodies instantiated
// without Subst's map (derive.Instantiate) are the very nodes
// rules.Rule.Instantiate (ast.Subst) makes, for every built-in
// derivative rule and for bodies with a sum over an index (left to
// Subst), with random arguments, among them ones that mention the
// rules' own parameter names and the index of the sum.
func TestInstantiateAgrees(t *testing.T) {
	x, u, k := ast.NewSym("x"), ast.NewSym("u"), ast.NewSym("k")
	pool := []ast.Expr{x, u, ast.NewSym("v"), k, ast.NewInt(3), ast.NewNum(ast.Frac(-1, 2)),
		ast.NewCall("sin", x), ast.NewAdd(u, ast.One), ast.NewMul(ast.NewInt(2), x, u), ast.NewPow(x, u),
		ast.NewIndex("a", k), ast.NewSum(ast.OpSum, "k", ast.One, ast.NewSym("n"), ast.NewIndex("a", k))}
	rs := builtin.Derivs()
	// A body with a sum whose index an argument mentions: Subst renames it.
	rs = append(rs, &rules.Rule{Name: "test_sum", Fn: "f", Params: []string{"u"},
		Body: ast.NewSum(ast.OpSum, "k", ast.One, ast.NewSym("n"), ast.NewMul(u, ast.NewIndex("a", k)))})
	rng := rand.New(rand.NewPCG(2, 9))
	for _, r := range rs {
		for range 20 {
			args := make([]ast.Expr, len(r.Params))
			for i := range args {
				args[i] = pool[rng.IntN(len(pool))]
			}
			got, want := derive.Instantiate(r, args), r.Instantiate(args)
			if got != want {
				t.Fatalf("rule %s with %v: got %s, want %s", r.Name, args, ast.String(got), ast.String(want))
			}
		}
	}
	if len(rs) < 10 {
		t.Fatalf("only %d derivative rules", len(rs))
	}
}
