package ast

import (
	"fmt"
	"maps"
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
	m     map[string]*Def
	order []string
	// users maps a name to the defined names whose bodies use it (other
	// than as a parameter): the dependency graph backwards, so that Define
	// looks for a cycle among what depends on the new name, usually
	// nothing, rather than among everything its body depends on, which
	// made a chain of n definitions cost n² (see cycle).
	users map[string]map[string]bool
	stale bool // users is not made yet (see Clone)
	// shadows counts the user's functions that shadow built-ins, so that
	// printing under defs that have none costs nothing (see FormatIn).
	shadows int
}

// Shadowing returns the spellings of the built-in functions that the
// user's functions of ds shadow (sigma for sigma(u) := ...), sorted.
func (ds *Defs) Shadowing() []string {
	if ds == nil || ds.shadows == 0 {
		return nil
	}
	var out []string
	for _, n := range ds.order {
		if base, ok := ShadowedName(n); ok {
			out = append(out, base)
		}
	}
	sort.Strings(out)
	return out
}

// Clone returns an independent copy (the Defs themselves are shared; they
// are never modified). It copies two flat tables and leaves the
// dependency graph to be rebuilt by the copy's first change: most copies
// are snapshots that are only read (a statement run beside the script),
// and a copy per statement of a long script cost a deep copy each.
func (ds *Defs) Clone() *Defs {
	return &Defs{m: maps.Clone(ds.m), order: slices.Clone(ds.order), shadows: ds.shadows, stale: len(ds.m) > 0}
}

// graph rebuilds users if this is a copy whose graph was not made yet.
func (ds *Defs) graph() {
	if !ds.stale {
		return
	}
	ds.stale = false
	for _, n := range ds.order {
		d := ds.m[n]
		ds.link(d, deps(d))
	}
}

// deps returns the names d's body uses, other than its parameters.
func deps(d *Def) []string {
	return slices.DeleteFunc(NamesUsed(d.Body), func(n string) bool { return slices.Contains(d.Params, n) })
}

// link and unlink add and remove d's edges in users.
func (ds *Defs) link(d *Def, uses []string) {
	if ds.users == nil {
		ds.users = map[string]map[string]bool{}
	}
	for _, r := range uses {
		if ds.users[r] == nil {
			ds.users[r] = map[string]bool{}
		}
		ds.users[r][d.Name] = true
	}
}

func (ds *Defs) unlink(d *Def) {
	for _, r := range deps(d) {
		delete(ds.users[r], d.Name)
		if len(ds.users[r]) == 0 {
			delete(ds.users, r)
		}
	}
}

// Lookup returns the definition of name.
func (ds *Defs) Lookup(name string) (*Def, bool) {
	if ds == nil || ds.m == nil {
		return nil, false
	}
	d, ok := ds.m[name]
	return d, ok
}

// Len is the number of definitions.
func (ds *Defs) Len() int {
	if ds == nil {
		return 0
	}
	return len(ds.order)
}

// All returns the definitions in the order they were (last) made.
func (ds *Defs) All() []*Def {
	if ds == nil {
		return nil
	}
	out := make([]*Def, len(ds.order))
	for i, n := range ds.order {
		out[i] = ds.m[n]
	}
	return out
}

// Names returns the defined names as they are written (sigma for the
// user's sigma(u) that shadows the built-in), sorted, each once.
func (ds *Defs) Names() []string {
	if ds == nil {
		return nil
	}
	n := make([]string, len(ds.order))
	for i, name := range ds.order {
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
	return fmt.Sprintf("recursive definition: %s", strings.Join(e.Path, " → "))
}

// Define adds d, replacing any earlier definition of the same name. It
// refuses a definition that would make a name depend on itself.
func (ds *Defs) Define(d *Def) error {
	ds.graph()
	uses := deps(d) // once, for the cycle check and the edges
	if path := ds.cycle(d, uses); path != nil {
		return &CycleError{Path: path}
	}
	if ds.m == nil {
		ds.m = map[string]*Def{}
	}
	if old, ok := ds.m[d.Name]; ok {
		ds.unlink(old)
		ds.order = slices.DeleteFunc(ds.order, func(n string) bool { return n == d.Name })
	} else if _, ok := ShadowedName(d.Name); ok {
		ds.shadows++
	}
	ds.m[d.Name] = d
	ds.link(d, uses)
	ds.order = append(ds.order, d.Name)
	return nil
}

// Remove deletes the definition of name, if any.
func (ds *Defs) Remove(name string) {
	old, ok := ds.m[name]
	if !ok {
		return
	}
	ds.graph()
	ds.unlink(old)
	if _, ok := ShadowedName(name); ok {
		ds.shadows--
	}
	delete(ds.m, name)
	ds.order = slices.DeleteFunc(ds.order, func(n string) bool { return n == name })
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
	// uses d.Name, or a name that depends on d.Name. Find those names by
	// following users back from d.Name; only if d's body uses one is there
	// a path to report.
	dependent := map[string]bool{d.Name: true}
	queue := []string{d.Name}
	for len(queue) > 0 {
		n := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for u := range ds.users[n] {
			if !dependent[u] {
				dependent[u] = true
				queue = append(queue, u)
			}
		}
	}
	if !slices.ContainsFunc(uses, func(n string) bool { return dependent[n] }) {
		return nil
	}
	return ds.cyclePath(d)
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
	memo := map[Expr]Expr{}
	var walk func(Expr) Expr
	walk = func(e Expr) Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		var r Expr
		switch x := e.(type) {
		case *Num:
			r = e
		case *Sym:
			r = e
			if d, ok := ds.Lookup(x.Name); ok && d.Kind == DefScalar && want(x.Name) {
				r = walk(d.Body)
			}
		default:
			kids := Children(e)
			nk := make([]Expr, len(kids))
			for i, k := range kids {
				nk[i] = walk(k)
			}
			r = WithChildren(e, nk)
			switch x := r.(type) {
			case *Index:
				if d, ok := ds.Lookup(x.Name); ok && d.Kind == DefIndexed && want(x.Name) && len(d.Params) == len(x.Indices) {
					r = walk(d.Instantiate(x.Indices))
				}
			case *Call:
				if d, ok := ds.Lookup(x.Fn); ok && d.Kind == DefFunc && want(x.Fn) && len(d.Params) == len(x.Args) {
					r = walk(d.Instantiate(x.Args))
				}
			}
		}
		memo[e] = r
		return r
	}
	return walk(e)
}
