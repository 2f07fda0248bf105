package algebra

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestIrreducibleLinear: the test answers "irreducible" only for
// polynomials that the general factorisation (without its shortcuts)
// finds irreducible with no monomial factor, never for a product of two
// polynomials that are not constant, and does answer for many random
// polynomials of degree 1 in some variable.
func TestIrreducibleLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2))
	yes := 0
	for i := range 600 {
		sp := space{n: 4, w: &work{left: 1 << 40}}
		p := randFactorPoly(rng, sp, 2+rng.IntN(3), 2+rng.IntN(5), 1+rng.IntN(2))
		product := false
		if i%3 == 0 {
			q := randFactorPoly(rng, sp, 1+rng.IntN(4), 1+rng.IntN(3), 1+rng.IntN(2))
			product = !p.isConst() && !q.isConst()
			p = p.mul(q)
		}
		if !irreducibleLinear(signedMonos(p)) {
			continue
		}
		if product {
			t.Fatalf("%d: a product of two polynomials %v found irreducible", i, p.terms)
		}
		yes++
		factorShortcuts = false
		f, err := factorPoly(p)
		factorShortcuts = true
		if err != nil {
			t.Fatal(err)
		}
		if len(f.fs) != 1 || f.fs[0].e != 1 || len(f.fs[0].p.terms) != len(p.terms) {
			t.Fatalf("%d: %v found irreducible, factored into %v", i, p.terms, keys(f))
		}
	}
	if yes < 100 {
		t.Fatalf("only %d of 600 random polynomials found irreducible: the test checks too little", yes)
	}
}

// TestQuickPoly: quickPoly multiplies out random polynomial expressions
// (products and powers of sums, negations, quotients by numbers) to the
// polynomial the ring conversion makes of them, term for term (the
// ring's numerator over its constant denominator), and declines what is
// not a polynomial in names.
func TestQuickPoly(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	checked := 0
	for i := range 400 {
		var fs []string
		for range 1 + rng.IntN(3) {
			f := "(" + randNamesPoly(rng, 1+rng.IntN(4), 1+rng.IntN(3)) + ")"
			switch rng.IntN(8) {
			case 3:
				f += "*x^" + fmt.Sprint(10+rng.IntN(300))
			case 4:
				f += "*(" + []string{"y*z", "2*x", "-w[1]"}[rng.IntN(3)] + ")^" + fmt.Sprint(2+rng.IntN(6))
			case 0:
				f += "^" + fmt.Sprint(2+rng.IntN(2))
			case 1:
				f = "-" + f
			case 2:
				f += "/" + fmt.Sprint([]int{2, 3, -4}[rng.IntN(3)])
			}
			fs = append(fs, f)
		}
		src := strings.Join(fs, "*")
		if rng.IntN(3) == 0 {
			src += " + " + randNamesPoly(rng, 2, 2)
		}
		e := parsetest.MustParse(t, src, nil)
		atoms, ts, ok := quickPoly(e)
		r := newRing(&work{left: 1 << 40}, e)
		f, err := r.rat(e)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			if len(f.num.terms) <= maxQuickTerms/4 {
				t.Fatalf("%d: quickPoly declined %s", i, src)
			}
			continue
		}
		checked++
		if len(ts) != len(f.num.terms) {
			t.Fatalf("%d: %s: %d terms, the ring has %d", i, src, len(ts), len(f.num.terms))
		}
		// The same terms: each of the ring's, its exponents read through
		// the atoms, is one of quickPoly's with the same sign.
		for _, rt := range f.num.terms {
			m := make(mono, len(atoms))
			for v, k := range rt.m {
				if k == 0 {
					continue
				}
				j := slices.Index(atoms, r.atoms[v])
				if j < 0 {
					t.Fatalf("%d: %s: atom %s unknown to quickPoly", i, src, ast.String(r.atoms[v]))
				}
				m[j] = k
			}
			neg := (rt.c.Sign() < 0) != (f.den.constant().Sign() < 0)
			if !slices.ContainsFunc(ts, func(s signedMono) bool { return slices.Equal(s.m, m) && s.neg == neg }) {
				t.Fatalf("%d: %s: the ring's term %v (negative %v) is not among quickPoly's %v", i, src, m, neg, ts)
			}
		}
	}
	if checked < 300 {
		t.Fatalf("only %d of 400 compared", checked)
	}
	for _, src := range []string{"sin(x)*y", "x/y", "x^(1/2)", "x^-1", "(x + 1)/(x - 1)", "sqrt(x)", "(x + 1)^9", "x^1001"} {
		if _, _, ok := quickPoly(parsetest.MustParse(t, src, nil)); ok {
			t.Errorf("quickPoly took %s", src)
		}
	}
}

// randNamesPoly writes a random polynomial in x, y, z and w[1] with
// small coefficients.
func randNamesPoly(rng *rand.Rand, terms, deg int) string {
	vars := []string{"x", "y", "z", "w[1]"}
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

// TestQuickPolyWork: quickPoly gives up on a sum of products of many
// sums, whose multiplying out would be long, and takes a small one.
func TestQuickPolyWork(t *testing.T) {
	product := func(n, skip int) string {
		var fs []string
		for k := 1; k <= n; k++ {
			if k != skip {
				fs = append(fs, fmt.Sprintf("(x + %d)", k))
			}
		}
		return strings.Join(fs, "*")
	}
	derivative := func(n int) string {
		var ts []string
		for k := 1; k <= n; k++ {
			ts = append(ts, product(n, k))
		}
		return strings.Join(ts, " + ")
	}
	if _, _, ok := quickPoly(parsetest.MustParse(t, derivative(4), nil)); !ok {
		t.Error("quickPoly declined d/dx (x+1)...(x+4)")
	}
	if _, _, ok := quickPoly(parsetest.MustParse(t, derivative(30), nil)); ok {
		t.Error("quickPoly multiplied out d/dx (x+1)...(x+30)")
	}
}
