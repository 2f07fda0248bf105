package simplify

import "github.com/symdiff/symdiff/ast"

// A dagMemo maps nodes to results for a walk over a DAG whose nodes are
// shared many times: the 999 factors (x + k) of each of the thousand
// products of d/dx (x+1)...(x+1000) are a thousand nodes met a million
// times. A small table indexed by the node's ID answers most lookups
// without hashing an interface; the map behind it holds everything. The
// table (64 KiB of pointers) is made only once the map holds dagMemoTable
// entries: a walk over a small expression would spend more clearing and
// scanning it than it saves.
type dagMemo struct {
	recent *[1 << 12]struct{ k, v ast.Expr }
	all    map[ast.Expr]ast.Expr
}

const dagMemoTable = 256

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
	if m.recent == nil {
		m.all[k] = v
		if len(m.all) >= dagMemoTable {
			m.recent = new([1 << 12]struct{ k, v ast.Expr })
		}
		return
	}
	s := &m.recent[k.ID()&(1<<12-1)]
	s.k, s.v = k, v
	m.all[k] = v
}
