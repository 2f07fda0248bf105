package numcheck

import (
	"context"
	"math"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// Special points. Random points almost never land where an identity
// fails only on a thin set: at 0 (step(x^2) == 1 is false at x = 0 only,
// under sign(0) = step(0) = 0), at ±1, or where a power of a negative
// base is real because its exponent is a whole number ((x^2)^y and
// x^(2*y) are both real at x = -1, y = 1/2, and differ). After the random
// points have found no counterexample, the scalars take the values of
// specialValues, small combinations first: dyadic, so that the point is
// exactly the same number in float64 and at high precision, and the
// halves make 2*y, 4*y whole. A difference float64 sees there is
// confirmed at high precision as any other (confirm), and a point where a
// side is undefined is no evidence. Only a search for a counterexample
// (Refute) tries them, not the check of a proof (Check); they are not
// counted among the random points the report names.
var specialValues = []float64{0, 1, -1, 0.5, -0.5, 2, -2, 1.5, -1.5, 0.25, -0.25, 3, -3}

// maxSpecial bounds the special points tried for one comparison.
const maxSpecial = 128

// powerValues are the special values where a side has a power whose
// exponent is not a whole number written out (x^y, x^(1/2)): a negative
// base, even whole numbers and halves first, so that a power of a
// negative base is real on one side and the exponents multiply to a
// whole number on the other. (x^y)^z == x^(y*z) fails at x = -1, y = 2,
// z = 1/2 (1 against -1), the 3rd value of this list for each name, where
// the values of specialValues reach it only after 128 points.
var powerValues = []float64{-1, 2, 0.5, -2, 1.5, -0.5, 4, 0.25, 1, 0, -4, 3, -1.5}

// hasFreePower reports whether e has a power whose exponent is not a
// whole number written out.
func hasFreePower(e ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if p, ok := x.(*ast.Pow); ok {
			if n, ok := p.Y.(*ast.Num); !ok || !n.Value.IsInt() {
				found = true
			}
		}
		return !found
	})
	return found
}

// specialTuples returns up to limit tuples of indices into specialValues
// for k scalars, by level: all tuples over the first L values that use
// the L-th, for L = 1, 2, ...
func specialTuples(k, limit int) [][]int {
	if k == 0 {
		return nil
	}
	var out [][]int
	for level := 1; level <= len(specialValues) && len(out) < limit; level++ {
		t := make([]int, k)
		for {
			top := false
			for _, v := range t {
				top = top || v == level-1
			}
			if top {
				out = append(out, append([]int(nil), t...))
				if len(out) == limit {
					return out
				}
			}
			i := 0
			for ; i < k; i++ {
				if t[i]++; t[i] < level {
					break
				}
				t[i] = 0
			}
			if i == k {
				break
			}
		}
	}
	return out
}

// special looks for a counterexample at the special points, until
// deadline. Scalars the assumptions constrain keep the values drawn for
// them, and a point the assumptions do not admit is not used; with
// assumptions that relate names (equations, comparisons, sums) there are
// no special points.
func special(ctx context.Context, g *pointGen, a, b ast.Expr, deadline time.Time) (*Counterexample, error) {
	if as := g.as; as != nil && (len(as.Equations) > 0 || len(as.Order) > 0 || len(as.Sums) > 0 || len(as.Unsolved) > 0) {
		return nil, nil
	}
	var free []string
	for _, n := range g.nm.scalars {
		if g.as == nil || (len(g.as.Sets[n]) == 0 && !hasInterval(g.as, n)) {
			free = append(free, n)
		}
	}
	g.simple, g.wide, g.small = true, false, false
	g.lazy = false // the scalars change after the draw: whole arrays
	type tuple struct {
		vals []float64
		t    []int
	}
	var tuples []tuple
	for _, t := range specialTuples(len(free), maxSpecial) {
		tuples = append(tuples, tuple{specialValues, t})
	}
	if hasFreePower(a) || hasFreePower(b) {
		for _, t := range specialTuples(len(free), maxSpecial) {
			tuples = append(tuples, tuple{powerValues, t})
		}
	}
	// sets put the values of one special point in a drawn point.
	var sets []func(pt ast.Bindings)
	for _, tv := range tuples {
		sets = append(sets, func(pt ast.Bindings) {
			for i, n := range free {
				pt[n] = ast.Scalar(tv.vals[tv.t[i]])
			}
		})
	}
	plain := len(sets)
	// Then each name assumed in an interval at values just inside its
	// finite bounds: max(x^2, x) == x^2 under x > 0.999 is false only
	// below 1, where few random points fall.
	if g.as != nil {
		for _, n := range g.nm.scalars {
			iv, ok := g.as.Intervals[n]
			if !ok || len(g.as.Sets[n]) > 0 {
				continue
			}
			for _, v := range edgeValues(iv) {
				sets = append(sets, func(pt ast.Bindings) { pt[n] = ast.Scalar(v) })
			}
		}
	}
	for i, set := range sets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, nil
		}
		pt := g.next()
		if g.empty || g.unmet {
			continue
		}
		set(pt)
		if g.as != nil && !g.as.Admits(pt) {
			continue
		}
		va, errA := ast.EvalBound(ctx, a, nil, pt)
		if errA != nil {
			continue
		}
		vb, errB := ast.EvalBound(ctx, b, nil, pt)
		// Next to a bound the sides differ by as little as the slice is
		// thin (x^2 - c*x at c + 1e-9*c): any difference is confirmed.
		if errB != nil || va == vb || i < plain && floatClose(va, vb) {
			continue
		}
		ce, _, err := confirm(ctx, a, b, pt, va, vb, deadline, g.as)
		if err != nil || ce != nil {
			return ce, err
		}
	}
	return nil, ctx.Err()
}

// edgeValues are values inside iv at 2^-k of a scale (1, or the bound's
// magnitude if larger) from each finite bound, k = 1..maxEdge, nearest
// last: a claim false only on a thin slice next to an assumed bound is
// refuted there.
func edgeValues(iv Interval) []float64 {
	var out []float64
	for _, b := range []struct {
		at   float64
		sign float64
	}{{iv.Lo, 1}, {iv.Hi, -1}} {
		if math.IsInf(b.at, 0) {
			continue
		}
		scale := max(1, math.Abs(b.at))
		for k := 1; k <= maxEdge; k++ {
			if v := b.at + b.sign*math.Ldexp(scale, -k); iv.holds(v) && v != b.at {
				out = append(out, v)
			}
		}
	}
	return out
}

// maxEdge is how close to a bound edgeValues go: 2^-40 of the scale.
const maxEdge = 40

func hasInterval(as *Assumptions, n string) bool {
	_, ok := as.Intervals[n]
	return ok
}
