package ast

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// TestInternForcedCollisions: with every hash equal (or equal but for the
// bits the slot's index takes, or but for the shard's), from goroutines
// at once and across collections, probing, the reuse of dead slots and the
// rebuild still give one node per name, and the node of the name asked.
func TestInternForcedCollisions(t *testing.T) {
	for _, hf := range []func(i int) uint64{
		func(i int) uint64 { return 12345 << 8 },
		func(i int) uint64 { return 12345<<8 | uint64(i&15) },
		func(i int) uint64 { return uint64(i%16)<<60 | 77<<4 },
	} {
		tb := newTable[Sym]()
		mk := func(i int) *Sym {
			name := fmt.Sprintf("c%d", i)
			return internBy(tb, hf(i), nil, func(n *Sym) bool { return n.Name == name }, func(n *Sym, id uint64, _ []Expr, names *[]byte) {
				*n = Sym{node: header(id), Name: cloneIn(names, name)}
			})
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		kept := map[int]*Sym{}
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := 0; r < 30; r++ {
					for i := 0; i < 300; i++ {
						k := (i*7 + r*13 + g) % 700
						s := mk(k)
						if s.Name != fmt.Sprintf("c%d", k) {
							t.Errorf("got %s for c%d", s.Name, k)
							return
						}
						mu.Lock()
						if o, ok := kept[k]; ok && o != s {
							t.Errorf("two nodes for c%d", k)
						}
						if k%3 == 0 {
							kept[k] = s
						}
						mu.Unlock()
					}
					if r%4 == g {
						runtime.GC()
					}
				}
			}()
		}
		wg.Wait()
		runtime.GC()
		for k, s := range kept {
			if mk(k) != s {
				t.Fatalf("c%d rebuilt as another node", k)
			}
		}
	}
}
