package simplify_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
)

// TestSimplifySound: Simplify's result (and its canonical form) evaluates
// equal to the input wherever the input is defined, for thousands of
// random expressions; and every rewrite it records (the micro steps) is
// itself an equality at random points.
func TestSimplifySound(t *testing.T) {
	n := 2500
	if testing.Short() {
		n = 600
	}
	g := parsetest.NewGen(rand.New(rand.NewPCG(31337, 1)))
	prng := rand.New(rand.NewPCG(4, 2))
	checkedExprs, checkedPoints, stopped, microChecked, failures := 0, 0, 0, 0, 0
	for e := 0; e < n; e++ {
		in := g.Expr(4)
		res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify(%s): %v", ast.String(in), err)
		}
		if res.Stop != simplify.StopFixpoint {
			stopped++
		}
		nm := namesOf(in, res.Expr, res.Canonical)
		got := 0
		for p := 0; p < 8 && got < 4; p++ {
			pt := point(prng, nm, -3, 3)
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
			checkedPoints += got
		}
		if failures >= 10 {
			t.Fatalf("stopping after %d failures", failures)
		}
		if e%5 == 0 {
			c, _ := checkMicroSteps(t, prng, res.Trace, nil, 2)
			microChecked += c
		}
	}
	t.Logf("%d expressions: %d checked at %d points; %d micro steps checked; %d stopped before a fixed point", n, checkedExprs, checkedPoints, microChecked, stopped)
	if checkedExprs < n*6/10 {
		t.Errorf("only %d of %d expressions were defined at a random point", checkedExprs, n)
	}
	if stopped > n/100 {
		t.Errorf("%d of %d simplifications stopped before a fixed point", stopped, n)
	}
}

// checkMicroSteps evaluates every rewrite recorded in steps whose rule
// is in only (all when only is nil): its result must equal what it
// rewrote, wherever that is defined, at up to tries points each. It
// returns how many rewrites were checked at some point, and at how many
// points in all.
func checkMicroSteps(t *testing.T, rng *rand.Rand, steps []rules.Step, only map[string]bool, tries int) (checked, points int) {
	t.Helper()
	var walk func([]rules.Step)
	walk = func(ss []rules.Step) {
		for _, st := range ss {
			walk(st.Sub)
			if st.Sub != nil || (only != nil && !only[st.Rule.Name]) || st.Before == nil || st.After == nil {
				continue
			}
			nm := namesOf(st.Before, st.After)
			ok := 0
			for p := 0; p < 3*tries && ok < tries; p++ {
				pt := point(rng, nm, -3, 3)
				c, complaint := agreeAt(st.Before, st.After, nil, pt, 1e-8)
				if complaint != "" {
					t.Errorf("rule %s rewrote %s to %s: %s at %v", st.Rule.Name, ast.String(st.Before), ast.String(st.After), complaint, pt)
					break
				}
				if c {
					ok++
				}
			}
			if ok > 0 {
				checked++
			}
			points += ok
		}
	}
	walk(steps)
	return checked, points
}
