package algebra

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// evalAt is p at the point x, in exact arithmetic: the oracle the
// polynomial operations are checked against.
func evalAt(p poly, x []*big.Rat) *big.Rat {
	sum := new(big.Rat)
	for _, t := range p.terms {
		v := new(big.Rat).Set(t.c)
		for i, e := range t.m {
			for range e {
				v.Mul(v, x[i])
			}
		}
		sum.Add(sum, v)
	}
	return sum
}

// wellFormed checks the invariants of a poly: terms strictly decreasing
// in lexicographic order, no zero coefficient.
func wellFormed(t *testing.T, p poly) {
	t.Helper()
	for i, tm := range p.terms {
		if tm.c.Sign() == 0 {
			t.Fatalf("zero coefficient at %d", i)
		}
		if i > 0 && cmpMono(p.terms[i-1].m, tm.m) <= 0 {
			t.Fatalf("terms out of order at %d", i)
		}
	}
}

// TestAddMulDiffByValue: sums, products and derivatives (the sorted
// merges that replaced maps) agree at random rational points with the
// same operations on the values, and are well formed.
func TestAddMulDiffByValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 15))
	sp := space{n: 3}
	for i := range 300 {
		a := randFactorPoly(rng, sp, 3, 1+rng.IntN(6), 3)
		b := randFactorPoly(rng, sp, 3, 1+rng.IntN(6), 3)
		if i%7 == 0 {
			b = a.neg() // everything cancels
		}
		x := []*big.Rat{big.NewRat(rng.Int64N(19)-9, 1+rng.Int64N(5)), big.NewRat(rng.Int64N(19)-9, 1+rng.Int64N(5)), big.NewRat(rng.Int64N(19)-9, 1+rng.Int64N(5))}
		va, vb := evalAt(a, x), evalAt(b, x)
		sum, prod := a.add(b), a.mul(b)
		wellFormed(t, sum)
		wellFormed(t, prod)
		if got, want := evalAt(sum, x), new(big.Rat).Add(va, vb); got.Cmp(want) != 0 {
			t.Fatalf("add: %v, want %v", got, want)
		}
		if got, want := evalAt(prod, x), new(big.Rat).Mul(va, vb); got.Cmp(want) != 0 {
			t.Fatalf("mul: %v, want %v", got, want)
		}
		// d/dv at x by the exact difference quotient of a polynomial of
		// degree <= 3 in v: the derivative of the interpolating cubic.
		d := a.diff(1)
		wellFormed(t, d)
		if got, want := evalAt(d, x), derivAt(a, x, 1); got.Cmp(want) != 0 {
			t.Fatalf("diff: %v, want %v", got, want)
		}
	}
}

// derivAt is the derivative of p in variable v at x, from p's values at
// x[v] + k for k = -2..2 (exact for degree <= 4 in v): the five-point
// stencil (f(-2) - 8 f(-1) + 8 f(1) - f(2))/12.
func derivAt(p poly, x []*big.Rat, v int) *big.Rat {
	at := func(k int64) *big.Rat {
		y := append([]*big.Rat(nil), x...)
		y[v] = new(big.Rat).Add(x[v], big.NewRat(k, 1))
		return evalAt(p, y)
	}
	s := new(big.Rat).Sub(at(-2), new(big.Rat).Mul(big.NewRat(8, 1), at(-1)))
	s.Add(s, new(big.Rat).Mul(big.NewRat(8, 1), at(1)))
	s.Sub(s, at(2))
	return s.Quo(s, big.NewRat(12, 1))
}

// TestGcdShortcuts: with a known common factor g, gcd(g*h1, g*h2) is a
// multiple of g that divides both, and it is the same polynomial with and
// without the monomial and modular shortcuts (the remainder sequence
// alone); single terms and coprime pairs included.
func TestGcdShortcuts(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 27))
	sp := space{n: 4}
	for i := range 200 {
		g := randFactorPoly(rng, sp, 4, 1+rng.IntN(3), 2)
		if i%5 == 0 {
			g = intPoly(sp, 1)
		}
		h1 := randFactorPoly(rng, sp, 4, 1+rng.IntN(4), 2)
		h2 := randFactorPoly(rng, sp, 4, 1+rng.IntN(4), 2)
		if i%4 == 1 {
			h2 = randFactorPoly(rng, sp, 4, 1, 2) // a single term
		}
		a, b := g.mul(h1), g.mul(h2)
		if a.isZero() || b.isZero() {
			continue
		}
		got := gcd(a, b)
		gcdShortcuts = false
		want := gcd(a, b)
		gcdShortcuts = true
		if !got.equal(want) {
			t.Fatalf("gcd with shortcuts %v, without %v", got.terms, want.terms)
		}
		if _, ok := exactDiv(a, got); !ok {
			t.Fatalf("gcd does not divide a")
		}
		if _, ok := exactDiv(b, got); !ok {
			t.Fatalf("gcd does not divide b")
		}
		if !g.isConst() {
			if _, ok := exactDiv(got, g); !ok {
				t.Fatalf("the common factor does not divide the gcd")
			}
		}
	}
}

// BenchmarkFormsMSE: the display forms of the MSE gradient written out
// (W2 of issue 15) at 3×2 and 10×3, the shapes that dominated the
// simplifier's time on small inputs.
func BenchmarkFormsMSE(b *testing.B) {
	for _, nd := range [][2]int{{3, 2}, {10, 3}} {
		var terms []string
		for i := 1; i <= nd[0]; i++ {
			var dot []string
			for j := 1; j <= nd[1]; j++ {
				dot = append(dot, fmt.Sprintf("w%d*x%d_%d", j, i, j))
			}
			terms = append(terms, fmt.Sprintf("2*x%d_1*(%s - y%d)", i, strings.Join(dot, " + "), i))
		}
		e := parsetest.MustParse(b, "("+strings.Join(terms, " + ")+fmt.Sprintf(")/%d", nd[0]), nil)
		b.Run(fmt.Sprintf("%dx%d", nd[0], nd[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if f, _, _ := Forms(e, 50_000); f == nil {
					b.Fatal("no factored form")
				}
			}
		})
	}
}

// TestPowTerm: a single term to a power is the same polynomial as the
// product of k copies, and gives up (errTooLarge) exactly when the
// repeated squaring gives up.
func TestPowTerm(t *testing.T) {
	sp := space{n: 2}
	for _, c := range []*big.Rat{big.NewRat(1, 1), big.NewRat(-2, 3), big.NewRat(7, 1), big.NewRat(1, 1<<40), big.NewRat(-(1 << 62), 3)} {
		for _, k := range []int{1, 2, 3, 5, 8, 13, 64, 200, 300} {
			p := poly{space: sp, terms: []term{{m: mono{1, 2}, c: c}}}
			got, gotErr := tryPoly(func() poly { return p.powTerm(k) })
			want, wantErr := tryPoly(func() poly {
				r := intPoly(sp, 1)
				for range k {
					r = r.mulMap(p) // the general product, no shortcut
				}
				return r
			})
			if gotErr != wantErr {
				t.Fatalf("(%v)^%d: gives up %v, by products %v", c, k, gotErr, wantErr)
			}
			if !gotErr && !got.equal(want) {
				t.Fatalf("(%v)^%d: %v, want %v", c, k, got.terms, want.terms)
			}
		}
	}
}

func tryPoly(f func() poly) (p poly, tooLarge bool) {
	defer func() {
		if r := recover(); r != nil {
			if r != errTooLarge {
				panic(r)
			}
			tooLarge = true
		}
	}()
	return f(), false
}

// TestModInt: the int64 path of modInt agrees with big.Int's Mod
// (Euclidean: the result is in [0, modQ)).
func TestModInt(t *testing.T) {
	for _, v := range []int64{0, 1, -1, modQ, -modQ, modQ - 1, -(modQ - 1), 1 << 40, -(1 << 40), 1<<63 - 1, -1 << 63} {
		n := big.NewInt(v)
		want := new(big.Int).Mod(n, big.NewInt(modQ)).Int64()
		if got := modInt(n); got != want {
			t.Errorf("modInt(%d) = %d, want %d", v, got, want)
		}
	}
}

// TestRatContent64: the int64 content equals the big.Int computation
// (denominators near 2^62 make the lcm overflow, and the general path
// answer), and the content divides the polynomial into coprime integers.
func TestRatContent64(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 44))
	sp := space{n: 2}
	for range 300 {
		var p poly
		for i := range 1 + rng.IntN(5) {
			den := int64(1 + rng.IntN(40))
			if rng.IntN(10) == 0 {
				den = 1<<62 + int64(rng.IntN(9))
			}
			c := big.NewRat(rng.Int64N(2001)-1000, den)
			if c.Sign() == 0 {
				continue
			}
			p.terms = append(p.terms, term{m: mono{4 - i, 0}, c: c})
		}
		p.space = sp
		got, ok := p.ratContent64()
		want := bigContent(p) // the reference: big.Int arithmetic only
		if ok && got.Cmp(want) != 0 {
			t.Fatalf("ratContent64 = %v, want %v", got, want)
		}
		if got := p.ratContent(); got.Cmp(want) != 0 {
			t.Fatalf("ratContent = %v, want %v", got, want)
		}
		q := p.scale(new(big.Rat).Inv(want))
		g := new(big.Int)
		for _, tm := range q.terms {
			if !tm.c.IsInt() {
				t.Fatalf("p/content has a non-integer coefficient %v", tm.c)
			}
			g.GCD(nil, nil, g, new(big.Int).Abs(tm.c.Num()))
		}
		if len(q.terms) > 0 && g.Cmp(big.NewInt(1)) != 0 {
			t.Fatalf("p/content has coefficients with gcd %v", g)
		}
	}
}

// bigContent is ratContent in big.Int arithmetic only.
func bigContent(p poly) *big.Rat {
	num, den := new(big.Int), big.NewInt(1)
	for _, t := range p.terms {
		num.GCD(nil, nil, num, new(big.Int).Abs(t.c.Num()))
		d := t.c.Denom()
		g := new(big.Int).GCD(nil, nil, den, d)
		den.Mul(den, new(big.Int).Quo(d, g))
	}
	if num.Sign() == 0 {
		return big.NewRat(1, 1)
	}
	return new(big.Rat).SetFrac(num, den)
}

// TestRatInPlace: the conversion to a quotient, whose sums of
// polynomials accumulate one-term polynomials in place (ratInPlace),
// gives the same quotient with the same work left, or gives up exactly
// when the accumulation by addRat does, on random expressions of every
// kind and random sums with coefficients near ±2^63, huge rationals,
// coefficients beyond the size limit, cancelling terms and quotients, at
// budgets from tiny to ample; and Forms gives the same nodes.
func TestRatInPlace(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 10)))
	rng := rand.New(rand.NewPCG(3, 64))
	nums := []string{"1", "3", "2/3", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "0.5",
		"170141183460469231731687303715884105727/9223372036854775783", "2^20000", "3^9000", "0"}
	factors := []string{"x", "y", "x^2", "1/x", "sin(y)", "(x + 1)", "1/(y - 1)", "x^3", "y^40"}
	var ins []ast.Expr
	for range 300 {
		var terms []string
		for range 1 + rng.IntN(14) {
			term := nums[rng.IntN(len(nums))]
			for range rng.IntN(3) {
				term += "*" + factors[rng.IntN(len(factors))]
			}
			if rng.IntN(3) == 0 {
				term = "-" + term
			}
			terms = append(terms, term)
		}
		// A repeated term cancels or doubles.
		if rng.IntN(2) == 0 {
			terms = append(terms, "-("+terms[rng.IntN(len(terms))]+")", terms[rng.IntN(len(terms))])
		}
		ins = append(ins, g.Expr(3), parsetest.MustParse(t, strings.Join(terms, " + "), nil))
	}
	huge := ast.NewNum(ast.FromBigInt(new(big.Int).Lsh(big.NewInt(1), 20000)))
	x, y := parsetest.MustParse(t, "x", nil), parsetest.MustParse(t, "y", nil)
	ins = append(ins, ast.NewAdd(x, huge, y), ast.NewAdd(ast.NewMul(huge, x), y, ast.NewNeg(ast.NewMul(huge, x))),
		ast.NewAdd(huge, x, ast.NewNeg(huge)),
		ast.NewAdd(huge, x, y)) // addRat gives up at x; rat would at its last reduction anyway
	type out struct {
		f    ratfn
		left int64
		err  error
	}
	// run converts e with rat, or with ratRec alone (without the final
	// reduction, which checks every coefficient again).
	run := func(e ast.Expr, budget int64, rec bool) (o out) {
		w := newWorkN(budget)
		defer func() { o.left = w.left }()
		defer catch(&o.err)
		r := newRing(w, e)
		if rec {
			o.f, o.err = r.ratRec(e)
		} else {
			o.f, o.err = r.rat(e)
		}
		return o
	}
	made, gave := 0, 0
	for _, e := range ins {
		for _, budget := range []int64{5, 30, 200, 2000, 50_000, 1 << 40} {
			for _, rec := range []bool{false, true} {
				got := run(e, budget, rec)
				ratInPlace = false
				want := run(e, budget, rec)
				ratInPlace = true
				if (got.err == nil) != (want.err == nil) || got.err == nil && (got.left != want.left ||
					!got.f.num.equal(want.f.num) || !got.f.den.equal(want.f.den)) {
					t.Fatalf("rat(%s) (ratRec alone: %v) at budget %d: in place %v/%v (%v, %d left), by addRat %v/%v (%v, %d left)", ast.String(e), rec, budget,
						got.f.num.terms, got.f.den.terms, got.err, got.left, want.f.num.terms, want.f.den.terms, want.err, want.left)
				}
				if rec {
					continue
				}
				if got.err == nil {
					made++
				} else {
					gave++
				}
			}
			if budget > reshapeBudget {
				continue // Forms at ample budgets factors for long
			}
			ratInPlace = false
			wf, wt, wx := Forms(e, budget)
			ratInPlace = true
			if f, tg, x := Forms(e, budget); f != wf || tg != wt || x != wx {
				t.Fatalf("Forms(%s, %d): in place %s, %s, %s; by addRat %s, %s, %s", ast.String(e), budget, show(f), show(tg), show(x), show(wf), show(wt), show(wx))
			}
		}
	}
	if made < 500 || gave < 300 {
		t.Errorf("%d conversions made, %d given up: the inputs do not exercise both", made, gave)
	}
}

// TestHasDen: where hasDen says no, prepDen leaves e as it is and spends
// nothing (so laurent may skip it); on random expressions of every kind
// and on sums with quotients and negative powers deep inside.
func TestHasDen(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 11)))
	var ins []ast.Expr
	for _, src := range []string{"x^2 + y", "x^-1 + y", "sin(1/x) + y", "(x + 1/y)^2*z", "x^(1/2)*y", "x^2000 + x^-2000", "2*(x + y^-2)^3"} {
		ins = append(ins, parsetest.MustParse(t, src, nil))
	}
	for range 500 {
		ins = append(ins, g.Expr(4))
	}
	skipped, prepared := 0, 0
	for _, e := range ins {
		w := newWorkN(1 << 40)
		x, err := func() (x ast.Expr, err error) {
			defer catch(&err)
			return prepDen(e, w, map[ast.Expr]ast.Expr{})
		}()
		if hasDen(e) {
			prepared++
			continue
		}
		skipped++
		if err != nil || x != e || w.left != 1<<40 {
			t.Errorf("prepDen(%s) = %s (%v, %d spent), though hasDen says it has no denominator", ast.String(e), show(x), err, 1<<40-w.left)
		}
	}
	if skipped < 50 || prepared < 50 {
		t.Errorf("%d skipped, %d prepared: the inputs do not exercise both", skipped, prepared)
	}
}
