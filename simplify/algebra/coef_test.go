package algebra

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestCoefArithmetic: the int64 paths of the coefficient operations give
// math/big's value, normalised as math/big normalises it (the same
// string), on random small values and values at and past the int64
// edges; and the shared integers keep their values.
func TestCoefArithmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 12))
	edges := []int64{0, 1, -1, 2, -2, 3, 7, smallMax, -smallMax, smallMax + 1, 1 << 31, -(1 << 31), 1<<32 + 1, 1 << 62, -(1 << 62),
		math.MaxInt64, -math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, 3037000499, 3037000500, -3037000500}
	val := func() *big.Rat {
		pick := func() int64 {
			switch rng.IntN(4) {
			case 0:
				return edges[rng.IntN(len(edges))]
			case 1:
				return rng.Int64N(2001) - 1000
			case 2:
				return rng.Int64() - rng.Int64()
			}
			return rng.Int64N(13) - 6
		}
		n, d := pick(), pick()
		for d == 0 {
			d = pick()
		}
		r := new(big.Rat).SetFrac(big.NewInt(n), big.NewInt(d))
		switch rng.IntN(8) {
		case 0: // past int64: a numerator or denominator of 2^64 and more
			r.Mul(r, new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 64)))
		case 1:
			r.Quo(r, new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(3), 70)))
		}
		return r
	}
	same := func(op string, a, b, got, want *big.Rat) {
		t.Helper()
		if got.String() != want.String() || got.Cmp(want) != 0 {
			t.Fatalf("%s(%v, %v) = %v, want %v", op, a, b, got, want)
		}
	}
	fast := 0
	for range 50_000 {
		a, b := val(), val()
		ac, bc := new(big.Rat).Set(a), new(big.Rat).Set(b)
		same("ratAdd", a, b, ratAdd(a, b), new(big.Rat).Add(a, b))
		same("ratMul", a, b, ratMul(a, b), new(big.Rat).Mul(a, b))
		same("ratNeg", a, nil, ratNeg(a), new(big.Rat).Neg(a))
		same("ratCopy", a, nil, ratCopy(a), a)
		if b.Sign() != 0 {
			same("ratQuo", a, b, ratQuo(a, b), new(big.Rat).Quo(a, b))
		}
		if a.Cmp(ac) != 0 || b.Cmp(bc) != 0 {
			t.Fatalf("an operand changed: %v, %v; were %v, %v", a, b, ac, bc)
		}
		if _, ok := mulFast(a, b); ok {
			fast++
		}
	}
	if fast < 12_000 {
		t.Errorf("the int64 path was taken %d times: the values do not exercise it", fast)
	}
	for n := int64(-smallMax); n <= smallMax; n++ {
		if c := intRat(n); c.Cmp(big.NewRat(n, 1)) != 0 {
			t.Fatalf("the shared coefficient %d is now %v", n, c)
		}
	}
}

// TestCoefFastForms: the verbs give the very nodes with the int64 paths
// and the other shortcuts (divShortcuts, polyMemo, ratInPlace) as with
// math/big and the general paths alone, at budgets tiny to ample, on the sympy factoring
// corpus, the MSE's gradient, rational functions, and random polynomials
// with coefficients near ±2^63; afterwards the shared integers keep
// their values.
func TestCoefFastForms(t *testing.T) {
	src, err := os.ReadFile("testdata/sympy_factor.txt")
	if err != nil {
		t.Fatal(err)
	}
	ins := []string{
		"(x^2 - 1)/(x^2 + 2*x + 1)", "1/x + 1/y", "2*x11*(w1*x11 - y1 + w2*x12)/3 + 2*x21*(w1*x21 - y2 + w2*x22)/3",
		"exp(z)/(1 + exp(z))^2 - y/(1 + exp(z))", "(a + b)^3/(a^2 - b^2)", "sqrt(x)^2 + x/(x + 1)", "(3037000500*x + 1)^2 - 9223372036854775807*x^2",
		"(9223372036854775807*x - 9223372036854775806/5)*(x/3 + 4611686018427387904)", "x/1024 + x/1025 + 1025*y - 1024*y",
	}
	for _, line := range strings.Split(string(src), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			p, _, _ := strings.Cut(line, "\t")
			ins = append(ins, p)
		}
	}
	rng := rand.New(rand.NewPCG(15, 13))
	nums := []string{"1", "-1", "3", "2/3", "1024", "1025", "-7/1024", "9223372036854775807", "4611686018427387904", "3037000500", "1/9223372036854775807"}
	for range 60 {
		var terms []string
		for range 1 + rng.IntN(5) {
			term := nums[rng.IntN(len(nums))]
			for range rng.IntN(3) {
				term += "*" + []string{"x", "y", "(x + 1)", "(x - y)", "x^2"}[rng.IntN(5)]
			}
			terms = append(terms, term)
		}
		ins = append(ins, "("+strings.Join(terms, " + ")+")*("+strings.Join(terms[:1+rng.IntN(len(terms))], " - ")+")")
	}
	made := 0
	for _, in := range ins {
		e := parsetest.MustParse(t, in, nil)
		for _, budget := range []int64{100, 3000, reshapeBudget} {
			f, tg, x := Forms(e, budget)
			coefFast, divShortcuts, polyMemo, ratInPlace = false, false, false, false
			wf, wt, wx := Forms(e, budget)
			coefFast, divShortcuts, polyMemo, ratInPlace = true, true, true, true
			if f != wf || tg != wt || x != wx {
				t.Errorf("Forms(%s, %d) = %s, %s, %s; by the general paths %s, %s, %s", in, budget, show(f), show(tg), show(x), show(wf), show(wt), show(wx))
			}
			for _, y := range []ast.Expr{f, tg, x} {
				if y != nil {
					made++
				}
			}
		}
	}
	if made < 300 {
		t.Errorf("only %d forms made", made)
	}
	for n := int64(-smallMax); n <= smallMax; n++ {
		if c := intRat(n); c.Cmp(big.NewRat(n, 1)) != 0 {
			t.Fatalf("the shared coefficient %d is now %v", n, c)
		}
	}
}

// TestDivConst: exactDiv's shortcut for a constant quotient gives the
// quotient, the work left and the give-up of the division loop, on
// constant multiples k*b (k small, near ±2^63, past int64, with
// coefficients past the size limit) and on polynomials of the same
// length that are not multiples, at budgets tiny to ample.
func TestDivConst(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 14))
	sp := space{n: 3}
	ks := []*big.Rat{big.NewRat(1, 1), big.NewRat(-1, 1), big.NewRat(2, 3), big.NewRat(-7, 1024), big.NewRat(math.MaxInt64, 3),
		new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 80), big.NewInt(7)), new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), maxBits))}
	type out struct {
		q    poly
		ok   bool
		left int64
		err  error
	}
	run := func(a, b poly, budget int64) (o out) {
		w := newWorkN(budget)
		a.w, b.w = w, w
		defer func() { o.left = w.left }()
		defer catch(&o.err)
		o.q, o.ok = exactDiv(a, b)
		return o
	}
	taken, multiples := 0, 0
	for i := range 3000 {
		b := randFactorPoly(rng, sp, 3, 2+rng.IntN(6), 3)
		if len(b.terms) < 2 {
			continue
		}
		a := b.scale(ks[rng.IntN(len(ks))])
		if i%3 == 0 { // not a multiple: one coefficient or monomial changed
			ts := slices.Clone(a.terms)
			j := rng.IntN(len(ts))
			if rng.IntN(2) == 0 {
				ts[j].c = ratAdd(ts[j].c, big.NewRat(1, 2))
			} else {
				ts[j].m = slices.Clone(ts[j].m)
				ts[j].m[2] += 7 // still in order: the last variable is the least significant
			}
			if ts[j].c.Sign() == 0 {
				continue
			}
			a = poly{space: sp, terms: ts}
		}
		for _, budget := range []int64{1, int64(2 * len(b.terms)), int64(3*len(b.terms) + 1), 1 << 40} {
			got := run(a, b, budget)
			divShortcuts = false
			want := run(a, b, budget)
			divShortcuts = true
			if got.ok != want.ok || got.left != want.left || (got.err == nil) != (want.err == nil) || got.ok && !got.q.equal(want.q) {
				t.Fatalf("exactDiv(%v, %v) at budget %d: %v %v (%v, %d left); loop %v %v (%v, %d left)",
					a.terms, b.terms, budget, got.q.terms, got.ok, got.err, got.left, want.q.terms, want.ok, want.err, want.left)
			}
		}
		if func() (ok bool) {
			defer func() { _ = recover() }() // a coefficient past the size limit
			_, ok = divConst(a, b)
			return ok
		}() {
			taken++
		}
		if i%3 != 0 {
			multiples++
		}
	}
	if taken < multiples/2 {
		t.Errorf("the shortcut was taken %d times on %d multiples", taken, multiples)
	}
}

// TestSortAtoms: sortAtoms, which prints each atom once, orders as the
// stable sort by atomOrder does, on random lists of names, indexed
// names, calls and powers with repeats.
func TestSortAtoms(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	var pool []ast.Expr
	for _, src := range []string{"x", "y", "w1", "w10", "w2", "x_0_1", "x[1]", "x[2, k]", "sin(x)", "exp(y)", "sigma(z)", "x^(1/2)", "y^t", "Phi(a)"} {
		pool = append(pool, parsetest.MustParse(t, src, nil))
	}
	for range 500 {
		atoms := make([]ast.Expr, rng.IntN(12))
		for i := range atoms {
			atoms[i] = pool[rng.IntN(len(pool))]
		}
		want := slices.Clone(atoms)
		slices.SortStableFunc(want, atomOrder)
		sortAtoms(atoms)
		if !slices.Equal(atoms, want) {
			t.Fatalf("sortAtoms: %v, want %v", atoms, want)
		}
	}
}

// TestMonoBlocks: the products, shifts, coefficients and quotients by a
// term whose monomials are cut from one block or shared with their input
// equal the same operations done term by term (mulMap, the division
// loop, a copy of each monomial), on random polynomials with negative
// exponents (Laurent) and constant terms; the inputs are left unchanged.
func TestMonoBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	sp := space{n: 3}
	randPoly := func() poly {
		p := randFactorPoly(rng, sp, 3, 1+rng.IntN(6), 3)
		if rng.IntN(3) == 0 { // Laurent: some negative exponents
			p = p.shift(mono{-rng.IntN(2), 0, -rng.IntN(3)})
		}
		return p
	}
	clone := func(p poly) poly {
		q := poly{space: p.space}
		for _, tm := range p.terms {
			q.terms = append(q.terms, term{m: slices.Clone(tm.m), c: new(big.Rat).Set(tm.c)})
		}
		return q
	}
	naiveCoeff := func(p poly, v, k int) poly {
		out := poly{space: p.space}
		for _, tm := range p.terms {
			if tm.m[v] == k {
				m := slices.Clone(tm.m)
				m[v] = 0
				out.terms = append(out.terms, term{m: m, c: tm.c})
			}
		}
		return out
	}
	naiveShift := func(p poly, m mono) poly {
		out := poly{space: p.space}
		for _, tm := range p.terms {
			out.terms = append(out.terms, term{m: tm.m.mul(m), c: tm.c})
		}
		return out
	}
	for range 2000 {
		a, b := randPoly(), randPoly()
		if a.isZero() || b.isZero() {
			continue
		}
		a0, b0 := clone(a), clone(b)
		tm := b.terms[0]
		if rng.IntN(3) == 0 {
			tm = term{m: make(mono, 3), c: tm.c} // a constant
		}
		single := poly{space: sp, terms: []term{tm}}
		if got, want := a.mulTerm(tm), a.mulMap(single); !got.equal(want) {
			t.Fatalf("mulTerm(%v, %v) = %v, want %v", a.terms, tm, got.terms, want.terms)
		}
		if got, want := a.mulRaw(b), a.mulMap(b); !(poly{space: sp, terms: got}).equal(want) {
			t.Fatalf("mulRaw(%v, %v) = %v, want %v", a.terms, b.terms, got, want.terms)
		}
		v, k := rng.IntN(3), rng.IntN(4)-1
		if got, want := a.coeff(v, k), naiveCoeff(a, v, k); !got.equal(want) {
			t.Fatalf("coeff(%v, %d, %d) = %v, want %v", a.terms, v, k, got.terms, want.terms)
		}
		if got, want := a.shift(tm.m), naiveShift(a, tm.m); !got.equal(want) {
			t.Fatalf("shift(%v, %v) = %v, want %v", a.terms, tm.m, got.terms, want.terms)
		}
		prod := a.mulTerm(tm)
		got, gotOK := divMono(prod, tm)
		want, wantOK := divLoop(prod, single)
		if gotOK != wantOK || gotOK && !got.equal(want) {
			t.Fatalf("divMono(%v, %v) = %v %v, loop %v %v", prod.terms, tm, got.terms, gotOK, want.terms, wantOK)
		}
		got, gotOK = divMono(a, tm) // not always divisible
		want, wantOK = divLoop(a, single)
		if gotOK != wantOK || gotOK && !got.equal(want) {
			t.Fatalf("divMono(%v, %v) = %v %v, loop %v %v", a.terms, tm, got.terms, gotOK, want.terms, wantOK)
		}
		if !a.equal(a0) || !b.equal(b0) {
			t.Fatalf("an input changed: %v, %v; were %v, %v", a.terms, b.terms, a0.terms, b0.terms)
		}
	}
}
