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
