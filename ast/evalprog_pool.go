package ast

import "sync"

// progBufs are the slices a Program is made of and the scratch Compile
// uses, kept between programs: numcheck compiles both sides of a claim
// for each sample, and the programs' slices were a tenth of what W8's
// batch allocates (and of what the collector then had to clear away, on
// both cores at --jobs 2). A Program takes its buffers from the pool when
// it is compiled and gives them back when Release is called; the pool
// never hands one set to two programs (TestProgramPoolNotShared).
type progBufs struct {
	nodes   []pnode
	kids    []int32
	names   []string
	vars    []string
	vals    []Value
	have    []bool
	slots   []varSlot
	memo    []memoEntry
	args    []float64
	idx     []int64
	refs    []int32
	stack   []int32
	nameIdx map[string]int32
	varIdx  map[string]int32
}

var (
	progPool sync.Pool // *progBufs
	// compileIDs keeps the node tables of Compile's walk.
	compileIDs TablePool[int32]
)

// maxPooledNodes bounds the programs whose buffers are kept: one huge
// expression should not pin its arrays for the rest of the process.
const maxPooledNodes = 1 << 14

func getProgBufs() *progBufs {
	if b, ok := progPool.Get().(*progBufs); ok {
		return b
	}
	return &progBufs{nameIdx: map[string]int32{}, varIdx: map[string]int32{}}
}

// sized returns s with length n, its first n elements zero, reusing its
// array when it is large enough.
func sized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Release gives the program's buffers back for another Compile. The
// program must not be used after it: its slices are gone (an Eval after
// Release panics rather than reading another program's nodes). Release
// of a nil program does nothing.
func (p *Program) Release() {
	if p == nil || p.bufs == nil {
		return
	}
	b := p.bufs
	p.bufs = nil
	if len(p.nodes) <= maxPooledNodes {
		b.nodes, b.kids, b.names, b.vars = p.nodes[:0], p.kids[:0], clearAll(p.names), clearAll(p.vars)
		b.vals, b.have, b.slots, b.memo = clearAll(p.vals), p.have[:0], p.slots[:0], clearAll(p.memo)
		b.args, b.idx = p.args[:0], p.idx[:0]
		progPool.Put(b)
	}
	*p = Program{}
}

// clearAll empties s, dropping what its elements refer to.
func clearAll[T any](s []T) []T {
	clear(s[:cap(s)])
	return s[:0]
}
