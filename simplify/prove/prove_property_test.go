package prove_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// mutate replaces one leaf of e, chosen at random, by another leaf.
func mutate(rng *rand.Rand, e ast.Expr, g *parsetest.Gen) ast.Expr {
	var leaves int
	ast.Inspect(e, func(x ast.Expr) bool {
		if len(ast.Children(x)) == 0 {
			leaves++
		}
		return true
	})
	target := rng.IntN(leaves)
	seen := 0
	var walk func(x ast.Expr) ast.Expr
	walk = func(x ast.Expr) ast.Expr {
		kids := ast.Children(x)
		if len(kids) == 0 {
			seen++
			if seen-1 == target {
				return g.Leaf()
			}
			return x
		}
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			nk[i] = walk(k)
		}
		return ast.WithChildren(x, nk)
	}
	return walk(e)
}

// TestProveSoundProperty: the prover never refutes an expression against
// its own simplification, and never proves an expression equal to a
// mutation of it that our own sampling shows to differ; every verdict's
// evidence holds up (checkProof).
func TestProveSoundProperty(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 100
	}
	g := parsetest.NewGen(rand.New(rand.NewPCG(55, 66)))
	rng := rand.New(rand.NewPCG(77, 88))
	verdicts := map[string]int{}
	for e := 0; e < n; e++ {
		a := g.Expr(3)
		res, err := simplify.Simplify(bg, a, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := prove.Prove(bg, a, res.Expr, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		verdicts["self "+pr.Verdict.String()]++
		if pr.Verdict == prove.Refuted {
			t.Errorf("refuted %s == its simplification %s: %s", ast.String(a), ast.String(res.Expr), pr.Counter.Summary())
		}
		checkProof(t, pr, nil)

		b := mutate(rng, a, g)
		differ := false
		nm := namesOf(a, b)
		for k := 0; k < 40 && !differ; k++ {
			pt := point(rng, nm, -3, 3)
			differ, _ = reallyDiffer(a, b, nil, pt)
		}
		if !differ {
			continue
		}
		pr, err = prove.Prove(bg, a, b, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		verdicts["mutant "+pr.Verdict.String()]++
		if pr.Verdict == prove.Proved {
			t.Errorf("proved %s == %s, which differ at a random point", ast.String(a), ast.String(b))
		}
		checkProof(t, pr, nil)
	}
	t.Logf("verdicts: %v", verdicts)
	if verdicts["mutant refuted"] < verdicts["mutant unknown"] {
		t.Errorf("most differing mutants were not refuted: %v", verdicts)
	}
}
