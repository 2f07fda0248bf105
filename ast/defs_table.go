package ast

import "sync/atomic"

// A defTable is a map from names to V whose clones share storage until
// written: a two-level trie of maps, 64 nodes of 64 leaves, copied on
// write node by node and leaf by leaf. `run --jobs 2` takes a snapshot of
// the session's definitions for each statement it runs on the side, and
// the session then defines more names: a snapshot costs 64 pointers and a
// write after it one node (64 pointers and their filters, 1 KiB) and one
// leaf (a 4,096th of the names), not the whole table (which made a script of n statements over
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

// A tableNode holds leaves, each behind a pointer beside its filter, so
// that a write after a snapshot copies 1 KiB here, not the 2.6 KiB of 64
// leaves held in place: W8's batch at --jobs 2 takes a snapshot before
// each of its 200 proofs and then defines five names, and copying and
// allocating those nodes was 3.6% of its CPU, on the goroutine that hands
// out the work. Its owned mask (bit j: leaves[j] is not shared) means
// something only to the one table that owns the node; a shared node is
// never written, only copied.
type tableNode[V any] struct {
	leaves [tableFan]leafRef[V]
	owned  uint64
}

// A leafRef is a leaf (nil while no name fell on it) and its filter:
// present has bit b set when a name of the leaf hashes to b (a one-word
// Bloom filter; deletion leaves the bit). Most lookups are of names never
// defined (a definition's inputs), and the filter answers them from the
// node, without touching the leaf: a cache miss per name in a file of
// thousands of definitions.
type leafRef[V any] struct {
	l       *leaf[V]
	present uint64
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
	if n := t.top[i]; n != nil && n.leaves[j].present&bit != 0 {
		return n.leaves[j].l.get(name)
	}
	var zero V
	return zero, false
}

// A leaf holds the names that fall on it: a short list, or a map once it
// holds more than leafListMax. Most leaves hold a name or two (a file of
// 7,727 definitions puts 1.9 on each leaf it uses), where a map for each
// was 456 bytes of slots and a tenth of all that parsing W7 allocates.
type leaf[V any] struct {
	list []leafEntry[V]
	m    map[string]V
	// one is where list starts: most leaves hold one name, and the leaf
	// and its list are then one allocation, not two.
	one [1]leafEntry[V]
}

type leafEntry[V any] struct {
	name string
	v    V
}

// leafListMax is the most names a leaf holds in its list.
var leafListMax = 8

func (l *leaf[V]) get(name string) (V, bool) {
	if l.m != nil {
		v, ok := l.m[name]
		return v, ok
	}
	for i := range l.list {
		if l.list[i].name == name {
			return l.list[i].v, true
		}
	}
	var zero V
	return zero, false
}

// set makes v the value of name and reports whether name is new.
func (l *leaf[V]) set(name string, v V) bool {
	if l.m != nil {
		_, ok := l.m[name]
		l.m[name] = v
		return !ok
	}
	for i := range l.list {
		if l.list[i].name == name {
			l.list[i].v = v
			return false
		}
	}
	if len(l.list) >= leafListMax {
		l.m = make(map[string]V, 2*len(l.list))
		for _, e := range l.list {
			l.m[e.name] = e.v
		}
		l.list, l.one = nil, [1]leafEntry[V]{} // nothing kept alive in one
		l.m[name] = v
		return true
	}
	if l.list == nil {
		l.list = l.one[:0]
	}
	l.list = append(l.list, leafEntry[V]{name, v})
	if len(l.list) == 2 && &l.list[0] != &l.one[0] {
		l.one = [1]leafEntry[V]{} // moved: nothing kept alive in one
	}
	return true
}

// del deletes name and reports whether it was there.
func (l *leaf[V]) del(name string) bool {
	if l.m != nil {
		_, ok := l.m[name]
		delete(l.m, name)
		return ok
	}
	for i := range l.list {
		if l.list[i].name == name {
			last := len(l.list) - 1
			l.list[i] = l.list[last]
			l.list[last] = leafEntry[V]{} // nothing kept alive past the end
			l.list = l.list[:last]
			return true
		}
	}
	return false
}

// copied returns a copy of l that shares nothing it could write, each
// value passed through clip if it is set; a nil l gives an empty leaf.
func (l *leaf[V]) copied(clip func(V) V) *leaf[V] {
	c := &leaf[V]{}
	if l == nil {
		return c
	}
	if l.m != nil {
		c.m = make(map[string]V, len(l.m)+1)
		for k, v := range l.m {
			if clip != nil {
				v = clip(v)
			}
			c.m[k] = v
		}
		return c
	}
	if len(l.list) == 0 {
		return c
	}
	if len(l.list) == 1 {
		c.one[0] = l.list[0]
		c.list = c.one[:]
		if clip != nil {
			c.list[0].v = clip(c.list[0].v)
		}
		return c
	}
	c.list = make([]leafEntry[V], len(l.list), len(l.list)+1)
	for i, e := range l.list {
		if clip != nil {
			e.v = clip(e.v)
		}
		c.list[i] = e
	}
	return c
}

func (l *leaf[V]) all(f func(name string, v V)) {
	if l.m != nil {
		for k, v := range l.m {
			f(k, v)
		}
		return
	}
	for _, e := range l.list {
		f(e.name, e.v)
	}
}

// writable returns leaf j of node i (where a name falls, by tableSlot),
// the node and the leaf copied first if they are shared.
func (t *defTable[V]) writable(i, j int) *leafRef[V] {
	n := t.top[i]
	if bit := uint64(1) << i; t.owned.Load()&bit == 0 {
		c := &tableNode[V]{} // owns none of the leaves it shares
		if n != nil {
			c.leaves = n.leaves
		}
		t.top[i], n = c, c
		t.owned.Or(bit)
	}
	r := &n.leaves[j]
	if bit := uint64(1) << j; n.owned&bit == 0 {
		r.l = r.l.copied(t.clip)
		n.owned |= bit
	}
	return r
}

// getOwned is get from a leaf this table owns (copied first if shared).
func (t *defTable[V]) getOwned(name string) (V, bool) {
	i, j, _ := tableSlot(name)
	return t.writable(i, j).l.get(name)
}

func (t *defTable[V]) set(name string, v V) {
	i, j, bit := tableSlot(name)
	r := t.writable(i, j)
	if r.l.set(name, v) {
		t.n++
	}
	r.present |= bit
}

func (t *defTable[V]) del(name string) {
	if _, ok := t.get(name); !ok {
		return
	}
	i, j, _ := tableSlot(name)
	t.writable(i, j).l.del(name)
	t.n--
}

func (t *defTable[V]) len() int { return t.n }

// all calls f for every entry, in no particular order.
func (t *defTable[V]) all(f func(name string, v V)) {
	for _, n := range t.top {
		if n == nil {
			continue
		}
		for _, r := range n.leaves {
			if r.l != nil {
				r.l.all(f)
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
