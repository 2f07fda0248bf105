package ast

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"runtime"
	"testing"
	"unsafe"
	"weak"
)

// symTableWith returns a private table of symbols whose hashes hf gives
// (a test hook: collisions are forced by giving many names one hash), and
// its constructor.
func symTableWith(hf func(name string) uint64) (*table[Sym], func(name string) *Sym) {
	tab := newTable[Sym]()
	return tab, func(name string) *Sym {
		return internBy(tab, hf(name), nil, func(n *Sym) bool { return n.Name == name }, func(n *Sym, id uint64, _ []Expr, names *[]byte) {
			*n = Sym{node: header(id), Name: cloneIn(names, name)}
		})
	}
}

// checkSlots checks the invariants of a table of symbols hashed by hf:
// every slot of a live slab names a node whose hash has the slot's bits,
// and no two slots name one node (a slot left naming a slab number handed
// out again would break both), and the directory has a header for every
// number a slot names.
func checkSlots(t *testing.T, tab *table[Sym], hf func(string) uint64) {
	t.Helper()
	seen := map[*Sym]bool{}
	for i := range tab.shards {
		s := &tab.shards[i]
		s.mu.Lock()
		for _, sl := range s.slots {
			if sl == 0 {
				continue
			}
			num := slotNum(sl)
			if num == 0 || num >= tab.alloc.next {
				s.mu.Unlock()
				t.Fatalf("a slot names slab %d, never handed out (next %d)", num, tab.alloc.next)
			}
			p := tab.header(num).first()
			if p == nil {
				continue // a dead node's slot, dropped at the next rebuild
			}
			n := (*Sym)(unsafe.Add(unsafe.Pointer(p), uintptr(sl&indexMask)*unsafe.Sizeof(*p)))
			if uint32(hf(n.Name)) != uint32(sl>>32) {
				s.mu.Unlock()
				t.Fatalf("a slot with hash bits %#x names %s, whose hash is %#x", sl>>32, n.Name, hf(n.Name))
			}
			if seen[n] {
				s.mu.Unlock()
				t.Fatalf("two slots name %s", n.Name)
			}
			seen[n] = true
		}
		s.mu.Unlock()
	}
}

// TestInternDirectoryBounded: a long session that builds nodes and lets
// them go keeps the directory of slabs (and the slots) at the size of
// what is alive at once: collected slabs' numbers are handed out again.
// Without the sweep, the directory grows by a number per slab ever made.
func TestInternDirectoryBounded(t *testing.T) {
	hf := func(name string) uint64 { return hashName(hSym, name) }
	tab, mk := symTableWith(hf)
	const rounds, perRound = 120, 4000
	for r := range rounds {
		for i := range perRound {
			if s := mk(fmt.Sprintf("d%d_%d", r, i)); s.Name != fmt.Sprintf("d%d_%d", r, i) {
				t.Fatalf("got %s", s.Name)
			}
		}
		tab.retire()
		runtime.GC()
		if r%10 == 0 {
			checkSlots(t, tab, hf)
		}
	}
	made := rounds * perRound / slabMax // the numbers a directory that never reuses would have
	if n := int(tab.alloc.next - 1); n > made/8 {
		t.Errorf("%d slab numbers handed out for %d slabs made, at most %d alive at once: collected slabs' numbers are not reused", n, made, perRound/slabMax)
	}
	if n := tab.size(); n > 4*perRound {
		t.Errorf("the table holds %d entries with at most %d nodes alive at once", n, perRound)
	}
}

// TestInternDirectoryReuseProperty: random names interned, kept or let
// go, with collections, retirements and sweeps at random, with every hash
// equal (one probe chain, so that slots of dead slabs sit among the live
// ones when their numbers are handed out again) or a few hashes: the same
// name gives the same node while it is alive, distinct names distinct
// nodes, every node its own name, and the slots stay consistent.
func TestInternDirectoryReuseProperty(t *testing.T) {
	for _, c := range []struct {
		what string
		hf   func(string) uint64
	}{
		{"one hash", func(string) uint64 { return 0x9e3779b97f4a7c15 }},
		{"four hashes", func(name string) uint64 { return uint64(len(name)%4) << 62 }},
		{"real hashes", func(name string) uint64 { return hashName(hSym, name) }},
	} {
		t.Run(c.what, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(len(c.what))))
			tab, mk := symTableWith(c.hf)
			kept := map[string]*Sym{}
			steps := 20_000
			if c.what == "one hash" {
				steps = 4000 // each lookup walks the whole chain
			}
			for step := range steps {
				name := fmt.Sprintf("p%d", r.IntN(600))
				s := mk(name)
				if s.Name != name {
					t.Fatalf("step %d: %s gave the node of %s", step, name, s.Name)
				}
				if k, ok := kept[name]; ok && k != s {
					t.Fatalf("step %d: %s, kept alive, was built again as another node", step, name)
				}
				switch r.IntN(8) {
				case 0, 1, 2:
					kept[name] = s
				case 3:
					delete(kept, name)
				}
				switch r.IntN(400) {
				case 0:
					runtime.GC()
				case 1:
					tab.retire()
				case 2:
					tab.sweep()
				case 3:
					tab.retire()
					runtime.GC()
					tab.sweep()
					checkSlots(t, tab, c.hf)
				case 4:
					clear(kept)
				}
			}
			byNode := map[*Sym]string{}
			for name, k := range kept {
				if mk(name) != k {
					t.Fatalf("%s, kept alive, is not found again", name)
				}
				if o, ok := byNode[k]; ok {
					t.Fatalf("%s and %s are one node", o, name)
				}
				byNode[k] = name
			}
			checkSlots(t, tab, c.hf)
		})
	}
}

// TestInternPinLastsAnEpoch: a node found through its slab's weak pointer
// pins the slab (the next lookups need no weak pointer) until the epoch
// ends; then the slab is only weakly held again, and collected once
// nothing else holds it.
func TestInternPinLastsAnEpoch(t *testing.T) {
	hf := func(name string) uint64 { return hashName(hSym, name) }
	tab, mk := symTableWith(hf)
	var ws []weak.Pointer[Sym]
	var nums []uint32
	for i := range 64 {
		s := mk(fmt.Sprintf("pin%d", i))
		ws = append(ws, weak.Make(s))
	}
	tab.retire() // the slabs are held weakly only
	for i := range 64 {
		name := fmt.Sprintf("pin%d", i)
		s := mk(name) // found again: pins its slab
		if ws[i].Value() != s {
			t.Fatalf("%s was not found again", name)
		}
	}
	for i := range tab.shards {
		nums = append(nums, tab.shards[i].pinned...)
	}
	if len(nums) == 0 {
		t.Fatal("finding nodes of slabs held weakly pinned none of them")
	}
	for _, num := range nums {
		if tab.header(num).strong.Load() == nil {
			t.Fatalf("slab %d is listed as pinned but not held", num)
		}
	}
	tab.retire() // the epoch ends
	for _, num := range nums {
		if tab.header(num).strong.Load() != nil {
			t.Fatalf("slab %d is still held after the epoch", num)
		}
	}
	runtime.GC()
	runtime.GC()
	for i, w := range ws {
		if w.Value() != nil {
			t.Errorf("pin%d outlived its epoch with nothing holding it", i)
		}
	}
}

// TestInternNumbersCollidingProperty: random numbers (small integers,
// fractions, integers and fractions past 64 bits), interned into a table
// whose hashes collide (one hash for all, or four), with collections,
// retirements and sweeps between them: equal values give one node while
// it is alive, different values different nodes, each of its value.
func TestInternNumbersCollidingProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	draw := func() *big.Rat {
		switch r.IntN(4) {
		case 0:
			return big.NewRat(int64(r.IntN(200))-100, 1)
		case 1:
			return big.NewRat(int64(r.IntN(50))-25, int64(r.IntN(9))+1)
		case 2:
			return new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(int64(r.IntN(20))+1), 70))
		default:
			return new(big.Rat).SetFrac(big.NewInt(int64(r.IntN(20))+1), new(big.Int).Lsh(big.NewInt(3), 65))
		}
	}
	for _, hf := range []func(v Number) uint64{
		func(Number) uint64 { return 42 },
		func(v Number) uint64 { return hashNumber(v) & (3 << 62) },
	} {
		tab := newTable[Num]()
		mk := func(v Number) *Num {
			return internBy(tab, hf(v), nil, func(n *Num) bool { return n.Value.same(v) }, func(n *Num, id uint64, _ []Expr, _ *[]byte) {
				*n = Num{node: header(id), Value: v}
			})
		}
		kept := map[string]*Num{}
		for step := range 6000 {
			q := draw()
			n := mk(FromRat(q))
			if n.Value.Rat().Cmp(q) != 0 {
				t.Fatalf("step %d: %s gave the node of %s", step, q.RatString(), n.Value.Rat().RatString())
			}
			if k, ok := kept[q.RatString()]; ok && k != n {
				t.Fatalf("step %d: %s, kept alive, was built again as another node", step, q.RatString())
			}
			if r.IntN(2) == 0 {
				kept[q.RatString()] = n
			}
			switch r.IntN(300) {
			case 0:
				runtime.GC()
			case 1:
				tab.retire()
			case 2:
				tab.sweep()
			case 3:
				clear(kept)
			}
		}
		byNode := map[*Num]string{}
		for s, k := range kept {
			if o, ok := byNode[k]; ok {
				t.Fatalf("%s and %s are one node", o, s)
			}
			byNode[k] = s
			q, _ := new(big.Rat).SetString(s)
			if mk(FromRat(q)) != k {
				t.Fatalf("%s, kept alive, is not found again", s)
			}
		}
	}
}
