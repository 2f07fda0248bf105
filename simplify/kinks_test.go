package simplify_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
)

// TestSimplifySoundKinks is TestSimplifySound for random expressions with
// abs, sign, step, relu, max, min and clip: the simplified expression has
// the input's value at random points. Points within 1e-6 of a kink are
// skipped, where float64 rounding may put an argument on the wrong side.
func TestSimplifySoundKinks(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 400
	}
	g := parsetest.NewGen(rand.New(rand.NewPCG(2026, 11)))
	g.Kinks = true
	prng := rand.New(rand.NewPCG(11, 30))
	checkedExprs, nearKink, failures := 0, 0, 0
	for e := 0; e < n; e++ {
		in := g.Expr(4)
		res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify(%s): %v", ast.String(in), err)
		}
		nm := namesOf(in, res.Expr, res.Canonical)
		got := 0
		for p := 0; p < 8 && got < 4; p++ {
			pt := point(prng, nm, -3, 3)
			far := true
			for _, x := range []ast.Expr{in, res.Expr, res.Canonical} {
				if d, err := ast.KinkDistance(context.Background(), x, nil, pt); err == nil && d < 1e-6 {
					far = false
				}
			}
			if !far {
				nearKink++
				continue
			}
			okAll := true
			for _, out := range []ast.Expr{res.Expr, res.Canonical} {
				c, complaint := agreeAt(in, out, nil, pt, 1e-8)
				if complaint != "" {
					t.Errorf("Simplify(%s) = %s: %s at %v", ast.String(in), ast.String(out), complaint, pt)
					failures++
					break
				}
				okAll = okAll && c
			}
			if okAll {
				got++
			}
		}
		if got > 0 {
			checkedExprs++
		}
		if failures >= 10 {
			t.Fatalf("stopping after %d failures", failures)
		}
	}
	t.Logf("%d expressions, %d checked; %d points near a kink skipped", n, checkedExprs, nearKink)
	if checkedExprs < n/2 {
		t.Errorf("only %d of %d expressions were checked", checkedExprs, n)
	}
}
