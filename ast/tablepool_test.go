package ast

import (
	"fmt"
	"testing"
)

// TestTablePoolReusesCleared: a table given back to a pool comes out of
// it again for a NodeMap of about its size, with none of the entries of
// its last use (a stale entry would be a wrong memoised result), and no
// value kept alive; a table of another size is not taken.
func TestTablePoolReusesCleared(t *testing.T) {
	var p TablePool[Expr]
	var nodes []Expr
	for i := range 300 {
		nodes = append(nodes, NewSym(fmt.Sprintf("pool_%d", i)))
	}
	reused := 0
	for round := range 40 {
		var m NodeMap[Expr]
		m.ReserveFrom(&p, len(nodes))
		if m.Len() != 0 {
			t.Fatalf("round %d: a reserved map holds %d entries", round, m.Len())
		}
		probe := NewSym("pool_probe")
		m.Put(probe, probe) // Get answers at once from an empty map: one entry makes it look
		for _, k := range nodes {
			if v, ok := m.Get(k); ok {
				t.Fatalf("round %d: %s found (%s) in a fresh map", round, String(k), String(v))
			}
		}
		for _, v := range m.vals {
			if v != nil && v != probe {
				t.Fatalf("round %d: the table keeps %s alive", round, String(v))
			}
		}
		if round > 0 && len(m.keys) > 0 && &m.keys[0] == last {
			reused++
		}
		for i, k := range nodes {
			if round%2 == 0 || i%3 == 0 {
				m.Put(k, nodes[(i+round)%len(nodes)])
			}
		}
		if want := 1 + len(nodes); round%2 == 0 && m.Len() != want {
			t.Fatalf("round %d: %d entries, want %d", round, m.Len(), want)
		}
		last = &m.keys[0]
		m.Release(&p)
		if m.Len() != 0 || len(m.keys) != 0 {
			t.Fatalf("round %d: a released map is not empty", round)
		}
	}
	// sync.Pool may drop what it holds (always under the race detector's
	// random drops, at a collection): reuse is expected, not every time.
	if reused == 0 && !raceEnabled {
		t.Errorf("no table was reused in 40 rounds")
	}

	// A much larger table (beyond 1,024 slots and four times the size
	// asked for) is not taken for a small map, nor a smaller one for a
	// large map.
	var big NodeMap[Expr]
	big.ReserveFrom(&p, 5000)
	bigKeys := &big.keys[0]
	big.Release(&p)
	var small NodeMap[Expr]
	small.ReserveFrom(&p, 10)
	if len(small.keys) < reserveSize(10) || len(small.keys) > 1024 || &small.keys[0] == bigKeys {
		t.Errorf("a map for 10 nodes got a table of %d slots", len(small.keys))
	}
	var large NodeMap[Expr]
	large.ReserveFrom(&p, 20000)
	if len(large.keys) < reserveSize(20000) {
		t.Errorf("a map for 20,000 nodes got a table of %d slots", len(large.keys))
	}
}

var last *uint64
