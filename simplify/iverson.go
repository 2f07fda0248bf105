package simplify

import (
	"math"

	"github.com/symdiff/symdiff/ast"
)

// Iverson brackets and the ranges of indices. A bracket [a <= b <= c] is
// 1 where its chain of comparisons holds and 0 where not; its operands are
// whole numbers. The canonical form decides each comparison it can and
// drops the ones that hold: both sides numbers, or a difference whose
// bounds follow from the ranges in scope. Those ranges are
//
//   - an index bound by an enclosing sum: that sum's lo..hi (inside the
//     body the range is not empty);
//   - a free index with a range the caller gave (Options.Ranges: what the
//     user assumed, `assume k in 1..d`, or the range of the variable
//     differentiated by, see InferRanges): that range;
//   - a name the user assumed bounds for (assume n < 0): the whole
//     numbers within them;
//   - any other name in a condition (a size, a free index): a whole
//     number at least 1, since sizes are positive and indices start at 1.
//
// Nothing else is assumed: a free index without a range compared with a
// sum's range keeps its condition, d(sum(i=2..n, x[i]^2), x[k]) is
// 2*x[k]*[2 <= k <= n].

// A Range is the range lo..hi of an index; Hi may be nil (no upper bound).
type Range struct {
	Lo, Hi ast.Expr
}

type verdict uint8

const (
	unknown verdict = iota
	holds
	fails
)

// rangeOf returns the range of a name used as an integer: the innermost
// of the first visible sums in scope that binds it (with its position),
// a range given for it, or 1.. for any other name.
func (c *canon) rangeOf(name string, visible int) (lo, hi ast.Expr, pos int) {
	for i := visible - 1; i >= 0; i-- {
		if b := c.s.scope[i]; b.name == name {
			return b.lo, b.hi, i
		}
	}
	if r, ok := c.s.opt.Ranges[name]; ok {
		return r.Lo, r.Hi, -1
	}
	if lo, hi, ok := c.s.assumedWhole(name); ok {
		return lo, hi, -1
	}
	return ast.One, nil, -1
}

// assumedWhole returns the whole numbers lo..hi (nil: no bound) within
// the interval the user assumed for name (assume n < 0: ..-1), and false
// if the user assumed none. An assumption replaces the convention that a
// name is at least 1: under assume n < 0, sum(i=1..n, i) is empty, 0.
func (s *Simplifier) assumedWhole(name string) (lo, hi ast.Expr, ok bool) {
	if len(s.userFacts) == 0 {
		return nil, nil, false // the common case, without interning the name
	}
	if _, bound := s.bound(name); bound {
		return nil, nil, false // a sum's index of that name, not the one assumed about
	}
	key := ast.Expr(ast.NewSym(name))
	iv, has := s.assume[key]
	if !has || s.userFacts[key] == nil {
		return nil, nil, false
	}
	const exact = 1 << 52 // whole floats below this are exact
	if !math.IsInf(iv.lo, 0) && math.Abs(iv.lo) < exact {
		k := math.Ceil(iv.lo)
		if iv.loOpen && k == iv.lo {
			k++
		}
		lo = ast.NewNum(ast.Int(int64(k)))
	}
	if !math.IsInf(iv.hi, 0) && math.Abs(iv.hi) < exact {
		k := math.Floor(iv.hi)
		if iv.hiOpen && k == iv.hi {
			k--
		}
		hi = ast.NewNum(ast.Int(int64(k)))
	}
	return lo, hi, true
}

// linear splits a canonical integer expression d as coef*v + rest.
func linear(d ast.Expr, v string) (ast.Number, []ast.Expr, bool) {
	terms := []ast.Expr{d}
	if a, ok := d.(*ast.Add); ok {
		terms = a.Terms
	}
	coef := ast.Int(0)
	var rest []ast.Expr
	for _, t := range terms {
		if !ast.HasFree(t, v) {
			rest = append(rest, t)
			continue
		}
		k, m := splitCoeff(t)
		if s, ok := m.(*ast.Sym); !ok || s.Name != v {
			return ast.Number{}, nil, false
		}
		coef = coef.Add(k)
	}
	return coef, rest, true
}

// extreme returns a number below (upper=false) or above (upper=true)
// every value of the integer expression d under the ranges of the first
// visible sums in scope, eliminating one name at a time, innermost binding
// first. A sum's range sees only the sums outside it, so after its index
// is eliminated the sums from it inward are no longer visible: in
// sum(i=..., sum(j=3..i, sum(i=j..n, ...))) the i of 3..i is the outer one.
func (c *canon) extreme(d ast.Expr, upper bool, depth, visible int) (ast.Number, bool) {
	if n, ok := numOf(d); ok {
		return n, true
	}
	if depth > 12 {
		return ast.Number{}, false
	}
	names := ast.FreeNames(d)
	if len(names) == 0 {
		return ast.Number{}, false
	}
	// The name bound innermost goes first: its range may mention the
	// names bound further out, never the other way round; then the free
	// indices with a range, whose bounds are sizes; then the rest.
	pick, pos := "", -3
	for _, n := range names {
		p := -2
		if _, ok := c.s.opt.Ranges[n]; ok {
			p = -1
		}
		for i := visible - 1; i >= 0; i-- {
			if c.s.scope[i].name == n {
				p = i
				break
			}
		}
		if p > pos {
			pick, pos = n, p
		}
	}
	coef, rest, ok := linear(d, pick)
	if !ok {
		return ast.Number{}, false
	}
	lo, hi, at := c.rangeOf(pick, visible)
	if at >= 0 {
		visible = at // the range of the index at scope[at] sees scope[:at]
	} else if pos == -1 {
		visible = 0 // a given range is in terms of sizes
	}
	end := lo
	if (coef.Sign() > 0) == upper {
		end = hi
	}
	if coef.Sign() == 0 {
		end = ast.Zero
	}
	if end == nil {
		return ast.Number{}, false
	}
	nd := c.add(append(rest, c.mul([]ast.Expr{ast.NewNum(coef), end})))
	return c.extreme(nd, upper, depth+1, visible)
}

// le decides a <= b for whole numbers a and b under the ranges in scope.
func (c *canon) le(a, b ast.Expr) verdict {
	d := c.add([]ast.Expr{b, c.mul([]ast.Expr{ast.MinusOne, a})})
	if n, ok := c.extreme(d, false, 0, len(c.s.scope)); ok && n.Sign() >= 0 {
		return holds
	}
	if n, ok := c.extreme(d, true, 0, len(c.s.scope)); ok && n.Sign() < 0 {
		return fails
	}
	return unknown
}

// iverson is the canonical form of the bracket over canonical operands:
// 0 if a comparison fails, the product of the comparisons not decided
// (consecutive ones kept as one chain), 1 if every one holds.
func (c *canon) iverson(args []ast.Expr) ast.Expr {
	var factors []ast.Expr
	var chain []ast.Expr
	flush := func() {
		if len(chain) >= 2 {
			factors = append(factors, c.pair(chain))
		}
		chain = nil
	}
	for i := 1; i < len(args); i++ {
		switch c.le(args[i-1], args[i]) {
		case fails:
			return ast.Zero
		case holds:
			flush()
			continue
		}
		if len(chain) == 0 {
			chain = []ast.Expr{args[i-1]}
		}
		chain = append(chain, args[i])
	}
	flush()
	if len(factors) == 0 {
		return ast.One
	}
	if len(factors) == 1 {
		return factors[0]
	}
	return c.mul(factors)
}

// pair builds a bracket; a single comparison has its numbers on one side,
// with a positive sign: [3 <= n - 1] reads [4 <= n], [k - 1 <= n] reads
// [k <= n + 1].
func (c *canon) pair(chain []ast.Expr) ast.Expr {
	if len(chain) != 2 {
		return ast.NewIverson(chain...)
	}
	a0, ma := constPart(chain[0])
	b0, mb := constPart(chain[1])
	m := mb.Sub(ma)
	switch {
	case m.Sign() > 0 && b0 != ast.Zero:
		return ast.NewIverson(a0, c.add([]ast.Expr{b0, ast.NewNum(m)}))
	case a0 == ast.Zero:
		return ast.NewIverson(ast.NewNum(m.Neg()), b0)
	case b0 == ast.Zero:
		return ast.NewIverson(a0, ast.NewNum(m))
	default:
		return ast.NewIverson(c.add([]ast.Expr{a0, ast.NewNum(m.Neg())}), b0)
	}
}

// constPart splits a canonical expression into the rest and its number.
func constPart(e ast.Expr) (ast.Expr, ast.Number) {
	if n, ok := numOf(e); ok {
		return ast.Zero, n
	}
	if add, ok := e.(*ast.Add); ok {
		if n, ok := numOf(add.Terms[0]); ok {
			return ast.NewAdd(add.Terms[1:]...), n
		}
	}
	return e, ast.Int(0)
}

// cond returns the canonical [a <= b].
func (c *canon) cond(args ...ast.Expr) ast.Expr { return c.iverson(args) }

// comparisons splits a canonical bracket factor into its comparisons.
func comparisons(f ast.Expr) ([][2]ast.Expr, bool) {
	iv, ok := f.(*ast.Iverson)
	if !ok {
		return nil, false
	}
	var out [][2]ast.Expr
	for i := 1; i < len(iv.Args); i++ {
		out = append(out, [2]ast.Expr{iv.Args[i-1], iv.Args[i]})
	}
	return out, true
}

// narrow moves the conditions on v among the factors of a sum's body into
// its range: sum(v=lo..hi, f*[a <= v]) is sum(v=a..hi, f) where a >= lo,
// and sum(v=lo..hi, f) where a <= lo. It returns the new range and the
// factors left, and ok=false when nothing moved.
func (c *canon) narrow(v string, lo, hi ast.Expr, factors []ast.Expr) (ast.Expr, ast.Expr, []ast.Expr, bool) {
	moved := false
	var left []ast.Expr
	for _, f := range factors {
		cmps, ok := comparisons(f)
		if !ok || !ast.HasFree(f, v) {
			left = append(left, f)
			continue
		}
		var keep [][2]ast.Expr
		for _, p := range cmps {
			d := c.add([]ast.Expr{p[1], c.mul([]ast.Expr{ast.MinusOne, p[0]})})
			coef, rest, ok := linear(d, v)
			if !ok || !(coef.Cmp(ast.Int(1)) == 0 || coef.Cmp(ast.Int(-1)) == 0) {
				keep = append(keep, p)
				continue
			}
			r := c.add(rest)
			if coef.Sign() > 0 {
				// v + r >= 0: v >= -r
				b := c.mul([]ast.Expr{ast.MinusOne, r})
				switch {
				case c.le(b, lo) == holds:
				case c.le(lo, b) == holds:
					lo = b
				default:
					keep = append(keep, p)
					continue
				}
			} else {
				// r - v >= 0: v <= r
				switch {
				case c.le(hi, r) == holds:
				case c.le(r, hi) == holds:
					hi = r
				default:
					keep = append(keep, p)
					continue
				}
			}
			moved = true
		}
		for _, p := range keep {
			left = append(left, ast.NewIverson(p[0], p[1]))
		}
	}
	return lo, hi, left, moved
}

// mentionsCondOf reports whether a term has a bracket factor on v.
func mentionsCondOf(t ast.Expr, v string) bool {
	fs := []ast.Expr{t}
	if m, ok := t.(*ast.Mul); ok {
		fs = m.Factors
	}
	for _, f := range fs {
		if _, ok := f.(*ast.Iverson); ok && ast.HasFree(f, v) {
			return true
		}
	}
	return false
}
