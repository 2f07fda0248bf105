package matrix

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// sizeCap is the largest size a point of confirm draws for a size name
// the assumptions narrow: an exact determinant of a larger matrix costs
// more than the evidence is worth.
const sizeCap = 8

// assumeNames returns the free names of an assumption.
func assumeNames(a *ast.AssumeStmt) []string {
	parts := append([]ast.Expr{a.X}, a.Rest...)
	parts = append(parts, a.Set...)
	if a.Lo != nil {
		parts = append(parts, a.Lo)
	}
	if a.Hi != nil {
		parts = append(parts, a.Hi)
	}
	var out []string
	for _, p := range parts {
		for _, n := range ast.FreeNames(p) {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// allowedSizes returns, for each size name an assumption speaks of alone
// (assume n == 2, assume 2 < n < 4), the whole numbers from 1 to sizeCap
// it allows: confirm's points are drawn at these sizes, not at 2..4
// regardless (n == 1 refuted det(A) == A[1,1] at n = 3). An empty list
// says no size up to sizeCap is allowed.
func allowedSizes(ctx context.Context, names []string, opt Options) map[string][]int {
	out := map[string][]int{}
	for _, n := range names {
		var own []*ast.AssumeStmt
		for _, a := range opt.Simplify.Assume {
			if ns := assumeNames(a); len(ns) == 1 && ns[0] == n {
				own = append(own, a)
			}
		}
		if len(own) == 0 {
			continue
		}
		vals := []int{}
		for v := 1; v <= sizeCap; v++ {
			b := ast.Bindings{n: ast.Scalar(float64(v))}
			ok := true
			for _, a := range own {
				if h, sure := assumeHolds(ctx, a, b, opt); !h || !sure {
					ok = false
					break
				}
			}
			if ok {
				vals = append(vals, v)
			}
		}
		out[n] = vals
	}
	return out
}

// noSizeText says which size names no whole number from 1 to sizeCap
// satisfies, or "" when each has one.
func noSizeText(allowed map[string][]int) string {
	var none []string
	for n, vs := range allowed {
		if len(vs) == 0 {
			none = append(none, n)
		}
	}
	if len(none) == 0 {
		return ""
	}
	slices.Sort(none)
	return fmt.Sprintf("no whole number from 1 to %d satisfies the assumptions as the size %s, so no point of the declared shapes could be drawn", sizeCap, strings.Join(none, ", "))
}

// pickSize draws a size among those allowed: from 2..4 as drawValues
// does where the assumptions allow one there, else among the smallest
// three allowed (n == 1, n >= 5).
func pickSize(r interface{ IntN(int) int }, vals []int) int {
	var mid []int
	for _, v := range vals {
		if v >= 2 && v <= 4 {
			mid = append(mid, v)
		}
	}
	if len(mid) > 0 {
		return mid[r.IntN(len(mid))]
	}
	return vals[r.IntN(min(len(vals), 3))]
}

// pointHolds reports whether every assumption holds at the point b
// (sure is false where one could not be decided: it reads a name b does
// not bind along with names it does, or its sides have no value there).
// An assumption about none of b's names says nothing of the point.
func pointHolds(ctx context.Context, b ast.Bindings, opt Options) (holds, sure bool) {
	for _, a := range opt.Simplify.Assume {
		ns := assumeNames(a)
		bound := 0
		for _, n := range ns {
			if _, ok := b[n]; ok {
				bound++
			}
		}
		if bound == 0 {
			continue
		}
		if bound < len(ns) {
			return false, false
		}
		h, s := assumeHolds(ctx, a, b, opt)
		if !s || !h {
			return h, s
		}
	}
	return true, true
}

// assumeHolds evaluates one assumption at b. Values nearer each other
// than rounding could make are not decided (sure is false): a point on
// the edge of x < 1/3 is no evidence.
func assumeHolds(ctx context.Context, a *ast.AssumeStmt, b ast.Bindings, opt Options) (holds, sure bool) {
	val := func(e ast.Expr) ([]float64, []int, bool) {
		v, err := Eval(ctx, e, b, opt, opt.Simplify.Rules.Defs())
		if err != nil {
			return nil, nil, false
		}
		for _, x := range v.Data {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, nil, false
			}
		}
		return v.Data, v.Shape, true
	}
	cmp := func(l, r []float64, ls, rs []int, op string) (bool, bool) {
		if !slices.Equal(ls, rs) || len(l) != len(r) {
			return false, false
		}
		if len(l) != 1 && op != "==" && op != "!=" {
			return false, false
		}
		all := true
		for i := range l {
			x, y := l[i], r[i]
			if x != y && math.Abs(x-y) <= 1e-9*math.Max(1, math.Max(math.Abs(x), math.Abs(y))) {
				return false, false
			}
			var h bool
			switch op {
			case "==":
				h = x == y
			case "!=":
				h = x != y
			case "<":
				h = x < y
			case "<=":
				h = x <= y
			case ">":
				h = x > y
			case ">=":
				h = x >= y
			default:
				return false, false
			}
			if op == "!=" {
				if h {
					return true, true // the arrays differ somewhere
				}
				continue
			}
			all = all && h
		}
		if op == "!=" {
			return false, true
		}
		return all, true
	}
	x, xs, ok := val(a.X)
	if !ok {
		return false, false
	}
	switch {
	case a.In:
		lo, ls, ok1 := val(a.Lo)
		hi, hs, ok2 := val(a.Hi)
		if !ok1 || !ok2 || len(x) != 1 {
			return false, false
		}
		if x[0] != math.Trunc(x[0]) {
			return false, true // a range is of whole numbers
		}
		h1, s1 := cmp(lo, x, ls, xs, "<=")
		h2, s2 := cmp(x, hi, xs, hs, "<=")
		return h1 && h2, s1 && s2
	case len(a.Set) > 0:
		for _, e := range a.Set {
			v, vs, ok := val(e)
			if !ok {
				return false, false
			}
			h, s := cmp(x, v, xs, vs, "==")
			if !s {
				return false, false
			}
			if h {
				return true, true
			}
		}
		return false, true
	}
	l, ls := x, xs
	for i, op := range a.Ops {
		if i >= len(a.Rest) {
			return false, false
		}
		r, rs, ok := val(a.Rest[i])
		if !ok {
			return false, false
		}
		h, s := cmp(l, r, ls, rs, op)
		if !s || !h {
			return h, s
		}
		l, ls = r, rs
	}
	return true, true
}
