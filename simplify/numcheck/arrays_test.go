package numcheck

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// lazyCases read arrays within a point's sizes and indices, past them
// (sums to n + 1 and 2*n), at numbers used as indices,
// under an Iverson bracket that hides a read past the end, and at rank 3.
var lazyCases = []struct{ a, b string }{
	{"sum(i=1..n, x[i]*w[i])", "sum(i=1..n, w[i]*x[i])"},
	{"sum(i=1..n, x[i, k]*y[i])", "sum(i=1..n, y[i]*x[i, k]) + 0*z"},
	{"sum(i=2..n + 1, x[i])", "sum(i=1..n + 1, x[i]) - x[1]"},
	{"sum(i=1..2*n, x[i])", "sum(i=1..n, x[i]) + sum(i=n + 1..2*n, x[i])"},
	{"sum(i=2..n + 1, x[i])", "sum(i=1..n, x[i])"}, // false
	{"sum(i=1..n + 3, x[i]*z)", "z*sum(i=1..n + 3, x[i])"},
	{"x[3] + x[5]*z", "z*x[5] + x[3]"},
	{"x[5]*step(z - 2) + x[1]", "x[1]"}, // false, at a later point: shown with 8 entries, as trim cuts the whole x
	{"sum(i=1..n + 1, [i <= n]*x[i])", "sum(i=1..n, x[i])"},
	{"sum(i=1..n, sum(j=1..d, t[i, j, k]))", "sum(j=1..d, sum(i=1..n, t[i, j, k]))"},
	{"sum(i=1..n, t[i, i, i])", "sum(i=1..n, t[i, i, 1])"}, // false
	{"log(x[k]) + sum(i=1..n, x[i])", "log(x[k]) + sum(i=1..n, x[i])"},
	{"sum(i=1..n, x[i])^2", "sum(i=1..n, x[i]^2)"}, // false
	// Equal in float64, not at high precision: the deep comparison's
	// points are kept, not recycled.
	{"sum(i=1..n, x[i]) + 10^-30", "sum(i=1..n, x[i])"}, // false
	// Defined near z = 2^20 only, which the search (z = ±2^k) finds
	// from the last point: it is walked out with its whole arrays.
	// (Undefined at x[1] already: the last point is short when searched.)
	{"sum(i=1..n + 1, x[i] + log(2 - (z - 1048576)*(z - 1048576)))", "sum(i=1..n + 1, x[i]) + (n + 1)*log(2 - (z - 1048576)*(z - 1048576))"},
	{"sum(i=1..n + 1, x[i] + log(2 - (z - 1048576)*(z - 1048576)))", "sum(i=1..n, x[i]) + 1"}, // false
	{"sum(i=1..2*n, x[i])*y[k]", "sum(i=1..2*n, x[i]*y[k]) + 1/1000000"},                      // false
}

// TestLazyArraysArePoints: a lazy point's arrays hold, at each position,
// the entry the whole point has there, completing it gives the whole
// point, and every evaluation that succeeds on the short arrays gives the
// whole point's value, bit for bit; one that fails succeeds after
// completion where the whole point is defined.
func TestLazyArraysArePoints(t *testing.T) {
	short, failed := 0, 0
	for _, c := range lazyCases {
		a, b := parseT(t, c.a), parseT(t, c.b)
		nm := classify(a, b)
		lazy := newPointGen(7, 9, nm, nil, nil)
		lazy.lazy = true
		whole := newPointGen(7, 9, nm, nil, nil)
		for p := range 300 {
			for _, g := range []*pointGen{lazy, whole} {
				g.simple, g.wide = p < 60, p%2 == 1
			}
			lp, wp := lazy.next(), whole.next()
			for n, wv := range wp {
				lv, ok := lp[n]
				if !ok {
					t.Fatalf("%s: the lazy point lacks %s", c.a, n)
				}
				if wv.Shape == nil {
					if lv.Shape != nil || lv.Data[0] != wv.Data[0] {
						t.Fatalf("%s: %s is %v lazily, %v whole", c.a, n, lv, wv)
					}
					continue
				}
				if len(lv.Shape) != len(wv.Shape) {
					t.Fatalf("%s: %s has rank %d lazily, %d whole", c.a, n, len(lv.Shape), len(wv.Shape))
				}
				if lv.Shape[0] < wv.Shape[0] {
					short++
				}
				sameEntries(t, n, lv, wv)
			}
			for _, e := range []ast.Expr{a, b} {
				lv, lerr := ast.EvalBound(bg, e, nil, lp)
				wv, werr := ast.EvalBound(bg, e, nil, wp)
				if lerr == nil && (werr != nil || math.Float64bits(lv) != math.Float64bits(wv)) {
					t.Fatalf("%s at %v: %v on the short arrays, %v (%v) on the whole", ast.String(e), wp, lv, wv, werr)
				}
				if lerr != nil {
					failed++
				}
			}
			completed := maps2(lp)
			if lazy.complete(completed) {
				for n, wv := range wp {
					if !slices.Equal(completed[n].Shape, wv.Shape) || !slices.Equal(completed[n].Data, wv.Data) {
						t.Fatalf("%s: completed, %s is %v, whole %v", c.a, n, completed[n], wv)
					}
				}
			}
		}
	}
	// The cases must exercise both: short arrays, and reads past them.
	if short == 0 || failed == 0 {
		t.Errorf("%d short arrays, %d evaluations past them: the cases miss the shortcut", short, failed)
	}
}

// sameEntries checks that every entry of the short array s is the entry of
// the whole array w at the same position.
func sameEntries(t *testing.T, name string, s, w ast.Value) {
	t.Helper()
	pos := make([]int, len(s.Shape))
	for k := range s.Data {
		off := 0
		for p := range pos {
			off = off*w.Shape[p] + pos[p]
		}
		if s.Data[k] != w.Data[off] {
			t.Fatalf("%s at %v: %v short, %v whole", name, pos, s.Data[k], w.Data[off])
		}
		for p := len(pos) - 1; p >= 0; p-- {
			if pos[p]++; pos[p] < s.Shape[p] {
				break
			}
			pos[p] = 0
		}
	}
}

func maps2(b ast.Bindings) ast.Bindings {
	out := ast.Bindings{}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// TestLazySampleSame: sampling with lazy arrays reports what sampling with
// whole arrays does: the same valid and stuck points, the same text, the
// same counterexample at the same point; under index ranges too. Points
// are recycled in the first and not in the second.
func TestLazySampleSame(t *testing.T) {
	defer func(lazy, recycle bool) { lazyArrays, recyclePoints = lazy, recycle }(lazyArrays, recyclePoints)
	for _, c := range lazyCases {
		a, b := parseT(t, c.a), parseT(t, c.b)
		for _, as := range []*Assumptions{nil, {Ranges: map[string]IndexRange{"k": {Lo: ast.One, Hi: ast.NewSym("n")}}}} {
			var got [2]string
			for i, lazy := range []bool{true, false} {
				lazyArrays, recyclePoints = lazy, lazy
				for _, deep := range []bool{false, true} {
					rep, err := SampleAssuming(bg, a, b, 24, deep, time.Minute, as)
					if err != nil {
						t.Fatal(err)
					}
					got[i] += describe(rep)
				}
			}
			if strings.Contains(c.a, "1048576") && strings.Contains(got[0], "valid 0") {
				t.Errorf("%s: the search found no point: %s", c.a, got[0])
			}
			if got[0] != got[1] {
				t.Errorf("%s == %s (ranges %v):\nlazy:  %s\nwhole: %s", c.a, c.b, as != nil, got[0], got[1])
			}
		}
	}
}

func describe(rep *Report) string {
	s := fmt.Sprintf("valid %d, stuck %d, %s", rep.Valid, rep.Stuck, rep.Tried)
	if c := rep.Counter; c != nil {
		s += fmt.Sprintf("; counterexample %s: %s, %s (%v, %v) %s", c.Point(), c.Left, c.Right, c.LeftF, c.RightF, c.Diff)
	}
	return s + "\n"
}

// TestEntryDraws: array entries, each drawn from its own keyed stream,
// are distributed as values drawn from the point's stream are (a
// two-sample Kolmogorov–Smirnov test, for plain, wide and simple points),
// vary from point to point and from entry to entry, and are the same for
// the same seed.
func TestEntryDraws(t *testing.T) {
	x := parseT(t, "sum(i=1..n, sum(j=1..d, x[i, j]))")
	for _, kind := range []struct{ simple, wide bool }{{false, false}, {false, true}, {true, false}} {
		g := newPointGen(11, 12, classify(x), nil, nil)
		g.simple, g.wide = kind.simple, kind.wide
		var keyed, stream []float64
		firsts := map[float64]bool{}
		for range 200 {
			pt := g.next()
			v := pt["x"]
			keyed = append(keyed, v.Data...)
			firsts[v.Data[0]] = true
		}
		ref := rand.New(rand.NewPCG(13, 14))
		for range keyed {
			stream = append(stream, drawReal(ref, kind.simple, kind.wide, 1))
		}
		if d, crit := ksDistance(keyed, stream), 1.95*math.Sqrt(2/float64(len(keyed))); d > crit {
			t.Errorf("simple=%v wide=%v: KS distance %.4f between keyed and streamed entries, over %.4f", kind.simple, kind.wide, d, crit)
		}
		// x[1,1] from point to point: as varied as any draw (17 values
		// for a simple point, far more otherwise).
		if want := map[bool]int{true: 12, false: 150}[kind.simple]; len(firsts) < want {
			t.Errorf("simple=%v wide=%v: x[1,1] took %d values in 200 points", kind.simple, kind.wide, len(firsts))
		}
		if !kind.simple {
			// Neighbouring entries uncorrelated.
			var xs, ys []float64
			for k := 0; k+1 < len(keyed); k += 2 {
				xs, ys = append(xs, keyed[k]), append(ys, keyed[k+1])
			}
			if r := corr(xs, ys); math.Abs(r) > 0.1 {
				t.Errorf("simple=%v wide=%v: correlation %.3f between neighbouring entries", kind.simple, kind.wide, r)
			}
		}
	}
	// Reproducible: the same seed, the same points.
	g1, g2 := newPointGen(3, 4, classify(x), nil, nil), newPointGen(3, 4, classify(x), nil, nil)
	g1.lazy = true
	for range 50 {
		p1, p2 := g1.next(), g2.next()
		g1.complete(p1)
		if fmt.Sprint(p1) != fmt.Sprint(p2) {
			t.Fatalf("the same seed drew %v and %v", p1, p2)
		}
	}
}

func ksDistance(a, b []float64) float64 {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Float64s(a)
	sort.Float64s(b)
	d, i, j := 0.0, 0, 0
	for i < len(a) && j < len(b) {
		v := min(a[i], b[j])
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i)/float64(len(a))-float64(j)/float64(len(b))))
	}
	return d
}

func corr(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy, sxx, syy, sxy float64
	for i := range x {
		// Ranks would be steadier under wide values; signs suffice here.
		a, b := math.Copysign(1, x[i]), math.Copysign(1, y[i])
		sx, sy, sxx, syy, sxy = sx+a, sy+b, sxx+a*a, syy+b*b, sxy+a*b
	}
	return (sxy/n - sx/n*sy/n) / math.Sqrt((sxx/n-sx/n*sx/n)*(syy/n-sy/n*sy/n))
}
