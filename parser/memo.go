package parser

import (
	"hash/maphash"

	"github.com/symdiff/symdiff/ast"
)

// A loss written out repeats its subexpressions within a statement:
// y*log(sigma(z)) + (1 - y)*log(1 - sigma(z)) lowers z, a sum of
// products, twice, and finds the second time every node it built the
// first. The lowerer keeps the calls and parentheses of the statement
// being lowered by their text, and a second occurrence of the same text
// is the node of the first, without lowering it again: the same text in
// the same statement, with no parameter, summation index, where name or
// rule variable in scope (which could give its names another meaning),
// lowers to the same node, and everything lowering it checks or records
// (uses of names, their places for Statement.PosOf) was done the first
// time. Lowering with every check (lowerer.full) keeps no memo, which
// is what the tests compare it with.

const (
	memoSlots = 64 // entries, a power of two
	memoWays  = 4  // the slots a text may take, from its hash on
	// memoMin and memoMax bound the texts kept: a short one costs as
	// little to lower as to look up, and a long one's hash would be paid
	// again by every call it is nested in (sin(sin(...)) 10,000 deep).
	memoMin = 8
	memoMax = 256
)

// A memoTable holds the lowered calls and parentheses of one statement,
// by the hash of their text; entries of an earlier statement (gen) are
// empty.
type memoTable struct {
	e    [memoSlots]memoEntry
	gen  uint32
	hits int // for tests
}

type memoEntry struct {
	h      uint64
	off, n int32 // the text, in the input
	gen    uint32
	x      ast.Expr
}

var memoSeed = maphash.MakeSeed()

// clear empties the table, for the next statement.
func (m *memoTable) clear() {
	m.gen++
	if m.gen == 0 { // wrapped: no entry may look current
		m.e = [memoSlots]memoEntry{}
		m.gen = 1
	}
}

// memoOK reports whether a call or parenthesis ending at end (0: not
// known) may be looked up in the memo and kept there: nothing in scope
// could make its text mean something else at another place of the
// statement.
func (lw *lowerer) memoOK(end int32) bool {
	return end > 0 && !lw.full && !lw.pattern && lw.allowed == nil && lw.named == nil && lw.later == nil && len(lw.locals) == 0 && lw.memo.gen != 0
}

// memoized returns the text from off to end and its hash, and the node
// of an earlier occurrence of it, if any; ok is false for a text the
// memo does not keep.
func (lw *lowerer) memoized(off, end int32) (text string, h uint64, x ast.Expr, ok bool) {
	if off < 0 || int(end) > len(lw.src) || end-off < memoMin || end-off > memoMax {
		return "", 0, nil, false
	}
	text = lw.src[off:end]
	h = maphash.String(memoSeed, text)
	m := &lw.memo
	for i := range memoWays {
		e := &m.e[(int(h)+i)&(memoSlots-1)]
		if e.gen == m.gen && e.h == h && int(e.n) == len(text) && lw.src[e.off:e.off+e.n] == text {
			m.hits++
			return text, h, e.x, true
		}
	}
	return text, h, nil, true
}

// remember keeps x as the node of text (at off, hash h): in a free slot
// of its ways, or in place of the first.
func (m *memoTable) remember(h uint64, off int32, text string, x ast.Expr) {
	slot := &m.e[int(h)&(memoSlots-1)]
	for i := range memoWays {
		if e := &m.e[(int(h)+i)&(memoSlots-1)]; e.gen != m.gen {
			slot = e
			break
		}
	}
	*slot = memoEntry{h: h, off: off, n: int32(len(text)), gen: m.gen, x: x}
}

// memoCall is lw.call(n), through the memo.
func (lw *lowerer) memoCall(n *callNode) (ast.Expr, error) {
	text, h, x, ok := lw.memoized(n.at.off, n.end)
	if x != nil {
		lw.recorded = true // at its first occurrence
		return x, nil
	}
	x, err := lw.call(n)
	if err == nil && ok {
		lw.memo.remember(h, n.at.off, text, x)
	}
	return x, err
}

// memoParen is the lowering of the parenthesis n, through the memo.
func (lw *lowerer) memoParen(n *parenNode) (ast.Expr, error) {
	text, h, x, ok := lw.memoized(n.at.off, n.end)
	if x != nil {
		return x, nil
	}
	x, err := lw.expr(n.x)
	if err == nil && ok {
		lw.memo.remember(h, n.at.off, text, x)
	}
	return x, err
}
