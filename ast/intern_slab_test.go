package ast

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestInternKidsOwned: a node's children are a copy of the caller's slice,
// for every count (small ones share an array with other nodes' children,
// large ones have their own), so that changing the slice afterwards
// changes nothing, and the same children give the same node again.
func TestInternKidsOwned(t *testing.T) {
	for n := 2; n <= 80; n++ {
		terms := make([]Expr, n)
		want := make([]Expr, n)
		for i := range terms {
			terms[i] = NewSym(fmt.Sprintf("k%d_%d", n, i))
			want[i] = terms[i]
		}
		a := NewAdd(terms...).(*Add)
		m := NewMul(terms...).(*Mul)
		for i := range terms {
			terms[i] = One // the caller reuses its buffer
		}
		for i := range want {
			if a.Terms[i] != want[i] || m.Factors[i] != want[i] {
				t.Fatalf("n=%d: child %d of the node is %s, want %s: the node shares the caller's slice", n, i, Sexpr(a.Terms[i]), Sexpr(want[i]))
			}
		}
		if len(a.Terms) != n || cap(a.Terms) != n {
			t.Fatalf("n=%d: the node's children have len %d cap %d: an append would reach another node's", n, len(a.Terms), cap(a.Terms))
		}
		if NewAdd(want...) != Expr(a) {
			t.Fatalf("n=%d: the same children gave a second node", n)
		}
	}
}

// TestInternSlabRetention: nodes are allocated in slabs, and a live node
// keeps its slab (and what the slab's other nodes refer to) alive. A
// session that keeps one node of every round, as one that keeps each
// round's definition does, must not keep the rounds: the live heap after
// many rounds stays far below what they built.
func TestInternSlabRetention(t *testing.T) {
	if raceEnabled {
		t.Skip("heap figures under -race mean nothing")
	}
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		// The bound is for the runtime's own pacing: at GOGC=5 a slab
		// can be caught mid-fill more often (about 50 KB a kept node).
		t.Skip("the retention bound is measured with the default GC pacing; GOGC or GOMEMLIMIT is set")
	}
	const rounds, perRound = 300, 2000
	var kept []Expr
	round := func(r int) {
		var last Expr
		for i := range perRound {
			v := int64(r)*1_000_000 + int64(i) + 10_000
			e := NewAdd(NewMul(NewInt(v), NewIndex("rt", NewInt(v))), NewCall("sigma", NewSym(fmt.Sprintf("r%d_%d", r, i))))
			last = NewPow(e, NewNeg(NewInt(v)))
		}
		kept = append(kept, last)
		runtime.GC() // a few statements per collection
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for r := range 20 {
		round(r)
	}
	before := heap()
	for r := 20; r < rounds; r++ {
		round(r)
	}
	after := heap()
	// A round builds about 10 nodes per i, some 2 MB; keeping every round
	// would be 500 MB. A kept node keeps its slab-mates and what they refer to, some 30 KB.
	perKept := float64(int64(after)-int64(before)) / float64(rounds-20)
	t.Logf("live heap %.1f MiB, then %.1f MiB after %d more rounds: %.0f bytes per kept node", float64(before)/(1<<20), float64(after)/(1<<20), rounds-20, perKept)
	if perKept > 48<<10 {
		t.Errorf("each kept node keeps %.0f bytes alive: slabs keep what their dead nodes refer to", perKept)
	}
	runtime.KeepAlive(kept)
}

// TestInternChurn: random nodes built, dropped and rebuilt across
// collections and retired slabs are one node exactly while one of them is
// alive, and the tables shrink back once they are all garbage.
func TestInternChurn(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	runtime.GC()
	runtime.GC()
	base := liveNodes()
	kept := map[int64]Expr{}
	build := func(v int64) Expr {
		return NewMul(NewInt(v+100), NewSym(fmt.Sprintf("c%d", v%37)), NewIndex("ch", NewInt(v%1000+100)))
	}
	for step := range 60_000 {
		v := int64(r.IntN(20_000))
		e := build(v)
		if k, ok := kept[v]; ok && k != e {
			t.Fatalf("step %d: a node kept alive was built again as another: %s", step, Sexpr(e))
		}
		if r.IntN(3) == 0 {
			kept[v] = e
		}
		switch r.IntN(5000) {
		case 0:
			runtime.GC()
		case 1:
			retireAll()
		case 2:
			clear(kept)
		}
	}
	for v, k := range kept {
		if build(v) != k {
			t.Fatalf("a kept node is not found again: %s", Sexpr(k))
		}
	}
	clear(kept)
	// Fresh nodes until the tables have rebuilt past the garbage.
	for i := range 50_000 {
		_ = build(int64(i) + 1_000_000)
		if i%10_000 == 0 {
			runtime.GC()
		}
	}
	runtime.GC()
	for i := range 50_000 {
		_ = build(int64(i) + 2_000_000)
	}
	if n := liveNodes() - base; n > 200_000 {
		t.Errorf("the tables hold %d entries more than at the start with nothing kept: they do not shrink", n)
	}
}

// TestInternNamesCopied: a symbol's name is a copy (short ones share an
// array with other names) that keeps its spelling when the caller's bytes
// change, for names of every length.
func TestInternNamesCopied(t *testing.T) {
	var syms []*Sym
	var want []string
	for i := range 3000 {
		spelled := fmt.Sprintf("nc%d_%s", i, strings.Repeat("q", i%100))
		buf := []byte(spelled)
		syms = append(syms, NewSym(unsafe.String(&buf[0], len(buf))))
		want = append(want, spelled)
		for j := range buf {
			buf[j] = '!' // the caller reuses its buffer
		}
	}
	for i, s := range syms {
		if s.Name != want[i] {
			t.Fatalf("symbol %d is named %q, want %q", i, s.Name, want[i])
		}
		if NewSym(want[i]) != s {
			t.Fatalf("%s is not found again", want[i])
		}
	}
}

// TestInternNearCollisions: hashes that differ only in the bits a slot
// gives to the node's index, or only in the bits that pick the shard, are
// still told apart by content, and each node is found again.
func TestInternNearCollisions(t *testing.T) {
	tab := newTable[Sym]()
	get := func(h uint64, name string) *Sym {
		return internBy(tab, h, nil, func(n *Sym) bool { return n.Name == name }, func(n *Sym, id uint64, _ []Expr, _ *[]byte) {
			*n = Sym{node: header(id), Name: name}
		})
	}
	hashes := []uint64{}
	for k := range uint64(40) {
		hashes = append(hashes, 0x5000|k)       // low bits only
		hashes = append(hashes, 0x7000|k<<60|k) // the shard's bits too
	}
	var nodes []*Sym
	for i, h := range hashes {
		nodes = append(nodes, get(h, fmt.Sprintf("n%d", i)))
	}
	for i, h := range hashes {
		if got := get(h, fmt.Sprintf("n%d", i)); got != nodes[i] {
			t.Fatalf("node %d (hash %#x) is not found again", i, h)
		}
		for j := range i {
			if nodes[j] == nodes[i] {
				t.Fatalf("nodes %d and %d are one", i, j)
			}
		}
	}
}
