package numcheck

import (
	"context"
	"math"
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// Where the sides are defined. log(w - 10^5) is defined only for
// w > 10^5, far outside the box around 0 where most points are drawn, so
// the sampler reads simple bounds off the expressions: the argument of a
// log, of a sqrt or of a fractional or symbolic power that is linear in
// one scalar gives that scalar a lower or upper bound. When no point is
// found all the same, search walks each scalar out by doubling from the
// last point tried until both sides evaluate.

// span is an open interval of values for a scalar; ±Inf when unbounded.
type span struct{ lo, hi float64 }

// domainSpans derives the spans of scalars that some argument constrains.
func domainSpans(ctx context.Context, scalars []string, es ...ast.Expr) map[string]span {
	out := map[string]span{}
	for _, e := range es {
		ast.InspectOnce(e, func(x ast.Expr) bool {
			var arg ast.Expr
			switch x := x.(type) {
			case *ast.Call:
				if x.Fn == "log" || x.Fn == "sqrt" {
					arg = x.Args[0]
				}
			case *ast.Pow:
				if n, ok := x.Y.(*ast.Num); !ok || !n.Value.IsInt() {
					arg = x.X
				}
			}
			if arg != nil {
				constrain(ctx, out, scalars, arg)
			}
			return true
		})
	}
	for n, s := range out {
		if !(s.lo < s.hi) {
			delete(out, n) // contradictory bounds: leave it to the search
		}
	}
	return out
}

// constrain records u > 0 when u is linear in one scalar.
func constrain(ctx context.Context, out map[string]span, scalars []string, u ast.Expr) {
	free := ast.FreeNames(u)
	if len(free) != 1 || !slices.Contains(scalars, free[0]) {
		return
	}
	v := free[0]
	f := func(t float64) (float64, bool) {
		r, err := ast.EvalBound(ctx, u, nil, ast.Bindings{v: ast.Scalar(t)})
		return r, err == nil
	}
	f0, ok0 := f(0)
	f1, ok1 := f(1)
	f2, ok2 := f(2)
	if !ok0 || !ok1 || !ok2 {
		return
	}
	a := f1 - f0
	if a == 0 || math.Abs(f2-2*f1+f0) > 1e-9*(math.Abs(f0)+math.Abs(f1)+math.Abs(f2)) {
		return
	}
	root := -f0 / a
	s, ok := out[v]
	if !ok {
		s = span{math.Inf(-1), math.Inf(1)}
	}
	if a > 0 {
		s.lo = math.Max(s.lo, root)
	} else {
		s.hi = math.Min(s.hi, root)
	}
	out[v] = s
}

// inSpan draws a value in s: the nearer bound plus an offset of a random
// magnitude (1e-6 to 1e8, less than the width), rounded to 10 significant
// bits so that it reads well.
func (g *pointGen) inSpan(s span) float64 {
	width := s.hi - s.lo
	off := math.Pow(10, -6+14*g.rng.Float64())
	if width < math.Inf(1) {
		off = width * g.rng.Float64()
	}
	if g.simple {
		off = float64(1+g.rng.IntN(8)) / 4
		if off >= width {
			off = width / 2
		}
	}
	off = roundBits(off, 10)
	if math.IsInf(s.lo, -1) {
		return s.hi - off
	}
	return s.lo + off
}

// roundBits rounds v to n significant bits.
func roundBits(v float64, n int) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	_, e := math.Frexp(v)
	return math.Ldexp(math.Round(math.Ldexp(v, n-e)), e-n)
}

// search looks for a point where both sides are defined by changing one
// scalar of pt at a time to ±2^k, k = -20..27 (about 1e-6 to 1.3e8).
func search(ctx context.Context, a, b ast.Expr, pt ast.Bindings, scalars []string) (ast.Bindings, bool) {
	defined := func(p ast.Bindings) bool {
		if _, err := ast.EvalBound(ctx, a, nil, p); err != nil {
			return false
		}
		_, err := ast.EvalBound(ctx, b, nil, p)
		return err == nil
	}
	for _, v := range scalars {
		old := pt[v]
		for k := -20; k <= 27; k++ {
			for _, sign := range []float64{1, -1} {
				if ctx.Err() != nil {
					return nil, false
				}
				pt[v] = ast.Scalar(sign * math.Ldexp(1, k))
				if defined(pt) {
					return pt, true
				}
			}
		}
		pt[v] = old
	}
	return nil, false
}
