package simplify

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// TestTidyFastPathsAgree: tidy with its fast paths (the order cache that
// skips comparing pairs of factors met before, plainProduct for products
// that need nothing but their factors shown) gives the very node that
// tidy without them gives (tidier.reference), on random sums of random
// products of the factors of mulPool and of sums over an index, sorted
// and not, canonical and as written, and on the sums of products of
// d/dx Π(x+k); and so does tidy walking the expression as a tree,
// without its memo by node. The oracle is the general path, run by a
// tidier of its own on the same input.
func TestTidyFastPathsAgree(t *testing.T) {
	pool := mulPool()
	i := ast.NewSym("i")
	pool = append(pool,
		ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.NewIndex("a", i)),
		ast.NewAdd(ast.NewSym("y"), ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.NewIndex("a", i))),
		ast.NewCall("pi"), ast.NewNum(ast.Frac(3, 10)), ast.NewAdd(ast.NewSym("x"), ast.NewInt(-2)),
		ast.NewPow(ast.NewSym("x"), ast.NewInt(3)), ast.NewPow(ast.NewSym("x"), ast.NewInt(100)),
		ast.NewPow(ast.NewIndex("w", ast.One), ast.NewInt(2)), ast.NewPow(ast.NewSym("y"), ast.NewNum(ast.Frac(3, 2))),
		ast.NewPow(ast.NewSym("z"), ast.NewInt(-3)))
	plain := plainCanon(expandNone)
	rng := rand.New(rand.NewPCG(3, 5))
	var inputs []ast.Expr
	for range 1500 {
		terms := make([]ast.Expr, 1+rng.IntN(4))
		for j := range terms {
			fs := make([]ast.Expr, 1+rng.IntN(5))
			for k := range fs {
				fs[k] = pool[rng.IntN(len(pool))]
			}
			if rng.IntN(2) == 0 {
				slices.SortFunc(fs, displayFactorOrder)
			}
			terms[j] = ast.NewMul(fs...)
		}
		e := ast.NewAdd(terms...)
		inputs = append(inputs, e, plain.expr(e))
	}
	for _, n := range []int{2, 10, 100} { // W4's 1 + x + … + x^(n-1), and as written
		ts := []ast.Expr{ast.One}
		for k := 1; k < n; k++ {
			ts = append(ts, ast.NewPow(ast.NewSym("x"), ast.NewInt(int64(k))))
		}
		e := ast.NewAdd(ts...)
		inputs = append(inputs, e, plain.expr(e))
	}
	for _, n := range []int{3, 12, 40} {
		d := productRuleOfShifts(n)
		inputs = append(inputs, d, plain.expr(d))
	}
	for _, e := range inputs {
		fast := &tidier{memo: newDagMemo(), ctx: context.Background()}
		ref := &tidier{memo: newDagMemo(), ctx: context.Background(), reference: true}
		tree := &tidier{ctx: context.Background()} // no memo: walked as a tree
		got, err1 := fast.tidy(e)
		want, err2 := ref.tidy(e)
		gotTree, err3 := tree.tidy(e)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatal(err1, err2, err3)
		}
		if got != want {
			t.Fatalf("tidy of %s:\n fast paths: %s\n general:    %s", ast.String(e), ast.String(got), ast.String(want))
		}
		if gotTree != want {
			t.Fatalf("tidy of %s:\n as a tree: %s\n general:   %s", ast.String(e), ast.String(gotTree), ast.String(want))
		}
	}
}

// productRuleOfShifts is d/dx (x+1)...(x+n) by the product rule, written
// out: the sum over k of the product of the other factors.
func productRuleOfShifts(n int) ast.Expr {
	x := ast.NewSym("x")
	terms := make([]ast.Expr, n)
	for k := range n {
		var fs []ast.Expr
		for j := 1; j <= n; j++ {
			if j != k+1 {
				fs = append(fs, ast.NewAdd(x, ast.NewInt(int64(j))))
			}
		}
		terms[k] = ast.NewMul(fs...)
	}
	return ast.NewAdd(terms...)
}

// TestOrderCacheAgrees: an orderCache answers as the comparison does, on
// random pairs and lists of nodes met over and over.
func TestOrderCacheAgrees(t *testing.T) {
	pool := mulPool()
	rng := rand.New(rand.NewPCG(9, 4))
	var o, so orderCache
	for range 20000 {
		a, b := pool[rng.IntN(len(pool))], pool[rng.IntN(len(pool))]
		if got, want := o.less(a, b, Compare), Compare(a, b) < 0; got != want {
			t.Fatalf("less(%s, %s) = %v, want %v", ast.String(a), ast.String(b), got, want)
		}
		xs := make([]ast.Expr, 1+rng.IntN(4))
		for k := range xs {
			xs[k] = pool[rng.IntN(len(pool))]
		}
		if rng.IntN(2) == 0 {
			slices.SortFunc(xs, displayFactorOrder)
		}
		if got, want := so.sorted(xs, displayFactorOrder), slices.IsSortedFunc(xs, displayFactorOrder); got != want {
			t.Fatalf("sorted(%v) = %v, want %v", xs, got, want)
		}
	}
}

// TestShareABaseAgrees: shareABase says that some base is in every term
// exactly when a plain search finds one (each base of the first term
// looked for among the factors of every other term), on random sums of
// random products of mulPool's factors, with and without a factor put in
// every term.
func TestShareABaseAgrees(t *testing.T) {
	pool := mulPool()
	base := func(f ast.Expr) ast.Expr {
		b, e := splitPow(f)
		if _, ok := numOf(e); !ok {
			return f
		}
		return b
	}
	bases := func(t ast.Expr) []ast.Expr {
		fs := []ast.Expr{t}
		if m, ok := t.(*ast.Mul); ok {
			fs = m.Factors
		}
		var out []ast.Expr
		for _, f := range fs {
			if _, isNum := f.(*ast.Num); !isNum {
				out = append(out, base(f))
			}
		}
		return out
	}
	want := func(terms []ast.Expr) bool {
		for _, b := range bases(terms[0]) {
			all := true
			for _, t := range terms[1:] {
				if !slices.Contains(bases(t), b) {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
		return false
	}
	rng := rand.New(rand.NewPCG(7, 3))
	plain := plainCanon(expandNone)
	seen := map[bool]int{}
	for range 3000 {
		shared := pool[7+rng.IntN(len(pool)-7)]
		terms := make([]ast.Expr, 2+rng.IntN(4))
		for j := range terms {
			fs := make([]ast.Expr, 1+rng.IntN(4))
			for k := range fs {
				fs[k] = pool[rng.IntN(len(pool))]
			}
			if rng.IntN(2) == 0 {
				fs = append(fs, shared)
			}
			terms[j] = plain.expr(ast.NewMul(fs...))
		}
		if slices.ContainsFunc(terms, isNumber) {
			continue // shareABase is asked about sums of several terms, none a number
		}
		got, w := shareABase(terms), want(terms)
		if got != w {
			t.Fatalf("shareABase(%v) = %v, want %v", terms, got, w)
		}
		seen[w]++
	}
	if seen[true] < 100 || seen[false] < 100 {
		t.Fatalf("cases: %v", seen)
	}
}

// TestCanonicalInDisplayOrder: the canonical form Normalize returns has
// its sums and products in the order tidy's order puts them in, so that
// Simplify's tidy of a canonical form it did not fold skips order
// (tidyContext): on random inputs (derivatives, sums over an index,
// brackets, conditions, calls nested), the workloads, in the default and
// the expanded mode, order leaves the canonical form as it is; and the
// display with the skip is the one without it.
func TestCanonicalInDisplayOrder(t *testing.T) {
	rs := load.Builtin()
	g := parsetest.NewGen(rand.New(rand.NewPCG(27, 3)))
	rng := rand.New(rand.NewPCG(27, 4))
	var inputs []ast.Expr
	for _, w := range displayWorkloads() {
		inputs = append(inputs, parsetest.MustParse(t, w.src, nil))
	}
	for _, src := range []string{"0.5*x + 0.25*y + 1.5", "x*2^(1/2)*pi*y", "2*z*y[k]*[2 <= k <= n] + sum(i=1..n, x[i])", "d(sum(i=1..n, (y[i] - w*x[i])^2)/n, w)"} {
		inputs = append(inputs, parsetest.MustParse(t, src, nil))
	}
	n := 2000
	if testing.Short() {
		n = 400
	}
	for i := range n {
		switch i % 4 {
		case 0:
			inputs = append(inputs, g.Expr(4))
		case 1:
			inputs = append(inputs, ast.NewDeriv(g.Expr(4), ast.NewSym("x")))
		case 2:
			inputs = append(inputs, parsetest.MustParse(t, randCallsNested(rng), nil))
		default:
			inputs = append(inputs, ast.NewDeriv(parsetest.MustParse(t, randNested(rng), nil), ast.NewSym("a")))
		}
	}
	ctx := context.Background()
	for i, in := range inputs {
		for _, expanded := range []bool{false, true} {
			res, err := New(Options{Rules: rs, Expanded: expanded}).Simplify(ctx, in)
			if err != nil {
				continue
			}
			c := res.Canonical
			if o := (&tidier{ctx: ctx}).order(c); o != c {
				t.Fatalf("#%d %s: the canonical form %s is not in display order: %s", i, ast.String(in), ast.String(c), ast.String(o))
			}
			got, _ := tidyContext(ctx, c, true)
			if want := Tidy(c); got != want {
				t.Fatalf("#%d %s: tidy of %s skipping order %s, with it %s", i, ast.String(in), ast.String(c), ast.String(got), ast.String(want))
			}
		}
	}
}
