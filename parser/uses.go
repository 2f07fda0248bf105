package parser

import (
	"hash/maphash"
	"sync/atomic"
	"unsafe"

	"github.com/symdiff/symdiff/ast"
)

// A useTable maps the free names of an input to their uses (lowerer.uses).
// A file of definitions brings a few new names a line, so the table holds
// every name of the file and most lookups miss. A map[string]use did
// that with 48-byte slots, 3 MB for a MiB of input, each miss a cache
// miss: a fifth of the lowering of W7. Here a slot is 8 bytes (part of
// the name's hash and the index of its record), so that the slots of a
// MiB's names fit in the larger caches, and the records, appended in
// order, are read only when the hashes agree.
//
// The records hold no pointer (their names are copied into one array of
// bytes, their nodes kept in nodes), so that the collector, which runs
// while a long input is read, scans one word a name, not the three of a
// name and two nodes, and copying them as they grow needs no write
// barrier.
type useTable struct {
	slots []uint64 // hash>>32<<32 | record index + 1; 0 is an empty slot
	recs  []useRec // in the order the names were added
	names []byte   // the records' names, one after another
	// nodes holds each record's node, by the record's index: its symbol
	// or its indexed use (use.sym, use.idx, as useRec.node says), one
	// word each.
	nodes []unsafe.Pointer
	taken int // slots taken, by live or deleted records
	live  int // records not deleted
	gets  int // calls of getAt (for tests)
}

// A useRec is a name, by its place in useTable.names, and its use but
// the node; a deleted record has no name (no name is empty).
type useRec struct {
	off, n  uint32 // the name is names[off:off+n]
	at      int32
	indices int32 // use.n
	indexed bool
	node    uint8 // what nodes holds for it: useNone, useSym or useIndex
}

const (
	useNone uint8 = iota
	useSym
	useIndex
)

// name returns the name of r.
func (t *useTable) name(r *useRec) string {
	return unsafe.String(unsafe.SliceData(t.names[r.off:]), r.n)
}

// use returns the use of record k.
func (t *useTable) use(k int) use {
	r := &t.recs[k]
	u := use{indexed: r.indexed, n: r.indices, at: r.at}
	switch r.node {
	case useSym:
		u.sym = (*ast.Sym)(t.nodes[k])
	case useIndex:
		u.idx = (*ast.Index)(t.nodes[k])
	}
	return u
}

// put makes u the use of record k (whose name is set).
func (t *useTable) put(k int, u use) {
	r := &t.recs[k]
	r.at, r.indices, r.indexed = u.at, u.n, u.indexed
	// A use holds one node or none (a scalar's symbol, an indexed use).
	switch {
	case u.sym != nil && u.idx != nil:
		panic("parser: a use with a symbol and an index")
	case u.sym != nil:
		r.node, t.nodes[k] = useSym, unsafe.Pointer(u.sym)
	case u.idx != nil:
		r.node, t.nodes[k] = useIndex, unsafe.Pointer(u.idx)
	default:
		r.node, t.nodes[k] = useNone, nil
	}
}

var useSeed = maphash.MakeSeed()

// newUseTable returns a table sized for about n names (its records
// too, so that a long input's are not copied as they grow). A long
// input's table (n from pooledUses up) is taken from usePool when one is
// there, emptied: a MiB of input needs 1.7 MB of them, a fifth of what
// its parse allocates, all of it dropped when the parse ends.
func newUseTable(n int) *useTable {
	size := 8
	for 3*size < 4*n {
		size *= 2
	}
	if n >= pooledUses && !noUsePool {
		if t := usePool.Swap(nil); t != nil {
			usePoolReused.Add(1)
			t.reset(size, n)
			return t
		}
	}
	return &useTable{slots: make([]uint64, size), recs: make([]useRec, 0, n), nodes: make([]unsafe.Pointer, 0, n), names: make([]byte, 0, 8*n)}
}

// A table is kept for the next parse (release) when it was made for
// pooledUses names or more (a long input: a short one's costs little) and
// holds at most keptUses records (what is kept lives on: a few MB at most).
const (
	pooledUses = 1024
	keptUses   = 1 << 16
)

// usePool holds the table of a long input parsed before, emptied of its
// nodes (release): one, not a sync.Pool, which every collection empties,
// and a MiB's parse allocates enough to run one or two.
var usePool atomic.Pointer[useTable]

// noUsePool, set by tests, makes every table anew; usePoolReused counts
// the tables taken from the pool (for tests).
var (
	noUsePool     bool
	usePoolReused atomic.Int64
)

// reset empties t, taken from usePool, for a new input of about n names
// with slots for them: every slot empty, no record, no name.
func (t *useTable) reset(size, n int) {
	if cap(t.slots) < size || cap(t.slots) > 4*size {
		t.slots = make([]uint64, size)
	} else {
		t.slots = t.slots[:size]
		clear(t.slots)
	}
	if cap(t.recs) < n {
		t.recs, t.nodes, t.names = make([]useRec, 0, n), make([]unsafe.Pointer, 0, n), make([]byte, 0, 8*n)
	}
	t.recs, t.nodes, t.names = t.recs[:0], t.nodes[:0], t.names[:0]
	t.taken, t.live, t.gets = 0, 0, 0
}

// release gives a long input's table back to usePool once its parse has
// ended (nothing reads it after): its nodes are dropped first, so that
// the pool keeps no tree alive.
func (t *useTable) release() {
	if t == nil || cap(t.recs) < pooledUses || cap(t.recs) > keptUses || noUsePool {
		return
	}
	clear(t.nodes[:cap(t.nodes)])
	usePool.Store(t)
}

// find returns the slot of name's record (its slot holds a live record),
// or the empty slot where the name would go, and the hash.
func (t *useTable) find(name string) (int, uint64) {
	h := maphash.String(useSeed, name)
	tag := h >> 32 << 32
	mask := len(t.slots) - 1
	i := home(name, h) & mask
	for n := 0; ; n++ {
		if n >= useWindow {
			i = ast.OverflowProbe(h, n-useWindow, mask)
		} else if n > 0 {
			i = (i + 1) & mask
		}
		s := t.slots[i]
		if s == 0 {
			return i, h
		}
		if s&^0xffffffff == tag {
			if r := &t.recs[s&0xffffffff-1]; r.n != 0 && t.name(r) == name {
				return i, h
			}
		}
	}
}

// get returns the use of name, if any.
func (t *useTable) get(name string) (use, bool) {
	i, _ := t.find(name)
	if s := t.slots[i]; s != 0 {
		return t.use(int(s&0xffffffff - 1)), true
	}
	return use{}, false
}

// A usePlace is where get found a name, or where it would go: add
// takes it, so that a name new to the input is hashed and looked for
// once.
type usePlace struct {
	i int
	h uint64
}

// getAt is get, and the name's place.
func (t *useTable) getAt(name string) (use, bool, usePlace) {
	t.gets++
	i, h := t.find(name)
	if s := t.slots[i]; s != 0 {
		return t.use(int(s&0xffffffff - 1)), true, usePlace{i, h}
	}
	return use{}, false, usePlace{i, h}
}

// set makes u the use of name.
func (t *useTable) set(name string, u use) {
	i, h := t.find(name)
	if s := t.slots[i]; s != 0 {
		t.put(int(s&0xffffffff-1), u)
		return
	}
	t.add(usePlace{i, h}, name, u)
}

// add adds name, which getAt did not find at p, with the table unchanged
// since.
func (t *useTable) add(p usePlace, name string, u use) {
	i, h := p.i, p.h
	if name == "" {
		return // no use of the empty name is kept (no name is empty)
	}
	t.recs = append(t.recs, useRec{off: uint32(len(t.names)), n: uint32(len(name))})
	t.names = append(t.names, name...)
	t.nodes = append(t.nodes, nil)
	t.put(len(t.recs)-1, u)
	t.slots[i] = h>>32<<32 | uint64(len(t.recs))
	t.taken++
	t.live++
	if 4*t.taken >= 3*len(t.slots) {
		t.rebuild()
	}
}

// del deletes the use of name, if any. Its slot stays taken until the
// next rebuild (a later name may have probed past it).
func (t *useTable) del(name string) {
	i, _ := t.find(name)
	if s := t.slots[i]; s != 0 {
		k := s&0xffffffff - 1
		t.recs[k], t.nodes[k] = useRec{}, nil
		t.live--
	}
}

// rebuild makes the slots anew for the live records, at least twice
// their number, and drops the deleted records. The records, nodes and
// names are compacted in place (a record only moves down, its name
// too), so that a rebuild costs the records added since the last one
// plus the live ones: definitions in reverse order (a0 := a1 + 1, a1 :=
// a2 + 1, ...) define each name right after its use, so few records
// live, the slots stay small and are rebuilt every few names; copying
// into new arrays of the records' whole capacity made that quadratic.
func (t *useTable) rebuild() {
	size := 8
	for size < 2*t.live || 4*t.live >= 3*size {
		size *= 2
	}
	recs, nodes, names := t.recs[:0], t.nodes[:0], t.names[:0]
	for k, r := range t.recs {
		if r.n != 0 {
			off := len(names)
			names = append(names, t.names[r.off:r.off+r.n]...) // copy: a move down
			r.off = uint32(off)
			recs, nodes = append(recs, r), append(nodes, t.nodes[k])
		}
	}
	clear(t.nodes[len(nodes):]) // no node kept alive by a dropped record
	t.slots, t.recs, t.nodes, t.names, t.taken = make([]uint64, size), recs, nodes, names, len(recs)
	mask := size - 1
	for k := range recs {
		name := t.name(&recs[k])
		h := maphash.String(useSeed, name)
		i := home(name, h) & mask
		for n := 1; t.slots[i] != 0; n++ {
			// As find probes.
			if n >= useWindow {
				i = ast.OverflowProbe(h, n-useWindow, mask)
			} else {
				i = (i + 1) & mask
			}
		}
		t.slots[i] = h>>32<<32 | uint64(k+1)
	}
}

// A name's record is looked for from its home slot, for useWindow slots,
// and past them (all taken) at places drawn from its hash, one after
// another (ast.OverflowProbe, as the intern tables do), to the first
// empty slot; a lookup stops at the first empty slot of that sequence,
// and slots are emptied only by a rebuild, which places them again the
// same way. The homes of numbered names make dense runs: drawn places,
// unlike a linear chain from one overflow place, do not walk along them
// (each is taken with a chance of at most the load, under 3/4).
//
// A file of definitions brings its new names in the order of their
// numbers (y1, x_1_1, ..., y2, x_2_1, ...): home places a name with
// digits by the number they make, from a place the rest of its spelling
// chooses, so that a new name's probe (most lookups miss) lands next to
// the last one's, not at random in an array of a megabyte. The window
// bounds what names of one place cost (x_1, x_01, x_001, ...).
const useWindow = 8

// home returns where name's probe starts (before the mask): by its
// digits, two slots to a number (consecutive numbers fill half the
// slots of their stretch), or by its hash h if it has none.
func home(name string, h uint64) int {
	skel, num, digits := ast.NameDigits(name)
	if !digits {
		return int(h >> 32)
	}
	return int(skel + 2*num)
}

// len returns the number of names with a use.
func (t *useTable) len() int { return t.live }
