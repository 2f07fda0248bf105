package algebra_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// randPoly writes a random polynomial in x, y, z with small coefficients.
func randPoly(rng *rand.Rand, terms, deg int) string {
	vars := []string{"x", "y", "z"}
	var parts []string
	for range terms {
		t := fmt.Sprint(rng.IntN(7) - 3)
		for range rng.IntN(deg + 1) {
			t += "*" + vars[rng.IntN(len(vars))]
		}
		parts = append(parts, "("+t+")")
	}
	return strings.Join(parts, " + ")
}

// TestFactorRoundTrip: factor of a product of random polynomials expands
// back to the product, and has at least as many factors as were
// multiplied in when they are irreducible by construction (linear).
func TestFactorRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 150 {
		var fs []string
		for range 1 + rng.IntN(3) {
			fs = append(fs, "("+randPoly(rng, 1+rng.IntN(3), 1+rng.IntN(2))+")")
		}
		src := strings.Join(fs, "*")
		in := parsetest.MustParse(t, src, nil)
		want, err := algebra.Expand(in)
		if err != nil {
			t.Fatal(err)
		}
		f, err := algebra.Factor(want)
		if err != nil {
			t.Errorf("%d: factor(%s): %v", i, ast.String(want), err)
			continue
		}
		back, err := algebra.Expand(f)
		if err != nil {
			t.Fatal(err)
		}
		if back != want {
			t.Errorf("%d: factor(%s) = %s, which expands to %s", i, ast.String(want), ast.String(f), ast.String(back))
		}
		if d, _ := algebra.Expand(parsetest.MustParse(t, fs[0], nil)); d == ast.Zero {
			continue
		}
		tg, err := algebra.Together(parsetest.MustParse(t, "("+ast.String(want)+")/("+fs[0]+")", nil))
		if err != nil {
			t.Errorf("%d: together: %v", i, err)
			continue
		}
		rng2 := rand.New(rand.NewPCG(uint64(i), 9))
		nm := parsetest.NamesOf(in)
		for range 5 {
			pt := parsetest.Point(rng2, nm, -2, 2)
			if _, c := parsetest.AgreeAt(parsetest.MustParse(t, "("+ast.String(want)+")/("+fs[0]+")", nil), tg, nil, pt, 1e-9); c != "" {
				t.Errorf("%d: together = %s: %s", i, ast.String(tg), c)
				break
			}
		}
	}
}

// TestVerbsSound: on random expressions of every kind (sums over an
// index, functions, fractional powers, deltas), each verb's result
// evaluates equal to its input wherever the input is defined.
func TestVerbsSound(t *testing.T) {
	n := 800
	if testing.Short() {
		n = 200
	}
	g := parsetest.NewGen(rand.New(rand.NewPCG(7, 11)))
	prng := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for i := 0; i < n; i++ {
		in := g.Expr(3)
		outs := map[string]ast.Expr{}
		if f, err := algebra.Factor(in); err == nil {
			outs["factor"] = f
		}
		if f, err := algebra.Together(in); err == nil {
			outs["together"] = f
		}
		if f, err := algebra.Expand(in); err == nil {
			outs["expand"] = f
		}
		for verb, out := range outs {
			nm := parsetest.NamesOf(in, out)
			for range 4 {
				pt := parsetest.Point(prng, nm, -3, 3)
				ok, c := parsetest.AgreeAt(in, out, nil, pt, 1e-8)
				if c != "" {
					t.Fatalf("%s(%s) = %s: %s at %v", verb, ast.String(in), ast.String(out), c, pt)
				}
				if ok {
					checked++
				}
			}
		}
	}
	t.Logf("%d points checked", checked)
}
