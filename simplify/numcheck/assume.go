package numcheck

import (
	"context"
	"maps"
	"math"
	"math/big"
	"slices"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// Assumptions narrow the points drawn to where what the user assumed
// holds (assume statements): the values of a name, or of every element of
// an array, drawn from a set ({0, 1} labels) or inside an interval, and
// arrays whose sums over one index are fixed (one-hot rows), and the
// ranges of indices (assume k in 2..K, or the extents the prover
// inferred). The zero value, and nil, assume nothing.
type Assumptions struct {
	Sets      map[string][]float64  // name → the values it takes
	Intervals map[string]Interval   // name → where its values lie
	Sums      []SumTo               // sum(c=1..K, t[i,c]) == 1
	Ranges    map[string]IndexRange // index → the whole numbers it runs over
	// Equations give names their values from the others' (a == b + 1,
	// y[j] == 2), in the order they are solved (equations.go).
	Equations []Equation
	// Unsolved are equalities, as written, that no point is drawn to
	// satisfy (a*b == 1): with any, nothing is sampled, and the report
	// says why.
	Unsolved []string
	// Order are the comparisons that are not an interval of one name
	// (x > y, x*y > 0): a point is used only where each holds (order.go).
	Order []Comparison
	// Contradictions describe names no value of which satisfies what was
	// assumed of them (x > 0 and x < 0; y in {0, 1} and y > 2): with any,
	// nothing is sampled, and the report says why. A point drawn for
	// such a name lies outside what was assumed, and a counterexample
	// there is none.
	Contradictions []string
	// Arrays are the declared dimensions of the vectors and matrices the
	// claim reads entries of (w : vector(3) is [3], X : matrix(n, d) is
	// [n, d]): a point binds them in their declared shape, so that a read
	// past it is undefined, as eval finds it, and a counterexample is one
	// the user can give back (arrays.go).
	Arrays map[string][]ast.Expr
}

// Empty reports whether no value lies in the interval.
func (iv Interval) Empty() bool {
	return iv.Lo > iv.Hi || iv.Lo == iv.Hi && !(iv.LoClosed && iv.HiClosed)
}

// An IndexRange says that a name takes the whole numbers from Lo to Hi
// (without end where Hi is nil).
// The bounds may use sizes (K, n - 1, a) and other indices: a point gives
// the sizes their values first, then draws the index between the bounds
// evaluated there, and a point where the range is empty is not drawn.
type IndexRange struct {
	Lo, Hi ast.Expr
}

// An Interval is lo < v < hi (or <= where closed); infinite bounds are
// allowed.
type Interval struct {
	Lo, Hi             float64
	LoClosed, HiClosed bool
}

func (iv Interval) holds(v float64) bool {
	return (v > iv.Lo || iv.LoClosed && v == iv.Lo) && (v < iv.Hi || iv.HiClosed && v == iv.Hi)
}

// Holds reports whether the scalar value v of name is one the
// assumptions allow (any value, for a nil Assumptions or a name they do
// not mention).
func (as *Assumptions) Holds(name string, v float64) bool {
	if as == nil {
		return true
	}
	if set, ok := as.Sets[name]; ok && len(set) > 0 && !slices.Contains(set, v) {
		return false
	}
	if iv, ok := as.Intervals[name]; ok && !iv.holds(v) {
		return false
	}
	return true
}

// HoldsExact reports whether the exact value r of name is surely one the
// assumptions allow. Interval bounds are float64, rounded where the
// assumed bound is not a binary fraction (x < 1/3): a value within
// rounding of such a bound is not taken to hold, so that a counterexample
// found exactly (x = 1/3) never lies outside what was assumed. Bounds that
// are short binary fractions (0, 1, -2.5) are compared exactly.
func (as *Assumptions) HoldsExact(name string, r *big.Rat) bool {
	if as == nil {
		return true
	}
	v, _ := r.Float64()
	if set, ok := as.Sets[name]; ok && len(set) > 0 && !slices.ContainsFunc(set, func(s float64) bool {
		return new(big.Rat).SetFloat64(s).Cmp(r) == 0
	}) {
		return false
	}
	iv, ok := as.Intervals[name]
	if !ok {
		return true
	}
	for _, b := range []struct {
		at     float64
		closed bool
		lo     bool
	}{{iv.Lo, iv.LoClosed, true}, {iv.Hi, iv.HiClosed, false}} {
		if math.IsInf(b.at, 0) {
			continue
		}
		if !shortBinary(b.at) {
			if math.Abs(v-b.at) <= 1e-12*math.Max(math.Abs(b.at), 1e-300) {
				return false
			}
			if b.lo && !(v > b.at) || !b.lo && !(v < b.at) {
				return false
			}
			continue
		}
		c := r.Cmp(new(big.Rat).SetFloat64(b.at))
		if b.lo && (c < 0 || c == 0 && !b.closed) || !b.lo && (c > 0 || c == 0 && !b.closed) {
			return false
		}
	}
	return true
}

// shortBinary says whether b is a binary fraction with few digits (a
// whole number, a half, 0.75, ...), as a bound written as such is stored
// exactly; 1/3 or 0.1 are not.
func shortBinary(b float64) bool {
	s := b * 1024
	return math.Abs(b) < 1<<40 && s == math.Trunc(s)
}

// A SumTo says that the elements of an array along index Pos (0-based),
// from 1 to the size named Size (or to the number N), sum to Value.
type SumTo struct {
	Array string
	Pos   int
	Size  string
	N     int
	Value float64
}

// RefuteAssuming is Refute at points where the assumptions hold.
func RefuteAssuming(ctx context.Context, a, b ast.Expr, as *Assumptions) (*Report, error) {
	return SampleAssuming(ctx, a, b, 200, true, 30*time.Second, as)
}

// CheckAssuming is Check at points where the assumptions hold.
func CheckAssuming(ctx context.Context, a, b ast.Expr, as *Assumptions) (*Report, error) {
	return SampleAssuming(ctx, a, b, 24, false, 2*time.Second, as)
}

// apply changes the values of point b so that the assumptions hold.
func (as *Assumptions) apply(g *pointGen, b ast.Bindings) {
	if as == nil {
		return
	}
	// In a fixed order: the draws come from one stream, and a map's
	// order would give the same seed other points from run to run. The
	// names assumed of, sorted once per generator: the point's other
	// names draw nothing here.
	if !g.assumedSorted {
		g.assumed = slices.Sorted(maps.Keys(as.Sets))
		for n := range as.Intervals {
			if _, ok := as.Sets[n]; !ok {
				g.assumed = append(g.assumed, n)
			}
		}
		slices.Sort(g.assumed)
		g.assumedSorted = true
	}
	for _, name := range g.assumed {
		v, ok := b[name]
		if !ok {
			continue
		}
		set, inSet := as.Sets[name]
		iv, inIv := as.Intervals[name]
		if !inSet && !inIv {
			continue
		}
		if inSet && inIv {
			// Only the values that are also in the interval (y in {0, 1}
			// and y >= 0.5: 1).
			set = slices.DeleteFunc(slices.Clone(set), func(v float64) bool { return !iv.holds(v) })
			inSet = len(set) > 0
		}
		if v.Shape == nil && as.declaredSize(name) {
			// A declared size is a whole number from 1, and the arrays
			// may have taken their shape from it already: kept where it
			// is one the assumptions allow (n >= 4 drew n = 8.8e7 for
			// w : vector(n) of 4 entries).
			b[name] = ast.Scalar(g.wholeSize(name, v.Data[0]))
			continue
		}
		data := slices.Clone(v.Data)
		for k := range data {
			switch {
			case inSet && len(set) > 0:
				data[k] = set[g.rng.IntN(len(set))]
			case inIv:
				data[k] = g.inside(iv)
			}
		}
		b[name] = ast.Value{Shape: v.Shape, Data: data}
	}
	for _, s := range as.Sums {
		v, ok := b[s.Array]
		if !ok || s.Pos >= len(v.Shape) {
			continue
		}
		n := s.N
		if s.Size != "" {
			sz, ok := b[s.Size]
			if !ok || len(sz.Data) != 1 {
				continue
			}
			n = int(sz.Data[0])
		}
		n = min(n, v.Shape[s.Pos])
		if n < 1 {
			continue
		}
		data := slices.Clone(v.Data)
		stride := 1
		for k := s.Pos + 1; k < len(v.Shape); k++ {
			stride *= v.Shape[k]
		}
		oneHot := slices.Equal(as.Sets[s.Array], []float64{0, 1}) || slices.Equal(as.Sets[s.Array], []float64{1, 0})
		for start := range data {
			if (start/stride)%v.Shape[s.Pos] != 0 {
				continue // not the first element of a line along Pos
			}
			if oneHot && s.Value == 1 {
				hot := g.rng.IntN(n)
				for c := 0; c < n; c++ {
					data[start+c*stride] = 0
				}
				data[start+hot*stride] = 1
				continue
			}
			// Multiples of 1/1024 whose sum is exactly Value: scaled
			// floats would miss it by a rounding, which the comparison
			// at high precision sees as a real difference.
			total := 0.0
			for c := 0; c < n-1; c++ {
				x := math.Round((math.Abs(data[start+c*stride])+0.25)*s.Value/float64(n)*1024) / 1024
				data[start+c*stride] = x
				total += x
			}
			data[start+(n-1)*stride] = s.Value - total
		}
		b[s.Array] = ast.Value{Shape: v.Shape, Data: data}
	}
}

// wholeSize is the value of the declared size name at a point where it
// was v: v itself if it is a whole number from 1 to declCap that the
// assumptions allow, else one of the smallest few such numbers, drawn;
// 0 where there is none (the point then does not fit its declarations).
func (g *pointGen) wholeSize(name string, v float64) float64 {
	if v >= 1 && v <= declCap && v == math.Trunc(v) && g.as.Holds(name, v) {
		return v
	}
	var ok []float64
	for k := 1; k <= declCap && len(ok) < 4; k++ {
		if g.as.Holds(name, float64(k)) {
			ok = append(ok, float64(k))
		}
	}
	if len(ok) == 0 {
		return 0 // not a size: SampleAssuming says so before it draws
	}
	return ok[g.rng.IntN(len(ok))]
}

// inside draws a value in the interval, a multiple of 1/1024 where it can.
func (g *pointGen) inside(iv Interval) float64 {
	for range 64 {
		if v := g.real(4); iv.holds(v) {
			return v
		}
	}
	lo, hi := iv.Lo, iv.Hi
	switch {
	case math.IsInf(lo, -1) && math.IsInf(hi, 1):
		return 0.5
	case math.IsInf(lo, -1):
		return hi - 0.5
	case math.IsInf(hi, 1):
		return lo + 0.5
	}
	v := lo + (hi-lo)*(0.125+0.75*g.rng.Float64())
	if r := math.Round(v*1024) / 1024; iv.holds(r) {
		return r
	}
	return v
}
