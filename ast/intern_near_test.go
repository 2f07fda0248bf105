package ast

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestInternNearHotChild: nodes placed by their newest child (near) that
// all share it — a thousand functions of x, x times each of many earlier
// numbers — are each one node, found again as the same node after
// collections and rebuilds, and spread past the window: no probe walks
// along all of them (placing them by the child alone makes the last
// ones' probes as long as their number, and the build quadratic).
func TestInternNearHotChild(t *testing.T) {
	const n = 20000
	nums := make([]*Num, n)
	for k := range nums {
		nums[k] = NewInt(int64(1000 + k)) // older than x
	}
	x := NewSym("hot_child_x")
	calls := make([]*Call, n)
	muls := make([]Expr, n)
	for k := range calls {
		calls[k] = NewCall(fmt.Sprintf("hot_f%d", k), x)
		muls[k] = NewMul(nums[k], x)
	}
	t.Logf("longest probes: calls %d, products %d", checkProbes(t, callTable), checkProbes(t, mulTable))
	for round := range 3 {
		for k := range calls {
			if c := NewCall(fmt.Sprintf("hot_f%d", k), x); c != calls[k] {
				t.Fatalf("round %d: hot_f%d(x) is another node", round, k)
			}
			if m := NewMul(nums[k], x); m != muls[k] {
				t.Fatalf("round %d: %v·x is another node", round, nums[k])
			}
		}
		// Other nodes' comings and goings rebuild the shards.
		for k := range n / 4 {
			NewCall(fmt.Sprintf("hot_g%d_%d", round, k), NewSym(fmt.Sprintf("hot_y%d_%d", round, k)))
		}
		runtime.GC()
	}
	seen := map[*Call]bool{}
	for _, c := range calls {
		if seen[c] {
			t.Fatal("two functions' calls are one node")
		}
		seen[c] = true
	}
	runtime.KeepAlive(calls)
	runtime.KeepAlive(muls)
}

// TestInternNearOrder: a file's nodes, found again in the order they were
// built, are probed in the order of the arrays: successive lookups in a
// shard land within a few cache lines of each other, not at random.
// Without near (a node's slot from its hash alone) the median step is a
// random distance, about a quarter of the array.
//
// Slots of nodes collected stay taken until a rebuild, and those of the
// dense runs of an earlier test (TestInternProbeBound's, run before this
// one by -count) fill the windows of new nodes, which then overflow: the
// test first drops them (a sweep), so that it sees its own nodes' places.
func TestInternNearOrder(t *testing.T) {
	const lines = 4000
	runtime.GC()
	runtime.GC() // the epoch's cleanup lets go of the pinned slabs
	runtime.GC()
	mulTable.sweep()
	var keep []Expr
	for k := range lines {
		y, z := NewSym(fmt.Sprintf("near_y%d", k)), NewSym(fmt.Sprintf("near_z%d", k))
		keep = append(keep, NewAdd(NewMul(y, NewCall("log", z)), NewNeg(y)))
	}
	// Where each Mul's slot is, in the order they were built.
	last := map[int]int{} // shard → the previous slot found there
	var steps []int
	for k := range lines {
		m := keep[k].(*Add).Terms[0].(*Mul)
		h := hashKids(hMul, m.Factors)
		si := int(h >> (64 - shardBits))
		s := &mulTable.shards[si]
		s.mu.Lock()
		mask := len(s.slots) - 1
		at := -1
		for j, sl := range s.slots {
			if sl != 0 && uint32(sl>>32) == uint32(h) {
				if v := s.node(mulTable, sl); v == m {
					at = j
				}
			}
		}
		s.mu.Unlock()
		if at < 0 {
			t.Fatalf("no slot names the product of line %d", k)
		}
		if p, ok := last[si]; ok {
			steps = append(steps, min((at-p)&mask, (p-at)&mask))
		}
		last[si] = at
	}
	// The median step, in slots.
	var small int
	for _, d := range steps {
		if d <= 64 {
			small++
		}
	}
	if 2*small < len(steps) {
		t.Errorf("%d of %d successive lookups in a shard are within 64 slots of the one before", small, len(steps))
	}
	runtime.KeepAlive(keep)
}

// TestInternNearNames: symbols are placed by their names' digits
// (nearName): numbered names built in order land near each other in
// their shard, and names of one place (x_1, x_01, x_001, ...) are each
// one node and spread past the window.
func TestInternNearNames(t *testing.T) {
	const n = 3000
	syms := make([]*Sym, n)
	for i := range syms {
		syms[i] = NewSym("near_x_" + strings.Repeat("0", i) + "1")
	}
	t.Logf("longest probe: symbols %d", checkProbes(t, symTable))
	runtime.GC()
	seen := map[*Sym]bool{}
	for i, s := range syms {
		if NewSym("near_x_"+strings.Repeat("0", i)+"1") != s {
			t.Fatalf("name %d is another node", i)
		}
		if seen[s] {
			t.Fatalf("name %d is the node of another", i)
		}
		seen[s] = true
	}
	// Numbered names in order: x_k_1's slot in its shard, from line to line.
	last := map[int]int{}
	small, steps := 0, 0
	var keep []*Sym
	for k := 1; k <= 4000; k++ {
		name := fmt.Sprintf("near_w_%d_1", k)
		s := NewSym(name)
		keep = append(keep, s)
		h := nearName(hashName(hSym, name), name)
		si := int(h >> (64 - shardBits))
		sh := &symTable.shards[si]
		sh.mu.Lock()
		mask := len(sh.slots) - 1
		at := -1
		for j, sl := range sh.slots {
			if sl != 0 && uint32(sl>>32) == uint32(h) && sh.node(symTable, sl) == s {
				at = j
			}
		}
		sh.mu.Unlock()
		if at < 0 {
			t.Fatalf("no slot names %s", name)
		}
		if p, ok := last[si]; ok {
			steps++
			if min((at-p)&mask, (p-at)&mask) <= 64 {
				small++
			}
		}
		last[si] = at
	}
	if 2*small < steps {
		t.Errorf("%d of %d successive numbered names in a shard are within 64 slots of the one before", small, steps)
	}
	runtime.KeepAlive(syms)
	runtime.KeepAlive(keep)
}
