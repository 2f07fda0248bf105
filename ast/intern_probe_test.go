package ast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// overflowSlack bounds the overflow places a probe finds taken by nodes of
// other tags. Each place is drawn apart from the array's contents and is
// taken with a chance of at most the load at the insertion, under 3/4
// (internBy rebuilds at 3/4; a rebuild places at most 1/2): so a node's
// probe passes g such places with a chance under (3/4)^g. For the
// longest over up to 10^7 nodes to pass the bound with a chance under
// 10^-9, (3/4)^g <= 10^-16: g = 129. Derived, not measured.
var overflowSlack = int(math.Ceil(16 * math.Log(10) / math.Log(4.0/3)))

// checkProbes walks, for every slot of t, the probe a lookup of its tag
// makes (internBy's sequence, read from the slot's tag alone, as a
// rebuild does), and fails the test if it meets an empty slot first (the
// node would not be found) or if the probe is longer than the bound: the
// window, plus the other nodes of the shard with the same tag (they share
// the whole sequence), plus overflowSlack. It returns the longest probe
// (at the first failure, the longest so far).
func checkProbes[T any](t *testing.T, tb *table[T]) int {
	t.Helper()
	longest := 0
	for si := range tb.shards {
		s := &tb.shards[si]
		s.mu.Lock()
		mask := len(s.slots) - 1
		tags := map[uint32]int{}
		for _, sl := range s.slots {
			if sl != 0 {
				tags[uint32(sl>>32)]++
			}
		}
		for j, sl := range s.slots {
			if sl == 0 {
				continue
			}
			tag := uint64(sl >> 32)
			bound := window + tags[uint32(tag)] - 1 + overflowSlack
			i, n := int(tag)&mask, 0
			for i != j {
				if s.slots[i] == 0 {
					s.mu.Unlock()
					t.Errorf("shard %d: the slot at %d is past an empty slot of its probe (%d steps): its node is lost", si, j, n)
					return longest
				}
				if n > bound {
					s.mu.Unlock()
					t.Errorf("shard %d: the probe for the slot at %d is longer than %d (%d slots, load %d/%d)", si, j, bound, n, s.used, len(s.slots))
					return longest
				}
				n++
				if n >= window {
					i = OverflowProbe(tag, n-window, mask)
				} else {
					i = (i + 1) & mask
				}
			}
			longest = max(longest, n)
		}
		s.mu.Unlock()
	}
	return longest
}

// TestInternProbeBound: whatever shares a table, no lookup probes more
// than the bound checkProbes states. The mixture is built to make long
// dense runs in the arrays and to send many probes through them: tens of
// thousands of products placed by consecutive newest children (each
// shard's run is as long as their number over eight), thousands sharing
// one newest child (all overflow), products of random older nodes,
// numbered names (runs in the symbols' table) and names of one place
// (x_1, x_01, ...), calls of both; then half are let go and the tables
// rebuilt by collections and new nodes, and every node kept is found
// again as itself. A chain from one overflow place, walked to its first
// empty slot, walks the runs: thousands of slots here.
func TestInternProbeBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(uint64(len(t.Name())), 6))
	const runs, hot = 40000, 6000
	nums := make([]*Num, 64)
	for k := range nums {
		nums[k] = NewInt(int64(5000 + k))
	}
	// Symbols first, in one go: consecutive IDs.
	ys := make([]*Sym, runs)
	for k := range ys {
		ys[k] = NewSym(fmt.Sprintf("pb_run_y%d", k))
	}
	hotNums := make([]*Num, hot)
	for k := range hotNums {
		hotNums[k] = NewInt(int64(100000 + k))
	}
	hotX := NewSym("pb_hot_x") // newer than every factor it meets
	var keep []Expr
	for k, y := range ys {
		keep = append(keep, NewMul(nums[0], y), NewMul(nums[1], y))
		if k%4 == 0 {
			keep = append(keep, NewCall("pb_f", y))
		}
	}
	for k := range hot {
		keep = append(keep, NewMul(hotNums[k], hotX))
		keep = append(keep, NewCall(fmt.Sprintf("pb_hot_f%d", k), hotX))
	}
	for range 20000 {
		a, b := keep[rng.IntN(len(keep))], keep[rng.IntN(len(keep))]
		keep = append(keep, NewMul(a, b))
	}
	for k := range 20000 {
		keep = append(keep, NewSym(fmt.Sprintf("pb_w_%d_%d", k, k%7)), NewSym(fmt.Sprintf("pb_name%x", rng.Uint64())))
	}
	for k := range 2000 {
		keep = append(keep, NewSym("pb_x_"+strings.Repeat("0", k)+"1"))
	}
	check := func(when string) {
		t.Helper()
		t.Logf("%s: longest probes: products %d, calls %d, symbols %d (bound past same tags %d)", when,
			checkProbes(t, mulTable), checkProbes(t, callTable), checkProbes(t, symTable), window+overflowSlack)
	}
	check("built")
	if t.Failed() {
		return
	}
	// Let every other node go; collections and new nodes rebuild the
	// arrays, which place every slot again.
	half := make([]Expr, 0, len(keep)/2)
	for k := 0; k < len(keep); k += 2 {
		half = append(half, keep[k])
	}
	keep = nil
	for round := range 2 {
		runtime.GC()
		for k := range 20000 {
			NewMul(nums[k%len(nums)], NewSym(fmt.Sprintf("pb_new%d_%d", round, k)))
		}
		check(fmt.Sprintf("round %d", round))
	}
	for _, e := range half {
		var again Expr
		switch e := e.(type) {
		case *Mul:
			again = NewMul(e.Factors...)
		case *Call:
			again = NewCall(e.Fn, e.Args...)
		case *Sym:
			again = NewSym(e.Name)
		default:
			t.Fatalf("unexpected %T", e)
		}
		if again != e {
			t.Fatalf("%v is another node when built again", e)
		}
	}
	runtime.KeepAlive(ys)
	runtime.KeepAlive(half)
}
