package parser

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUseTable runs random sets, gets and deletes on a useTable and on a
// map side by side: after every step they hold the same names with the
// same uses.
func TestUseTable(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		names := int(1 + rng.IntN(300))
		tab := newUseTable(rng.IntN(100))
		ref := map[string]use{}
		for step := range 3000 {
			name := fmt.Sprintf("n%d", rng.IntN(names))
			switch rng.IntN(5) {
			case 0, 1:
				u := use{at: int32(step), n: int32(rng.IntN(3)), indexed: rng.IntN(2) == 0}
				tab.set(name, u)
				ref[name] = u
			case 2:
				tab.del(name)
				delete(ref, name)
			case 3:
				// getAt, then add when it is missing (as lowerer.ident).
				u := use{at: int32(step), n: 7}
				if _, ok, p := tab.getAt(name); !ok {
					tab.add(p, name, u)
					ref[name] = u
				}
			}
			got, ok := tab.get(name)
			want, wok := ref[name]
			if ok != wok || got != want {
				t.Fatalf("seed %d step %d: get(%s) = %v, %v; want %v, %v", seed, step, name, got, ok, want, wok)
			}
			if tab.len() != len(ref) {
				t.Fatalf("seed %d step %d: len %d, want %d", seed, step, tab.len(), len(ref))
			}
		}
		all := map[string]use{}
		for i := range names {
			name := fmt.Sprintf("n%d", i)
			if u, ok := tab.get(name); ok {
				all[name] = u
			}
		}
		if diff := cmp.Diff(ref, all, cmp.AllowUnexported(use{})); diff != "" {
			t.Fatalf("seed %d: table and map differ (-map +table):\n%s", seed, diff)
		}
		if _, ok := tab.get(""); ok {
			t.Fatalf("seed %d: the empty name is found", seed)
		}
	}
}
