package ast

import "sync/atomic"

// A defTable is a map from names to V whose clones share storage until
// written: a two-level trie of maps, 64 nodes of 64 leaves, copied on
// write node by node and leaf by leaf. `run --jobs 2` takes a snapshot of
// the session's definitions for each statement it runs on the side, and
// the session then defines more names: a snapshot costs 64 pointers and a
// write after it one node (64 pointers) and one leaf (a 4,096th of the
// names), not the whole table (which made a script of n statements over
// n definitions cost n², and 32 parts still n²/32 once ~50 definitions
// fell between two snapshots).
type defTable[V any] struct {
	top [tableFan]*tableNode[V]
	// owned has bit i set when top[i] is this table's own: not shared
	// with a clone, so it may be written in place. Clone clears it on
	// both sides; it is atomic so that clones taken at once by readers of
	// one table (allowed, as for any read) do not race.
	owned atomic.Uint64
	n     int
	// clip, if set, is applied to each value of a leaf copied for a
	// write, so that values which are slices stop sharing spare capacity
	// with the other table (an append must not write where the other
	// side's slice can see).
	clip func(V) V
}

// tableFan is the number of nodes of a defTable and of leaves of a node.
const tableFan = 64

// A tableNode holds leaves. Its owned mask (bit j: leaves[j] is not
// shared) means something only to the one table that owns the node; a
// shared node is never written, only copied.
type tableNode[V any] struct {
	leaves [tableFan]map[string]V
	owned  uint64
	// present[j] has bit b set when a name of leaves[j] hashes to b (a
	// one-word Bloom filter; deletion leaves the bit): most lookups are of
	// names never defined (a definition's inputs), and the filter answers
	// them without touching the leaf's map, a cache miss per name in a
	// file of thousands of definitions.
	present [tableFan]uint64
}

// tableSlot is where a name falls: its node, its leaf and its bit in the
// leaf's filter (FNV-1a of the name).
func tableSlot(name string) (i, j int, bit uint64) {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h ^= uint32(name[i])
		h *= 16777619
	}
	return int(h % tableFan), int(h / tableFan % tableFan), 1 << (h / (tableFan * tableFan) % 64)
}

func (t *defTable[V]) get(name string) (V, bool) {
	i, j, bit := tableSlot(name)
	if n := t.top[i]; n != nil && n.present[j]&bit != 0 {
		v, ok := n.leaves[j][name]
		return v, ok
	}
	var zero V
	return zero, false
}

// writable returns leaf j of node i (where a name falls, by tableSlot),
// the node and the leaf copied first if they are shared.
func (t *defTable[V]) writable(i, j int) map[string]V {
	n := t.top[i]
	if bit := uint64(1) << i; t.owned.Load()&bit == 0 {
		c := &tableNode[V]{} // owns none of the leaves it shares
		if n != nil {
			c.leaves, c.present = n.leaves, n.present
		}
		t.top[i], n = c, c
		t.owned.Or(bit)
	}
	if bit := uint64(1) << j; n.owned&bit == 0 {
		p := make(map[string]V, len(n.leaves[j])+1)
		for k, v := range n.leaves[j] {
			if t.clip != nil {
				v = t.clip(v)
			}
			p[k] = v
		}
		n.leaves[j] = p
		n.owned |= bit
	}
	return n.leaves[j]
}

// getOwned is get from a leaf this table owns (copied first if shared).
func (t *defTable[V]) getOwned(name string) (V, bool) {
	i, j, _ := tableSlot(name)
	v, ok := t.writable(i, j)[name]
	return v, ok
}

func (t *defTable[V]) set(name string, v V) {
	i, j, bit := tableSlot(name)
	p := t.writable(i, j)
	if _, ok := p[name]; !ok {
		t.n++
	}
	p[name] = v
	t.top[i].present[j] |= bit // the node is this table's own (writable)
}

func (t *defTable[V]) del(name string) {
	if _, ok := t.get(name); !ok {
		return
	}
	i, j, _ := tableSlot(name)
	delete(t.writable(i, j), name)
	t.n--
}

func (t *defTable[V]) len() int { return t.n }

// all calls f for every entry, in no particular order.
func (t *defTable[V]) all(f func(name string, v V)) {
	for _, n := range t.top {
		if n == nil {
			continue
		}
		for _, p := range n.leaves {
			for k, v := range p {
				f(k, v)
			}
		}
	}
}

// shareInto makes c share t's nodes: neither owns any node any more.
func (t *defTable[V]) shareInto(c *defTable[V]) {
	t.owned.Store(0)
	c.top, c.n, c.clip = t.top, t.n, t.clip
	c.owned.Store(0)
}

// newUsers returns an empty users index (see Defs.users): its values are
// lists that both sides of a clone append to, clipped when a part is
// copied.
func newUsers() *defTable[[]string] {
	return &defTable[[]string]{clip: func(v []string) []string { return v[:len(v):len(v)] }}
}
