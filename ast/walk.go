package ast

import (
	"fmt"
	"slices"
	"sync/atomic"
	"unsafe"
)

// Children returns the direct subexpressions of e in source order. The
// result may share storage with e and must not be modified.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Num, *Sym:
		return nil
	case *Index:
		return e.Indices
	case *Neg:
		return []Expr{e.X}
	case *Add:
		return e.Terms
	case *Mul:
		return e.Factors
	case *Div:
		return []Expr{e.X, e.Y}
	case *Pow:
		return []Expr{e.X, e.Y}
	case *Call:
		return e.Args
	case *Sum:
		return []Expr{e.Lo, e.Hi, e.Body}
	case *Iverson:
		return e.Args
	case *Deriv:
		return []Expr{e.X, e.Wrt}
	case *MatOp:
		return e.Args
	case *Condition:
		return e.Args
	case *If:
		return []Expr{e.Cond, e.Then, e.Else}
	default:
		panic(fmt.Sprintf("ast.Children: unexpected node %T", e))
	}
}

// WithChildren returns a node like e with its children replaced by kids
// (in the order Children gives). It returns e itself when nothing changed.
func WithChildren(e Expr, kids []Expr) Expr {
	old := Children(e)
	if len(old) != len(kids) {
		panic(fmt.Sprintf("ast.WithChildren: %T has %d children, got %d", e, len(old), len(kids)))
	}
	same := true
	for i := range kids {
		if kids[i] != old[i] {
			same = false
			break
		}
	}
	if same {
		return e
	}
	return rebuild(e, kids)
}

// rebuild is WithChildren for children known to differ from e's.
func rebuild(e Expr, kids []Expr) Expr {
	switch e := e.(type) {
	case *Index:
		return NewIndex(e.Name, kids...)
	case *Neg:
		return NewNeg(kids[0])
	case *Add:
		return NewAdd(kids...)
	case *Mul:
		return NewMul(kids...)
	case *Div:
		return NewDiv(kids[0], kids[1])
	case *Pow:
		return NewPow(kids[0], kids[1])
	case *Call:
		return NewCall(e.Fn, kids...)
	case *Sum:
		return NewSum(e.Op, e.Var, kids[0], kids[1], kids[2])
	case *Iverson:
		return NewIverson(kids...)
	case *Deriv:
		return NewDeriv(kids[0], kids[1])
	case *MatOp:
		return NewMatOp(e.Kind, kids...)
	case *Condition:
		return NewCondition(e.Op, kids...)
	case *If:
		return NewIf(kids[0], kids[1], kids[2])
	default:
		panic(fmt.Sprintf("ast.rebuild: unexpected node %T", e))
	}
}

// Inspect calls f on e and, while f returns true, on its children, in
// depth-first order. A subtree shared in several places is visited once per
// place; use InspectOnce on graphs with much sharing.
func Inspect(e Expr, f func(Expr) bool) {
	if !f(e) {
		return
	}
	for _, k := range Children(e) {
		Inspect(k, f)
	}
}

// InspectOnce is like Inspect but visits each distinct node only once.
func InspectOnce(e Expr, f func(Expr) bool) {
	var seen NodeMap[struct{}] // by ID: a sum of products meets its factors a million times
	// Its table comes from a pool and goes back cleared: the tables of
	// walks of a few hundred nodes were 5% of what W8's batch allocated.
	seen.ReserveFrom(&inspectTables, 16)
	defer seen.Release(&inspectTables)
	// last is the last long list of children gone through, every one of
	// them visited: the children a node shares with it at the front and
	// the back (SharedEnds) are passed over without a look-up.
	var last []Expr
	var walk func(Expr)
	walk = func(e Expr) {
		if _, ok := seen.Get(e); ok {
			return
		}
		seen.Put(e, struct{}{})
		if !f(e) {
			return
		}
		kids := Children(e)
		if len(kids) < minRun {
			for _, k := range kids {
				walk(k)
			}
			return
		}
		p, s := SharedEnds(kids, last)
		for _, k := range kids[p : len(kids)-s] {
			walk(k)
		}
		last = kids
	}
	walk(e)
}

// inspectTables keeps InspectOnce's tables of nodes seen.
var inspectTables TablePool[struct{}]

// minRun is the fewest children of a node for which the walks compare
// the list with the last long one they went through (see SharedEnds): on
// a shorter list, looking each child up costs little.
const minRun = 32

// A ChildRun maps the children of node after node (MapChildren) for a walk
// whose function gives each node one result, whatever the path to it (a
// memoised walk: Map, Rewrite), remembering the last long list it mapped:
// the children a node shares with that list at the front and the back
// (SharedEnds) take their results from it, without a call of the
// function. The zero value is ready to use; a ChildRun serves one walk
// (one function) and is not safe for concurrent use.
type ChildRun struct {
	in  []Expr // the last long list of children mapped (a node's own)
	out []Expr // their results, in a list of the run's own
	// diffLo and diffHi are the first and last index at which out and in
	// differ: len(in) and -1 when they do not.
	diffLo, diffHi int
	spare          []Expr // a list for the next one's results
}

// MapChildren is ast.MapChildren (e with f applied to each child: e itself
// when f changes none of them, otherwise e rebuilt) for a function that
// gives each node one result, as r's others did.
func (r *ChildRun) MapChildren(e Expr, f func(Expr) Expr) Expr {
	kids := Children(e)
	n := len(kids)
	if n < minRun {
		return MapChildren(e, f)
	}
	// Taken while in use: f may come back here for a child's children.
	prev, out := *r, r.spare
	*r = ChildRun{}
	if prev.in == nil {
		prev.diffLo, prev.diffHi = 0, -1
	}
	L := len(prev.in)
	p, s := SharedEnds(kids, prev.in)
	if cap(out) < n {
		out = make([]Expr, 0, n)
	}
	out = append(out[:0], prev.out[:p]...)
	midLo, midHi := -1, -1 // the first and last index in between at which a result differs from its child
	for i := p; i < n-s; i++ {
		m := f(kids[i])
		if m != kids[i] {
			if midLo < 0 {
				midLo = i
			}
			midHi = i
		}
		out = append(out, m)
	}
	out = append(out, prev.out[L-s:]...)
	lo, hi := runDiffs(prev.diffLo, prev.diffHi, L, n, p, s, midLo, midHi, out, kids)
	var res Expr = e
	if lo >= 0 {
		res = rebuild(e, out) // interned with a copy of its own
	} else {
		lo = n
	}
	clear(prev.out[:cap(prev.out)]) // keep no nodes alive
	*r = ChildRun{in: kids, out: out, diffLo: lo, diffHi: hi, spare: prev.out[:0]}
	return res
}

// RunDiffs says where a list out, made from a list in of n nodes, differs
// from it, when out was made from the last list (of L nodes, whose results
// differed from it first at prevLo and last at prevHi, len and -1 when
// nowhere) by taking the results of its first p and last s, and making the
// ones in between, which differed first at midLo and last at midHi (-1
// when nowhere). It returns the first and last index of a difference, -1
// and -1 when there is none, looking at the nodes only where the last
// list's bounds do not tell.
func RunDiffs(prevLo, prevHi, L, n, p, s, midLo, midHi int, out, in []Expr) (lo, hi int) {
	return runDiffs(prevLo, prevHi, L, n, p, s, midLo, midHi, out, in)
}

func runDiffs(prevLo, prevHi, L, n, p, s, midLo, midHi int, out, in []Expr) (lo, hi int) {
	lo, hi = -1, -1
	switch {
	case prevLo < p:
		lo = prevLo
	case midLo >= 0:
		lo = midLo
	case prevLo >= L-s && prevLo < L:
		lo = prevLo + n - L
	case prevHi >= L-s:
		lo = firstDiff(out, in, n-s, n) // a difference in the back, the first not known
	}
	switch {
	case prevHi >= L-s && prevHi >= 0:
		hi = prevHi + n - L
	case midHi >= 0:
		hi = midHi
	case prevHi < p && prevHi >= 0:
		hi = prevHi
	case prevLo < p:
		hi = lastDiff(out, in, 0, p) // a difference in the front, the last not known
	}
	return lo, hi
}

// firstDiff is the first index in [lo, hi) at which a and b differ, -1
// if none; lastDiff the last.
func firstDiff(a, b []Expr, lo, hi int) int {
	for i := lo; i < hi; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func lastDiff(a, b []Expr, lo, hi int) int {
	for i := hi - 1; i >= lo; i-- {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// Map rebuilds e bottom-up, replacing every node n by f(n) after its
// children have been mapped; each distinct node is mapped once. Binders are
// not special: use it only for maps that commute with them.
func Map(e Expr, f func(Expr) Expr) Expr {
	memo := map[Expr]Expr{}
	var run ChildRun
	var walk func(Expr) Expr
	walk = func(e Expr) Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r := f(run.MapChildren(e, walk))
		memo[e] = r
		return r
	}
	return walk(e)
}

// Rewrite rebuilds e top-down: at each node x, f(x) is tried first; when
// it reports ok its result replaces x whole (and is not walked further),
// otherwise x is rebuilt from its rewritten children. Each distinct node
// is rewritten once, so f must depend on x alone, not on the path to it.
// Binders are not special, as with Map.
func Rewrite(e Expr, f func(Expr) (Expr, bool)) Expr {
	memo := map[Expr]Expr{}
	var run ChildRun
	var walk func(Expr) Expr
	walk = func(e Expr) Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r, ok := f(e)
		if !ok {
			r = run.MapChildren(e, walk)
		}
		memo[e] = r
		return r
	}
	return walk(e)
}

// freeCache holds a node's sorted free names once computed.
type freeCache struct{ p atomic.Pointer[[]string] }

// freeNamesOf computes and caches the free names of e (see FreeNames)
// from its children's, which FreeNames has cached first.
func freeNamesOf(e Expr) []string {
	h := e.header()
	if p := h.free.p.Load(); p != nil {
		return *p
	}
	var names []string
	switch e := e.(type) {
	case *Num:
	case *Sym:
		names = []string{e.Name}
	case *Index:
		names = []string{e.Name}
		for _, i := range e.Indices {
			names = union(names, FreeNames(i))
		}
	case *Sum:
		body := FreeNames(e.Body)
		if i, found := slices.BinarySearch(body, e.Var); found {
			body = slices.Delete(slices.Clone(body), i, i+1)
		}
		names = union(union(FreeNames(e.Lo), FreeNames(e.Hi)), body)
	default:
		names = unionAll(Children(e))
	}
	// The list is shared by every caller, on every goroutine: with no
	// room past its end, a caller's append copies it instead of writing
	// into it (prove's append(FreeNames(a), FreeNames(b)...) raced).
	names = names[:len(names):len(names)]
	h.free.p.Store(&names)
	return names
}

// unionAll merges the children's free names at once: merging them one by
// one into a growing set would cost O(n^2) for a sum of n terms.
func unionAll(kids []Expr) []string {
	switch len(kids) {
	case 0:
		return nil
	case 1:
		return FreeNames(kids[0])
	case 2:
		return union(FreeNames(kids[0]), FreeNames(kids[1]))
	}
	var all []string
	for _, k := range kids {
		all = append(all, FreeNames(k)...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// HasFree reports whether name occurs free in e.
func HasFree(e Expr, name string) bool {
	_, found := slices.BinarySearch(FreeNames(e), name)
	return found
}

// union merges two sorted sets; it returns a or b itself when the other
// adds nothing, so chains of single-name subtrees share storage.
func union(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	out = append(out, b[j:]...)
	if len(out) == len(a) {
		return a
	}
	if len(out) == len(b) {
		return b
	}
	return out
}

// MapChildren returns e with f applied to each of its children: e itself
// when f changes none of them, otherwise e rebuilt (the one-level step of
// Map, Rewrite and the walks that keep their own memo).
func MapChildren(e Expr, f func(Expr) Expr) Expr {
	kids := Children(e)
	var nk []Expr
	for i, k := range kids {
		m := f(k)
		if m != k && nk == nil {
			nk = slices.Clone(kids)
		}
		if nk != nil {
			nk[i] = m
		}
	}
	if nk == nil {
		return e
	}
	return WithChildren(e, nk)
}

// SharedEnds returns the lengths of the longest common front and back of
// two lists of nodes, p and s with p + s <= min(len(a), len(b)), the
// front taken first: a[:p] is b[:p] and a[len(a)-s:] is b[len(b)-s:],
// node by node. A walk that maps lists one after another, each much like
// the last (the products of d/dx Π(x+k), each the last with one factor
// swapped), redoes only what lies between.
//
// It compares the two words of each interface value, inline, rather than
// through the runtime's interface comparison (a call per element): every
// node type is a pointer, so equal words are the same node, and unequal
// ones different nodes.
func SharedEnds(a, b []Expr) (p, s int) {
	p = SharedFront(a, b)
	n := min(len(a), len(b)) - p
	if n == 0 {
		return p, 0
	}
	// The back, a block at a time while the blocks are equal, then node
	// by node.
	ba, bb := bytesOf(a), bytesOf(b)
	for s+sharedBlock <= n && string(ba[len(ba)-(s+sharedBlock)*wordPair:len(ba)-s*wordPair]) == string(bb[len(bb)-(s+sharedBlock)*wordPair:len(bb)-s*wordPair]) {
		s += sharedBlock
	}
	wa, wb := words(a), words(b)
	for s < n && wa[len(a)-1-s] == wb[len(b)-1-s] {
		s++
	}
	return p, s
}

// SharedFront is the length of the longest common front of a and b (the
// p of SharedEnds, without looking for the back).
func SharedFront(a, b []Expr) int {
	n := min(len(a), len(b))
	if n == 0 {
		return 0
	}
	// A block at a time while the blocks are equal (a comparison of
	// memory, as fast as the machine compares bytes), then node by node.
	ba, bb := bytesOf(a), bytesOf(b)
	p := 0
	for p+sharedBlock <= n && string(ba[p*wordPair:(p+sharedBlock)*wordPair]) == string(bb[p*wordPair:(p+sharedBlock)*wordPair]) {
		p += sharedBlock
	}
	wa, wb := words(a), words(b)
	for p < n && wa[p] == wb[p] {
		p++
	}
	return p
}

// sharedBlock is the number of nodes SharedFront and SharedEnds compare
// at once, and wordPair the bytes of one interface value.
const (
	sharedBlock = 32
	wordPair    = int(unsafe.Sizeof([2]uintptr{}))
)

// bytesOf views a list of nodes as the bytes of its interface values.
func bytesOf(a []Expr) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(a))), len(a)*wordPair)
}

// words views a list of nodes as the pairs of words of its interface
// values (see SharedEnds).
func words(a []Expr) [][2]uintptr {
	return unsafe.Slice((*[2]uintptr)(unsafe.Pointer(unsafe.SliceData(a))), len(a))
}
