package ast

import "sync"

// A TablePool keeps the tables of NodeMaps that a walk is done with, for
// the next walk's NodeMap of about the same size: a simplification's memo
// (W4's hundred terms: a table of 1,024 slots, 32 KB) was a third of the
// bytes it allocated, and the garbage collector's work grows with them.
// A table is cleared when it is given back, so the pool keeps no node
// alive; the pool itself is emptied by the garbage collector, as any
// sync.Pool. Safe for concurrent use; a NodeMap itself is not.
type TablePool[V any] struct{ p sync.Pool }

type nodeTable[V any] struct {
	keys []uint64
	vals []V
}

// maxPooled is the largest table (in slots) a pool keeps: a larger one
// is left to the garbage collector, so that one large walk does not keep
// megabytes for walks that do not need them.
const maxPooled = 1 << 14

// reserveSize is the table size Reserve makes for n nodes.
func reserveSize(n int) int {
	size := 16
	for 3*size < 4*(n+1) {
		size *= 2
	}
	return size
}

// ReserveFrom is Reserve, with the table taken from p when p holds one
// of at least the size Reserve makes and at most four times it (or 1,024
// slots): a memo that grew past its reservation last time comes back at
// the size it grew to, without growing again.
func (m *NodeMap[V]) ReserveFrom(p *TablePool[V], n int) {
	if m.n > 0 || n <= 0 {
		return
	}
	size := reserveSize(n)
	if size <= len(m.keys) {
		return
	}
	if t, ok := p.p.Get().(*nodeTable[V]); ok {
		if len(t.keys) >= size && len(t.keys) <= max(4*size, 1024) {
			m.keys, m.vals = t.keys, t.vals
			return
		}
		p.p.Put(t)
	}
	m.keys, m.vals = make([]uint64, size), make([]V, size)
}

// Release empties m and gives its table to p, cleared.
func (m *NodeMap[V]) Release(p *TablePool[V]) {
	keys, vals := m.keys, m.vals
	*m = NodeMap[V]{}
	if len(keys) == 0 || len(keys) > maxPooled {
		return
	}
	clear(keys)
	clear(vals)
	p.p.Put(&nodeTable[V]{keys, vals})
}
