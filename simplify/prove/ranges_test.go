package prove_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// env reads a point for the tests' own evaluators: whole numbers for
// sizes and indices, 1-based array entries.
type env ast.Bindings

func (e env) n(name string) int { return int(e[name].Data[0]) }

// x is the entry i of array name; ok is false outside the array.
func (e env) x(name string, i int) (float64, bool) {
	v, found := e[name]
	if !found || len(v.Shape) != 1 || i < 1 || i > v.Shape[0] {
		return 0, false
	}
	return v.Data[i-1], true
}

// fd is the central difference of f in the entry l of z.
func fd(f func(z []float64) float64, z []float64, l int) float64 {
	h := 1e-5
	zp, zm := append([]float64(nil), z...), append([]float64(nil), z...)
	zp[l-1] += h
	zm[l-1] -= h
	return (f(zp) - f(zm)) / (2 * h)
}

// lse is log(sum(j=lo..hi, exp(z[j]))), in Go.
func lse(z []float64, lo, hi int) float64 {
	s := 0.0
	for j := lo; j <= hi; j++ {
		s += math.Exp(z[j-1])
	}
	return math.Log(s)
}

// rangeCase is a claim made for an index over a range not starting at 1,
// with the test's own evaluation of both sides (sides) and of the range
// (bounds), independent of package ast's evaluator.
type rangeCase struct {
	assume, claim string
	want          prove.Verdict
	idx           string   // the ranged index
	sizes         []string // the sizes the bounds and sums use
	array         string   // the array read, if any
	bounds        func(e env) (lo, hi int)
	sides         func(e env) (l, r float64, ok bool)
}

func rangeCases() []rangeCase {
	kn := func(lo int) func(e env) (int, int) { return func(e env) (int, int) { return lo, e.n("n") } }
	lK := func(e env) (int, int) { return 2, e.n("K") }
	ab := func(e env) (int, int) { return e.n("a"), e.n("b") }
	delta := func(i, j int) float64 {
		if i == j {
			return 1
		}
		return 0
	}
	// count sums f over lo..hi.
	count := func(lo, hi int, f func(j int) float64) float64 {
		s := 0.0
		for j := lo; j <= hi; j++ {
			s += f(j)
		}
		return s
	}
	zs := func(e env) []float64 { return append([]float64(nil), e["z"].Data...) }
	return []rangeCase{
		// True for every l in 2..K: proved, with the range stated.
		{"l in 2..K", "sum(j=2..K, delta(j, l)) == 1", prove.Proved, "l", []string{"K"}, "", lK,
			func(e env) (float64, float64, bool) {
				return count(2, e.n("K"), func(j int) float64 { return delta(j, e.n("l")) }), 1, true
			}},
		{"l in 2..K", "sum(j=2..K, delta(j, l)*z[j]) == z[l]", prove.Proved, "l", []string{"K"}, "z", lK,
			func(e env) (float64, float64, bool) {
				zl, ok := e.x("z", e.n("l"))
				return count(2, e.n("K"), func(j int) float64 { v, _ := e.x("z", j); return delta(j, e.n("l")) * v }), zl, ok
			}},
		{"l in 2..K", "d(sum(j=2..K, z[j]^2), z[l]) == 2*z[l]", prove.Proved, "l", []string{"K"}, "z", lK,
			func(e env) (float64, float64, bool) {
				z, K, l := zs(e), e.n("K"), e.n("l")
				f := func(z []float64) float64 { return count(2, K, func(j int) float64 { return z[j-1] * z[j-1] }) }
				return fd(f, z, l), 2 * z[l-1], true
			}},
		{"l in 2..K", "d(log(sum(j=2..K, exp(z[j]))), z[l]) == exp(z[l])/sum(j=2..K, exp(z[j]))", prove.Proved, "l", []string{"K"}, "z", lK,
			func(e env) (float64, float64, bool) {
				z, K, l := zs(e), e.n("K"), e.n("l")
				return fd(func(z []float64) float64 { return lse(z, 2, K) }, z, l), math.Exp(z[l-1]) / math.Exp(lse(z, 2, K)), true
			}},
		{"k in 0..n", "sum(j=0..n, delta(j, k)) == 1", prove.Proved, "k", []string{"n"}, "", kn(0),
			func(e env) (float64, float64, bool) {
				return count(0, e.n("n"), func(j int) float64 { return delta(j, e.n("k")) }), 1, true
			}},
		{"k in a..b", "sum(j=a..b, delta(j, k)*x[j]) == x[k]", prove.Proved, "k", []string{"a", "b"}, "x", ab,
			func(e env) (float64, float64, bool) {
				xk, ok := e.x("x", e.n("k"))
				return count(e.n("a"), e.n("b"), func(j int) float64 { v, _ := e.x("x", j); return delta(j, e.n("k")) * v }), xk, ok
			}},
		{"k in 2..n", "sum(j=k..n, 1) == n - k + 1", prove.Proved, "k", []string{"n"}, "", kn(2),
			func(e env) (float64, float64, bool) {
				return count(e.n("k"), e.n("n"), func(int) float64 { return 1 }), float64(e.n("n") - e.n("k") + 1), true
			}},
		{"k in 2..n", "sum(j=1..k - 1, 1) == k - 1", prove.Proved, "k", []string{"n"}, "", kn(2),
			func(e env) (float64, float64, bool) {
				return count(1, e.n("k")-1, func(int) float64 { return 1 }), float64(e.n("k") - 1), true
			}},
		{"k in 2..n", "[k <= n] == 1", prove.Proved, "k", []string{"n"}, "", kn(2),
			func(e env) (float64, float64, bool) {
				return map[bool]float64{true: 1, false: 0}[e.n("k") <= e.n("n")], 1, true
			}},
		// False somewhere in the range: refuted there.
		{"l in 2..K", "sum(j=3..K, delta(j, l)) == 1", prove.Refuted, "l", []string{"K"}, "", lK,
			func(e env) (float64, float64, bool) {
				return count(3, e.n("K"), func(j int) float64 { return delta(j, e.n("l")) }), 1, true
			}},
		{"l in 2..K", "d(sum(j=3..K, z[j]^2), z[l]) == 2*z[l]", prove.Refuted, "l", []string{"K"}, "z", lK,
			func(e env) (float64, float64, bool) {
				z, K, l := zs(e), e.n("K"), e.n("l")
				f := func(z []float64) float64 { return count(3, K, func(j int) float64 { return z[j-1] * z[j-1] }) }
				return fd(f, z, l), 2 * z[l-1], true
			}},
		{"l in 2..K", "d(log(sum(j=2..K, exp(z[j]))), z[l]) == exp(z[l])/sum(j=1..K, exp(z[j]))", prove.Refuted, "l", []string{"K"}, "z", lK,
			func(e env) (float64, float64, bool) {
				z, K, l := zs(e), e.n("K"), e.n("l")
				return fd(func(z []float64) float64 { return lse(z, 2, K) }, z, l), math.Exp(z[l-1]) / math.Exp(lse(z, 1, K)), true
			}},
		{"k in 2..n", "[k <= n - 1] == 1", prove.Refuted, "k", []string{"n"}, "", kn(2),
			func(e env) (float64, float64, bool) {
				return map[bool]float64{true: 1, false: 0}[e.n("k") <= e.n("n")-1], 1, true
			}},
		{"k in 0..n", "sum(j=1..n, delta(j, k)) == 1", prove.Refuted, "k", []string{"n"}, "", kn(0),
			func(e env) (float64, float64, bool) {
				return count(1, e.n("n"), func(j int) float64 { return delta(j, e.n("k")) }), 1, true
			}},
		{"k in a..b", "sum(j=a + 1..b, delta(j, k)) == 1", prove.Refuted, "k", []string{"a", "b"}, "", ab,
			func(e env) (float64, float64, bool) {
				return count(e.n("a")+1, e.n("b"), func(j int) float64 { return delta(j, e.n("k")) }), 1, true
			}},
		{"k in 2..n", "delta(k, 2) == 0", prove.Refuted, "k", []string{"n"}, "", kn(2),
			func(e env) (float64, float64, bool) { return delta(e.n("k"), 2), 0, true }},
		{"k in 2..n", "sum(j=2..n - 1, delta(j, k)*x[j]) == x[k]", prove.Refuted, "k", []string{"n"}, "x", kn(2),
			func(e env) (float64, float64, bool) {
				xk, ok := e.x("x", e.n("k"))
				return count(2, e.n("n")-1, func(j int) float64 { v, _ := e.x("x", j); return delta(j, e.n("k")) * v }), xk, ok
			}},
		// True in the range, false outside it (k = 1 in both): before, the
		// first was refuted at k=5 n=1, the second an "internal
		// inconsistency". Never refuted now.
		{"k in 2..n", "sum(j=1..k - 1, x[j]) + sum(j=k..n, x[j]) == sum(j=1..n, x[j])", prove.Unknown, "k", []string{"n"}, "x", kn(2),
			func(e env) (float64, float64, bool) {
				x := func(j int) float64 { v, _ := e.x("x", j); return v }
				return count(1, e.n("k")-1, x) + count(e.n("k"), e.n("n"), x), count(1, e.n("n"), x), true
			}},
		{"k in 2..n", "sum(j=2..n, delta(j, k)*x[j]) == x[k]", prove.Proved, "k", []string{"n"}, "x", kn(2),
			func(e env) (float64, float64, bool) {
				xk, ok := e.x("x", e.n("k"))
				return count(2, e.n("n"), func(j int) float64 { v, _ := e.x("x", j); return delta(j, e.n("k")) * v }), xk, ok
			}},
	}
}

// parseClaim parses `assume ...` and `prove A == B`.
func parseClaim(t *testing.T, assume, claim string) (*ast.AssumeStmt, *ast.ProveStmt) {
	t.Helper()
	stmts, err := parser.ParseFile("", "assume "+assume+"\nprove "+claim, nil)
	if err != nil {
		t.Fatalf("%s; %s: %v", assume, claim, err)
	}
	return stmts[0].Stmt.(*ast.AssumeStmt), stmts[1].Stmt.(*ast.ProveStmt)
}

// randomPoint draws sizes from 1..7, the index inside its range (ok is
// false if the range is empty) and an array of 12 entries.
func randomPoint(rng *rand.Rand, c rangeCase) (env, bool) {
	e := env{}
	for _, s := range c.sizes {
		e[s] = ast.Scalar(float64(1 + rng.IntN(7)))
	}
	lo, hi := c.bounds(e)
	if hi < lo {
		return e, false
	}
	e[c.idx] = ast.Scalar(float64(lo + rng.IntN(hi-lo+1)))
	data := make([]float64, 12)
	for i := range data {
		data[i] = math.Round((rng.Float64()*4-2)*64) / 64
	}
	e["x"] = ast.Value{Shape: []int{12}, Data: data}
	e["z"] = ast.Value{Shape: []int{12}, Data: data}
	return e, true
}

func differ(l, r float64) bool {
	return math.Abs(l-r) > 1e-6*math.Max(1, math.Max(math.Abs(l), math.Abs(r)))
}

// TestRangesNotFromOne: claims about an index whose range does not start
// at 1 (2..K, 0..n, a..b). Each claim's truth is first established by the
// test's own evaluation over the range (so that the table cannot be
// wrong); then a true one must be proved with its range stated, or
// (where marked unknown) at least not refuted, and a false one refuted at
// a point inside the range, where the test's evaluation sees the
// difference too.
func TestRangesNotFromOne(t *testing.T) {
	for _, c := range rangeCases() {
		t.Run(c.assume+"; "+c.claim, func(t *testing.T) {
			as, ps := parseClaim(t, c.assume, c.claim)
			// The table is right: a true claim holds at every point of the
			// range drawn here, a false one fails at one of them.
			rng := rand.New(rand.NewPCG(3, 4))
			fails := 0
			for range 400 {
				e, ok := randomPoint(rng, c)
				if !ok {
					continue
				}
				l, r, ok := c.sides(e)
				if ok && differ(l, r) {
					fails++
				}
			}
			if (fails > 0) != (c.want == prove.Refuted) {
				t.Fatalf("the table is wrong: %d points of the range where the sides differ", fails)
			}

			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: []*ast.AssumeStmt{as}})
			if err != nil {
				t.Fatal(err)
			}
			checkProof(t, pr, nil)
			if c.want != prove.Unknown && pr.Verdict != c.want || c.want == prove.Unknown && pr.Verdict == prove.Refuted {
				t.Fatalf("%s, want %s: %s", pr.Verdict, c.want, pr.Tried)
			}
			stated := simplify.FormatRanges(pr.Ranges, ast.String)
			wantRange := c.idx + " = " + strings.TrimPrefix(c.assume, c.idx+" in ")
			if !strings.Contains(stated, wantRange) {
				t.Errorf("the range stated is %q, want %q", stated, wantRange)
			}
			if pr.Verdict != prove.Refuted {
				return
			}
			// The counterexample is inside the range and names the index's
			// value, and the test's own evaluation sees the difference.
			ce := pr.Counter
			e := env(ce.Bindings)
			if _, ok := ce.Bindings[c.idx]; !ok {
				t.Fatalf("the counterexample %s does not say %s", ce.Point(), c.idx)
			}
			if !strings.Contains(ce.Point(), c.idx+"=") {
				t.Errorf("the point %q does not show %s", ce.Point(), c.idx)
			}
			lo, hi := c.bounds(e)
			if k := e.n(c.idx); k < lo || k > hi {
				t.Fatalf("the counterexample %s has %s=%d outside %d..%d", ce.Point(), c.idx, k, lo, hi)
			}
			l, r, ok := c.sides(e)
			if !ok || !differ(l, r) {
				t.Fatalf("at %s the test's evaluation gives %v and %v (%v): no counterexample", ce.Point(), l, r, ok)
			}
			if differ(l, ce.LeftF) && math.Abs(l-ce.LeftF) > 1e-4 || differ(r, ce.RightF) && math.Abs(r-ce.RightF) > 1e-4 {
				t.Errorf("at %s the prover reports %v and %v, the test computes %v and %v", ce.Point(), ce.LeftF, ce.RightF, l, r)
			}
		})
	}
}

// TestRangeEmptyEverywhere: a range that is empty at every size (k in
// 3..2) leaves nothing to check: never proved, and the reason says so.
func TestRangeEmptyEverywhere(t *testing.T) {
	as, ps := parseClaim(t, "k in n + 2..n", "sum(j=1..n, delta(j, k)) == 7")
	pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: []*ast.AssumeStmt{as}})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Verdict == prove.Proved || pr.Verdict == prove.Refuted {
		t.Fatalf("%s over an empty range (%s)", pr.Verdict, fmt.Sprint(pr.Counter))
	}
	if !strings.Contains(pr.Tried, "non-empty") {
		t.Errorf("tried %q should say that the range is empty", pr.Tried)
	}
}
