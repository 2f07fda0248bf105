package ast

// A NodeMap maps nodes to values by the nodes' IDs, in an open-addressed
// table: a walk over a DAG whose nodes are shared many times (the 999
// factors (x + k) of each of the thousand products of d/dx
// (x+1)...(x+1000) are a thousand nodes met a million times) looks a node
// up in a few nanoseconds, where a map keyed by the interface hashes it
// through its type. IDs are never reused (every interned node takes the
// next), so equal IDs are the same node. The map holds IDs, not nodes: it
// keeps no key alive. The zero value is empty and ready to use; a NodeMap
// is not safe for concurrent use.
type NodeMap[V any] struct {
	keys []uint64 // the IDs; 0 is a free slot (IDs start at 1)
	vals []V
	n    int
}

func nodeSlot(id uint64, mask int) int { return int((id*0x9E3779B97F4A7C15)>>32) & mask }

// Get returns the value stored for k and whether there is one.
func (m *NodeMap[V]) Get(k Expr) (V, bool) {
	if m.n == 0 {
		var zero V
		return zero, false
	}
	id, mask := k.ID(), len(m.keys)-1
	for i := nodeSlot(id, mask); ; i = (i + 1) & mask {
		switch m.keys[i] {
		case id:
			return m.vals[i], true
		case 0:
			var zero V
			return zero, false
		}
	}
}

// Put stores v for k.
func (m *NodeMap[V]) Put(k Expr, v V) {
	if 4*(m.n+1) > 3*len(m.keys) {
		m.grow()
	}
	id, mask := k.ID(), len(m.keys)-1
	for i := nodeSlot(id, mask); ; i = (i + 1) & mask {
		switch m.keys[i] {
		case id:
			m.vals[i] = v
			return
		case 0:
			m.keys[i], m.vals[i] = id, v
			m.n++
			return
		}
	}
}

// Len is the number of nodes stored.
func (m *NodeMap[V]) Len() int { return m.n }

func (m *NodeMap[V]) grow() {
	size := max(2*len(m.keys), 16) // small walks (a command's one expression) stay small
	keys, vals := m.keys, m.vals
	m.keys, m.vals = make([]uint64, size), make([]V, size)
	mask := size - 1
	for j, id := range keys {
		if id == 0 {
			continue
		}
		i := nodeSlot(id, mask)
		for m.keys[i] != 0 {
			i = (i + 1) & mask
		}
		m.keys[i], m.vals[i] = id, vals[j]
	}
}
