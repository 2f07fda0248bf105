package ast_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestNodeMap checks NodeMap against a Go map keyed by the nodes, over
// random puts, overwrites and lookups (hits and misses) as it grows.
func TestNodeMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := ast.NewSym("x")
	nodes := make([]ast.Expr, 3000)
	for i := range nodes {
		nodes[i] = ast.NewAdd(x, ast.NewInt(int64(i+1)))
	}
	var m ast.NodeMap[int]
	want := map[ast.Expr]int{}
	for step := range 20000 {
		k := nodes[rng.IntN(len(nodes))]
		if rng.IntN(2) == 0 {
			m.Put(k, step)
			want[k] = step
		}
		q := nodes[rng.IntN(len(nodes))]
		got, ok := m.Get(q)
		w, wok := want[q]
		if got != w || ok != wok {
			t.Fatalf("step %d: Get(%s) = %d, %v; want %d, %v", step, ast.String(q), got, ok, w, wok)
		}
		if m.Len() != len(want) {
			t.Fatalf("step %d: Len = %d, want %d", step, m.Len(), len(want))
		}
	}
}
