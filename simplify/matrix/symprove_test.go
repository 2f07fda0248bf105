package matrix_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

const symDecls = "S : symmetric(d)\nT : symmetric(d)\nA : matrix(d, d)\nx : vector(d)\ny : vector(d)\n"

// TestSymmetricIdentitiesProved: identities that hold because a matrix is
// symmetric are proved (before, the prover took S[i,j] and S[j,i] as
// independent and said unknown), and their near misses, which hold only
// for symmetric A too, are refuted.
func TestSymmetricIdentitiesProved(t *testing.T) {
	opt, pctx := setupSource(t, "decls.sd", symDecls)
	for _, c := range []struct {
		a, b string
		want prove.Verdict
	}{
		{"x'*S*y", "y'*S*x", prove.Proved},
		{"(S*x)'*y", "x'*S*y", prove.Proved},
		{"(A*S)'", "S*A'", prove.Proved},
		{"x'*(S*A + A'*S)*x", "2*x'*S*A*x", prove.Proved},
		{"x'*inv(S)*y", "y'*inv(S)*x", prove.Proved},
		{"(S*T)'", "T*S", prove.Proved},
		{"x'*S*T*y", "y'*T*S*x", prove.Proved},
		{"x'*A*y", "y'*A*x", prove.Refuted},
		{"S*A", "A*S", prove.Refuted},
		{"S*T", "T*S", prove.Refuted},
		{"x'*S*T*y", "y'*S*T*x", prove.Refuted},
		{"x'*inv(A)*y", "y'*inv(A)*x", prove.Refuted},
	} {
		a, b := mustExpr(t, c.a, pctx), mustExpr(t, c.b, pctx)
		pr, err := matrix.Prove(context.Background(), a, b, opt)
		if err != nil {
			t.Fatalf("%s == %s: %v", c.a, c.b, err)
		}
		if pr.Verdict != c.want {
			t.Errorf("%s == %s: %v (%s), want %v", c.a, c.b, pr.Verdict, pr.Tried, c.want)
		}
	}
}

// TestSymmetrizedProofsAreTrue: the prover's verdicts on random claims
// about symmetric S and T, built so that about half are true only because
// S and T are symmetric, agree with refEval (the tests' own evaluator) at
// random symmetric values: never "proved" where the sides differ, never
// "refuted" where they agree everywhere tried.
func TestSymmetrizedProofsAreTrue(t *testing.T) {
	opt, pctx := setupSource(t, "decls.sd", symDecls)
	rng := rand.New(rand.NewPCG(7, 11))
	mats := []string{"S", "T", "A", "inv(S)"}
	tr := func(m string, flip bool) string {
		if flip {
			return "(" + m + ")'"
		}
		return m
	}
	proved := 0
	for trial := range 60 {
		// x'*M1*M2*y against its transpose y'*M2'*M1'*x (always true),
		// with some transposes dropped (true when the matrix is
		// symmetric) or the order of the product changed.
		m1, m2 := mats[rng.IntN(len(mats))], mats[rng.IntN(len(mats))]
		a := fmt.Sprintf("x'*%s*%s*y", m1, m2)
		f1, f2 := rng.IntN(2) == 0, rng.IntN(2) == 0
		b := fmt.Sprintf("y'*%s*%s*x", tr(m2, f2), tr(m1, f1))
		if rng.IntN(4) == 0 {
			b = fmt.Sprintf("y'*%s*%s*x", tr(m1, f1), tr(m2, f2))
		}
		ea, eb := mustExpr(t, a, pctx), mustExpr(t, b, pctx)
		pr, err := matrix.Prove(context.Background(), ea, eb, opt)
		if err != nil {
			t.Fatalf("%s == %s: %v", a, b, err)
		}
		differ := false
		for range 8 {
			env := drawRef(rng, opt.Decls)
			va, errA := refEval(ea, env)
			vb, errB := refEval(eb, env)
			if errA != nil || errB != nil {
				continue
			}
			if l, r := va.a[0], vb.a[0]; math.Abs(l-r) > 1e-9*(1+math.Abs(l)+math.Abs(r)) {
				differ = true
			}
		}
		switch {
		case pr.Verdict == prove.Proved && differ:
			t.Errorf("trial %d: proved %s == %s, but refEval finds the sides differ", trial, a, b)
		case pr.Verdict == prove.Refuted && !differ:
			t.Errorf("trial %d: refuted %s == %s, but refEval finds the sides equal at 8 symmetric points", trial, a, b)
		case pr.Verdict == prove.Unknown && !differ:
			t.Errorf("trial %d: unknown on %s == %s, true for symmetric S and T: %s", trial, a, b, pr.Tried)
		}
		if pr.Verdict == prove.Proved {
			proved++
		}
	}
	if proved == 0 {
		t.Errorf("no claim proved: the generator makes none true")
	}
}

func mustExpr(t *testing.T, src string, pctx *parser.Context) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, pctx)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return e
}
