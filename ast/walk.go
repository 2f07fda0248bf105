package ast

import (
	"fmt"
	"slices"
	"sync/atomic"
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
		panic(fmt.Sprintf("ast.WithChildren: unexpected node %T", e))
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
	var walk func(Expr)
	walk = func(e Expr) {
		if _, ok := seen.Get(e); ok {
			return
		}
		seen.Put(e, struct{}{})
		if !f(e) {
			return
		}
		for _, k := range Children(e) {
			walk(k)
		}
	}
	walk(e)
}

// Map rebuilds e bottom-up, replacing every node n by f(n) after its
// children have been mapped; each distinct node is mapped once. Binders are
// not special: use it only for maps that commute with them.
func Map(e Expr, f func(Expr) Expr) Expr {
	memo := map[Expr]Expr{}
	var walk func(Expr) Expr
	walk = func(e Expr) Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r := f(MapChildren(e, walk))
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
	var walk func(Expr) Expr
	walk = func(e Expr) Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r, ok := f(e)
		if !ok {
			r = MapChildren(e, walk)
		}
		memo[e] = r
		return r
	}
	return walk(e)
}

// freeCache holds a node's sorted free names once computed.
type freeCache struct{ p atomic.Pointer[[]string] }

// FreeNames returns the sorted names that occur free in e: scalar names,
// the names of indexed symbols, and index variables not bound by a sum.
// Function names are not included. The result must not be modified.
func FreeNames(e Expr) []string {
	h := e.(interface{ header() *node }).header()
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
