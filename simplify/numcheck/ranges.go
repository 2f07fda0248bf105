package numcheck

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// Index ranges. A claim made for k = 2..K is checked, and refuted, only at
// points where k lies in 2..K: the sizes in the bounds are drawn first
// (sizes the expressions do not mention too, so that K has a value), then
// k between the bounds evaluated at them, its ends more often than the
// rest (off-by-one errors live there). A point where a range is empty
// (K = 1 for 2..K) is drawn again with sizes from a wider box; if every
// try leaves a range empty the point is not used, and a check that saw
// no point says so.

// rangeTries bounds the draws of the sizes that look for non-empty ranges.
const rangeTries = 32

// withRanges moves the names the ranges speak of out of the other kinds
// into nm.ranged, ordered so that a range's bounds use only names drawn
// before it, and makes the other names of the bounds sizes.
func (as *Assumptions) withRanges(nm *names) {
	if as == nil || len(as.Ranges) == 0 {
		return
	}
	free := map[string]bool{}
	for _, l := range [][]string{nm.sizes, nm.indices, nm.scalars} {
		for _, n := range l {
			free[n] = true
		}
	}
	var pending []string
	for k := range as.Ranges {
		if free[k] {
			pending = append(pending, k)
		}
	}
	if len(pending) == 0 {
		return
	}
	sort.Strings(pending)
	drop := func(l []string, n string) []string {
		return slices.DeleteFunc(l, func(s string) bool { return s == n })
	}
	for _, k := range pending {
		nm.sizes, nm.indices, nm.scalars = drop(nm.sizes, k), drop(nm.indices, k), drop(nm.scalars, k)
	}
	for _, k := range pending {
		for _, n := range as.Ranges[k].names() {
			if slices.Contains(pending, n) || slices.Contains(nm.indices, n) || slices.Contains(nm.sizes, n) {
				continue
			}
			nm.scalars = drop(nm.scalars, n)
			nm.sizes = append(nm.sizes, n)
		}
	}
	sort.Strings(nm.sizes)
	// Dependency order; a cycle (k in 1..m, m in 1..k) is left in place,
	// and its bounds then cannot be evaluated: no point is drawn.
	for len(pending) > 0 {
		progress := false
		for i, k := range pending {
			r := as.Ranges[k]
			ready := true
			for _, n := range r.names() {
				if slices.Contains(pending, n) {
					ready = false
				}
			}
			if ready {
				nm.ranged = append(nm.ranged, k)
				pending = slices.Delete(pending, i, i+1)
				progress = true
				break
			}
		}
		if !progress {
			nm.ranged = append(nm.ranged, pending...)
			break
		}
	}
}

// names lists the free names of the bounds.
func (r IndexRange) names() []string {
	out := slices.Clone(ast.FreeNames(r.Lo))
	if r.Hi != nil {
		out = append(out, ast.FreeNames(r.Hi)...)
	}
	return out
}

// bounds evaluates a range at a point: the whole numbers from lo to hi
// (lo > hi: empty; no Hi: up to 2^40). ok is false where a bound cannot
// be evaluated.
func (r IndexRange) bounds(b ast.Bindings) (lo, hi int64, ok bool) {
	l, err1 := boundValue(r.Lo, b)
	h, err2 := float64(1<<40), error(nil)
	if r.Hi != nil {
		h, err2 = boundValue(r.Hi, b)
	}
	if err1 != nil || err2 != nil || math.IsNaN(l) || math.IsNaN(h) || math.Abs(l) > 1<<40 || math.Abs(h) > 1<<40 {
		return 0, 0, false
	}
	return int64(math.Ceil(l)), int64(math.Floor(h)), true
}

// boundValue is ast.Eval(e, nil, b) for a range's bound. The usual ones,
// a whole number written out or a name bound to a float64, are read
// directly (ast.Eval lists the missing names and may evaluate again
// exactly, at every point drawn: 2% of a proof).
func boundValue(e ast.Expr, b ast.Bindings) (float64, error) {
	switch x := e.(type) {
	case *ast.Num:
		if i, ok := x.Value.Int64(); ok && i >= -1<<53 && i <= 1<<53 {
			return float64(i), nil
		}
	case *ast.Sym:
		if v, ok := b[x.Name]; ok && v.Shape == nil && v.Exact == nil && !math.IsInf(v.Data[0], 0) && !math.IsNaN(v.Data[0]) {
			return v.Data[0], nil
		}
	}
	return ast.Eval(e, nil, b)
}

// drawRanged draws the ranged names of g.nm into b, and reports whether
// every range was non-empty.
func (g *pointGen) drawRanged(b ast.Bindings) bool {
	for _, k := range g.nm.ranged {
		lo, hi, ok := g.as.Ranges[k].bounds(b)
		if !ok || hi < lo {
			return false
		}
		if lo <= arrayDim && g.nm.subscripts[k] {
			hi = min(hi, max(lo, arrayDim)) // inside the random arrays
		}
		if g.as.declaredSize(k) {
			// A declared size binds its arrays in their shape: from 1 to
			// declCap (n = 2^40 left w : vector(n) at 16 entries).
			lo, hi = max(lo, 1), min(hi, declCap)
			if hi < lo {
				return false
			}
		}
		var v int64
		switch r := g.rng.IntN(4); {
		case r == 0:
			v = lo
		case r == 1:
			v = hi
		default:
			v = lo + g.rng.Int64N(hi-lo+1)
		}
		b[k] = g.scalar(float64(v))
	}
	return true
}

// Admits reports whether a point lies inside the ranges (each ranged name
// bound, a whole number between its bounds evaluated at the point) and
// has its scalars in their assumed sets and intervals. A counterexample
// found elsewhere than in SampleAssuming is shown only if it does.
func (as *Assumptions) Admits(pt ast.Bindings) bool {
	if as == nil {
		return true
	}
	for k, r := range as.Ranges {
		v, ok := pt[k]
		if !ok {
			continue // not a name of the claim
		}
		lo, hi, ok := r.bounds(pt)
		x := v.Data[0]
		if v.Shape != nil || !ok || x != math.Trunc(x) || int64(x) < lo || int64(x) > hi {
			return false
		}
	}
	for name, v := range pt {
		set, inSet := as.Sets[name]
		iv, inIv := as.Intervals[name]
		for _, x := range v.Data {
			if inSet && len(set) > 0 && !slices.Contains(set, x) || inIv && !iv.holds(x) {
				return false
			}
		}
	}
	return as.admitsEquations(pt) && as.admitsOrder(pt)
}

// describeRanges writes the ranges of the names drawn: "k = 2..K".
func describeRanges(as *Assumptions, nm names) string {
	var parts []string
	for _, k := range nm.ranged {
		r, hi := as.Ranges[k], "∞"
		if r.Hi != nil {
			hi = ast.String(r.Hi)
		}
		parts = append(parts, k+" = "+ast.String(r.Lo)+".."+hi)
	}
	return strings.Join(parts, ", ")
}

// belowOne finds an array read at an index that can be below 1 (x[j] in
// sum(j=0..n-1, ...), x[k] with k assumed in 0..n, x[0]) and describes
// it: numbers are bound to arrays from index 1, so such a read is
// undefined at every point, and a check that saw no point says why.
func belowOne(as *Assumptions, es ...ast.Expr) string {
	low := func(e ast.Expr) bool {
		n, ok := e.(*ast.Num)
		return ok && n.Value.Cmp(ast.One.Value) < 0
	}
	found := ""
	var walk func(e ast.Expr, from map[string]ast.Expr)
	walk = func(e ast.Expr, from map[string]ast.Expr) {
		if found != "" {
			return
		}
		switch x := e.(type) {
		case *ast.Index:
			for _, i := range x.Indices {
				if low(i) {
					found = ast.String(x)
					return
				}
				s, ok := i.(*ast.Sym)
				if !ok {
					continue
				}
				lo, bound := from[s.Name]
				if !bound && as != nil {
					if r, ranged := as.Ranges[s.Name]; ranged {
						lo = r.Lo
					}
				}
				if lo != nil && low(lo) {
					found = ast.String(x) + " with " + s.Name + " from " + ast.String(lo)
					return
				}
			}
		case *ast.Sum:
			inner := make(map[string]ast.Expr, len(from)+1)
			for k, v := range from {
				inner[k] = v
			}
			inner[x.Var] = x.Lo
			walk(x.Lo, from)
			walk(x.Hi, from)
			walk(x.Body, inner)
			return
		}
		for _, k := range ast.Children(e) {
			walk(k, from)
		}
	}
	for _, e := range es {
		walk(e, nil)
	}
	return found
}
