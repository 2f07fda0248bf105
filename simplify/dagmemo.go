package simplify

import "github.com/symdiff/symdiff/ast"

// A dagMemo maps nodes to results for a walk over a DAG (see
// ast.NodeMap).
type dagMemo struct{ m ast.NodeMap[ast.Expr] }

func newDagMemo() *dagMemo { return &dagMemo{} }

func (m *dagMemo) get(k ast.Expr) (ast.Expr, bool) { return m.m.Get(k) }

func (m *dagMemo) put(k, v ast.Expr) { m.m.Put(k, v) }

// memoGet and memoPut are the canonicaliser's memo: by ID (ast.NodeMap) for a
// node outside the sums being canonicalised, else keyed by the node and
// the ranges of the indices in scope.
func (c *canon) memoGet(k memoKey) (ast.Expr, bool) {
	if k.ctx == "" {
		return c.fast.Get(k.e)
	}
	r, ok := c.memo[k]
	return r, ok
}

func (c *canon) memoPut(k memoKey, r ast.Expr) {
	if k.ctx == "" {
		c.fast.Put(k.e, r)
		return
	}
	c.memo[k] = r
}

// memoLen is the number of expressions the canonicaliser has memoised.
func (c *canon) memoLen() int { return c.fast.Len() + len(c.memo) }
