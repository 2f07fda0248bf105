package ast

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// TestInspectOncePooled: InspectOnce, whose table of nodes seen comes from
// a pool, visits each node of random DAGs once, as a walk with a set of
// its own does, on 8 goroutines at once and with InspectOnce called again
// inside f (a table handed to two walks, or given back uncleared, makes a
// walk skip nodes; under -race, a shared table is a race).
func TestInspectOncePooled(t *testing.T) {
	plain := func(e Expr) map[Expr]int {
		seen := map[Expr]int{}
		var walk func(Expr)
		walk = func(e Expr) {
			if seen[e] > 0 {
				return
			}
			seen[e]++
			for _, k := range Children(e) {
				walk(k)
			}
		}
		walk(e)
		return seen
	}
	rounds := 200
	if testing.Short() {
		rounds = 50
	}
	var wg sync.WaitGroup
	errc := make(chan string, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := &progGen{r: rand.New(rand.NewPCG(uint64(w), 31))}
			for k := range rounds {
				e := g.expr(2 + k%5)
				want := plain(e)
				got := map[Expr]int{}
				inner := 0
				InspectOnce(e, func(x Expr) bool {
					got[x]++
					if _, ok := x.(*Sum); ok {
						// A walk inside the walk takes a table of its own.
						n := 0
						InspectOnce(x, func(Expr) bool { n++; return true })
						if n != len(plain(x)) {
							inner++
						}
					}
					return true
				})
				if len(got) != len(want) || inner > 0 {
					errc <- String(e) + ": InspectOnce visits another set of nodes than the plain walk"
					return
				}
				for x, c := range got {
					if c != 1 || want[x] != 1 {
						errc <- String(e) + ": a node visited twice, or one not in the expression"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for msg := range errc {
		t.Fatal(msg)
	}
}
