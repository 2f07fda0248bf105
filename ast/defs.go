package ast

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// DefKind tells what a definition defines.
type DefKind uint8

const (
	DefScalar  DefKind = iota // CE := expr
	DefIndexed                // p[i] := expr, the indices are parameters
	DefFunc                   // f(u, v) := expr
)

// A Def is one definition `name := body`, `name[i,...] := body` or
// `name(u,...) := body`.
type Def struct {
	Name   string
	Kind   DefKind
	Params []string
	Body   Expr
}

// Head returns the defined form: the name, name[i,...] or name(u,...).
func (d *Def) Head() Expr {
	args := make([]Expr, len(d.Params))
	for i, p := range d.Params {
		args[i] = NewSym(p)
	}
	switch d.Kind {
	case DefIndexed:
		return NewIndex(d.Name, args...)
	case DefFunc:
		return NewCall(d.Name, args...)
	}
	return NewSym(d.Name)
}

// String prints the definition in the input syntax.
// Where d shadows a built-in function, the body spells that built-in
// otherwise (sigma(u) := 2*sigmoid(u) - 1), so that it reads back the same
// where d is in force.
func (d *Def) String() string {
	if base, ok := ShadowedName(d.Name); ok {
		body, _ := formatShadowing(d.Body, Plain, map[string]bool{base: true})
		return String(d.Head()) + " := " + body
	}
	return String(d.Head()) + " := " + String(d.Body)
}

// Instantiate returns the body with the parameters replaced by args.
func (d *Def) Instantiate(args []Expr) Expr {
	if len(d.Params) == 0 {
		return d.Body
	}
	m := make(map[string]Expr, len(d.Params))
	for i, p := range d.Params {
		m[p] = args[i]
	}
	return Subst(d.Body, m)
}

// A user's function may take the name of a built-in function
// (sigma(u) := u/(1+abs(u))). From its definition on, sigma(...) in that
// script, session or definitions file is the user's function, and it is a
// different function from the built-in: it is defined and called under the
// name UserFunc("sigma"), which no input can spell (the lexer has no '@')
// and no table knows, so no built-in derivative, simplification, fold,
// evaluation or printing rule can apply to it. The printers show it as
// sigma, and where a built-in and a user's function of the same spelling
// meet in one expression, the built-in is shown by another of its
// spellings (sigmoid), so that the output reads back the same.
const shadowMark = "@user"

// UserFunc returns the name under which a user's function spelled name
// that shadows a built-in function is defined and called.
func UserFunc(name string) string { return name + shadowMark }

// ShadowedName reports whether fn is the name of a user's function that
// shadows a built-in, and the name it is written with.
func ShadowedName(fn string) (string, bool) { return strings.CutSuffix(fn, shadowMark) }

// ShownName returns a function's or definition's name as it is written:
// sigma for the user's sigma that shadows the built-in.
func ShownName(fn string) string {
	if base, ok := ShadowedName(fn); ok {
		return base
	}
	return fn
}

// Defs is an ordered set of definitions; a later definition of a name
// replaces the earlier one. The zero value is empty and ready to use.
// Defs is not safe for concurrent modification; Clone gives a snapshot.
type Defs struct {
	// m holds each name's definition; clones share its parts until
	// either side writes (defTable), so a snapshot is cheap.
	m defTable[defAt]
	// order lists the names in the order they were (last) defined; an
	// entry is stale when the name's defAt has another place (redefined)
	// or is gone (removed). Stale entries are compacted away once they
	// are as many as the live ones, so that redefining costs O(1)
	// amortised, not a shift of the whole list.
	order []string
	stale int
	// users maps a name to the defined names whose bodies use it (other
	// than as a parameter): the dependency graph backwards, so that Define
	// looks for a cycle among what depends on the new name, usually
	// nothing, rather than among everything its body depends on, which
	// made a chain of n definitions cost n² (see cycle). It is nil until
	// a cycle check needs it (most files never do). An entry may be stale
	// (its definition was replaced or removed; see usersOf): a
	// replacement adds edges without searching for the old ones, and once
	// the stale edges outnumber the live ones the lists are rebuilt.
	users         *defTable[[]string]
	edges, stale2 int // live and stale entries in users
	// shadows counts the user's functions that shadow built-ins, so that
	// printing under defs that have none costs nothing (see FormatIn).
	shadows int
	// derivs counts the definitions whose bodies hold a derivative (g :=
	// d(x^3, x)), so that derive opens them only where there are any.
	derivs int
	// matrices holds the names whose bodies contain a vector or matrix
	// operation (a MatOp), so that a parser can tell in O(1) that every
	// definition in force is a scalar unless a declaration says otherwise.
	matrices defTable[bool]
}

// A defAt is a definition with its place in order.
type defAt struct {
	d    *Def
	at   int
	uses []string // the names d's body uses (deps)
}

// live reports whether order[i] is the place of its name's definition.
func (ds *Defs) live(i int) bool {
	e, ok := ds.m.get(ds.order[i])
	return ok && e.at == i
}

// names returns the defined names in order (order itself if it holds no
// stale entry).
func (ds *Defs) names() []string {
	if ds.stale == 0 {
		return ds.order
	}
	out := make([]string, 0, ds.m.len())
	for i, n := range ds.order {
		if ds.live(i) {
			out = append(out, n)
		}
	}
	return out
}

// compact drops the stale entries of order once they are as many as the
// live ones.
func (ds *Defs) compact() {
	if ds.stale <= ds.m.len() {
		return
	}
	live := ds.names()
	for i, n := range live {
		e, _ := ds.m.get(n)
		e.at = i
		ds.m.set(n, e)
	}
	ds.order, ds.stale = slices.Clone(live), 0
}

// HasDerivBodies reports whether a definition's body holds a derivative.
func (ds *Defs) HasDerivBodies() bool { return ds != nil && ds.derivs > 0 }

// HasMatrices reports whether the body of some definition contains a
// vector or matrix operation (a transpose, a matrix product, inv, ...).
// Without one, and without a declared vector or matrix, every definition
// is a scalar.
func (ds *Defs) HasMatrices() bool { return ds != nil && ds.matrices.len() > 0 }

// Shadowing returns the spellings of the built-in functions that the
// user's functions of ds shadow (sigma for sigma(u) := ...), sorted.
func (ds *Defs) Shadowing() []string {
	if ds == nil || ds.shadows == 0 {
		return nil
	}
	var out []string
	for _, n := range ds.names() {
		if base, ok := ShadowedName(n); ok {
			out = append(out, base)
		}
	}
	sort.Strings(out)
	return out
}

// Clone returns an independent copy (the Defs themselves are shared; they
// are never modified). It costs O(1): the copy shares the tables and the
// order with ds, and each side copies a part of a table when it first
// writes to it. Clones may be taken by several readers at once.
func (ds *Defs) Clone() *Defs {
	c := &Defs{shadows: ds.shadows, derivs: ds.derivs, stale: ds.stale, edges: ds.edges, stale2: ds.stale2}
	ds.m.shareInto(&c.m)
	ds.matrices.shareInto(&c.matrices)
	// Both sides append to order; the copy's capacity ends at its length,
	// so its appends reallocate and ds's land where the copy cannot see.
	// order is never written in place (compact makes a new one).
	c.order = ds.order[:len(ds.order):len(ds.order)]
	if ds.users != nil {
		c.users = &defTable[[]string]{}
		ds.users.shareInto(c.users)
	}
	return c
}

// deps returns the names d's body uses, other than its parameters (each
// once, in no particular order), and whether the body contains a MatOp.
// It is NamesUsed without the sort and, for the small bodies most
// definitions have, without a visited set: Define calls it for every
// definition, and a file of thousands of them must not pay a map or a
// search of a list per node. It walks the body as a tree; a body that
// shares parts (a DAG) may be exponentially larger as a tree, so past
// treeMax nodes it starts again, visiting each distinct node once (what
// it found so far stays true).
func deps(d *Def) ([]string, bool) {
	const treeMax = 256
	var (
		namesBuf [16]string // most bodies use a few names: one allocation, of the exact size
		names    = namesBuf[:0]
		symsBuf  [16]*Sym // the symbols met, compared as pointers (hash-consed)
		syms     = symsBuf[:0]
		// callsBuf holds the calls walked so far: a body repeats a call
		// with all below it (sigma(z) in both terms of a cross-entropy's
		// sample), and the second is skipped by its pointer. Only calls:
		// they are few, and they hold the repeated parts.
		callsBuf [8]*Call
		calls    = callsBuf[:0]
		matrix   bool
		visits   int
		seen     map[Expr]bool // visited nodes, once the tree is large
		stackBuf [32]Expr      // nodes to visit
		stack    = append(stackBuf[:0], d.Body)
		// builtinsBuf holds the built-in functions' names met so far.
		builtinsBuf [4]string
		builtins    = builtinsBuf[:0]
		// loose counts the names not of a symbol in syms (an index's,
		// a function's, or a symbol's past the list).
		loose int
	)
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n, ok := e.(*Sym); ok {
			// A leaf: visiting it again changes nothing. A body repeats
			// its symbols (z in both terms of a cross-entropy's sample):
			// one seen is known by its pointer, without comparing names
			// (the first few: a long list would cost more than it saves).
			if slices.Contains(syms, n) {
				continue
			}
			// Two symbols of one name are one node: while every name
			// so far is a listed symbol's, a symbol not listed has a name
			// not in names, and the comparison of strings is skipped.
			known := loose > 0
			if len(syms) < len(symsBuf) {
				syms = append(syms, n)
			} else {
				loose++
			}
			if !slices.Contains(d.Params, n.Name) && (!known || !slices.Contains(names, n.Name)) {
				names = append(names, n.Name)
			}
			continue
		}
		if _, ok := e.(*Num); ok {
			continue
		}
		if seen != nil {
			if seen[e] {
				continue
			}
			seen[e] = true
		} else if visits++; visits > treeMax {
			seen = make(map[Expr]bool, 2*treeMax)
			stack = append(stack[:0], d.Body)
			continue
		}
		// One switch: the name the node uses, if any, and its children
		// (Children makes a slice for the nodes that hold their operands
		// in fields; the common ones are pushed directly).
		name := ""
		switch n := e.(type) {
		// Children are pushed one at a time: appending a slice of
		// interfaces calls the runtime's typed copy (an eighth of deps).
		case *Add:
			//lint:ignore S1011 one at a time: no typed copy
			for _, k := range n.Terms {
				stack = append(stack, k)
			}
		case *Mul:
			//lint:ignore S1011 one at a time: no typed copy
			for _, k := range n.Factors {
				stack = append(stack, k)
			}
		case *Call:
			if seen == nil {
				if slices.Contains(calls, n) {
					continue // walked already: its names are in names
				}
				if len(calls) < len(callsBuf) {
					calls = append(calls, n)
				}
			}
			// As in NamesUsed: a call of a built-in's name is the built-in.
			// A body calls a few built-ins again and again (log, sigma):
			// those already looked up are known without the map.
			if !slices.Contains(builtins, n.Fn) {
				if _, builtin := LookupFunc(n.Fn); !builtin {
					name = n.Fn
				} else if len(builtins) < len(builtinsBuf) {
					builtins = append(builtins, n.Fn)
				}
			}
			//lint:ignore S1011 one at a time: no typed copy
			for _, k := range n.Args {
				stack = append(stack, k)
			}
		case *Neg:
			stack = append(stack, n.X)
		case *Pow:
			stack = append(stack, n.X, n.Y)
		case *Div:
			stack = append(stack, n.X, n.Y)
		case *Index:
			name = n.Name
			stack = append(stack, n.Indices...)
		case *MatOp:
			matrix = true
			stack = append(stack, n.Args...)
		default:
			stack = append(stack, Children(e)...)
		}
		if name != "" && !slices.Contains(d.Params, name) && !slices.Contains(names, name) {
			names = append(names, name)
			loose++
		}
	}
	if len(names) == 0 {
		return nil, matrix
	}
	return slices.Clone(names), matrix
}

// link adds the edges of d, whose body uses the names uses.
func (ds *Defs) link(d *Def, uses []string) {
	if ds.users == nil {
		ds.users = newUsers()
	}
	for _, r := range uses {
		// From a part of its own, where a list's spare capacity is
		// not shared with a clone (see newUsers).
		v, _ := ds.users.getOwned(r)
		ds.users.set(r, append(v, d.Name))
	}
	ds.edges += len(uses)
}

// unlink makes the edges of the definition e stale, and rebuilds the lists
// once stale edges outnumber live ones (O(1) amortised per edge).
func (ds *Defs) unlink(e defAt) {
	ds.matrices.del(e.d.Name)
	if ds.users == nil {
		return // no index yet
	}
	ds.edges -= len(e.uses)
	ds.stale2 += len(e.uses)
	if ds.stale2 <= ds.edges+64 {
		return
	}
	ds.buildUsers() // e is no longer in m
}

// usersOf calls f for each defined name whose body uses name (possibly
// more than once for one).
func (ds *Defs) usersOf(name string, f func(user string)) {
	users, _ := ds.users.get(name)
	for _, u := range users {
		if e, ok := ds.m.get(u); ok && slices.Contains(e.uses, name) {
			f(u)
		}
	}
}

// LookupUser returns the definition of the user's function spelled name
// that shadows the built-in of that name (see UserFunc), if there is one.
func (ds *Defs) LookupUser(name string) (*Def, bool) {
	if ds == nil || ds.shadows == 0 {
		return nil, false // most definitions shadow nothing: no name to build
	}
	return ds.Lookup(UserFunc(name))
}

// Lookup returns the definition of name.
func (ds *Defs) Lookup(name string) (*Def, bool) {
	if ds == nil {
		return nil, false
	}
	e, ok := ds.m.get(name)
	return e.d, ok
}

// Len is the number of definitions.
func (ds *Defs) Len() int {
	if ds == nil {
		return 0
	}
	return ds.m.len()
}

// All returns the definitions in the order they were (last) made.
func (ds *Defs) All() []*Def {
	if ds == nil {
		return nil
	}
	names := ds.names()
	out := make([]*Def, len(names))
	for i, n := range names {
		e, _ := ds.m.get(n)
		out[i] = e.d
	}
	return out
}

// Names returns the defined names as they are written (sigma for the
// user's sigma(u) that shadows the built-in), sorted, each once.
func (ds *Defs) Names() []string {
	if ds == nil {
		return nil
	}
	names := ds.names()
	n := make([]string, len(names))
	for i, name := range names {
		n[i] = ShownName(name)
	}
	sort.Strings(n)
	return slices.Compact(n)
}

// A CycleError reports a definition that refers to itself.
type CycleError struct{ Path []string }

func (e *CycleError) Error() string {
	if len(e.Path) == 1 {
		return fmt.Sprintf("recursive definition: %s refers to itself", e.Path[0])
	}
	path := e.Path
	if len(path) > 2*cycleShown+1 {
		// A cycle through thousands of definitions: its ends say where
		// it starts and closes; the whole path would be megabytes.
		head := strings.Join(path[:cycleShown], " → ")
		tail := strings.Join(path[len(path)-cycleShown:], " → ")
		return fmt.Sprintf("recursive definition through %d names: %s → … → %s", len(path)-1, head, tail)
	}
	return fmt.Sprintf("recursive definition: %s", strings.Join(path, " → "))
}

// cycleShown is how many names a long cycle's message shows at each end.
const cycleShown = 4

// Define adds d, replacing any earlier definition of the same name. It
// refuses a definition that would make a name depend on itself.
func (ds *Defs) Define(d *Def) error {
	uses, matrix := deps(d) // once, for the cycle check and the edges
	return ds.define(d, uses, matrix)
}

// DefineUses is Define for a caller that knows the names d's body uses:
// uses holds each name the body mentions other than d's parameters (a
// symbol's, an index's, a function's that is not a built-in), once, in
// any order, and the body has no matrix operation. The parser collects
// them as it lowers the body, which saves walking it again (a tenth of
// reading a file of definitions). Define keeps uses.
func (ds *Defs) DefineUses(d *Def, uses []string) error {
	return ds.define(d, uses, false)
}

func (ds *Defs) define(d *Def, uses []string, matrix bool) error {
	if path := ds.cycle(d, uses); path != nil {
		return &CycleError{Path: path}
	}
	if old, ok := ds.m.get(d.Name); ok {
		ds.m.del(d.Name) // not rebuilt into users by unlink
		ds.unlink(old)
		ds.stale++ // its place in order
		if HasDeriv(old.d.Body) {
			ds.derivs--
		}
	} else if _, ok := ShadowedName(d.Name); ok {
		ds.shadows++
	}
	if HasDeriv(d.Body) {
		ds.derivs++
	}
	ds.m.set(d.Name, defAt{d, len(ds.order), uses})
	if ds.users != nil {
		ds.link(d, uses)
	}
	if matrix {
		ds.matrices.set(d.Name, true)
	}
	ds.order = append(ds.order, d.Name)
	ds.compact()
	return nil
}

// Remove deletes the definition of name, if any.
func (ds *Defs) Remove(name string) {
	old, ok := ds.m.get(name)
	if !ok {
		return
	}
	ds.m.del(name)
	ds.unlink(old)
	if _, ok := ShadowedName(name); ok {
		ds.shadows--
	}
	if HasDeriv(old.d.Body) {
		ds.derivs--
	}
	ds.stale++
	ds.compact()
}

// Refs returns the defined names that e refers to directly, sorted.
func (ds *Defs) Refs(e Expr) []string {
	var out []string
	for _, n := range NamesUsed(e) {
		if _, ok := ds.Lookup(n); ok {
			out = append(out, n)
		}
	}
	return out
}

// NamesUsed returns every name e mentions (scalar, indexed and function
// names, bound or free; not the names of built-in functions called), sorted.
func NamesUsed(e Expr) []string {
	seen := map[string]bool{}
	InspectOnce(e, func(n Expr) bool {
		switch n := n.(type) {
		case *Sym:
			seen[n.Name] = true
		case *Index:
			seen[n.Name] = true
		case *Call:
			// A call of a built-in's name is the built-in, not a
			// definition sharing its name (sigma := sigma(z)*2 refers to
			// the sigmoid); a user's function that shadows a built-in has
			// a name of its own (see UserFunc).
			if _, builtin := LookupFunc(n.Fn); !builtin {
				seen[n.Fn] = true
			}
		}
		return true
	})
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// cycle returns a path name → ... → name if defining d would make a name
// depend on itself, given the other definitions.
func (ds *Defs) cycle(d *Def, uses []string) []string {
	// The definitions are acyclic, so a cycle must pass through d: d's body
	// uses d.Name, or a name that depends on d.Name. Without the users
	// index, look forward from d's body, which in most files reaches few
	// definitions (a definition of sample terms uses inputs only); past a
	// budget, build the index and look backward, so that a chain of n
	// definitions costs O(n), not O(n²).
	if ds.users == nil {
		switch ds.reaches(uses, d.Name) {
		case reachNo:
			return nil
		case reachYes:
			return ds.cyclePath(d)
		}
		ds.buildUsers()
	}
	// Find the names that depend on d.Name by following users back from
	// it; only if d's body uses one is there a path to report.
	if users, _ := ds.users.get(d.Name); len(users) == 0 { // no entry, live or stale
		// Nothing depends on d.Name (a new name, as in a file of
		// definitions): only a body that uses it itself is a cycle.
		if !slices.Contains(uses, d.Name) {
			return nil
		}
		return ds.cyclePath(d)
	}
	dependent := map[string]bool{d.Name: true}
	queue := []string{d.Name}
	for len(queue) > 0 {
		n := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		ds.usersOf(n, func(u string) {
			if !dependent[u] {
				dependent[u] = true
				queue = append(queue, u)
			}
		})
	}
	if !slices.ContainsFunc(uses, func(n string) bool { return dependent[n] }) {
		return nil
	}
	return ds.cyclePath(d)
}

// reachBudget is how many definitions reaches follows before it gives up.
var reachBudget = 32

const (
	reachNo = iota
	reachYes
	reachUnknown
)

// reaches reports whether goal is among uses or the names the
// definitions of uses lead to, following at most reachBudget definitions.
// Most bodies use only inputs (names not defined, as in a file of
// definitions of sample terms): those are answered from uses alone,
// without the buffers of the search (half the cost of a Define of W7).
func (ds *Defs) reaches(uses []string, goal string) int {
	follow := false
	for _, n := range uses {
		if n == goal {
			return reachYes
		}
		if _, ok := ds.m.get(n); ok {
			follow = true
		}
	}
	if !follow {
		return reachNo
	}
	return ds.reachesFrom(uses, goal)
}

// reachesFrom is reaches by a search of the definitions from uses.
func (ds *Defs) reachesFrom(uses []string, goal string) int {
	var (
		seenBuf  [32]string
		seen     = seenBuf[:0]
		stackBuf [16]string // most bodies use a few names: no allocation
		stack    = append(stackBuf[:0], uses...)
	)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == goal {
			return reachYes
		}
		e, ok := ds.m.get(n)
		if !ok || slices.Contains(seen, n) {
			continue
		}
		if len(seen) >= reachBudget {
			return reachUnknown
		}
		seen = append(seen, n)
		stack = append(stack, e.uses...)
	}
	return reachNo
}

// buildUsers builds the users index from every definition; from then on
// Define keeps it up to date.
func (ds *Defs) buildUsers() {
	ds.users, ds.edges, ds.stale2 = newUsers(), 0, 0
	ds.m.all(func(_ string, e defAt) { ds.link(e.d, e.uses) })
}

// cyclePath finds the path of a cycle through d by walking forward from
// its body.
func (ds *Defs) cyclePath(d *Def) []string {
	seen := map[string]bool{}
	var path []string
	var visit func(name string, body Expr, params []string) bool
	visit = func(name string, body Expr, params []string) bool {
		path = append(path, name)
		for _, r := range NamesUsed(body) {
			if slices.Contains(params, r) {
				continue // a parameter shadows a definition of the same name
			}
			if r == d.Name {
				path = append(path, r)
				return true
			}
			if seen[r] {
				continue
			}
			seen[r] = true
			if rd, ok := ds.Lookup(r); ok && visit(r, rd.Body, rd.Params) {
				return true
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if !visit(d.Name, d.Body, d.Params) {
		return nil
	}
	if len(path) == 2 {
		return path[:1]
	}
	return path
}

// Expand replaces every use of a defined name by its body, recursively.
// Definitions cannot be cyclic (Define refuses them), so this terminates.
func (ds *Defs) Expand(e Expr) Expr {
	return ds.ExpandIf(e, func(string) bool { return true })
}

// ExpandIf expands the uses of defined names for which want is true, and
// inside their bodies, recursively. Each distinct node is expanded once.
func (ds *Defs) ExpandIf(e Expr, want func(name string) bool) Expr {
	if ds.Len() == 0 {
		return e
	}
	return ds.expander(want)(e)
}

// Expander returns Expand as a function that keeps its memo from one call
// to the next, for expanding many expressions that share parts under the
// same definitions (the bodies of a chain of n definitions: n calls of
// Expand walk n²/2 nodes, n calls of one expander n). The definitions must
// not change while it is in use.
func (ds *Defs) Expander() func(Expr) Expr {
	if ds.Len() == 0 {
		return func(e Expr) Expr { return e }
	}
	return ds.expander(func(string) bool { return true })
}

func (ds *Defs) expander(want func(name string) bool) func(Expr) Expr {
	// bound lists the defined names that a binder in force rebinds: a
	// sum's variable in its body, a definition's parameters in its body.
	// There the name is not the definition (i := 5 does not make
	// sum(i=1..3, i) three fives). A definition's body is expanded where
	// it is written, under its parameters only, and then instantiated, so
	// that an argument bound outside (w[i] in a sum over i) is not
	// expanded as the definition of i. Memoised per bound list.
	type memoKey struct {
		e     Expr
		bound string
	}
	memo := map[memoKey]Expr{}
	var walk func(e Expr, bound []string) Expr
	expandable := func(name string, bound []string) bool {
		return want(name) && !slices.Contains(bound, name)
	}
	// rebind returns the names of vars that are defined, the ones a
	// binder of vars hides.
	rebind := func(vars []string) []string {
		var out []string
		for _, v := range vars {
			if _, ok := ds.Lookup(v); ok {
				out = append(out, v)
			}
		}
		return out
	}
	body := func(d *Def, args []Expr) Expr {
		b := walk(d.Body, rebind(d.Params))
		if len(d.Params) == 0 {
			return b
		}
		m := make(map[string]Expr, len(d.Params))
		for i, p := range d.Params {
			m[p] = args[i]
		}
		return Subst(b, m)
	}
	walk = func(e Expr, bound []string) Expr {
		k := memoKey{e, strings.Join(bound, ",")}
		if r, ok := memo[k]; ok {
			return r
		}
		var r Expr
		switch x := e.(type) {
		case *Num:
			r = e
		case *Sym:
			r = e
			if d, ok := ds.Lookup(x.Name); ok && d.Kind == DefScalar && expandable(x.Name, bound) {
				r = body(d, nil)
			}
		case *Sum:
			inner := bound
			if _, ok := ds.Lookup(x.Var); ok && !slices.Contains(bound, x.Var) {
				inner = append(slices.Clone(bound), x.Var)
			}
			r = NewSum(x.Op, x.Var, walk(x.Lo, bound), walk(x.Hi, bound), walk(x.Body, inner))
		default:
			kids := Children(e)
			nk := make([]Expr, len(kids))
			for i, k := range kids {
				nk[i] = walk(k, bound)
			}
			r = WithChildren(e, nk)
			switch x := r.(type) {
			case *Index:
				if d, ok := ds.Lookup(x.Name); ok && d.Kind == DefIndexed && expandable(x.Name, bound) && len(d.Params) == len(x.Indices) {
					r = body(d, x.Indices)
				}
			case *Call:
				if d, ok := ds.Lookup(x.Fn); ok && d.Kind == DefFunc && expandable(x.Fn, bound) && len(d.Params) == len(x.Args) {
					r = body(d, x.Args)
				}
			}
		}
		memo[k] = r
		return r
	}
	return func(e Expr) Expr { return walk(e, nil) }
}
