package simplify

import "github.com/symdiff/symdiff/ast"

// A dagMemo maps nodes to results for a walk over a DAG whose nodes are
// shared many times: the 999 factors (x + k) of each of the thousand
// products of d/dx (x+1)...(x+1000) are a thousand nodes met a million
// times. A small table indexed by the node's ID answers most lookups
// without hashing an interface; the map behind it holds everything.
//
// The table (128 KB) is made once the map holds dagRecentAfter entries: a
// small walk (a command's one expression) would touch its pages at
// random for a few lookups, and a fresh process pays a page fault for
// each.
type dagMemo struct {
	recent *[1 << 12]struct{ k, v ast.Expr }
	all    map[ast.Expr]ast.Expr
}

const dagRecentAfter = 256

func newDagMemo() *dagMemo { return &dagMemo{all: map[ast.Expr]ast.Expr{}} }

func (m *dagMemo) get(k ast.Expr) (ast.Expr, bool) {
	if m.recent == nil {
		v, ok := m.all[k]
		return v, ok
	}
	s := &m.recent[k.ID()&(1<<12-1)]
	if s.k == k {
		return s.v, true
	}
	v, ok := m.all[k]
	if ok {
		s.k, s.v = k, v
	}
	return v, ok
}

func (m *dagMemo) put(k, v ast.Expr) {
	if m.recent == nil && len(m.all) >= dagRecentAfter {
		m.recent = new([1 << 12]struct{ k, v ast.Expr })
	}
	if m.recent != nil {
		s := &m.recent[k.ID()&(1<<12-1)]
		s.k, s.v = k, v
	}
	m.all[k] = v
}
