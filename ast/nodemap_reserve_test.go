package ast

import "testing"

// TestNodeMapReserve: a map sized at once holds what one grown table by
// table holds, and grows on past what was reserved.
func TestNodeMapReserve(t *testing.T) {
	for _, reserve := range []int{0, 1, 12, 13, 100, 1000} {
		var m NodeMap[int]
		m.Reserve(reserve)
		if reserve > 0 && 4*reserve > 3*len(m.keys) {
			t.Fatalf("Reserve(%d): %d slots, too few to hold them without growing", reserve, len(m.keys))
		}
		var nodes []Expr
		for i := range 3*reserve/2 + 20 {
			n := NewInt(int64(i) + 1_000_003)
			nodes = append(nodes, n)
			m.Put(n, i)
		}
		for i, n := range nodes {
			if v, ok := m.Get(n); !ok || v != i {
				t.Fatalf("Reserve(%d): Get(%s) = %d, %v, want %d", reserve, String(n), v, ok, i)
			}
		}
		if m.Len() != len(nodes) {
			t.Fatalf("Reserve(%d): Len %d, want %d", reserve, m.Len(), len(nodes))
		}
		if _, ok := m.Get(NewInt(7)); ok {
			t.Fatalf("Reserve(%d): a node never put is found", reserve)
		}
	}
}
