package simplify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// growingSource is b1 := x*y1, b_k := b_{k-1}*x + y_k for k <= n: each
// body is the one before and a little more, and the derivative of b_n by
// x, expanded, is a sum of n terms.
func growingSource(n int) string {
	var b strings.Builder
	b.WriteString("b1 := x*y1\n")
	for k := 2; k <= n; k++ {
		fmt.Fprintf(&b, "b%d := b%d*x + y%d\n", k, k-1, k)
	}
	return b.String()
}

// foldGrowingWork simplifies e of the growing chain of n links (b_n or its
// derivative) and returns the work its result took to fold (foldWork).
func foldGrowingWork(t *testing.T, n int, deriv bool) int64 {
	defs := parsetest.DefsFrom(t, growingSource(n))
	var e ast.Expr = ast.NewSym(fmt.Sprintf("b%d", n))
	if deriv {
		e = ast.NewDeriv(e, ast.NewSym("x"))
	}
	opt := Options{Rules: load.Builtin(), Defs: defs}
	res, err := Simplify(context.Background(), e, opt)
	if err != nil {
		t.Fatal(err)
	}
	s := New(opt)
	pats := s.foldPatterns(context.Background(), preferred(e, defs))
	before := foldWork.Load()
	s.foldWith(context.Background(), res.Canonical, pats, !deriv)
	return foldWork.Load() - before
}

// TestFoldGrowingChainLinear: folding the result of a chain of growing
// bodies (b_k := b_{k-1}*x + y_k) back into the names is linear in the
// chain: every node of the result tried every pattern (the derivative of
// b_n has n terms, each tried against n patterns), and a pattern was
// matched by walking it to its leaves (b_k's body, b_{k-1}'s opened,
// walked to b_1 at each k). The work counted is the patterns tried at
// nodes and the size of each pattern given to rules.MatchRoot (a bound on
// its walk); from n to 2n it must grow about twice, within a generous
// factor, and the control without the index and the pointer match
// (foldIndexed off) shows the quadratic growth the measure sees.
func TestFoldGrowingChainLinear(t *testing.T) {
	if foldWorkRatio(t, 300, true) > 3 {
		return
	}
	foldIndexed = false
	defer func() { foldIndexed = true }()
	if r := foldWorkRatio(t, 300, false); r < 3.5 {
		t.Errorf("without the index, work grew only %.2f times from n to 2n: the measure does not see the quadratic fold", r)
	}
}

// foldWorkRatio is the growth of the fold's work from n to 2n links, for
// b_n and its derivative (the larger); with want, it must be below 3.
func foldWorkRatio(t *testing.T, n int, want bool) float64 {
	worst := 0.0
	for _, deriv := range []bool{false, true} {
		a, b := foldGrowingWork(t, n, deriv), foldGrowingWork(t, 2*n, deriv)
		r := float64(b) / float64(max(a, 1))
		t.Logf("indexed %v, derivative %v: work %d at n = %d, %d at %d: %.2f times", foldIndexed, deriv, a, n, b, 2*n, r)
		if want && r > 3 {
			t.Errorf("derivative %v: folding's work grew %.2f times from %d links to %d (%d to %d): not linear", deriv, r, n, 2*n, a, b)
		}
		worst = max(worst, r)
	}
	return worst
}

// randGrowingDefs writes a random chain of growing bodies: each link the
// one before times a factor plus a term (names, numbers, earlier links),
// polynomial, so that values are exact rationals.
func randGrowingDefs(r *rand.Rand, n int) string {
	var b strings.Builder
	atom := func(k int) string {
		switch r.IntN(6) {
		case 0:
			return fmt.Sprint(r.IntN(5) - 2)
		case 1:
			return "x"
		case 2:
			if k > 1 {
				return fmt.Sprintf("b%d", 1+r.IntN(k-1))
			}
		}
		return fmt.Sprintf("y%d", 1+r.IntN(n))
	}
	fmt.Fprintf(&b, "b1 := %s*%s + y1\n", atom(1), atom(1))
	for k := 2; k <= n; k++ {
		factor := []string{"x", atom(k), "(x + " + atom(k) + ")", "x^2"}[r.IntN(4)]
		op := []string{" + ", " - "}[r.IntN(2)]
		fmt.Fprintf(&b, "b%d := b%d*%s%s%s\n", k, k-1, factor, op, atom(k))
	}
	return b.String()
}

// TestFoldGrowingAgrees: on random chains of growing bodies, folding with
// the index and the pointer match gives the same result as trying every
// pattern with rules.MatchRoot (the slow path), and the folded result has
// the value of the canonical form it came from, in exact arithmetic at
// random rational points (the definitions opened by the evaluator).
func TestFoldGrowingAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	rs := load.Builtin()
	folded := 0
	for round := range 60 {
		n := 3 + r.IntN(8)
		src := randGrowingDefs(r, n)
		defs := parsetest.DefsFrom(t, src)
		for _, in := range []string{
			fmt.Sprintf("b%d", n),
			fmt.Sprintf("d(b%d, x)", n),
			fmt.Sprintf("d(b%d, y1)", n),
			fmt.Sprintf("b%d*y2 + b%d - x", n, n-1),
			fmt.Sprintf("d(b%d, x) + b%d", n-1, n-2),
		} {
			e := parsetest.MustParse(t, in, defs)
			opt := Options{Rules: rs, Defs: defs}
			res, err := Simplify(context.Background(), e, opt)
			if err != nil {
				t.Fatal(err)
			}
			s := New(opt)
			pats := s.foldPatterns(context.Background(), preferred(e, defs))
			skip := isDefinedName(e, s)
			got := s.foldWith(context.Background(), res.Canonical, pats, skip)
			foldIndexed = false
			want := s.foldWith(context.Background(), res.Canonical, pats, skip)
			foldIndexed = true
			if got != want {
				t.Fatalf("round %d: %s\n%s folded to %s, want %s (every pattern tried)", round, src, in, ast.String(got), ast.String(want))
			}
			if got != res.Canonical {
				folded++
			}
			for range 3 {
				b := ast.Bindings{"x": ast.Scalar(float64(r.IntN(17)-8) / 4)}
				for k := 1; k <= n; k++ {
					b[fmt.Sprintf("y%d", k)] = ast.Scalar(float64(r.IntN(17)-8) / 4)
				}
				vg, _, errG := ast.EvalExact(context.Background(), got, defs, b)
				vw, _, errW := ast.EvalExact(context.Background(), res.Canonical, defs, b)
				if errG != nil || errW != nil || vg == nil || vw == nil {
					t.Fatalf("round %d: %s\n%s: exact values %v (%v) and %v (%v)", round, src, in, vg, errG, vw, errW)
				}
				if vg.Cmp(vw) != 0 {
					t.Fatalf("round %d: %s\n%s: folded %s is %s at %v, but the canonical form %s is %s", round, src, in, ast.String(got), vg.RatString(), b, ast.String(res.Canonical), vw.RatString())
				}
			}
		}
	}
	t.Logf("%d results folded", folded)
	if folded < 100 {
		t.Errorf("only %d results folded: the test does not test folding", folded)
	}
}
