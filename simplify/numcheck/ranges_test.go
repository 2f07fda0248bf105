package numcheck

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// TestRangedPoints: a ranged index is drawn between its bounds evaluated
// with the sizes of the same point, for lower bounds 0, 2, 3 and a size,
// upper bounds that are numbers, sizes, sizes plus or minus one and other
// indices; both ends are reached; a size that only a bound names gets a
// value.
func TestRangedPoints(t *testing.T) {
	for _, c := range []struct {
		k, lo, hi string
		expr      string
		lo0, hi0  func(b ast.Bindings) int // the test's reading of the bounds
	}{
		{"k", "2", "K", "z[k]", func(ast.Bindings) int { return 2 }, func(b ast.Bindings) int { return iv(b, "K") }},
		{"k", "0", "n - 1", "delta(k, 1)", func(ast.Bindings) int { return 0 }, func(b ast.Bindings) int { return iv(b, "n") - 1 }},
		{"k", "3", "n + 1", "x[k]*sum(i=1..n, x[i])", func(ast.Bindings) int { return 3 }, func(b ast.Bindings) int { return iv(b, "n") + 1 }},
		{"k", "a", "b", "x[k]", func(b ast.Bindings) int { return iv(b, "a") }, func(b ast.Bindings) int { return iv(b, "b") }},
		{"k", "2", "5", "x[k]", func(ast.Bindings) int { return 2 }, func(ast.Bindings) int { return 5 }},
		{"k", "1", "m", "sum(i=1..m, delta(i, k)*x[i, j])", func(ast.Bindings) int { return 1 }, func(b ast.Bindings) int { return iv(b, "m") }},
	} {
		t.Run(c.k+" in "+c.lo+".."+c.hi, func(t *testing.T) {
			e := parseT(t, c.expr)
			as := &Assumptions{Ranges: map[string]IndexRange{c.k: {Lo: parseT(t, c.lo), Hi: parseT(t, c.hi)}}}
			nm := classify(e)
			as.withRanges(&nm)
			g := &pointGen{rng: rand.New(rand.NewPCG(5, 6)), nm: nm, as: as}
			atLo, atHi := 0, 0
			for p := range 300 {
				g.simple = p < 50
				pt := g.next()
				if g.empty {
					t.Fatalf("no non-empty range drawn")
				}
				for _, n := range as.Ranges[c.k].names() {
					if _, ok := pt[n]; !ok {
						t.Fatalf("the size %s of the bounds has no value: %v", n, pt)
					}
				}
				k, lo, hi := iv(pt, c.k), c.lo0(pt), c.hi0(pt)
				if k < lo || k > hi {
					t.Fatalf("%s=%d outside %d..%d at %v", c.k, k, lo, hi, pt)
				}
				if !as.Admits(pt) {
					t.Fatalf("a point drawn is not admitted: %v", pt)
				}
				atLo += b2i(k == lo && lo < hi)
				atHi += b2i(k == hi && lo < hi)
			}
			if atLo == 0 || atHi == 0 {
				t.Errorf("the ends are not reached: %d at the lower, %d at the upper", atLo, atHi)
			}
		})
	}
}

func iv(b ast.Bindings, n string) int { return int(b[n].Data[0]) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func parseT(t *testing.T, s string) ast.Expr { t.Helper(); return parse(t, s) }

// TestRangedCheck: a claim true only inside its range is not refuted, one
// false at an end of it is, at a point inside; a range empty for every
// size is said to be empty.
func TestRangedCheck(t *testing.T) {
	rg := func(lo, hi string) *Assumptions {
		return &Assumptions{Ranges: map[string]IndexRange{"k": {Lo: parse(t, lo), Hi: parse(t, hi)}}}
	}
	for _, c := range []struct {
		a, b   string
		as     *Assumptions
		refute bool
		tried  string
	}{
		{"sum(j=2..K, delta(j, k))", "1", rg("2", "K"), false, "numerically equal"},
		{"sum(j=2..K, delta(j, k)*z[j])", "z[k]", rg("2", "K"), false, "numerically equal"},
		{"[k <= n - 1]", "1", rg("0", "n - 1"), false, "numerically equal"},
		{"sum(j=1..k - 1, x[j]) + sum(j=k..n, x[j])", "sum(j=1..n, x[j])", rg("2", "n"), false, "numerically equal"},
		{"sum(j=3..K, delta(j, k))", "1", rg("2", "K"), true, ""},
		{"sum(j=1..n, delta(j, k))", "1", rg("0", "n"), true, ""},
		{"[k <= n - 1]", "1", rg("2", "n"), true, ""},
		// Beyond the random arrays' 16 entries, where k indexes none.
		{"sum(j=1..16, delta(j, k))", "1", rg("1", "20"), true, ""},
		// Empty at every size: no point.
		{"sum(j=1..n, delta(j, k))", "7", rg("n + 2", "n"), false, "ranges k = n + 2..n are non-empty"},
		// Arrays read at 0: never defined, and the reason is given.
		{"sum(j=0..n - 1, x[j])", "2*sum(j=0..n - 1, x[j])", nil, false, "below 1 (x[j] with j from 0)"},
		{"x[k]", "2", rg("0", "n"), true, ""}, // at k >= 1
		{"x[k]*[k <= 0]", "2", rg("0", "0"), false, "below 1 (x[k] with k from 0)"},
	} {
		rep, err := RefuteAssuming(bg, parse(t, c.a), parse(t, c.b), c.as)
		if err != nil {
			t.Fatal(err)
		}
		if (rep.Counter != nil) != c.refute {
			t.Errorf("%s == %s: counterexample %v, want one: %v (%s)", c.a, c.b, rep.Counter, c.refute, rep.Tried)
			continue
		}
		if rep.Counter != nil {
			if !c.as.Admits(rep.Counter.Bindings) {
				t.Errorf("%s == %s: the counterexample %s is outside the range", c.a, c.b, rep.Counter.Point())
			}
			if !strings.Contains(rep.Counter.Point(), "k=") {
				t.Errorf("%s == %s: the counterexample %s does not say k", c.a, c.b, rep.Counter.Point())
			}
			continue
		}
		if !strings.Contains(rep.Tried, c.tried) {
			t.Errorf("%s == %s: tried %q, want it to say %q", c.a, c.b, rep.Tried, c.tried)
		}
	}
}

// TestAdmits: points outside a range, off the assumed sets or intervals,
// or without a whole number for the index, are not admitted.
func TestAdmits(t *testing.T) {
	as := &Assumptions{
		Ranges:    map[string]IndexRange{"k": {Lo: ast.Two, Hi: ast.NewSym("K")}},
		Sets:      map[string][]float64{"y": {0, 1}},
		Intervals: map[string]Interval{"p": {Lo: 0, Hi: 1}},
	}
	ok := ast.Bindings{"k": ast.Scalar(2), "K": ast.Scalar(3), "y": {Shape: []int{2}, Data: []float64{0, 1}}, "p": ast.Scalar(0.5)}
	if !as.Admits(ok) {
		t.Fatalf("%v should be admitted", ok)
	}
	for name, v := range map[string]ast.Value{
		"k": ast.Scalar(1), "K": ast.Scalar(1), "y": {Shape: []int{2}, Data: []float64{0, 0.5}}, "p": ast.Scalar(1),
	} {
		bad := ast.Bindings{}
		for n, x := range ok {
			bad[n] = x
		}
		bad[name] = v
		if as.Admits(bad) {
			t.Errorf("%v (%s changed) should not be admitted", bad, name)
		}
	}
	if !(*Assumptions)(nil).Admits(ok) {
		t.Errorf("no assumptions admit every point")
	}
	if as.Admits(ast.Bindings{"k": ast.Scalar(2.5), "K": ast.Scalar(3)}) {
		t.Errorf("k = 2.5 is not a whole number")
	}
}

// TestIversonHighPrecision: conditions are evaluated at high precision
// (before, "cannot evaluate [2 <= l <= K] at high precision" stopped the
// prover), and a false condition is a strong zero there as in float64:
// [2 <= n]*x[n - 1] is 0 at n = 1, where x[0] does not exist.
func TestIversonHighPrecision(t *testing.T) {
	pt := ast.Bindings{"l": ast.Scalar(1), "K": ast.Scalar(3), "x": {Shape: []int{2}, Data: []float64{0.5, 2}}}
	// x[l - 1] cannot be typed, but the engine writes such indices.
	shifted := ast.NewMul(parse(t, "[2 <= l]"), ast.NewIndex("x", parse(t, "l - 1")))
	for _, c := range []struct {
		e    ast.Expr
		want int64
	}{
		{parse(t, "[2 <= l <= K]"), 0},
		{parse(t, "[1 <= l <= K]*x[2]"), 2},
		{shifted, 0},
		{parse(t, "(1 + [l <= K])^2"), 4},
	} {
		cmp, err := compare(bg, c.e, ast.NewInt(c.want), pt, time.Now().Add(5*time.Second))
		if err != nil {
			t.Fatalf("%s: %v", ast.String(c.e), err)
		}
		if !cmp.defined || cmp.differ {
			t.Errorf("%s at %v: defined %v, differ %v (%v)", ast.String(c.e), pt, cmp.defined, cmp.differ, cmp.left)
		}
	}
}
