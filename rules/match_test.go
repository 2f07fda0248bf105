package rules_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
)

// TestQuickCheckKeepsMatches: MatchRoot, which first rules out by a
// quick look at node types, functions, names and numbers the subjects a
// pattern cannot match, answers as the matcher alone does (MatchRootFull)
// for every rewrite rule of the built-in set against subjects that match
// (each rule's left side with its variables bound to random
// expressions) and subjects that mostly do not (other rules' sides so
// bound, random expressions). The oracle is the full matcher.
func TestQuickCheckKeepsMatches(t *testing.T) {
	set := load.Builtin()
	rs := append(set.Rules(rules.Simplify), set.Rules(rules.Basis)...)
	x, y := ast.NewSym("x"), ast.NewSym("y")
	atoms := []ast.Expr{x, y, ast.NewInt(2), ast.NewInt(-1), ast.NewNum(ast.Frac(1, 2)), ast.Zero, ast.One,
		ast.NewCall("sin", x), ast.NewAdd(x, ast.One), ast.NewMul(ast.NewInt(3), x), ast.NewPow(x, ast.NewInt(2)),
		ast.NewCall("exp", ast.NewNeg(y)), ast.NewCall("log", x), ast.NewDiv(x, y)}
	rng := rand.New(rand.NewPCG(4, 4))
	bind := func(r *rules.Rule) ast.Expr {
		b := rules.Bindings{}
		for _, v := range r.Vars {
			b[v] = atoms[rng.IntN(len(atoms))]
		}
		return rules.Instantiate(r.LHS, b)
	}
	var subjects []ast.Expr
	for range 3 {
		for _, r := range rs {
			if r.LHS != nil {
				subjects = append(subjects, bind(r))
			}
		}
	}
	subjects = append(subjects, atoms...)
	// A product in a pattern matches a number (c*u against d binds u to
	// d/c), at the root and below: as the canonical left sides have them.
	u := ast.NewSym("u")
	negU := ast.NewMul(ast.NewInt(-1), u)
	for _, p := range []ast.Expr{negU, ast.NewMul(ast.NewInt(2), u), ast.NewCall("sigma", negU), ast.NewCall("exp", negU)} {
		rs = append(rs, &rules.Rule{Name: "test_" + ast.String(p), LHS: p, Vars: []string{"u"}})
	}
	for _, n := range []int64{3, -3, 4} {
		subjects = append(subjects, ast.NewInt(n), ast.NewCall("sigma", ast.NewInt(n)), ast.NewCall("exp", ast.NewInt(n)))
	}
	matched := 0
	for _, r := range rs {
		if r.LHS == nil {
			continue
		}
		for _, e := range subjects {
			got, gotOK := rules.MatchRoot(r.LHS, e, r.Vars)
			want, wantOK := rules.MatchRootFull(r.LHS, e, r.Vars)
			if gotOK != wantOK {
				t.Fatalf("rule %s on %s: MatchRoot says %v, the matcher %v", r.Name, ast.String(e), gotOK, wantOK)
			}
			if gotOK {
				matched++
				if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b ast.Expr) bool { return a == b })); diff != "" {
					t.Fatalf("rule %s on %s: bindings differ (-matcher +MatchRoot):\n%s", r.Name, ast.String(e), diff)
				}
			}
		}
	}
	if matched < len(rs) {
		t.Fatalf("only %d matches among %d rules: the test does not exercise matching", matched, len(rs))
	}
}

// TestInstantiateAgrees: Instantiate, which rebuilds small right sides
// without ast.Subst, makes the very nodes Subst makes, for every rewrite
// rule's right side and side conditions with random bindings of its
// variables, and for a right side with a sum whose index a binding
// mentions (left to Subst, which renames it).
func TestInstantiateAgrees(t *testing.T) {
	set := load.Builtin()
	rs := append(set.Rules(rules.Simplify), set.Rules(rules.Basis)...)
	x, u, k := ast.NewSym("x"), ast.NewSym("u"), ast.NewSym("k")
	pool := []ast.Expr{x, u, k, ast.NewInt(3), ast.NewNum(ast.Frac(-1, 2)), ast.NewCall("sin", x),
		ast.NewAdd(u, ast.One), ast.NewMul(ast.NewInt(2), x, u), ast.NewPow(x, u), ast.NewIndex("a", k)}
	rs = append(rs, &rules.Rule{Name: "test_sum", Vars: []string{"u"}, LHS: ast.NewCall("f", u),
		RHS: ast.NewSum(ast.OpSum, "k", ast.One, ast.NewSym("n"), ast.NewMul(u, ast.NewIndex("a", k)))})
	rng := rand.New(rand.NewPCG(6, 1))
	n := 0
	for _, r := range rs {
		if r.RHS == nil {
			continue
		}
		sides := []ast.Expr{r.RHS}
		for _, c := range r.Conds {
			sides = append(sides, c.X, c.Y)
		}
		for range 10 {
			b := rules.Bindings{}
			for _, v := range r.Vars {
				b[v] = pool[rng.IntN(len(pool))]
			}
			for _, e := range sides {
				n++
				if got, want := rules.Instantiate(e, b), ast.Subst(e, b); got != want {
					t.Fatalf("rule %s: %s with %v gives %s, Subst %s", r.Name, ast.String(e), b, ast.String(got), ast.String(want))
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d instantiations", n)
	}
}
