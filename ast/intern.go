package ast

import (
	"encoding/binary"
	"hash/maphash"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unique"
	"unsafe"
	"weak"
)

// Hash-consing. Each node type has a table from a structural hash of the
// node's content (its kind, attributes and children's IDs, computed
// without building a key) to the one live node with that content; a
// lookup confirms the content, so nodes whose hashes collide are told
// apart. Each table is split into shards by hash, each with its own lock,
// so that goroutines building nodes at once seldom wait for each other.
//
// A shard is an open-addressed array of 8-byte slots (linear probing).
// Nodes are allocated in slabs, arrays of up to slabMax nodes of one
// type, and a slot names its node by its slab's number in the table's
// directory of slab headers and its index there. The table holds the
// slab being filled strongly, and the slabs whose nodes were looked up
// in the current epoch (pin), and every other slab by a weak pointer, so
// unused nodes are collected (a slab once none of its nodes is
// reachable), and a long REPL session or a fuzzing run does not grow the
// tables forever: when a shard's array is three quarters full, it is
// rebuilt with the slots of the live slabs only, at twice their number,
// and the numbers of collected slabs are handed out again once a sweep
// has dropped their slots from every shard (the directory stays the size
// of the live slabs). One weak pointer per slab rather than per node
// matters: making one walks a list of the weak pointers into the same
// span of memory, reading one takes a few loads, and the collector visits
// each of them in every cycle; per node, that was a fifth of the time of
// parsing.
//
// A live node keeps its slab alive, and with it what the slab's other
// nodes refer to. So a slab (and the arrays that children are copied
// into) holds only nodes built one after another: they are the table's,
// not a shard's, and are let go at every collection (see armEpoch). A node
// kept for long keeps some of the nodes built just before and after it,
// not what was built before them: a session that keeps one node of each
// round holds some 30 KB a round, not the rounds (TestInternSlabRetention).

var lastID atomic.Uint64

const shardBits = 4

type table[T any] struct {
	shards [1 << shardBits]shard[T]
	alloc  allocator[T]
	// dir holds the slabs' headers by number, in chunks that never move
	// (grown under alloc.mu by publishing a longer list of chunks), so
	// that a slot names its slab with a number rather than a pointer.
	dir atomic.Pointer[[]*slabChunk[T]]
	// sweepDue asks the next internBy to sweep the table once it has let
	// go of its shard (see sweep).
	sweepDue atomic.Bool
}

type shard[T any] struct {
	mu sync.Mutex
	// slots, a power of two of them (or none before the first node), are
	// the open-addressed array: 0 is an empty slot (see slot).
	slots []uint64
	used  int // slots taken, by live or dead nodes
	// pinned are the numbers of the slabs pin holds for the epoch.
	pinned []uint32
	// names is the unused rest of the array new nodes' names are copied
	// into (no pointers in it, so a live name keeps nothing else alive).
	names []byte
	// keyed holds the nodes interned by key (intern), each weakly.
	keyed     map[key]weak.Pointer[T]
	nextSweep int
}

// A slot is 8 bytes and holds no pointer, so that the arrays are half the
// memory they were with a pointer to the slab's header (fewer cache and
// TLB misses on the probe that starts every lookup, the commonest cost of
// parsing) and the collector never scans them: the low 32 bits of the
// node's hash in the high half, then its slab's number (28 bits, from 1)
// and its index in the slab (slabBits).
//
//	hash bits 63..32 | slab number 31..4 | index 3..0
func slot(h uint64, num uint32, idx uintptr) uint64 {
	return uint64(uint32(h))<<32 | uint64(num)<<slabBits | uint64(idx)
}

const (
	slotTagMask = 0xffff_ffff_0000_0000
	slotNumMask = 1<<(32-slabBits) - 1
	maxSlabNum  = slotNumMask // numbers 1..maxSlabNum
)

func slotNum(sl uint64) uint32 { return uint32(sl>>slabBits) & slotNumMask }

// slabBits is the number of bits of a node's index in its slab.
const slabBits = 4

const indexMask = 1<<slabBits - 1

// chunkBits sets the number of headers in a chunk of a table's directory.
const chunkBits = 8

type slabChunk[T any] [1 << chunkBits]slabHeader[T]

// A slabHeader is the table's hold on a slab, by its first node: strong
// while the slab is being filled, weak always. A header is the entry of
// its number in the table's directory; it is written only when its
// number is handed to a new slab (under alloc.mu, while no slot names the
// number) and when a sweep frees the number (under every lock).
type slabHeader[T any] struct {
	strong atomic.Pointer[T]
	weak   weak.Pointer[T]
	// seen is the last epoch in which the slab was seen alive.
	seen atomic.Uint32
}

// first returns the slab's first node, or nil once it has been collected.
func (h *slabHeader[T]) first() *T {
	if p := h.strong.Load(); p != nil {
		return p
	}
	return h.weak.Value()
}

// header returns the header of slab number num (which is at most the
// last number handed out).
func (t *table[T]) header(num uint32) *slabHeader[T] {
	return &(*t.dir.Load())[num>>chunkBits][num&(1<<chunkBits-1)]
}

// An allocator hands out a table's new nodes from its current slab, and
// their children's arrays from its current array of children, and the
// slabs' numbers.
type allocator[T any] struct {
	mu    sync.Mutex
	cur   []T
	curN  int    // nodes of cur taken
	num   uint32 // cur's number, 0 when there is none
	slabN int    // the length of the last slab made
	kids  []Expr
	kidsN int // the length of the last array of children made
	// idNext is the last ID handed out of the block of IDs that ends at
	// idEnd (taken from lastID).
	idNext, idEnd uint64
	// free lists the numbers a sweep found dead; next is the lowest
	// never handed out.
	free []uint32
	next uint32
	// made counts the numbers handed out since the last sweep, which is
	// due once they are as many as the numbers in use after it (live).
	made, live int
}

const (
	// idBlock is how many IDs an allocator takes from lastID at once.
	idBlock  = 64
	minSlots = 8
	slabMin  = 4             // a table's first slab: a small command builds few nodes
	slabMax  = 1 << slabBits // a live node keeps at most slabMax-1 others of its slab
	kidsMin  = 16
	kidsMax  = 64
	minSweep = 512 // for keyed
	// sweepMin is the fewest slabs made between two sweeps of a table.
	sweepMin = 256
)

var (
	tables struct {
		mu  sync.Mutex
		all []interface{ retire() }
	}
	// epoch counts collections (see armEpoch).
	epoch atomic.Uint32
	armed atomic.Bool
)

func newTable[T any]() *table[T] {
	t := &table[T]{}
	for i := range t.shards {
		t.shards[i].nextSweep = minSweep
	}
	t.alloc.next = 1
	t.dir.Store(new([]*slabChunk[T]))
	tables.mu.Lock()
	tables.all = append(tables.all, t)
	tables.mu.Unlock()
	return t
}

// epochSentinel is an object that nothing keeps: it dies in every
// collection, and its cleanup retires the current slabs and makes the
// next sentinel, so that a slab holds only nodes built between two
// collections.
type epochSentinel struct{ _ *int }

// Collections returns how many collections the intern tables have seen
// end. Once it has moved past a value read before runtime.GC, that
// collection's cleanup has let go of the slabs it pinned, and the next
// collection frees those no live node is in: memory tests wait on it
// rather than on a pause, which a loaded machine can outlast.
func Collections() uint32 { return epoch.Load() }

func armEpoch() {
	runtime.AddCleanup(&epochSentinel{}, func(struct{}) {
		epoch.Add(1)
		retireAll()
		armEpoch()
	}, struct{}{})
}

// internBy returns the live node with hash h for which same holds, or
// makes one with build, stores it and returns it. build gets the node to
// fill in, its ID and a copy of kids that the node may keep.
func internBy[T any](t *table[T], h uint64, kids []Expr, same func(*T) bool, build func(n *T, id uint64, kids []Expr, names *[]byte)) *T {
	s := &t.shards[h>>(64-shardBits)]
	s.mu.Lock()
	if s.slots == nil {
		s.slots = make([]uint64, minSlots)
		if !armed.Swap(true) {
			armEpoch()
		}
	}
	mask := len(s.slots) - 1
	tag := uint64(uint32(h)) << 32
	at := -1 // where a new node goes: a dead node's slot, or the empty one
	i := int(uint32(h)) & mask
	for n := 0; ; n++ {
		if n >= window {
			i = OverflowProbe(uint64(uint32(h)), n-window, mask)
		} else if n > 0 {
			i = (i + 1) & mask
		}
		sl := s.slots[i]
		if sl == 0 {
			if at < 0 {
				at = i
			}
			break
		}
		if sl&slotTagMask != tag {
			continue
		}
		if v := s.node(t, sl); v == nil {
			if at < 0 {
				at = i
			}
		} else if same(v) {
			s.mu.Unlock()
			return v
		}
	}
	v, id, num, idx, owned := t.alloc.node(t, kids)
	build(v, id, owned, &s.names)
	if s.slots[at] == 0 {
		s.used++
	}
	s.slots[at] = slot(h, num, idx)
	if 4*s.used >= 3*len(s.slots) {
		s.rebuild(t, nil)
	}
	s.mu.Unlock()
	if t.sweepDue.Load() && t.sweepDue.CompareAndSwap(true, false) {
		t.sweep()
	}
	return v
}

// node returns the node of a slot, or nil once its slab has been
// collected. A slab found through its weak pointer is held strongly
// until the epoch ends (see pin), so that the next lookups of its nodes
// in this epoch need no weak pointer.
func (s *shard[T]) node(t *table[T], sl uint64) *T {
	num := slotNum(sl)
	h := t.header(num)
	p := h.strong.Load()
	if p == nil {
		if p = h.weak.Value(); p == nil {
			return nil
		}
		s.pin(h, num, p)
	}
	// The slab is alive while p is: the node is in the same allocation.
	return (*T)(unsafe.Add(unsafe.Pointer(p), uintptr(sl&indexMask)*unsafe.Sizeof(*p)))
}

// node returns a fresh node of the current slab, starting a new slab when
// it is full, with its ID, its slab's number and its index, and a copy of
// kids that later changes to the caller's slice cannot reach. IDs are
// taken from lastID a block at a time, under the lock already held: one
// atomic add per node less (IDs are unique, never ordered).
func (a *allocator[T]) node(t *table[T], kids []Expr) (*T, uint64, uint32, uintptr, []Expr) {
	a.mu.Lock()
	if a.idNext == a.idEnd {
		a.idEnd = lastID.Add(idBlock)
		a.idNext = a.idEnd - idBlock
	}
	a.idNext++
	id := a.idNext
	if a.curN == len(a.cur) {
		if a.num != 0 {
			t.header(a.num).strong.Store(nil)
		}
		n := max(slabMin, min(slabMax, 2*a.slabN))
		a.cur, a.curN, a.slabN = make([]T, n), 0, n
		a.num = a.number(t)
		h := t.header(a.num)
		h.weak = weak.Make(&a.cur[0])
		h.seen.Store(0)
		h.strong.Store(&a.cur[0])
	}
	i := a.curN
	a.curN++
	v, num := &a.cur[i], a.num
	var owned []Expr
	switch n := len(kids); {
	case n == 0:
	case n > kidsMin:
		owned = make([]Expr, n)
		copy(owned, kids)
	default:
		if n > len(a.kids) {
			a.kidsN = max(kidsMin, min(kidsMax, 2*a.kidsN))
			a.kids = make([]Expr, a.kidsN)
		}
		owned = a.kids[:n:n]
		a.kids = a.kids[n:]
		copy(owned, kids)
	}
	a.mu.Unlock()
	return v, id, num, uintptr(i), owned
}

// number returns a slab number no slot names: a freed one, or the next
// (the directory grown by a chunk when it has no header for it). A sweep
// is due once the numbers handed out since the last one are as many as
// were in use after it.
func (a *allocator[T]) number(t *table[T]) uint32 {
	a.made++
	if a.made >= max(sweepMin, a.live) {
		t.sweepDue.Store(true)
	}
	if n := len(a.free); n > 0 {
		num := a.free[n-1]
		a.free = a.free[:n-1]
		return num
	}
	num := a.next
	if num > maxSlabNum {
		// 2^28 slabs alive at once are 4 billion nodes: memory runs out
		// long before.
		panic("ast: too many live nodes for the intern tables")
	}
	a.next++
	dir := *t.dir.Load()
	if int(num>>chunkBits) == len(dir) {
		grown := append(dir[:len(dir):len(dir)], new(slabChunk[T]))
		t.dir.Store(&grown)
	}
	return num
}

// pin holds slab num (first node p) strongly until the epoch ends, when
// retire lets go of it: a slab whose nodes are looked up lives until the
// collection after the one it would have died in, no longer. Reading a
// weak pointer costs a look at the span it points into, a cache miss or
// two; a file of definitions parsed again finds each of its slabs'
// sixteen nodes once. The shard's lock is held.
func (s *shard[T]) pin(h *slabHeader[T], num uint32, p *T) {
	if h.strong.CompareAndSwap(nil, p) {
		s.pinned = append(s.pinned, num)
	}
}

// retire lets go of the slab being filled and the array of children (the
// nodes built from now on go to new ones), and of the slabs pinned.
func (t *table[T]) retire() {
	a := &t.alloc
	a.mu.Lock()
	if a.num != 0 {
		t.header(a.num).strong.Store(nil)
	}
	a.cur, a.curN, a.num, a.kids = nil, 0, 0, nil
	a.mu.Unlock()
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		for _, num := range s.pinned {
			t.header(num).strong.Store(nil)
		}
		s.pinned = s.pinned[:0]
		s.mu.Unlock()
	}
}

// rebuild makes the slots anew with the nodes of the live slabs only, at
// twice their number (amortised over the insertions that filled the
// array, O(1) each). dead, when non-nil, tells the slab numbers to drop
// (a sweep's); otherwise a slab is dropped when its header finds it
// collected.
func (s *shard[T]) rebuild(t *table[T], dead []bool) {
	now := epoch.Load()
	alive := func(num uint32) bool {
		if dead != nil {
			return !dead[num]
		}
		h := t.header(num)
		// A slab seen alive in this epoch is alive still, or has died in
		// a collection that has not ended the epoch yet: kept for now,
		// its slots are dead ones, dropped next time.
		if h.seen.Load() == now {
			return true
		}
		if h.first() == nil {
			return false
		}
		h.seen.Store(now)
		return true
	}
	live := 0
	for i, sl := range s.slots {
		if sl != 0 {
			if alive(slotNum(sl)) {
				live++
			} else {
				s.slots[i] = 0
			}
		}
	}
	n := minSlots
	for n < 2*live {
		n *= 2
	}
	if n == len(s.slots) && live == s.used {
		return // nothing to drop, and the right size
	}
	slots := make([]uint64, n)
	mask := n - 1
	for _, sl := range s.slots {
		if sl == 0 {
			continue
		}
		t := uint64(sl >> 32)
		i := int(t) & mask
		for n := 1; slots[i] != 0; n++ {
			// As internBy probes.
			if n >= window {
				i = OverflowProbe(t, n-window, mask)
			} else {
				i = (i + 1) & mask
			}
		}
		slots[i] = sl
	}
	s.slots, s.used = slots, live
}

// Where a node's slot is. A shard's array is probed linearly from the
// slot the low bits of the node's tag (the low 32 bits of its hash) name,
// for window slots; past them (all taken) the probe goes on at places
// OverflowProbe draws from the whole tag, one after another, to the first
// empty slot. A lookup stops at the first empty slot of that sequence,
// and slots are emptied only by a rebuild, which places every slot again
// the same way: so a node is found wherever it was put.
//
// For a node with children, the low bits of the tag are mostly its newest
// child's ID (near), so that nodes built in the order of their children
// (a file of definitions, read again) are probed in the order of the
// array, a few to a cache line and many to a page, not at random: the
// random slot's load was four fifths of the lookups' own time. So the
// array has dense runs, as long as a file. The window bounds what a run
// costs a lookup that starts in it; past the window, places drawn anew
// for each probe see the array as a whole, whatever its runs: each is
// taken with a chance of at most the array's load, under 3/4, so a
// probe goes on past g of them with a chance under (3/4)^g, beside the
// nodes whose tag is its own (they share the sequence). A linear chain
// from one overflow place, as before, walked along a run to its end: 660
// slots in TestInternNearHotChild when run with the rest of the package.
const window = 8

// OverflowProbe returns the k-th place (k from 0), in an array of mask+1
// slots, of the probe that goes on past a full window for the tag t:
// splitmix64's finaliser of t and k, so that the places are as if drawn
// at random, apart for every tag and every k (a single multiply-xorshift
// step would make them an arithmetic progression in k, one step for
// all). The use table of the parser probes the same way.
func OverflowProbe(t uint64, k, mask int) int {
	x := t ^ uint64(k)<<32 ^ 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return int((x^x>>31)>>32) & mask
}

// Of the low 32 bits of a node's hash (its tag), near gives nearBits to
// its newest child's ID, nearShift of whose low bits are dropped (several
// IDs to a slot: a shard of a table sees a fraction of them), and the
// rest to bits of the node's own structural hash, which its slot carries
// with the rest of the tag: they tell apart the nodes of one child in
// their tags and in their overflow places, which come from the whole
// tag, so that nodes of one child share a sequence only when their 16
// bits agree (with 20 bits of ID and 12 of their own, one in 4,096 did).
// A home needs no more near bits than a shard's array has slots (2^16 is
// a shard of about 40,000 nodes; past that, runs keep their order within
// stretches of 2^16 slots).
const (
	nearBits  = 16
	nearShift = 3
)

// NameDigits splits a name into a hash of the rest of its spelling
// (FNV-1a over the bytes that are not digits) and the number its digits
// make (digits reports whether it has any): names that differ only in
// their digits are placed by that number, here and in the parser's table
// of uses.
func NameDigits(name string) (skel, num uint32, digits bool) {
	skel = 2166136261
	for i := 0; i < len(name); i++ {
		if c := name[i]; '0' <= c && c <= '9' {
			num, digits = num*10+uint32(c-'0'), true
		} else {
			skel = (skel ^ uint32(c)) * 16777619
		}
	}
	return skel, num, digits
}

// nearName returns h, the hash of a symbol named name, with its low 32
// bits placed as near places a node with children, by name's digits: a
// file of definitions names its inputs with numbers in the order it
// goes (y1, x_1_1, ..., y2, x_2_1, ...), so names of one spelling but for
// the digits are placed by the number the digits make, from a place the
// rest of the name chooses. A name without digits keeps h.
func nearName(h uint64, name string) uint64 {
	skel, num, digits := NameDigits(name)
	if !digits {
		return h
	}
	low := (skel+num>>nearShift)&(1<<nearBits-1) | uint32(h)<<nearBits
	return h&^0xffff_ffff | uint64(low)
}

// near returns h with its low 32 bits placed by newest, the largest ID of
// the node's children (h itself when it has none), moved by up to
// nearJitter slots by bits of h: the nodes that share their newest child
// (x^k for every k, from a derivative or a simplification: the numbers
// are older than x) then start their probes at places of their own, not
// all at the one place, where they filled the window and every lookup
// of them probed it to its end and went on at drawn places (2% of the
// instructions of W4 at N = 100, in the lookups of quotients and powers).
// The nodes of a file read in order stay as near each other (a few
// cache lines).
func near(h, newest uint64) uint64 {
	if newest == 0 {
		return h
	}
	// The jitter comes from bits of h above the tag, below the shard's.
	jitter := uint32(h>>32) & (1<<nearJitterBits - 1)
	low := (uint32(newest>>nearShift)+jitter)&(1<<nearBits-1) | uint32(h)<<nearBits
	return h&^0xffff_ffff | uint64(low)
}

// nearJitterBits sets how far near moves a node from its newest child's
// place: 2^nearJitterBits slots.
const nearJitterBits = 5

// sweep frees the numbers of the slabs that have been collected, for new
// slabs to take, so that the directory stays as large as the live slabs
// need however long the session: every shard is rebuilt without the
// slots that name them first (no slot may name a number handed out
// again). It holds every lock of the table, shards first, then the
// allocator's (the order internBy takes them in); its cost is the
// table's size, amortised over the slabs made since the last sweep, as
// many as were alive after it.
func (t *table[T]) sweep() {
	for i := range t.shards {
		t.shards[i].mu.Lock()
	}
	a := &t.alloc
	a.mu.Lock()
	dead := make([]bool, a.next)
	for _, num := range a.free {
		dead[num] = true // no slot names it: nothing to drop
	}
	var found []uint32
	for num := uint32(1); num < a.next; num++ {
		if !dead[num] && num != a.num && t.header(num).first() == nil {
			dead[num] = true
			found = append(found, num)
		}
	}
	for i := range t.shards {
		if s := &t.shards[i]; s.slots != nil && len(found) > 0 {
			s.rebuild(t, dead)
		}
	}
	for _, num := range found {
		h := t.header(num)
		h.weak = weak.Pointer[T]{}
		h.seen.Store(0)
	}
	a.free = append(a.free, found...)
	a.made, a.live = 0, int(a.next-1)-len(a.free)
	a.mu.Unlock()
	for i := range t.shards {
		t.shards[i].mu.Unlock()
	}
}

// retireAll retires the current slab of every table.
func retireAll() {
	tables.mu.Lock()
	all := tables.all
	tables.mu.Unlock()
	for _, t := range all {
		t.retire()
	}
}

// A key is a node's content spelled out in strings: the older way of
// interning, kept for node types not yet given a structural hash and a
// comparison (intern rather than internBy).
type key struct {
	op   uint8
	s    string // name, function, variable or number
	kids string // the children's IDs, 8 bytes each
}

func ids(es ...Expr) string {
	b := make([]byte, 8*len(es))
	for i, e := range es {
		binary.LittleEndian.PutUint64(b[8*i:], e.ID())
	}
	return string(b)
}

// intern returns the live node for k, or stores and returns the one build
// makes. Its nodes are few (conditions), and each is held weakly.
func intern[T any](t *table[T], k key, build func(id uint64) *T) *T {
	h := mix(mix(maphash.String(nameSeed, k.s), uint64(k.op)), maphash.String(nameSeed, k.kids))
	s := &t.shards[h>>(64-shardBits)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.keyed[k]; ok {
		if v := w.Value(); v != nil {
			return v
		}
	}
	v := build(lastID.Add(1))
	if s.keyed == nil {
		s.keyed = make(map[key]weak.Pointer[T])
	}
	s.keyed[k] = weak.Make(v)
	if len(s.keyed) >= s.nextSweep {
		// Amortised over the insertions that doubled the map, O(1) each.
		for k, w := range s.keyed {
			if w.Value() == nil {
				delete(s.keyed, k)
			}
		}
		s.nextSweep = max(minSweep, 2*len(s.keyed))
	}
	return v
}

// size returns the number of entries, live or not yet swept (for tests).
func (t *table[T]) size() int {
	n := 0
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		n += s.used + len(s.keyed)
		s.mu.Unlock()
	}
	return n
}

// The structural hash. Node kinds start from distinct seeds; names are
// hashed with maphash, children by their IDs, numbers by their value.
var nameSeed = maphash.MakeSeed()

const (
	hNum uint64 = iota + 1
	hSym
	hIndex
	hNeg
	hAdd
	hMul
	hDiv
	hPow
	hCall
	hSum
	hIverson
	hDeriv
	hMatOp
)

// mix folds v into the hash h (a multiply-xorshift step, as in splitmix64).
func mix(h, v uint64) uint64 {
	h = (h ^ v) * 0xbf58476d1ce4e5b9
	return h ^ h>>31
}

func hashName(h uint64, name string) uint64 { return mix(h, maphash.String(nameSeed, name)) }

func hashKids(h uint64, kids []Expr) uint64 {
	var newest uint64
	for _, k := range kids {
		id := k.ID()
		h = mix(h, id)
		newest = max(newest, id)
	}
	return near(mix(h, uint64(len(kids))), newest)
}

func hashNumber(v Number) uint64 {
	if v.rat == nil {
		if v.den != 0 { // a small fraction
			return mix(mix(hNum^2, uint64(v.small)), uint64(v.den))
		}
		return mix(hNum, uint64(v.small))
	}
	h := mix(hNum^1, uint64(v.rat.Sign()+1))
	for _, w := range v.rat.Num().Bits() {
		h = mix(h, uint64(w))
	}
	h = mix(h, 0x5bd1e995) // between numerator and denominator
	for _, w := range v.rat.Denom().Bits() {
		h = mix(h, uint64(w))
	}
	return h
}

// sameKids reports whether a and b hold the same nodes. Most lists are
// short (a product of two, a call's argument): they are compared word
// by word here, as interface values that hold pointers (a comparison of
// interfaces calls the runtime); longer ones a block at a time.
func sameKids(a, b []Expr) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) > 8 {
		return SharedFront(a, b) == len(a)
	}
	wa, wb := words(a), words(b)
	for i := range wa {
		if wa[i] != wb[i] {
			return false
		}
	}
	return true
}

var (
	numTable   = newTable[Num]()
	symTable   = newTable[Sym]()
	indexTable = newTable[Index]()
	negTable   = newTable[Neg]()
	addTable   = newTable[Add]()
	mulTable   = newTable[Mul]()
	divTable   = newTable[Div]()
	powTable   = newTable[Pow]()
	callTable  = newTable[Call]()
	sumTable   = newTable[Sum]()
	derivTable = newTable[Deriv]()
	iverTable  = newTable[Iverson]()
	matTable   = newTable[MatOp]()
)

// tableSizes returns the number of entries of each table (for tests).
func tableSizes() []int {
	return []int{numTable.size(), symTable.size(), indexTable.size(), negTable.size(), addTable.size(), mulTable.size(),
		divTable.size(), powTable.size(), callTable.size(), sumTable.size(), derivTable.size(), iverTable.size(), matTable.size()}
}

// smallNums are kept alive for ever: they are everywhere. They are made
// once, in one block, and never enter numTable (NewNum returns them before
// looking there), so they cost no weak pointer and no lookup.
const smallNums = 64

// smallNumTable is initialised before the package's variables that call
// NewNum (Zero, One, ...), which refer to it.
var smallNumTable = makeSmallNums()

func makeSmallNums() (t [2*smallNums + 1]*Num) {
	// The nodes are data (smallnums.go) with the first IDs, which this,
	// the first use of lastID, takes; else they are built here.
	if lastID.Add(2*smallNums+1) == 2*smallNums+1 {
		return smallNumPtrs
	}
	block := new([2*smallNums + 1]Num)
	for i := range block {
		block[i] = Num{node: header(lastID.Add(1)), Value: Int(int64(i - smallNums))}
		t[i] = &block[i]
	}
	return t
}

// header computes size and height from the children.
func header(id uint64, kids ...Expr) node {
	size, h := int64(1), 0
	var flags uint8
	for _, k := range kids {
		flags |= k.header().flags
		size += k.Size()
		if size > MaxSize {
			size = MaxSize
		}
		h = max(h, k.Height())
	}
	return node{id: id, size: size, height: int32(h + 1), flags: flags}
}

func internNum(v Number) *Num {
	return internBy(numTable, hashNumber(v), nil, func(n *Num) bool { return n.Value.same(v) }, func(n *Num, id uint64, _ []Expr, _ *[]byte) {
		*n = Num{node: header(id), Value: v}
	})
}

func internSym(name string) *Sym {
	return internBy(symTable, nearName(hashName(hSym, name), name), nil, func(n *Sym) bool { return n.Name == name }, func(n *Sym, id uint64, _ []Expr, names *[]byte) {
		// A copy: the name is often a substring of a parsed input, which
		// it would otherwise keep alive for as long as the node lives.
		*n = Sym{node: header(id), Name: cloneIn(names, name)}
		n.flags |= flagName
	})
}

func internIndex(name string, indices []Expr) *Index {
	h := hashKids(hashName(hIndex, name), indices)
	return internBy(indexTable, h, indices, func(n *Index) bool { return n.Name == name && sameKids(n.Indices, indices) }, func(n *Index, id uint64, kids []Expr, _ *[]byte) {
		*n = Index{node: header(id, kids...), Name: ownName(name), Indices: kids}
		n.flags |= flagName
	})
}

func internNeg(x Expr) *Neg {
	xi := x.ID()
	return internBy(negTable, near(mix(hNeg, xi), xi), nil, func(n *Neg) bool { return n.X == x }, func(n *Neg, id uint64, _ []Expr, _ *[]byte) {
		*n = Neg{node: header(id, x), X: x}
	})
}

func internAdd(terms []Expr) *Add {
	return internBy(addTable, hashKids(hAdd, terms), terms, func(n *Add) bool { return sameKids(n.Terms, terms) }, func(n *Add, id uint64, kids []Expr, _ *[]byte) {
		*n = Add{node: header(id, kids...), Terms: kids}
	})
}

func internMul(factors []Expr) *Mul {
	return internBy(mulTable, hashKids(hMul, factors), factors, func(n *Mul) bool { return sameKids(n.Factors, factors) }, func(n *Mul, id uint64, kids []Expr, _ *[]byte) {
		*n = Mul{node: header(id, kids...), Factors: kids}
	})
}

func internDiv(x, y Expr) *Div {
	xi, yi := x.ID(), y.ID()
	return internBy(divTable, near(mix(mix(hDiv, xi), yi), max(xi, yi)), nil, func(n *Div) bool { return n.X == x && n.Y == y }, func(n *Div, id uint64, _ []Expr, _ *[]byte) {
		*n = Div{node: header(id, x, y), X: x, Y: y}
	})
}

func internPow(x, y Expr) *Pow {
	xi, yi := x.ID(), y.ID()
	return internBy(powTable, near(mix(mix(hPow, xi), yi), max(xi, yi)), nil, func(n *Pow) bool { return n.X == x && n.Y == y }, func(n *Pow, id uint64, _ []Expr, _ *[]byte) {
		*n = Pow{node: header(id, x, y), X: x, Y: y}
		if b, ok := x.(*Num); ok && b.Value.IsZero() {
			if e, ok := y.(*Num); ok && e.Value.Sign() < 0 {
				n.flags |= flagZeroInverse
			}
		}
	})
}

func internCall(fn string, args []Expr) *Call {
	h := hashKids(hashName(hCall, fn), args)
	return internBy(callTable, h, args, func(n *Call) bool { return n.Fn == fn && sameKids(n.Args, args) }, func(n *Call, id uint64, kids []Expr, _ *[]byte) {
		*n = Call{node: header(id, kids...), Fn: ownName(fn), Args: kids}
		if _, ok := ShadowedName(fn); ok {
			n.flags |= flagShadow
		}
	})
}

func internSum(op SumOp, v string, lo, hi, body Expr) *Sum {
	li, hi_, bi := lo.ID(), hi.ID(), body.ID()
	h := near(mix(mix(mix(mix(hashName(hSum, v), uint64(op)), li), hi_), bi), max(li, hi_, bi))
	same := func(n *Sum) bool { return n.Op == op && n.Var == v && n.Lo == lo && n.Hi == hi && n.Body == body }
	return internBy(sumTable, h, nil, same, func(n *Sum, id uint64, _ []Expr, _ *[]byte) {
		*n = Sum{node: header(id, lo, hi, body), Op: op, Var: ownName(v), Lo: lo, Hi: hi, Body: body}
		n.flags |= flagSum
	})
}

func internIverson(args []Expr) *Iverson {
	return internBy(iverTable, hashKids(hIverson, args), args, func(n *Iverson) bool { return sameKids(n.Args, args) }, func(n *Iverson, id uint64, kids []Expr, _ *[]byte) {
		*n = Iverson{node: header(id, kids...), Args: kids}
		n.flags |= flagIverson
	})
}

func internDeriv(x, wrt Expr) *Deriv {
	xi, wi := x.ID(), wrt.ID()
	return internBy(derivTable, near(mix(mix(hDeriv, xi), wi), max(xi, wi)), nil, func(n *Deriv) bool { return n.X == x && n.Wrt == wrt }, func(n *Deriv, id uint64, _ []Expr, _ *[]byte) {
		*n = Deriv{node: header(id, x, wrt), X: x, Wrt: wrt}
		n.flags |= flagDeriv
	})
}

func internMatOp(kind MatKind, args []Expr) *MatOp {
	return internBy(matTable, hashKids(mix(hMatOp, uint64(kind)), args), args, func(n *MatOp) bool { return n.Kind == kind && sameKids(n.Args, args) }, func(n *MatOp, id uint64, kids []Expr, _ *[]byte) {
		*n = MatOp{node: header(id, kids...), Kind: kind, Args: kids}
	})
}

// namesLen is the length of the arrays names are copied into.
const namesLen = 512

// cloneIn returns a copy of name, carved out of *buf (made anew when
// it is too short): one allocation for many short names.
func cloneIn(buf *[]byte, name string) string {
	n := len(name)
	switch {
	case n == 0:
		return ""
	case n > namesLen/8:
		return strings.Clone(name)
	case n > len(*buf):
		*buf = make([]byte, namesLen)
	}
	b := (*buf)[:n:n]
	*buf = (*buf)[n:]
	copy(b, name)
	return unsafe.String(&b[0], n)
}

// ownName returns name as a string of its own, never a substring of a
// parsed input (which a node would keep alive): a built-in function's
// name from the table, any other through unique, which copies it once
// and shares the copy.
func ownName(name string) string {
	if f, ok := funcByName[name]; ok && f.Name == name {
		return f.Name
	}
	return unique.Make(name).Value()
}

// clone copies a caller's slice so that later changes to it cannot reach
// the node.
func clone(es []Expr) []Expr {
	if len(es) == 0 {
		return nil
	}
	return append([]Expr(nil), es...)
}
