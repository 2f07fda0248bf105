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
// without building a key) to a weak pointer to the one live node with that
// content; a lookup confirms the content, and nodes whose hashes collide
// share an overflow list. Weak pointers let unused nodes be collected, so a
// long REPL session or a fuzzing run does not grow the tables forever;
// entries whose node is gone are swept out whenever a shard has doubled
// since its last sweep (a cleanup per node would cost more than the node).
// Each table is split into shards by hash, each with its own lock, so that
// goroutines building nodes at once seldom wait for each other.

var lastID atomic.Uint64

const shardBits = 4

type table[T any] struct {
	shards [1 << shardBits]shard[T]
}

type shard[T any] struct {
	mu sync.Mutex
	m  map[uint64]slot[T]
	// over holds the nodes whose hash is that of another live node in m.
	over map[uint64][]slot[T]
	// keyed holds the nodes interned by key (intern).
	keyed     map[key]slot[T]
	nextSweep int
}

// A slot is a table's hold on a node: strong while the node is young (just
// built, see young), weak once it has been weakened.
type slot[T any] struct {
	strong *T
	weak   weak.Pointer[T]
}

// get returns the node, or nil once it has been collected.
func (s slot[T]) get() *T {
	if s.strong != nil {
		return s.strong
	}
	return s.weak.Value()
}

func newTable[T any]() *table[T] {
	t := &table[T]{}
	for i := range t.shards {
		// The map is made on the shard's first node: at start-up, 15
		// tables of 16 shards would cost 240 allocations that a small
		// command mostly never uses.
		t.shards[i].nextSweep = minSweep
	}
	return t
}

const minSweep = 512

// internBy returns the live node with hash h for which same holds, or
// stores and returns the one build makes.
func internBy[T any](t *table[T], h uint64, same func(*T) bool, build func(id uint64) *T) *T {
	s := &t.shards[h>>(64-shardBits)]
	s.mu.Lock()
	sl, found := s.m[h]
	if found {
		if v := sl.get(); v != nil {
			if same(v) {
				s.mu.Unlock()
				return v
			}
		} else {
			found = false // a dead entry: the new node can take its place
		}
	}
	if list, ok := s.over[h]; ok {
		for _, sl := range list {
			if v := sl.get(); v != nil && same(v) {
				s.mu.Unlock()
				return v
			}
		}
	}
	v := build(lastID.Add(1))
	if found {
		if s.over == nil {
			s.over = make(map[uint64][]slot[T])
		}
		s.over[h] = append(s.over[h], slot[T]{strong: v})
	} else {
		if s.m == nil {
			s.m = make(map[uint64]slot[T])
		}
		s.m[h] = slot[T]{strong: v}
	}
	if s.entries() >= s.nextSweep {
		s.sweep()
	}
	s.mu.Unlock()
	addYoung(s, h, unsafe.Pointer(v))
	return v
}

// weaken replaces the table's strong hold on the young node p, of hash h,
// by a weak pointer.
func (s *shard[T]) weaken(h uint64, p unsafe.Pointer) {
	v := (*T)(p)
	w := weak.Make(v)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl, ok := s.m[h]; ok && sl.strong == v {
		s.m[h] = slot[T]{weak: w}
		return
	}
	for i, sl := range s.over[h] {
		if sl.strong == v {
			s.over[h][i] = slot[T]{weak: w}
			return
		}
	}
	panic("ast: a young node is missing from its table")
}

// Young nodes. Making a weak pointer costs a walk of the list of the
// weak pointers already made into the node's span of memory, which is
// sorted by address; a span is filled from its low addresses up, so
// making them as nodes are built walks the whole list each time, and a
// walk per node of a span of hundreds of small nodes was a fifth of the
// time of parsing. So a table holds a node strongly at first and logs
// it; the log is weakened in reverse order, newest first, when it is
// full and after every collection, each weak pointer then going to the
// front of its span's list. The log also spares a lookup of a node
// built moments ago (the common repeat: the same subexpression twice in
// a statement) reading a weak pointer. It holds at most youngMax nodes,
// and none for longer than a collection cycle (see armFlush).
type weakener interface {
	weaken(h uint64, p unsafe.Pointer)
}

type youngNode struct {
	p  unsafe.Pointer // the node
	h  uint64         // its hash
	sh weakener       // its shard
}

const youngMax = 4096

var young struct {
	mu    sync.Mutex
	log   []youngNode
	spare []youngNode // a weakened log's memory, for the next
	armed bool        // armFlush has run
}

// addYoung logs the young node p of hash h in the shard sh, and weakens
// the log when it is full.
func addYoung(sh weakener, h uint64, p unsafe.Pointer) {
	young.mu.Lock()
	if !young.armed {
		young.armed = true
		armFlush()
	}
	if young.log == nil {
		young.log, young.spare = young.spare[:0], nil
		if young.log == nil {
			// Grown by append: a small command builds a few nodes, and
			// a log of youngMax would be 128 KB of fresh memory.
			young.log = make([]youngNode, 0, 16)
		}
	}
	young.log = append(young.log, youngNode{p, h, sh})
	var batch []youngNode
	if len(young.log) >= youngMax {
		batch, young.log = young.log, nil
	}
	young.mu.Unlock()
	if batch != nil {
		weakenAll(batch)
	}
}

// flushYoung weakens every logged node.
func flushYoung() {
	young.mu.Lock()
	batch := young.log
	young.log = nil
	young.mu.Unlock()
	weakenAll(batch)
}

// weakenAll weakens the nodes of batch, newest first, then keeps its
// memory for the next log.
func weakenAll(batch []youngNode) {
	if len(batch) == 0 {
		return
	}
	for i := len(batch) - 1; i >= 0; i-- {
		y := &batch[i]
		y.sh.weaken(y.h, y.p)
	}
	clear(batch)
	young.mu.Lock()
	if young.spare == nil {
		young.spare = batch[:0]
	}
	young.mu.Unlock()
}

// flushSentinel is an object that nothing keeps: it dies in every
// collection, and its cleanup weakens the young nodes and makes the next.
type flushSentinel struct{ _ *int }

func armFlush() {
	runtime.AddCleanup(&flushSentinel{}, func(struct{}) {
		flushYoung()
		young.mu.Lock()
		armFlush()
		young.mu.Unlock()
	}, struct{}{})
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
// makes. Its nodes are few (conditions), and weak at once.
func intern[T any](t *table[T], k key, build func(id uint64) *T) *T {
	h := mix(mix(maphash.String(nameSeed, k.s), uint64(k.op)), maphash.String(nameSeed, k.kids))
	s := &t.shards[h>>(64-shardBits)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl, ok := s.keyed[k]; ok {
		if v := sl.get(); v != nil {
			return v
		}
	}
	v := build(lastID.Add(1))
	if s.keyed == nil {
		s.keyed = make(map[key]slot[T])
	}
	s.keyed[k] = slot[T]{weak: weak.Make(v)}
	if s.entries() >= s.nextSweep {
		s.sweep()
	}
	return v
}

func (s *shard[T]) entries() int { return len(s.m) + len(s.over) + len(s.keyed) }

// sweep drops the entries whose node has been collected. Amortised over
// the insertions that doubled the shard, it costs O(1) each.
func (s *shard[T]) sweep() {
	// A fresh map rather than deletes: deleted slots would stay behind as
	// tombstones and lengthen every later probe.
	live := make(map[uint64]slot[T], len(s.m))
	for h, sl := range s.m {
		if sl.get() != nil {
			live[h] = sl
		}
	}
	s.m = live
	var over map[uint64][]slot[T]
	for h, list := range s.over {
		var keep []slot[T]
		for _, sl := range list {
			if sl.get() != nil {
				keep = append(keep, sl)
			}
		}
		if len(keep) > 0 {
			if over == nil {
				over = make(map[uint64][]slot[T])
			}
			over[h] = keep
		}
	}
	s.over = over
	if s.keyed != nil {
		keyed := make(map[key]slot[T], len(s.keyed))
		for k, sl := range s.keyed {
			if sl.get() != nil {
				keyed[k] = sl
			}
		}
		s.keyed = keyed
	}
	s.nextSweep = max(minSweep, 2*s.entries())
}

// size returns the number of entries, live or not yet swept (for tests).
func (t *table[T]) size() int {
	n := 0
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		n += len(s.m) + len(s.keyed)
		for _, list := range s.over {
			n += len(list)
		}
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
	for _, k := range kids {
		h = mix(h, k.ID())
	}
	return mix(h, uint64(len(kids)))
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

func sameKids(a, b []Expr) bool {
	return len(a) == len(b) && SharedFront(a, b) == len(a) // (compared inline: see SharedEnds)
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
	return internBy(numTable, hashNumber(v), func(n *Num) bool { return n.Value.same(v) }, func(id uint64) *Num {
		return &Num{node: header(id), Value: v}
	})
}

func internSym(name string) *Sym {
	return internBy(symTable, hashName(hSym, name), func(n *Sym) bool { return n.Name == name }, func(id uint64) *Sym {
		// A copy: the name is often a substring of a parsed input, which
		// it would otherwise keep alive for as long as the node lives.
		return &Sym{node: header(id), Name: strings.Clone(name)}
	})
}

func internIndex(name string, indices []Expr) *Index {
	h := hashKids(hashName(hIndex, name), indices)
	return internBy(indexTable, h, func(n *Index) bool { return n.Name == name && sameKids(n.Indices, indices) }, func(id uint64) *Index {
		n, kids := withKids[Index](indices)
		*n = Index{node: header(id, indices...), Name: ownName(name), Indices: kids}
		return n
	})
}

func internNeg(x Expr) *Neg {
	return internBy(negTable, mix(hNeg, x.ID()), func(n *Neg) bool { return n.X == x }, func(id uint64) *Neg {
		return &Neg{node: header(id, x), X: x}
	})
}

func internAdd(terms []Expr) *Add {
	return internBy(addTable, hashKids(hAdd, terms), func(n *Add) bool { return sameKids(n.Terms, terms) }, func(id uint64) *Add {
		n, kids := withKids[Add](terms)
		*n = Add{node: header(id, terms...), Terms: kids}
		return n
	})
}

func internMul(factors []Expr) *Mul {
	return internBy(mulTable, hashKids(hMul, factors), func(n *Mul) bool { return sameKids(n.Factors, factors) }, func(id uint64) *Mul {
		n, kids := withKids[Mul](factors)
		*n = Mul{node: header(id, factors...), Factors: kids}
		return n
	})
}

func internDiv(x, y Expr) *Div {
	return internBy(divTable, mix(mix(hDiv, x.ID()), y.ID()), func(n *Div) bool { return n.X == x && n.Y == y }, func(id uint64) *Div {
		return &Div{node: header(id, x, y), X: x, Y: y}
	})
}

func internPow(x, y Expr) *Pow {
	return internBy(powTable, mix(mix(hPow, x.ID()), y.ID()), func(n *Pow) bool { return n.X == x && n.Y == y }, func(id uint64) *Pow {
		n := &Pow{node: header(id, x, y), X: x, Y: y}
		if b, ok := x.(*Num); ok && b.Value.IsZero() {
			if e, ok := y.(*Num); ok && e.Value.Sign() < 0 {
				n.flags |= flagZeroInverse
			}
		}
		return n
	})
}

func internCall(fn string, args []Expr) *Call {
	h := hashKids(hashName(hCall, fn), args)
	return internBy(callTable, h, func(n *Call) bool { return n.Fn == fn && sameKids(n.Args, args) }, func(id uint64) *Call {
		n, kids := withKids[Call](args)
		*n = Call{node: header(id, args...), Fn: ownName(fn), Args: kids}
		if _, ok := ShadowedName(fn); ok {
			n.flags |= flagShadow
		}
		return n
	})
}

func internSum(op SumOp, v string, lo, hi, body Expr) *Sum {
	h := mix(mix(mix(mix(hashName(hSum, v), uint64(op)), lo.ID()), hi.ID()), body.ID())
	same := func(n *Sum) bool { return n.Op == op && n.Var == v && n.Lo == lo && n.Hi == hi && n.Body == body }
	return internBy(sumTable, h, same, func(id uint64) *Sum {
		n := &Sum{node: header(id, lo, hi, body), Op: op, Var: ownName(v), Lo: lo, Hi: hi, Body: body}
		n.flags |= flagSum
		return n
	})
}

func internIverson(args []Expr) *Iverson {
	return internBy(iverTable, hashKids(hIverson, args), func(n *Iverson) bool { return sameKids(n.Args, args) }, func(id uint64) *Iverson {
		n, kids := withKids[Iverson](args)
		*n = Iverson{node: header(id, args...), Args: kids}
		n.flags |= flagIverson
		return n
	})
}

func internDeriv(x, wrt Expr) *Deriv {
	return internBy(derivTable, mix(mix(hDeriv, x.ID()), wrt.ID()), func(n *Deriv) bool { return n.X == x && n.Wrt == wrt }, func(id uint64) *Deriv {
		n := &Deriv{node: header(id, x, wrt), X: x, Wrt: wrt}
		n.flags |= flagDeriv
		return n
	})
}

func internMatOp(kind MatKind, args []Expr) *MatOp {
	return internBy(matTable, hashKids(mix(hMatOp, uint64(kind)), args), func(n *MatOp) bool { return n.Kind == kind && sameKids(n.Args, args) }, func(id uint64) *MatOp {
		n, kids := withKids[MatOp](args)
		*n = MatOp{node: header(id, args...), Kind: kind, Args: kids}
		return n
	})
}

// withKids allocates a node of type T together with the array of its n
// children, a copy of kids (one allocation rather than two, and one
// object for the collector), for the common small n.
func withKids[T any](kids []Expr) (*T, []Expr) {
	switch len(kids) {
	case 1:
		b := &struct {
			n T
			k [1]Expr
		}{k: [1]Expr(kids)}
		return &b.n, b.k[:]
	case 2:
		b := &struct {
			n T
			k [2]Expr
		}{k: [2]Expr(kids)}
		return &b.n, b.k[:]
	case 3:
		b := &struct {
			n T
			k [3]Expr
		}{k: [3]Expr(kids)}
		return &b.n, b.k[:]
	case 4:
		b := &struct {
			n T
			k [4]Expr
		}{k: [4]Expr(kids)}
		return &b.n, b.k[:]
	}
	return new(T), clone(kids)
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
