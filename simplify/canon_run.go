package simplify

import "github.com/symdiff/symdiff/ast"

// Runs of long products. The derivative of (x+1)(x+2)…(x+n) is a sum of
// n products of n-1 factors, each the one before it with one factor put
// back and the next left out; canonicalising them one by one looks each
// of the n^2 factor references up in the memo, checks it and compares it
// with its neighbour. runMul canonicalises such a product from the last
// one it did instead: the factors the two share at the front and at the
// back (a comparison of pointers each) keep the canonical forms and the
// checks found for them, and only the factors in between are worked on.

// minRun is the fewest factors of a product that runMul takes: on a
// shorter one, the general path costs little.
const minRun = 32

// A factorRun is the last product runMul canonicalised: its factors as
// given, their canonical forms (the product's factors, in order), and
// where the two differ.
type factorRun struct {
	raw []ast.Expr // the product's own factors (an interned node's: never modified)
	out []ast.Expr // their canonical forms, in a list of the canonicaliser's own
	// diffLo and diffHi are the first and last index at which out and
	// raw differ: len(raw) and -1 when they do not.
	diffLo, diffHi int
	// dep: canonicalising a factor took a step that depends on the mode
	// (see share_pass.go), in this product or in one it took factors
	// from: a product that takes factors from it inherits it.
	dep   bool
	epoch uint32 // the simplifier's epoch when it was made
}

// runMul returns mul's canonical form of the product x, and true, when
// every factor of x, canonicalised, is a factor that mul keeps as it is
// and passes straight through (runFactor), and their bases strictly
// increase in baseOrder: then mul's fast path (sortedDistinct, then
// mulFinish with no number, every exponent 1 and nothing rebased, merged
// or sorted) makes the product of those factors in that order, and enters
// it in mulFixed (see there). It reports false, having changed nothing but
// the memo, otherwise, and when full expansion distributes (mulFinish
// would), while sums are being canonicalised (the memo's keys then depend
// on the indices in scope), or after the simplifier stopped.
func (c *canon) runMul(x *ast.Mul) (ast.Expr, bool) {
	raw := x.Factors
	n := len(raw)
	if n < minRun || c.reference || c.expand == expandFull || len(c.s.scope) > 0 || c.s.stopped() {
		return nil, false
	}
	// Taken while in use: canonicalising a factor may come back here for
	// a product inside it, which then starts a run of its own.
	prev, out := c.run, c.runSpare
	c.run, c.runSpare = factorRun{}, nil
	if prev.raw == nil {
		prev.diffLo, prev.diffHi = 0, -1
	}
	L := len(prev.raw)
	p, s := ast.SharedEnds(raw, prev.raw)
	if cap(out) < n {
		out = make([]ast.Expr, 0, n)
	}
	out = append(out[:0], prev.out[:p]...)
	midLo, midHi := -1, -1 // the first and last index in the middle at which the canonical form differs
	ok := true
	for i := p; i < n-s; i++ {
		f := raw[i]
		if _, isMul := f.(*ast.Mul); isMul {
			ok = false // a nested product is flattened first
			break
		}
		g := c.expr(f)
		if !runFactor(g) || len(out) > 0 && !c.s.baseOrder.less(out[len(out)-1], g, baseOrder) {
			ok = false
			break
		}
		if g != f {
			if midLo < 0 {
				midLo = i
			}
			midHi = i
		}
		out = append(out, g)
	}
	if ok && s > 0 && p < n-s {
		// The middle's last factor against the back's first. (With nothing
		// in the middle, the front and the back are in order: both are
		// parts of the last product's factors, the front before the back.)
		ok = c.s.baseOrder.less(out[n-s-1], prev.out[L-s], baseOrder)
	}
	if !ok || c.s.stopped() {
		clear(out)
		c.run, c.runSpare = prev, out[:0]
		return nil, false
	}
	if p+s > 0 && (prev.dep || prev.epoch != c.s.epoch) {
		c.dep = true // the factors taken from the last product were found so
	}
	out = append(out, prev.out[L-s:]...)
	lo, hi := ast.RunDiffs(prev.diffLo, prev.diffHi, L, n, p, s, midLo, midHi, out, raw)
	var r ast.Expr = x // no factor changed: x itself, as mulOf returns orig
	if lo >= 0 {
		r = ast.NewMul(out...) // interned with a copy of its own
	} else {
		lo = n
	}
	if m, isMul := r.(*ast.Mul); isMul && len(m.Factors) >= minMulFixed {
		c.mulFixed[m] = true
	}
	if prev.out != nil {
		clear(prev.out[:cap(prev.out)]) // keep no nodes alive
	}
	c.run, c.runSpare = factorRun{raw: raw, out: out, diffLo: lo, diffHi: hi, dep: c.dep, epoch: c.s.epoch}, prev.out[:0]
	if p+s > 0 {
		c.runHits[1]++
	} else {
		c.runHits[0]++
	}
	return r, true
}

// runFactor reports whether mul keeps the canonical factor g as it is,
// with exponent 1 and nothing taken out of it: not a number (folded into
// the coefficient), a product (flattened), a power (its exponent may be
// added to, or change its base), an exp call (merged with the others) or
// a sum with a content other than 1 (pulled out).
func runFactor(g ast.Expr) bool {
	switch x := g.(type) {
	case *ast.Num, *ast.Mul, *ast.Pow:
		return false
	case *ast.Call:
		return x.Fn != "exp"
	case *ast.Add:
		k, _ := primitive(x)
		return k.IsOne()
	}
	return true
}
