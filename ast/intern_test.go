package ast

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// The intern benchmarks report ns/node; on a loaded machine compare CPU
// time (/usr/bin/time on the test binary) rather than wall time.

// BenchmarkInternNew builds nodes that do not exist yet: each iteration
// makes a new number, a new index, product and sum, and a new call.
func BenchmarkInternNew(b *testing.B) {
	x, w := NewSym("x"), NewSym("w")
	b.ReportAllocs()
	i := int64(1 << 40)
	for b.Loop() {
		i++
		n := NewInt(i)
		e := NewAdd(NewMul(n, NewIndex("w", NewInt(i))), x)
		_ = NewCall("sigma", e, w)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(5*b.N), "ns/node")
}

// BenchmarkInternHit builds nodes that exist already (hash-consing finds
// them), as parsing a file that repeats subexpressions does.
func BenchmarkInternHit(b *testing.B) {
	x := NewSym("x")
	keep := make([]Expr, 0, 1000)
	for i := range 1000 {
		keep = append(keep, NewAdd(NewMul(NewInt(int64(i)+1000), NewIndex("w", NewInt(int64(i)))), x))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = (i + 1) % 1000
		_ = NewAdd(NewMul(NewInt(int64(i)+1000), NewIndex("w", NewInt(int64(i)))), x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(4*b.N), "ns/node")
	runtime.KeepAlive(keep)
}

// BenchmarkInternRat builds new fractions, which are big.Rat numbers.
func BenchmarkInternRat(b *testing.B) {
	b.ReportAllocs()
	i := int64(3)
	for b.Loop() {
		i += 2
		_ = NewNum(Frac(1, i))
	}
}

// BenchmarkInternParallel builds new nodes from every core.
func BenchmarkInternParallel(b *testing.B) {
	x := NewSym("x")
	var mu sync.Mutex
	next := int64(1 << 50)
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		i := next
		next += 1 << 30
		mu.Unlock()
		for pb.Next() {
			i++
			_ = NewAdd(NewMul(NewInt(i), x), x)
		}
	})
}

// liveNodes counts the entries of every intern table.
func liveNodes() int {
	n := 0
	for _, c := range tableSizes() {
		n += c
	}
	return n
}

// TestInternTablesBounded: a long session builds many throwaway
// expressions; once they are garbage, the tables shrink back instead of
// keeping an entry for each (they hold weak pointers and are swept).
func TestInternTablesBounded(t *testing.T) {
	const perRound = 5000 * 7 // distinct nodes built by a round
	runtime.GC()
	before := liveNodes()
	build := func(round int) []Expr {
		var keep []Expr // alive until the round ends
		for i := range 5000 {
			v := int64(round)*1_000_000 + int64(i) + 1000
			e := NewAdd(NewMul(NewInt(v), NewIndex("tmp", NewInt(v))), NewCall("sigma", NewNum(Frac(1, v))))
			keep = append(keep, NewPow(e, NewSym(fmt.Sprintf("t%d", i%100))))
		}
		return keep
	}
	peak := 0
	for round := range 20 {
		keep := build(round)
		peak = max(peak, liveNodes())
		runtime.KeepAlive(keep)
		runtime.GC()
	}
	after := liveNodes()
	if peak < perRound {
		t.Fatalf("the test built fewer nodes than it thinks: the tables peaked at %d entries", peak)
	}
	// Twenty rounds built 700,000 distinct nodes; tables that kept them all
	// would hold that many. Swept tables hold a few rounds' at most.
	if after-before > 4*perRound {
		t.Errorf("intern tables hold %d entries after 20 rounds of %d throwaway nodes (%d before): they grow without bound", after, perRound, before)
	}
	t.Logf("entries: before %d, peak %d, after %d", before, peak, after)
}

// TestInternShared: equal content gives the same node, different content
// different nodes, also for numbers equal in value but built differently
// and for names that look alike.
func TestInternShared(t *testing.T) {
	x, y := NewSym("x"), NewSym("y")
	same := [][2]Expr{
		{NewNum(Frac(2, 4)), NewNum(Frac(1, 2))},
		{NewNum(Frac(6, 3)), NewInt(2)},
		{NewInt(1 << 62), NewNum(Int(1 << 62))},
		{NewAdd(x, y), NewAdd(NewSym("x"), NewSym("y"))},
		{NewCall("f", x), NewCall("f", NewSym("x"))},
		{NewIndex("w", NewInt(3)), NewIndex("w", NewInt(3))},
		{NewSum(OpSum, "i", One, x, y), NewSum(OpSum, "i", One, x, y)},
		{NewMatOp(MatTranspose, x), NewMatOp(MatTranspose, NewSym("x"))},
	}
	for _, p := range same {
		if p[0] != p[1] {
			t.Errorf("%s and %s are equal but not the same node", Sexpr(p[0]), Sexpr(p[1]))
		}
	}
	differ := [][2]Expr{
		{NewNum(Frac(1, 2)), NewNum(Frac(-1, 2))},
		{NewNum(Frac(1, 3)), NewNum(Frac(2, 3))},
		{NewInt(-1), NewInt(1)},
		{NewAdd(x, y), NewAdd(y, x)},
		{NewAdd(x, y), NewMul(x, y)},
		{NewDiv(x, y), NewPow(x, y)},
		{NewCall("f", x), NewCall("g", x)},
		{NewCall("f", x), NewCall("f", x, x)},
		{NewIndex("w", x), NewIndex("w", x, x)},
		{NewSym("ab"), NewSym("a")},
		{NewSum(OpSum, "i", One, x, y), NewSum(OpMean, "i", One, x, y)},
		{NewSum(OpSum, "i", One, x, y), NewSum(OpSum, "j", One, x, y)},
		{NewDeriv(x, y), NewDeriv(y, x)},
		{NewMatOp(MatTranspose, x), NewMatOp(MatMul, x, y)},
	}
	for _, p := range differ {
		if p[0] == p[1] {
			t.Errorf("%s and %s differ but are one node", Sexpr(p[0]), Sexpr(p[1]))
		}
	}
}

// TestInternCollisions: nodes whose hashes collide are told apart by
// their content, stay unique while alive, and are found again after the
// first of them is collected.
func TestInternCollisions(t *testing.T) {
	tab := newTable[Sym]()
	get := func(name string) *Sym {
		const h = 42 // every name collides
		return internBy(tab, h, nil, func(n *Sym) bool { return n.Name == name }, func(n *Sym, id uint64, _ []Expr, _ *[]byte) {
			*n = Sym{node: header(id), Name: name}
		})
	}
	a, b, c := get("a"), get("b"), get("c")
	if a == b || b == c || a == c {
		t.Fatal("colliding names share a node")
	}
	if get("a") != a || get("b") != b || get("c") != c {
		t.Fatal("a colliding name is not found again")
	}
	a = nil
	runtime.GC()
	if get("b") != b || get("c") != c {
		t.Fatal("after the first node of a hash is collected, the others are lost")
	}
	if a2 := get("a"); a2.Name != "a" || a2 == b || a2 == c {
		t.Fatal("a name rebuilt after collection is wrong")
	}
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
}

// TestSmallNums: the package's constants and every small integer built
// later are the one node of their value.
func TestSmallNums(t *testing.T) {
	for _, c := range []struct {
		e Expr
		v int64
	}{{Zero, 0}, {One, 1}, {NewNum(Int(-64)), -64}, {NewNum(Int(64)), 64}, {NewNeg(One), -1}} {
		if got := NewInt(c.v); got != c.e {
			t.Errorf("NewInt(%d) is not the node the package holds for it", c.v)
		}
	}
	if a, b := NewInt(65), NewInt(65); a != b || a == NewInt(64) {
		t.Error("integers past the small ones are not hash-consed")
	}
}

// TestInternConcurrent: goroutines building the same expressions at once
// get the same nodes.
func TestInternConcurrent(t *testing.T) {
	const n, workers = 2000, 4
	out := make([][]Expr, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				v := int64(i) + 7_000_000
				out[w] = append(out[w], NewAdd(NewMul(NewInt(v), NewSym(fmt.Sprintf("c%d", i%50))), NewNum(Frac(1, v))))
			}
		}()
	}
	wg.Wait()
	for w := 1; w < workers; w++ {
		for i := range n {
			if out[w][i] != out[0][i] {
				t.Fatalf("worker %d built a second node for %s", w, Sexpr(out[0][i]))
			}
		}
	}
}

// TestInternByKey: the older keyed interning, kept for node types without
// a structural hash, still gives one node per content.
func TestInternByKey(t *testing.T) {
	tab := newTable[Call]()
	x, y := NewSym("x"), NewSym("y")
	get := func(fn string, args ...Expr) *Call {
		return intern(tab, key{s: fn, kids: ids(args...)}, func(id uint64) *Call {
			return &Call{node: header(id, args...), Fn: fn, Args: clone(args)}
		})
	}
	if a, b := get("f", x, y), get("f", x, y); a != b {
		t.Error("the same content gave two nodes")
	}
	if get("f", x, y) == get("f", y, x) || get("f", x) == get("g", x) {
		t.Error("different contents gave one node")
	}
	if tab.size() != 4 {
		t.Errorf("the table holds %d entries, want 4", tab.size())
	}
}
