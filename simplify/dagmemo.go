package simplify

import "github.com/symdiff/symdiff/ast"

// A dagMemo maps nodes to results for a walk over a DAG whose nodes are
// shared many times (see ast.NodeMap): its table starts small and
// doubles, so a command's one small expression touches a few hundred
// bytes, not a table sized for the thousand products of d/dx Π(x+k).
type dagMemo struct{ m ast.NodeMap[ast.Expr] }

func newDagMemo() *dagMemo { return &dagMemo{} }

func (m *dagMemo) get(k ast.Expr) (ast.Expr, bool) { return m.m.Get(k) }

func (m *dagMemo) put(k, v ast.Expr) { m.m.Put(k, v) }

// memoGet and memoPut are the canonicaliser's memo: by ID (ast.NodeMap) for a
// node outside the sums being canonicalised, else keyed by the node and
// the ranges of the indices in scope. An entry found says, in c.dep, whether
// the pass after this one may take it as its own (see share_pass.go).
func (c *canon) memoGet(k memoKey) (ast.Expr, bool) {
	if k.ctx == "" {
		v, ok := c.fast.Get(k.e)
		if ok && (v.epoch == 0 || v.epoch != c.s.epoch) {
			c.dep = true
		}
		return v.r, ok
	}
	r, ok := c.memo[k]
	if ok {
		c.dep = true
	}
	return r, ok
}

// memoPut enters r for k; epoch is the simplifier's epoch when the
// expansion pass gives r too, else 0 (see share_pass.go).
func (c *canon) memoPut(k memoKey, r ast.Expr, epoch uint32) {
	if k.ctx == "" {
		c.fast.Put(k.e, memoVal{r: r, epoch: epoch})
		return
	}
	if c.memo == nil {
		c.memo = map[memoKey]ast.Expr{}
	}
	c.memo[k] = r
}

// memoPutResult enters r as its own canonical form. An entry that already
// says so and that the next pass may take is kept as it is: one
// computation showed that the pass gives r for r.
func (c *canon) memoPutResult(r ast.Expr, epoch uint32) {
	k := c.s.key(r)
	if epoch == 0 && c.track && k.ctx == "" {
		if v, ok := c.fast.Get(r); ok && v.r == r && v.epoch != 0 && v.epoch == c.s.epoch {
			return
		}
	}
	c.memoPut(k, r, epoch)
}

// memoTables are the tables of canonicalisers' memos that are done
// with, for the next simplification's (ast.TablePool).
var memoTables ast.TablePool[memoVal]

// memoTables2 are those of the other modes' canonicalisers, whose memos
// are smaller (the second pass takes most of its results from the
// first's): a pool of their own, so that each takes back a table of its
// size.
var memoTables2 ast.TablePool[memoVal]

// releaseMemos gives the tables of s's canonicalisers' memos back for the
// next simplification, once s has given its result: a later use of s
// (writing out a derivation) starts from empty memos, which only costs
// it the work they would have saved.
func (s *Simplifier) releaseMemos() {
	for m, c := range s.canons {
		if m == expandNone {
			c.fast.Release(&memoTables)
		} else {
			c.fast.Release(&memoTables2)
		}
		c.memo = nil
	}
	s.baseOrder.next.Release(&orderTables)
	s.baseOrder.last = nil
}

// orderTables are the tables of the caches of ordered bases that are
// done with (see releaseMemos).
var orderTables ast.TablePool[uint64]

// A memoVal is a canonical form in the memo, and the epoch in which it
// was found to be the expansion pass's too (0: not).
type memoVal struct {
	r     ast.Expr
	epoch uint32
}

// memoLen is the number of expressions the canonicaliser has memoised.
func (c *canon) memoLen() int { return c.fast.Len() + len(c.memo) }

// An orderCache remembers, for a node a, the last node b found to come
// after it in an order (a comparison function that depends on the nodes
// alone): checking that a product is sorted then costs a lookup per pair
// met before, not a comparison. The thousand products of d/dx Π(x+k)
// are the same thousand factors in the same order, each with one left
// out: nearly every pair is met a thousand times. One cache serves one
// order.
type orderCache struct {
	next ast.NodeMap[uint64]
	// last is the last long list sorted found in order: a list that
	// shares its ends with it (ast.SharedEnds) is checked in between only.
	last []ast.Expr
}

// minSortedRun is the fewest elements of a list for which sorted compares
// it with the last one.
const minSortedRun = 32

// less reports whether cmp(a, b) < 0. A nil cache compares.
func (o *orderCache) less(a, b ast.Expr, cmp func(a, b ast.Expr) int) bool {
	if o == nil {
		return cmp(a, b) < 0
	}
	if id, ok := o.next.Get(a); ok && id == b.ID() {
		return true
	}
	if cmp(a, b) < 0 {
		o.next.Put(a, b.ID())
		return true
	}
	return false
}

// sorted reports whether no element of xs comes after the next in cmp's
// order (slices.IsSortedFunc), remembering the strict pairs in o. A long
// xs found sorted is kept, to be compared with the next: it must not be
// modified afterwards (a node's own list).
func (o *orderCache) sorted(xs []ast.Expr, cmp func(a, b ast.Expr) int) bool {
	lo, hi := 1, len(xs) // the pairs (xs[i-1], xs[i]) for i in [lo, hi) are checked
	if len(xs) >= minSortedRun {
		// The pairs within the front and within the back that xs shares
		// with the last sorted list were found in order in it.
		p, s := ast.SharedEnds(xs, o.last)
		lo, hi = max(p, 1), min(len(xs)-s+1, len(xs))
	}
	if !o.sortedPairs(xs, lo, hi, cmp) {
		return false
	}
	if len(xs) >= minSortedRun {
		o.last = xs
	}
	return true
}

func (o *orderCache) sortedPairs(xs []ast.Expr, lo, hi int, cmp func(a, b ast.Expr) int) bool {
	for i := lo; i < hi; i++ {
		a, b := xs[i-1], xs[i]
		if id, ok := o.next.Get(a); ok && id == b.ID() {
			continue
		}
		switch c := cmp(a, b); {
		case c < 0:
			o.next.Put(a, b.ID())
		case c > 0:
			return false
		}
	}
	return true
}

// outScratch returns an empty list of capacity n for the factors
// mulFinish collects: the canonicaliser's own when it is free (mul is
// re-entered through pow, add and distribute, and then each nested call
// makes its own). mulFinish gives it back with giveOut; what it returns
// never holds the list (the products it makes are interned with copies),
// so the thousand lists of a thousand factors of d/dx Π(x+k) are one.
func (c *canon) outScratch(n int) []ast.Expr {
	out := c.outBuf
	c.outBuf = nil
	if cap(out) < n {
		return make([]ast.Expr, 0, n)
	}
	return out[:0]
}

// giveOut takes back a list outScratch gave, emptied (it keeps no nodes
// alive).
func (c *canon) giveOut(out []ast.Expr) {
	clear(out[:cap(out)])
	if cap(out) > cap(c.outBuf) {
		c.outBuf = out[:0]
	}
}

// fastOff turns off the canonicaliser's shortcuts that leave out work
// whose result is known (leafFixed, knownFixed, powOf's orig), for the
// test that compares them with the general path (TestCanonShortcutsAgree).
var fastOff bool

// leafFixed reports that e, a number, a name or an array element, is its
// own canonical form and expr may return it at once, without an entry in
// the memo: expr makes r = e of it, and rewrite then tries the rules of
// e's head (rulesFor), of which there are none (the built-in rules have
// none for numbers and names; a user's equality x == 2 is one). Nothing
// in that depends on the mode, so c.dep is what a computation gives
// (shareEpoch; see share_pass.go). Not under the sums being
// canonicalised (the memo's keys then carry the indices in scope), not
// before the rules of the mode are compiled (rewrite compiles them), and
// not for the reference path.
func (c *canon) leafFixed(e ast.Expr) bool {
	if c.reference || fastOff || len(c.s.scope) > 0 {
		return false
	}
	if c.rules {
		cs := c.s.compiled[c.expand]
		if cs == nil {
			return false
		}
		k := 0
		if _, ok := e.(*ast.Num); ok {
			k = 1
		}
		if c.leafRules[k] == 0 {
			c.leafRules[k] = 2
			if len(rulesFor(cs.m, e)) == 0 {
				c.leafRules[k] = 1
			}
		}
		if c.leafRules[k] != 1 {
			return false
		}
	}
	if c.shareEpoch() == 0 {
		c.dep = true
	}
	c.fastHits[0]++
	return true
}

// knownFixed reports that expr, having made r of e, need not rewrite r:
// the memo says that r is its own canonical form, so rewrite found no
// rule to apply at its root then, and finds none now (rules, mode and
// state are the canonicaliser's, as they were). c.dep is then what the
// memo's entry says, as when expr(r) finds it.
func (c *canon) knownFixed(e, r ast.Expr) bool {
	if r == e || c.reference || fastOff || len(c.s.scope) > 0 {
		return false
	}
	v, ok := c.fast.Get(r)
	if !ok || v.r != r {
		return false
	}
	if v.epoch == 0 || v.epoch != c.s.epoch {
		c.dep = true
	}
	c.fastHits[1]++
	return true
}
