package prove_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestProveKinksProperty is TestProveSoundProperty for expressions with
// abs, sign, step, relu, max, min and clip: an expression is never
// refuted against its simplification, and never proved equal to a
// mutation that differs at a random point; the evidence of every verdict
// holds up.
func TestProveKinksProperty(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 80
	}
	g := parsetest.NewGen(rand.New(rand.NewPCG(91, 12)))
	g.Kinks = true
	rng := rand.New(rand.NewPCG(12, 91))
	opt := simplify.Options{Rules: builtin}
	verdicts := map[string]int{}
	for e := 0; e < n; e++ {
		a := g.Expr(3)
		res, err := simplify.Simplify(bg, a, opt)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := prove.Prove(bg, a, res.Expr, opt)
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
			differ, _ = reallyDiffer(a, b, nil, point(rng, nm, -3, 3))
		}
		if !differ {
			continue
		}
		pr, err = prove.Prove(bg, a, b, opt)
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
}

// TestProveByCases: identities that need the case split, and what it
// says it did.
func TestProveByCases(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"x*step(x)", "relu(x)"},
		{"abs(x - y)", "abs(y - x)"},
		{"step(x) - step(-x)", "sign(x)"},
		{"abs(x)/x", "sign(x)"},
		{"max(a, b)", "-min(-a, -b)"},
	} {
		ps := parseProve(t, "prove "+tt.a+" == "+tt.b, nil)
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != prove.Proved || pr.Method != "rational normal form in each case" {
			t.Errorf("%s == %s: %s (%s)", tt.a, tt.b, pr.Verdict, summary(pr))
			continue
		}
		found := false
		for _, st := range pr.Trace {
			if st.Rule.Name == prove.RuleCases.Name {
				found = true
			}
		}
		if !found {
			t.Errorf("%s == %s: no %s step in the proof", tt.a, tt.b, prove.RuleCases.Name)
		}
		checkProof(t, pr, nil)
	}
}
