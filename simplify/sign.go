package simplify

import (
	"math"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Sign analysis, by interval arithmetic. Rule conditions (exp(log(u)) -> u
// if u > 0) and a few canonicalisations ((x^a)^b) are sound only where a
// sign is known; this finds an interval that surely contains the value of
// an expression over its domain. Endpoints are rounded outwards, so a
// claimed sign is never an artefact of rounding.

// interval is a set of reals {lo..hi}, each end open or closed.
type interval struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

var (
	anything = interval{lo: math.Inf(-1), hi: math.Inf(1), loOpen: true, hiOpen: true}
	positive = interval{lo: 0, hi: math.Inf(1), loOpen: true, hiOpen: true}
)

func point(v float64) interval { return interval{lo: v, hi: v} }

func (i interval) positive() bool { return i.lo > 0 || (i.lo == 0 && i.loOpen) }
func (i interval) negative() bool { return i.hi < 0 || (i.hi == 0 && i.hiOpen) }
func (i interval) nonneg() bool   { return i.lo >= 0 }
func (i interval) nonpos() bool   { return i.hi <= 0 }
func (i interval) nonzero() bool  { return i.positive() || i.negative() }
func (i interval) zero() bool     { return i.lo == 0 && i.hi == 0 && !i.loOpen && !i.hiOpen }

// down is the float below x, for a lower end computed with rounding; +Inf
// there is an overflow (no lower end is infinite but -Inf), whose float
// below is the largest.
func down(x float64) float64 {
	if math.IsInf(x, 1) {
		return math.MaxFloat64
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	return math.Nextafter(x, math.Inf(-1))
}

// up is the float above x, for an upper end: -Inf is an overflow.
func up(x float64) float64 {
	if math.IsInf(x, -1) {
		return -math.MaxFloat64
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	return math.Nextafter(x, math.Inf(1))
}

// exactSum reports whether a + b in float64 is the exact sum (Knuth's
// two-sum: the rounding error is 0), so that it needs no outward
// rounding: (1, ∞) + -1 is (0, ∞), positive, not (-2^-53, ∞).
func exactSum(a, b float64) bool {
	s := a + b
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return false
	}
	bb := s - a
	return (a-(s-bb))+(b-bb) == 0
}

func (i interval) add(j interval) interval {
	lo, hi := i.lo+j.lo, i.hi+j.hi
	if !exactSum(i.lo, j.lo) {
		lo = down(lo)
	}
	if !exactSum(i.hi, j.hi) {
		hi = up(hi)
	}
	r := interval{lo: lo, hi: hi, loOpen: i.loOpen || j.loOpen, hiOpen: i.hiOpen || j.hiOpen}
	// Outward rounding may have closed an exact zero end: keep openness
	// only when the exact sum was strictly away from it.
	if r.lo == down(0) && i.lo+j.lo == 0 {
		r.lo = 0
	}
	if r.hi == up(0) && i.hi+j.hi == 0 {
		r.hi = 0
	}
	return r.sane()
}

func (i interval) neg() interval {
	return interval{lo: -i.hi, hi: -i.lo, loOpen: i.hiOpen, hiOpen: i.loOpen}
}

func (i interval) mul(j interval) interval {
	if i.zero() || j.zero() {
		return point(0)
	}
	type end struct {
		v     float64
		open  bool
		exact bool // v is a*b exactly: no outward rounding (1*(1, ∞) stays (1, ∞))
	}
	prod := func(a, b float64, ao, bo bool) end {
		if a == 0 || b == 0 {
			return end{0, ao || bo, true}
		}
		v := a * b
		// The residual a*b - v is exact unless it underflows: below
		// 2^-969 (53 bits above the smallest normal) it may round to 0,
		// and v is then taken as inexact, as 0 from an underflow is.
		exact := math.Abs(v) >= 0x1p-969 && !math.IsInf(v, 0) && math.FMA(a, b, -v) == 0
		return end{v, ao || bo, exact}
	}
	cands := []end{
		prod(i.lo, j.lo, i.loOpen, j.loOpen), prod(i.lo, j.hi, i.loOpen, j.hiOpen),
		prod(i.hi, j.lo, i.hiOpen, j.loOpen), prod(i.hi, j.hi, i.hiOpen, j.hiOpen),
	}
	lo, hi := cands[0], cands[0]
	for _, c := range cands[1:] {
		// On a tie the end is closed if any of the tied is, and exact
		// only if all are: (-C)*3 rounds to -1 as 1*(-1) is, but is
		// below it.
		switch {
		case c.v < lo.v:
			lo = c
		case c.v == lo.v:
			lo = end{lo.v, lo.open && c.open, lo.exact && c.exact}
		}
		switch {
		case c.v > hi.v:
			hi = c
		case c.v == hi.v:
			hi = end{hi.v, hi.open && c.open, hi.exact && c.exact}
		}
	}
	r := interval{lo: lo.v, hi: hi.v, loOpen: lo.open, hiOpen: hi.open}
	if !lo.exact {
		r.lo = down(r.lo)
	}
	if !hi.exact {
		r.hi = up(r.hi)
	}
	return r.sane()
}

func (i interval) sane() interval {
	if math.IsNaN(i.lo) || math.IsNaN(i.hi) {
		return anything
	}
	if math.IsInf(i.lo, -1) {
		i.loOpen = true
	}
	if math.IsInf(i.hi, 1) {
		i.hiOpen = true
	}
	return i
}

// monotone maps an interval through an increasing function, with outward
// rounding of a few ulps for the float implementation's error.
func (i interval) monotone(f func(float64) float64, rangeLo, rangeHi float64) interval {
	lo, hi := f(i.lo), f(i.hi)
	for k := 0; k < 4; k++ {
		lo, hi = down(lo), up(hi)
	}
	r := interval{lo: math.Max(lo, rangeLo), hi: math.Min(hi, rangeHi), loOpen: i.loOpen, hiOpen: i.hiOpen}
	if r.lo == rangeLo {
		r.loOpen = true
	}
	if r.hi == rangeHi {
		r.hiOpen = true
	}
	return r.sane()
}

// signOf returns an interval containing every value of e where it is
// defined. Assumptions (facts the caller knows, such as u > 0 inside
// log(u)) narrow it.
func (s *Simplifier) sign(e ast.Expr) interval {
	// Where a sum in scope binds the name of a size free in e, e's sign
	// is not the one remembered for the free name, and is not remembered.
	shadowed := s.assumedBound(e)
	local := shadowed || s.sizeBound(e)
	if m, ok := s.signMemo[e]; ok && !local {
		// The assumptions behind a remembered sign are noted again: the
		// rule that uses the sign now must still say it is by assumption.
		for _, f := range m.facts {
			s.noteFact(f)
		}
		return m.iv
	}
	outer := s.factsUsed
	s.factsUsed = nil
	r := s.signOf(e)
	if a, ok := s.assume[e]; ok && !(shadowed && s.userFacts[e] != nil) {
		n := intersect(r, a)
		if u := s.userFacts[e]; u != nil {
			s.noteFact(u)
		} else if n != r {
			s.noteFact(s.domainRules[e])
		}
		r = n
	}
	if ix, ok := e.(*ast.Index); ok {
		if f, ok := s.arrayFacts[ix.Name]; ok {
			r = intersect(r, f.iv)
			s.noteFact(f.rule)
		}
	}
	used := s.factsUsed
	s.factsUsed = outer
	for _, f := range used {
		s.noteFact(f)
	}
	if !local {
		if s.signMemo == nil {
			s.signMemo = map[ast.Expr]signEntry{}
		}
		s.signMemo[e] = signEntry{iv: r, facts: used}
	}
	return r
}

// signEntry is a remembered sign with the assumptions it rests on.
type signEntry struct {
	iv    interval
	facts []*rules.Rule
}

func intersect(a, b interval) interval {
	r := a
	if b.lo > r.lo || b.lo == r.lo && b.loOpen {
		r.lo, r.loOpen = b.lo, b.loOpen
	}
	if b.hi < r.hi || b.hi == r.hi && b.hiOpen {
		r.hi, r.hiOpen = b.hi, b.hiOpen
	}
	if r.lo > r.hi {
		return a // contradictory facts: trust neither
	}
	return r
}

// assumedBound reports whether a sum in scope binds a name that is free
// in e and in a user's assumption: assume i > 2 is about the free name i,
// not about the index of sum(i=1..n, step(i - 2)), which runs from 1; e's
// sign then is not the assumed one, nor one remembered outside the sum.
// (The facts a rule's match implies, such as w[i] > 0 inside
// log(w[i]), are about the index where they are drawn, and stay.)
func (s *Simplifier) assumedBound(e ast.Expr) bool {
	if len(s.userFacts) == 0 {
		return false
	}
	for _, sc := range s.scope {
		if !ast.HasFree(e, sc.name) {
			continue
		}
		for key := range s.userFacts {
			if ast.HasFree(key, sc.name) {
				return true
			}
		}
	}
	return false
}

// sizeBound reports whether a sum in scope binds the name of a size that
// is free in e: e's sign then depends on where it is (see signOf).
func (s *Simplifier) sizeBound(e ast.Expr) bool {
	for _, sc := range s.scope {
		if s.sizes[sc.name] && ast.HasFree(e, sc.name) {
			return true
		}
	}
	return false
}

func (s *Simplifier) signOf(e ast.Expr) interval {
	switch x := e.(type) {
	case *ast.Num:
		return numInterval(x.Value)
	case *ast.Sym:
		if _, bound := s.bound(x.Name); s.sizes[x.Name] && !bound && s.userFacts[x] == nil {
			// A size, unless a sum in scope binds the name: that index
			// ranges over the sum's range (sum(i=-3..3, abs(i)) beside
			// sum(j=1..i, x)). An assumption about the name replaces
			// the convention (assume n < 0: see assumedWhole), and so
			// does a range given for it (assume n in -5..-1).
			if r, ranged := s.opt.Ranges[x.Name]; ranged {
				iv := anything
				if lo, ok := numOf(r.Lo); ok {
					iv.lo, iv.loOpen = s.signOf(ast.NewNum(lo)).lo, false
				}
				if r.Hi != nil {
					if hi, ok := numOf(r.Hi); ok {
						iv.hi, iv.hiOpen = s.signOf(ast.NewNum(hi)).hi, false
					}
				}
				return iv.sane()
			}
			return interval{lo: 1, hi: math.Inf(1), hiOpen: true}
		}
		return anything
	case *ast.Index:
		return anything
	case *ast.Neg:
		return s.sign(x.X).neg()
	case *ast.Add:
		r := point(0)
		for _, t := range x.Terms {
			r = r.add(s.sign(t))
		}
		if !r.nonneg() && !r.nonpos() {
			// Undecided term by term: a polynomial in one name may be
			// decided in Horner's form (signpoly.go).
			if h, ok := s.hornerSign(x); ok {
				r = intersect(r, h)
			}
		}
		return r
	case *ast.Mul:
		r := point(1)
		for _, f := range x.Factors {
			r = r.mul(s.sign(f))
		}
		return r
	case *ast.Div:
		return s.sign(x.X).mul(inverse(s.sign(x.Y)))
	case *ast.Pow:
		return s.powSign(x)
	case *ast.Call:
		return s.callSign(x)
	case *ast.Iverson:
		return interval{lo: 0, hi: 1}
	case *ast.Condition, *ast.If:
		return s.piecewiseSign(x)
	case *ast.Sum:
		b := s.sign(x.Body)
		if x.Op == ast.OpMean {
			return b
		}
		switch {
		case b.positive():
			return positive
		case b.nonneg():
			return interval{lo: 0, hi: math.Inf(1), hiOpen: true}
		case b.negative():
			return positive.neg()
		case b.nonpos():
			return interval{lo: math.Inf(-1), hi: 0, loOpen: true}
		}
	}
	return anything
}

func inverse(i interval) interval {
	switch {
	case i.positive():
		if i.lo == 0 {
			return positive
		}
		return interval{lo: down(1 / i.hi), hi: up(1 / i.lo), loOpen: i.hiOpen, hiOpen: i.loOpen}.sane()
	case i.negative():
		return inverse(i.neg()).neg()
	}
	return anything
}

func (s *Simplifier) powSign(x *ast.Pow) interval {
	b := s.sign(x.X)
	n, isNum := numOf(x.Y)
	if isNum && n.IsInt() {
		k, ok := n.Int64()
		if !ok {
			return anything
		}
		if k%2 == 0 {
			if b.nonzero() {
				return positive
			}
			return interval{lo: 0, hi: math.Inf(1), hiOpen: true}
		}
		// odd power keeps the sign
		switch {
		case b.positive():
			return positive
		case b.negative():
			return positive.neg()
		case b.nonneg():
			return interval{lo: 0, hi: math.Inf(1), hiOpen: true}
		}
		return anything
	}
	switch {
	case b.positive():
		return positive
	case isNum && n.Sign() > 0:
		// a fractional power is defined only for a non-negative base
		return interval{lo: 0, hi: math.Inf(1), hiOpen: true}
	case isNum:
		return positive // base must be > 0 for a negative fractional power
	}
	return anything
}

// callSign bounds a call by its function's image in the function table:
// an increasing function maps the argument's interval (clipped to where
// it is defined), any other stays within its range.
func (s *Simplifier) callSign(x *ast.Call) interval {
	if r, ok := s.kinkSign(x); ok {
		return r // abs, sign, step, relu, max, min, clip, pi: kinks.go
	}
	f, ok := ast.LookupFunc(x.Fn)
	if !ok || !f.Image.Known {
		return anything
	}
	im := f.Image
	if im.Increasing == nil || len(x.Args) != 1 {
		return interval{lo: im.Lo, hi: im.Hi, loOpen: im.LoOpen, hiOpen: im.HiOpen}
	}
	a := s.sign(x.Args[0])
	if a.hi < im.DomLo || a.hi == im.DomLo && (a.hiOpen || !im.DomClosed) {
		return anything // nowhere defined: say nothing
	}
	if a.lo < im.DomLo || a.lo == im.DomLo && !a.loOpen && !im.DomClosed {
		a.lo, a.loOpen = im.DomLo, !im.DomClosed // defined only above the domain's end
	}
	r := a.monotone(im.Increasing, im.Lo, im.Hi)
	// monotone takes the range's ends as open; an end the function
	// attains (sqrt(0) = 0) is closed when the argument reaches it.
	if !im.LoOpen && r.lo == im.Lo {
		r.loOpen = a.loOpen || a.lo > im.DomLo
	}
	if !im.HiOpen && r.hi == im.Hi {
		r.hiOpen = a.hiOpen
	}
	return r.sane()
}
