package simplify_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// sumGen builds random nested sums whose ranges depend on the indices of
// the enclosing sums (j=i..n, j=1..i-1, j=i+1..n, j=i..i), with offsets
// (2..n, 1..n-1), shadowed indices (sum(i=..., sum(i=i..n, ...))), numbers
// as indices and Kronecker deltas: the classes of issue 10.
type sumGen struct {
	rng   *rand.Rand
	scope []string
	// what the expression being built has, by class of issue 10
	dependent, shadow, offset bool
}

// keepGoing runs TestSumsProperty to the end, counting the failures by
// class, instead of stopping at the tenth (to measure an older engine).
var (
	keepGoing = flag.Bool("sums.keepgoing", false, "TestSumsProperty: count every failure instead of stopping")
	sumsN     = flag.Int("sums.n", 3000, "TestSumsProperty: how many random sums")
	sumsSeed  = flag.Uint64("sums.seed", 10, "TestSumsProperty: the generator's seed")
)

func (g *sumGen) index() ast.Expr {
	if len(g.scope) == 0 || g.rng.IntN(5) == 0 {
		if g.rng.IntN(2) == 0 {
			return ast.NewSym("k")
		}
		return ast.NewInt(int64(1 + g.rng.IntN(4)))
	}
	return ast.NewSym(g.scope[g.rng.IntN(len(g.scope))])
}

// bound is a sum's lower or upper bound: a number, n with an offset, or
// an enclosing index with an offset.
func (g *sumGen) bound(upper bool) ast.Expr {
	switch r := g.rng.IntN(8); {
	case r < 3 && len(g.scope) > 0:
		g.dependent = true
		i := ast.NewSym(g.scope[g.rng.IntN(len(g.scope))])
		switch g.rng.IntN(3) {
		case 0:
			return i
		case 1:
			return ast.NewAdd(i, ast.One)
		}
		return ast.NewAdd(i, ast.MinusOne)
	case r < 5:
		n := ast.NewSym("n")
		if g.rng.IntN(2) == 0 {
			if !upper {
				g.offset = true // n..: a range that need not contain an index
			}
			return n
		}
		g.offset = true
		return ast.NewAdd(n, ast.NewInt(int64(g.rng.IntN(3)-1)))
	case r < 6 && upper:
		return ast.NewSym("n")
	default:
		v := int64(1 + g.rng.IntN(3))
		if v != 1 || upper {
			g.offset = true
		}
		return ast.NewInt(v)
	}
}

func (g *sumGen) expr(depth int) ast.Expr {
	if depth <= 0 {
		switch g.rng.IntN(5) {
		case 0:
			return ast.NewInt(int64(1 + g.rng.IntN(3)))
		case 1:
			if len(g.scope) > 0 {
				return ast.NewSym(g.scope[g.rng.IntN(len(g.scope))])
			}
		}
		return ast.NewIndex("x", g.index())
	}
	switch g.rng.IntN(9) {
	case 0:
		return ast.NewAdd(g.expr(depth-1), g.expr(depth-1))
	case 1:
		return ast.NewMul(g.expr(depth-1), g.expr(depth-1))
	case 2:
		return ast.NewMul(ast.NewCall("delta", g.index(), g.index()), g.expr(depth-1))
	case 3:
		return ast.NewPow(g.expr(depth-1), ast.Two)
	default:
		var v string
		if len(g.scope) > 0 && g.rng.IntN(4) == 0 {
			v = g.scope[g.rng.IntN(len(g.scope))] // shadow an enclosing index
			g.shadow = true
		} else {
			v = []string{"i", "j", "l", "m"}[min(len(g.scope), 3)]
		}
		lo, hi := g.bound(false), g.bound(true)
		g.scope = append(g.scope, v)
		body := g.expr(depth - 1)
		g.scope = g.scope[:len(g.scope)-1]
		return ast.NewSum(ast.OpSum, v, lo, hi, body)
	}
}

func sumPoint(rng *rand.Rand) ast.Bindings {
	data := make([]float64, 12)
	for i := range data {
		data[i] = parsetest.Dyadic(-2 + 4*rng.Float64())
	}
	return ast.Bindings{
		"n": ast.Scalar(float64(1 + rng.IntN(5))),
		"k": ast.Scalar(float64(1 + rng.IntN(6))),
		"x": {Shape: []int{len(data)}, Data: data},
	}
}

// derivAt is the derivative of e by x[k] at pt by central differences
// (exact up to rounding: the generated sums are polynomials of degree at
// most 4 in x, and the step is a power of two).
func derivAt(e ast.Expr, pt ast.Bindings, k int) (float64, error) {
	x := pt["x"]
	const h = 1.0 / 1024
	at := func(d float64) (float64, error) {
		data := slices.Clone(x.Data)
		data[k-1] += d
		q := ast.Bindings{}
		for n, v := range pt {
			q[n] = v
		}
		q["x"] = ast.Value{Shape: x.Shape, Data: data}
		return ast.Eval(e, nil, q)
	}
	a, err := at(h)
	if err != nil {
		return 0, err
	}
	b, err := at(-h)
	if err != nil {
		return 0, err
	}
	c, err := at(2 * h)
	if err != nil {
		return 0, err
	}
	d, err := at(-2 * h)
	if err != nil {
		return 0, err
	}
	// Five-point stencil: exact for polynomials of degree up to 4.
	return (8*(a-b) - (c - d)) / (12 * h), nil
}

// TestSumsProperty compares simplify and d(..., x[k]) (k free, and k a
// number) on random nested sums with the evaluator and with finite
// differences at concrete sizes. Before issue 10 was fixed it failed on
// all three classes: inner ranges depending on the outer index, shadowed
// indices, and indices assumed to lie in a symbolic range.
func TestSumsProperty(t *testing.T) {
	n := *sumsN
	if testing.Short() {
		n = 600
	}
	g := &sumGen{rng: rand.New(rand.NewPCG(*sumsSeed, 10))}
	prng := rand.New(rand.NewPCG(7, 3))
	var exprs, simpPoints, derivPoints, skipped, outside, failures int
	// Expressions by the classes of issue 10 they belong to (one may be in
	// several), and those of them that failed.
	classes := []string{"dependent ranges", "shadowing", "offsets and numbers against ranges"}
	var inClass, failedIn [3]int
	proofs := map[prove.Verdict]int{}
	var failedHere bool
	fail := func(format string, args ...any) {
		t.Helper()
		failures++
		failedHere = true
		if *keepGoing {
			return
		}
		t.Errorf(format, args...)
		if failures >= 10 {
			t.Fatalf("stopping after %d failures", failures)
		}
	}
	for it := 0; it < n; it++ {
		g.dependent, g.shadow, g.offset = false, false, false
		e := g.expr(1 + g.rng.IntN(3))
		exprs++
		failedHere = false
		has := [3]bool{g.dependent, g.shadow, g.offset}
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify(%s): %v", ast.String(e), err)
		}
		wrts := []ast.Expr{ast.NewIndex("x", ast.NewSym("k")), ast.NewIndex("x", ast.NewInt(int64(1+g.rng.IntN(4))))}
		var ders []*simplify.Result
		for _, w := range wrts {
			dr, err := simplify.Simplify(bg, ast.NewDeriv(e, w), simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatalf("Simplify(d(%s, %s)): %v", ast.String(e), ast.String(w), err)
			}
			ders = append(ders, dr)
		}
		if it%15 == 0 {
			// The prover must never refute what simplify made of a sum.
			pr, err := prove.Prove(bg, e, res.Expr, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatalf("Prove(%s): %v", ast.String(e), err)
			}
			proofs[pr.Verdict]++
			if pr.Verdict == prove.Refuted {
				fail("prove %s == %s: refuted at %s", ast.String(e), ast.String(res.Expr), pr.Counter.Point())
			}
		}
		for p := 0; p < 6; p++ {
			pt := sumPoint(prng)
			want, err := ast.Eval(e, nil, pt)
			if err != nil {
				skipped++
				continue
			}
			for _, out := range []ast.Expr{res.Expr, res.Canonical} {
				if !inRanges(res.Ranges, pt) {
					outside++
					break
				}
				got, err := ast.Eval(out, nil, pt)
				if err != nil || !parsetest.Near(want, got, 1e-9, 1e-9) {
					fail("simplify(%s) = %s: %v (%v) where the input is %v, at %s", ast.String(e), ast.String(out), got, err, want, pointString(pt))
				}
			}
			simpPoints++
			for i, w := range wrts {
				k := int(pt["k"].Data[0])
				if num, ok := w.(*ast.Index).Indices[0].(*ast.Num); ok {
					v, _ := num.Value.Int64()
					k = int(v)
				}
				if _, ok := w.(*ast.Index).Indices[0].(*ast.Sym); ok && !inRanges(ders[i].Ranges, pt) {
					// The result is stated for k in a range: check it there.
					outside++
					continue
				}
				fd, err := derivAt(e, pt, k)
				if err != nil {
					skipped++
					continue
				}
				got, err := ast.Eval(ders[i].Expr, nil, pt)
				if err != nil || !parsetest.Near(fd, got, 1e-6, 1e-6) {
					fail("d(%s, %s) = %s: %v (%v) where finite differences give %v, at %s", ast.String(e), ast.String(w), ast.String(ders[i].Expr), got, err, fd, pointString(pt))
				}
				derivPoints++
			}
		}
		for c, h := range has {
			if h {
				inClass[c]++
				if failedHere {
					failedIn[c]++
				}
			}
		}
	}
	for c, name := range classes {
		t.Logf("%s: %d expressions, %d failed", name, inClass[c], failedIn[c])
	}
	if *keepGoing && failures > 0 {
		t.Errorf("%d failures", failures)
	}
	t.Logf("prove e == simplify(e): %d proved, %d unknown, %d refuted", proofs[prove.Proved], proofs[prove.Unknown], proofs[prove.Refuted])
	t.Logf("%d random sums: simplify checked at %d points, d(…, x[k]) at %d; %d evaluations skipped (an index outside x), %d results not checked where k is outside the range stated with them", exprs, simpPoints, derivPoints, skipped, outside)
}

// inRanges reports whether the point's free indices lie in the ranges a
// result is stated for.
func inRanges(r map[string]simplify.Range, pt ast.Bindings) bool {
	for name, rg := range r {
		v, ok := pt[name]
		if !ok {
			continue
		}
		lo, err1 := ast.Eval(rg.Lo, nil, pt)
		hi, err2 := ast.Eval(rg.Hi, nil, pt)
		if err1 != nil || err2 != nil || v.Data[0] < lo || v.Data[0] > hi {
			return false
		}
	}
	return true
}

func pointString(pt ast.Bindings) string {
	return fmt.Sprintf("n=%v k=%v x=%v", pt["n"], pt["k"], pt["x"])
}
