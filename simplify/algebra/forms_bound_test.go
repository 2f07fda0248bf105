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

// randMonoSum writes a random sum of monomials in few names: terms a
// number times powers of names, some equal (merged, or cancelled), some
// written twice over (x*x), some over a number.
func randMonoSum(rng *rand.Rand) string {
	names := []string{"x", "y", "z", "w[1]"}[:1+rng.IntN(4)]
	var terms []string
	for range 1 + rng.IntN(70) {
		t := []string{fmt.Sprint([]int{1, 1, 1, -1, 2, -3, 5}[rng.IntN(7)])}
		for range rng.IntN(3) {
			n := names[rng.IntN(len(names))]
			if rng.IntN(2) == 0 {
				n += "^" + fmt.Sprint(1+rng.IntN(40))
			}
			t = append(t, n)
		}
		s := strings.Join(t, "*")
		if rng.IntN(6) == 0 {
			s += "/" + fmt.Sprint(2+rng.IntN(4))
		}
		terms = append(terms, s)
	}
	return strings.Join(terms, " + ")
}

// TestQuickHash: every term quickPoly's multiplication makes carries the
// hash of its exponents (monoHash), which collecting terms relies on.
func TestQuickHash(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 24))
	for i := range 300 {
		src := "(" + randMonoSum(rng) + ")*(" + randNamesPoly(rng, 1+rng.IntN(3), 1+rng.IntN(3)) + ")"
		if rng.IntN(3) == 0 {
			src = "-(" + src + ")^2/3"
		}
		q := quick{left: maxQuickWork}
		p, ok := q.poly(parsetest.MustParse(t, src, nil))
		if !ok {
			continue
		}
		for _, tm := range p {
			if tm.h != monoHash(tm.m) {
				t.Fatalf("%d: %s: term %v has hash %x, its exponents %x", i, src, tm.m, tm.h, monoHash(tm.m))
			}
		}
	}
}

// TestMonoSumWork: the ring conversion of a sum of distinct monomials
// spends at least monoSumWork (the bound FormsBelow skips the
// conversion by), and FormsBelow with the skip gives exactly the forms
// it gives converting, on random sums of monomials around the size
// where the conversion runs out of its budget (W4's derivative).
func TestMonoSumWork(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 25))
	sums, skipped := 0, 0
	for i := range 300 {
		var src string
		if rng.IntN(3) == 0 { // 1 + x + … + x^(n-1), some terms negated or missing
			var ts []string
			for k := range 20 + rng.IntN(90) {
				if rng.IntN(8) > 0 {
					ts = append(ts, fmt.Sprintf("%sx^%d", []string{"", "", "-", "3*"}[rng.IntN(4)], k+1))
				}
			}
			src = strings.Join(append(ts, "1"), " + ")
		} else {
			src = randMonoSum(rng)
		}
		e := parsetest.MustParse(t, src, nil)
		_, ts, monoSum, ok := quickPolySum(e)
		if ok && monoSum {
			sums++
			w := &work{left: 1 << 40}
			r := newRing(w, e)
			if _, err := r.rat(e); err != nil {
				t.Fatal(err)
			}
			if spent := 1<<40 - w.left; spent < monoSumWork(len(ts)) {
				t.Fatalf("%d: %s: the conversion spent %d, below the bound %d", i, src, spent, monoSumWork(len(ts)))
			}
			if monoSumWork(len(ts)) > 50_000 {
				skipped++
			}
		}
		below := 1 + rng.IntN(400)
		f, tg, x := FormsBelow(e, 50_000, below)
		sumWorkBound = false
		wf, wtg, wx := FormsBelow(e, 50_000, below)
		sumWorkBound = true
		if f != wf || tg != wtg || x != wx {
			t.Fatalf("%d: FormsBelow(%s, %d) with the work bound: %v %v %v, without: %v %v %v", i, src, below, f, tg, x, wf, wtg, wx)
		}
	}
	if sums < 100 || skipped < 20 {
		t.Fatalf("%d sums of distinct monomials, %d past the budget: the test checks too little", sums, skipped)
	}
}

// TestIrreducibleSplit: irreducibleSplit answers "irreducible" only for
// polynomials that the general factorisation (without its shortcuts)
// finds irreducible with no monomial factor, never for a product of two
// polynomials that are not constant, and does answer for many random
// polynomials a*v + b with a and b in separate names.
func TestIrreducibleSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 26))
	names := []string{"a", "b", "c", "d", "e", "f"}
	sum := func(ns []string) string {
		var ts []string
		for range 1 + rng.IntN(3) {
			m := []string{fmt.Sprint([]int{1, -1, 2, 3, -5}[rng.IntN(5)])}
			for range rng.IntN(3) {
				n := ns[rng.IntN(len(ns))]
				if rng.IntN(4) == 0 {
					n += "^2"
				}
				m = append(m, n)
			}
			ts = append(ts, strings.Join(m, "*"))
		}
		return "(" + strings.Join(ts, " + ") + ")"
	}
	yes := 0
	for i := range 600 {
		k := 1 + rng.IntN(4)
		left, right := names[1:1+k], names[1+k:]
		if rng.IntN(4) == 0 {
			right = names[1+rng.IntN(5):] // overlapping: the test must not decide by the names alone
		}
		src := sum(left) + "*a + " + sum(right)
		product := i%3 == 0
		if product {
			src = "(" + src + ")*" + sum(names[rng.IntN(6):])
		}
		e := parsetest.MustParse(t, src, nil)
		r := newRing(&work{left: 1 << 40}, e)
		f, err := r.rat(e)
		if err != nil {
			t.Fatal(err)
		}
		if f.num.isConst() || !irreducibleSplit(signedMonos(f.num)) {
			continue
		}
		factorShortcuts = false
		fs, err := factorPoly(f.num)
		factorShortcuts = true
		if err != nil {
			t.Fatal(err)
		}
		if len(fs.fs) != 1 || fs.fs[0].e != 1 || len(fs.fs[0].p.terms) != len(f.num.terms) {
			t.Fatalf("%d: %s found irreducible, factored into %v", i, src, keys(fs))
		}
		yes++
	}
	if yes < 100 {
		t.Fatalf("only %d of 600 random polynomials found irreducible: the test checks too little", yes)
	}
}

// TestCollectQuickMap: collecting many terms by their hashes gives the
// terms, coefficients and order that comparing them pair by pair gives,
// on random lists of terms with repeated exponents, cancelling
// coefficients and hashes made to collide for different exponents.
func TestCollectQuickMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 27))
	for i := range 300 {
		var ts []quickTerm
		for range 17 + rng.IntN(60) {
			var m []varExp
			for v := range 3 {
				if e := rng.IntN(3); e > 0 {
					m = append(m, varExp{v, e})
				}
			}
			h := monoHash(m)
			if rng.IntN(4) == 0 {
				h = 7 // collides with others of other exponents
			}
			ts = append(ts, quickTerm{m, ast.Int(int64([]int{1, -1, 2, -2}[rng.IntN(4)])), h})
		}
		want := collectQuickPairs(slices.Clone(ts))
		got := collectQuickMap(slices.Clone(ts))
		if len(got) != len(want) {
			t.Fatalf("%d: %d terms by hash, %d pair by pair", i, len(got), len(want))
		}
		for k := range got {
			if !slices.Equal(got[k].m, want[k].m) || got[k].c.Cmp(want[k].c) != 0 || got[k].h != want[k].h {
				t.Fatalf("%d: term %d is %v %s by hash, %v %s pair by pair", i, k, got[k].m, got[k].c, want[k].m, want[k].c)
			}
		}
	}
}
