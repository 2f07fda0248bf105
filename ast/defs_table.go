package ast

import "sync/atomic"

// tableParts is how many parts a defTable is split into. A clone shares
// every part with its original, and either copies a part on its first
// write to it: a `run --jobs 2` takes a snapshot of the session's
// definitions for each statement it runs on the side, and the session
// then defines a name or two, so a snapshot costs 32 pointers and a write
// one part's worth of copying, not the whole table (which made a batch of
// n statements over n definitions cost n²).
const tableParts = 32

// A defTable is a map from names to V whose clones share storage until
// written (copy-on-write by part).
type defTable[V any] struct {
	parts [tableParts]map[string]V
	// owned has bit i set when parts[i] is this table's own: not shared
	// with a clone, so it may be written in place. Clone clears it on
	// both sides; it is atomic so that clones taken at once by readers of
	// one table (allowed, as for any read) do not race.
	owned atomic.Uint32
	n     int
	// clip, if set, is applied to each value of a part copied for a
	// write, so that values which are slices stop sharing spare capacity
	// with the other table (an append must not write where the other
	// side's slice can see).
	clip func(V) V
}

// partOf is the part a name falls in (FNV-1a of the name).
func partOf(name string) int {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h ^= uint32(name[i])
		h *= 16777619
	}
	return int(h % tableParts)
}

func (t *defTable[V]) get(name string) (V, bool) {
	v, ok := t.parts[partOf(name)][name]
	return v, ok
}

// writable returns part i, copied first if it is shared.
func (t *defTable[V]) writable(i int) map[string]V {
	bit := uint32(1) << i
	if t.owned.Load()&bit != 0 {
		return t.parts[i]
	}
	p := make(map[string]V, len(t.parts[i])+1)
	for k, v := range t.parts[i] {
		if t.clip != nil {
			v = t.clip(v)
		}
		p[k] = v
	}
	t.parts[i] = p
	t.owned.Or(bit)
	return p
}

// getOwned is get from a part this table owns (copied first if shared).
func (t *defTable[V]) getOwned(name string) (V, bool) {
	v, ok := t.writable(partOf(name))[name]
	return v, ok
}

func (t *defTable[V]) set(name string, v V) {
	p := t.writable(partOf(name))
	if _, ok := p[name]; !ok {
		t.n++
	}
	p[name] = v
}

func (t *defTable[V]) del(name string) {
	i := partOf(name)
	if _, ok := t.parts[i][name]; !ok {
		return
	}
	delete(t.writable(i), name)
	t.n--
}

func (t *defTable[V]) len() int { return t.n }

// all calls f for every entry, in no particular order.
func (t *defTable[V]) all(f func(name string, v V)) {
	for _, p := range t.parts {
		for k, v := range p {
			f(k, v)
		}
	}
}

// shareInto makes c share t's parts: neither owns any part any more.
func (t *defTable[V]) shareInto(c *defTable[V]) {
	t.owned.Store(0)
	c.parts, c.n, c.clip = t.parts, t.n, t.clip
	c.owned.Store(0)
}

// newUsers returns an empty users index (see Defs.users): its values are
// lists that both sides of a clone append to, clipped when a part is
// copied.
func newUsers() *defTable[[]string] {
	return &defTable[[]string]{clip: func(v []string) []string { return v[:len(v):len(v)] }}
}
