package parser

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
)

// Context is what a parse needs to know about what came before it.
type Context struct {
	// Defs holds the definitions in force (not modified by parsing).
	Defs *ast.Defs
	// Funcs names functions known only by a derivative rule (no
	// definition), with their arity.
	Funcs map[string]int
	// Shapes holds the declared shapes (X : matrix(n, d)); names not in
	// it are scalars. Not modified by parsing.
	Shapes map[string]ast.Shape
	// DeferLast returns a statement that uses _ and does not lower as a
	// deferred one (Statement.Deferred) rather than failing the input.
	DeferLast bool
}

// use records how a free name has been used in this input, so that x and
// x[i] in one script are caught as the mistake they usually are.
type use struct {
	indexed bool
	n       int32 // how many indices
	at      int32 // byte offset of the use
	// sym is a scalar's node, so that its next uses need no lookup in
	// ast's tables; idx is an indexed use (x[i, j]), for the messages.
	sym *ast.Sym
	idx *ast.Index
}

type lowerer struct {
	stop      *stopper // the context lowering honours (nil: none)
	ticks     int      // nodes lowered, for stop
	file, src string
	defs      *ast.Defs
	funcs     map[string]int
	uses      *useTable
	// recent caches the scalar uses of the last few free names, in front
	// of uses: a file of definitions names a few inputs again and again
	// (w1, w2, w3) and uses a new name twice in a line, while uses holds
	// every name of the file, so that a lookup there misses the CPU's
	// caches. An entry is a copy of uses[name] with !indexed, dropped
	// wherever uses[name] is (forget). A name has one place in it (see
	// recentSlot), a set of two entries, so that a lookup compares two
	// names, not eight, and a name used on every line stays until two
	// names with its place come after it.
	recent [1 << recentBits]recentSet
	locals []string // parameters and sum indices in scope
	// allowed, when non-nil, is the set of pattern variables a rule's right
	// side and conditions may use; pattern is true while lowering a rule.
	pattern bool
	allowed map[string]bool
	// at lists the nodes of the statement being lowered with where each
	// occurs, in the order they were lowered (see Statement.PosOf). A
	// list, not a map: it is read only to point at an error found after
	// parsing, and appending costs far less than a map per statement.
	at     []nodeAt // the records of the statement being lowered
	atSlab []nodeAt // where the records of statements are kept (stmtAt)
	// sumVars are the indices of the sums being lowered, innermost last.
	sumVars []string
	// more holds the declarations after the first of w, v : vector(d),
	// each a statement of its own (takeMore).
	more []moreDecl
	// stmtSlab holds the Statements not yet handed out (newStatement).
	stmtSlab  []Statement
	stmtSlabN int // the length of the last slab made
	// text is the input with its line table, for positions computed from
	// byte offsets (pos); cursor gives the statements' positions, in
	// order, without the table.
	text   *source
	cursor posCursor
	// defining is set while the body of a definition is lowered; free is
	// the first index in it that is neither a parameter nor bound by a sum.
	defining bool
	free     *identNode
	// depSyms and depFns are the names the body of the definition being
	// lowered uses (its free symbols, and the functions it calls that are
	// not built-ins), each once, as ast's walk of the body would find
	// them, so that Define need not walk it (ast.Defs.DefineUses); only
	// while depsExact holds: the body has only the parts whose names are
	// collected here (names, numbers, arithmetic, calls). Anything else
	// (an index, a sum, a where clause, a derivative, a matrix ...)
	// clears it, and Define walks the body.
	depSyms   []*ast.Sym
	depFns    []string
	depsExact bool
	// calls are the last few names called that are plain built-ins
	// (knownCall), emptied when a function is defined; callsNext is the
	// entry the next one takes.
	calls [4]struct {
		fn string
		f  *ast.Func
	}
	callsNext int
	// decls are the declared shapes, env infers shapes (see matrix.go).
	decls map[string]ast.Shape
	env   *shape.Env
	// matrices is set once a vector or matrix can occur: a declared one
	// (here or in the context), a definition in force whose body has a
	// matrix operation, or one lowered here. Until then every expression
	// is a scalar, and the shape checks, which could only fail on a
	// non-scalar, are skipped (see checkShape).
	matrices bool
	// full turns off the shortcuts (the shape checks skipped while there
	// are only scalars, the checks skipped for a free name met before),
	// so that tests can compare the results with and without them.
	full bool
	// warnings are said about the statement being lowered (a definition
	// that shadows a built-in function's name).
	warnings []string
	// named holds the names of the where clauses being lowered, with
	// their expressions; later are the names defined after the one
	// being lowered (using one is an error).
	named map[string]ast.Expr
	later map[string]bool
	// namedAt is the number of locals (parameters, sums' variables) in
	// scope where each name of named was bound: a where clause inside a
	// function rebinds a parameter (r(u) := u + 1 where u = 10 is 11; the
	// parameter won, silently), and a sum inside the clause rebinds it
	// again.
	namedAt map[string]int
	// defined, for a long input read without definitions before it, is
	// a filter of the names defined so far: a name it does not hold is
	// not defined, and needs no lookup in defs (a miss in a table of
	// thousands, for every new name of a file of definitions). It is nil
	// otherwise.
	defined     *nameFilter
	deferLastOK bool // Context.DeferLast
	// memo holds the calls and parentheses of the statement being
	// lowered by their text (memo.go).
	memo memoTable
	// recorded tells expr that the node lower has just returned has a
	// record in this statement already, which comes before the one expr
	// would make (which PosOf would never read): a parenthesis's, whose
	// expression has it, and a call's or parenthesis's found in the memo.
	recorded bool
}

// A nameFilter is a Bloom filter of names, two bits each: a name added is
// always found; a name not added is found once in many (about one in 70
// with a name for every 16 bits), which costs only a lookup.
type nameFilter struct {
	bits []uint64
	mask uint64 // len(bits)*64 - 1
}

// newNameFilter returns a filter of at least n bits (a power of two).
func newNameFilter(n int) *nameFilter {
	words := 1
	for words*64 < n {
		words *= 2
	}
	return &nameFilter{bits: make([]uint64, words), mask: uint64(words*64 - 1)}
}

// A nameFilter hashes a name as the table of uses does (useSeed), so
// that a name new to the input, hashed to be looked for there, is looked
// for here by that hash (hasHash).
func (f *nameFilter) add(name string) {
	h := maphash.String(useSeed, name)
	for _, b := range [2]uint64{h & f.mask, h >> 32 & f.mask} {
		f.bits[b/64] |= 1 << (b % 64)
	}
}

func (f *nameFilter) has(name string) bool { return f.hasHash(maphash.String(useSeed, name)) }

// hasHash is has, for the name whose hash (by useSeed) is h.
func (f *nameFilter) hasHash(h uint64) bool {
	a, b := h&f.mask, h>>32&f.mask
	return f.bits[a/64]&(1<<(a%64)) != 0 && f.bits[b/64]&(1<<(b%64)) != 0
}

// funcShapes has bit min(len(name), 63) of entry name[0] set for every
// spelling ast.LookupFunc accepts. Filled on first use, in place: a small
// command's start allocates no table (TestColdCommandBudget).
var (
	funcShapes     [256]uint64
	funcShapesOnce sync.Once
)

func fillFuncShapes() {
	ast.EachFuncName(func(n string) {
		if n != "" {
			funcShapes[n[0]] |= 1 << min(len(n), 63)
		}
	})
}

// lookupFunc is ast.LookupFunc, without the lookup in its map of a name
// whose first byte and length no built-in has: most names of a file of
// definitions (y12, x_12_3), each new one asked whether it is a
// constant, and each defined one whether it shadows a built-in.
func lookupFunc(name string) (*ast.Func, bool) {
	funcShapesOnce.Do(fillFuncShapes)
	if name == "" || funcShapes[name[0]]&(1<<min(len(name), 63)) == 0 {
		return nil, false
	}
	return ast.LookupFunc(name)
}

// lookupDef is lw.defs.Lookup, without the lookup for a name the filter
// of defined names does not hold.
func (lw *lowerer) lookupDef(name string) (*ast.Def, bool) {
	if lw.defined != nil && !lw.full && !lw.defined.has(name) {
		return nil, false
	}
	return lw.defs.Lookup(name)
}

// lookupDefAt is lookupDef, for the name getAt found (or did not) at p.
func (lw *lowerer) lookupDefAt(name string, p usePlace) (*ast.Def, bool) {
	if lw.defined != nil && !lw.full && !lw.defined.hasHash(p.h) {
		return nil, false
	}
	return lw.defs.Lookup(name)
}

func newLowerer(file, src string, ctx *Context) *lowerer {
	// A long input names many things (a file of definitions, a new name
	// or two a line): its map of uses is made at about its size at once,
	// rather than grown by doubling, rehashing every name each time.
	uses := newUseTable(0)
	var defined *nameFilter
	if len(src) > 64<<10 {
		uses = newUseTable(len(src) / 32)
		if ctx == nil || ctx.Defs.Len() == 0 {
			// A bit per 8 bytes of input, so that the filter stays in
			// the fastest caches: W7's lines of 110 bytes give 14 bits a
			// name, and about one name in 55 not added is found; denser
			// files find more, which only costs their lookups.
			defined = newNameFilter(len(src) / 8)
		}
	}
	lw := &lowerer{file: file, src: src, defs: &ast.Defs{}, funcs: map[string]int{}, uses: uses, text: &source{filename: file, text: src}, defined: defined}
	if ctx != nil {
		if ctx.Defs != nil {
			lw.defs = ctx.Defs.Clone()
		}
		for k, v := range ctx.Funcs {
			lw.funcs[k] = v
		}
	}
	lw.decls = map[string]ast.Shape{}
	if ctx != nil {
		for k, v := range ctx.Shapes {
			lw.decls[k] = v
		}
	}
	lw.deferLastOK = ctx != nil && ctx.DeferLast
	lw.env = shape.New(lw.decls, lw.defs)
	lw.matrices = lw.defs.HasMatrices()
	for _, s := range lw.decls {
		if !s.IsScalar() {
			lw.matrices = true
		}
	}
	return lw
}

func (lw *lowerer) errorf(at spot, format string, args ...any) *Error {
	return errorAt(lw.src, lw.pos(at.off), format, args...)
}

// reservedWords are words that cannot name anything.
var reservedWords = []string{"prove", "rule", "deriv", "explain", "if", "and", "wrt", "sum", "mean", "assume", "in", "where"}

// isReserved reports whether name is one of reservedWords (a switch: the
// lowerer asks it of every name).
func isReserved(name string) bool {
	switch name {
	case "prove", "rule", "deriv", "explain", "if", "and", "wrt", "sum", "mean", "assume", "in", "where":
		return true
	}
	return false
}

func (lw *lowerer) stmt(st *stmtSyntax) (ast.Stmt, error) {
	lw.at = lw.at[:0]
	lw.memo.clear()
	at := spot{int32(st.Pos.Offset)}
	switch {
	case st.Prove != nil:
		a, err := lw.expr(st.Prove.A)
		if err != nil {
			return nil, err
		}
		b, err := lw.expr(st.Prove.B)
		if err != nil {
			return nil, err
		}
		return &ast.ProveStmt{A: a, B: b, Neq: st.Prove.Op == "!="}, nil
	case st.Rule != nil:
		return lw.rule(st.Rule, at)
	case st.Deriv != nil:
		return lw.deriv(st.Deriv, at)
	case st.Explain != nil:
		loss, err := lw.expr(st.Explain.Loss)
		if err != nil {
			return nil, err
		}
		x := &ast.ExplainStmt{Loss: loss}
		if st.Explain.Wrt != nil {
			x.Wrt = st.Explain.Wrt.Name
		}
		return x, nil
	case st.Assume != nil:
		return lw.assume(st.Assume)
	case st.Expr.Decl != nil:
		return lw.declareAll(st.Expr)
	case len(st.Expr.More) > 0:
		return nil, lw.listError(st.Expr)
	case st.Expr.Def != nil:
		return lw.define(st.Expr.X, st.Expr.Def)
	}
	x, err := lw.expr(st.Expr.X)
	if err != nil {
		return nil, err
	}
	return &ast.ExprStmt{X: x}, nil
}

// params checks the parameter list of a definition or derivative rule.
func (lw *lowerer) params(what string, args []Node) ([]string, error) {
	var out []string
	for _, a := range args {
		id, ok := a.(*identNode)
		if !ok {
			return nil, lw.errorf(a.pos(), "the parameters of %s must be plain names, like f(u, v) or p[i]", what)
		}
		if slices.Contains(out, id.name) {
			return nil, lw.errorf(a.pos(), "the parameter %s appears twice", id.name)
		}
		if err := lw.checkNewName(id.name, id.at, "a parameter"); err != nil {
			return nil, err
		}
		out = append(out, strings.Clone(id.name)) // not a substring of the input (see define)
	}
	return out, nil
}

// checkNewName refuses names that cannot be defined or bound.
func (lw *lowerer) checkNewName(name string, at spot, what string) error {
	if isReserved(name) {
		return lw.errorf(at, "%q is a keyword and cannot be used as %s", name, what)
	}
	// A built-in function's name is free for anything that is not itself
	// applied to arguments: sigma as the standard deviation, sigma(z) as
	// the sigmoid. Only a function's definition would clash with it.
	return nil
}

func (lw *lowerer) define(lhs, rhs Node) (ast.Stmt, error) {
	// The statement and its definition in one allocation.
	both := &struct {
		s ast.DefStmt
		d ast.Def
	}{}
	d := &both.d
	var at spot
	switch h := lhs.(type) {
	case *identNode:
		d.Name, d.Kind, at = h.name, ast.DefScalar, h.at
	case *indexNode:
		ps, err := lw.params(h.name+"[...]", h.indices)
		if err != nil {
			return nil, err
		}
		d.Name, d.Kind, d.Params, at = h.name, ast.DefIndexed, ps, h.at
	case *callNode:
		if h.fn == "d" {
			return nil, lw.errorf(h.at, "d(...) is the derivative and cannot be redefined")
		}
		if len(h.args) == 0 {
			return nil, lw.errorf(h.at, "a function needs at least one parameter: %s(u) := ...", h.fn)
		}
		ps, err := lw.params(h.fn+"(...)", h.args)
		if err != nil {
			return nil, err
		}
		d.Name, d.Kind, d.Params, at = h.fn, ast.DefFunc, ps, h.at
	default:
		return nil, lw.errorf(lhs.pos(), "the left side of := must be a name, name[i,...] or name(u,...)")
	}
	// The definition outlives the parse (a session keeps it): its names
	// are copies, so that it does not keep the whole input alive.
	d.Name = strings.Clone(d.Name)
	if err := lw.checkNewName(d.Name, at, "a defined name"); err != nil {
		return nil, err
	}
	if _, ok := ast.LookupVerb(d.Name); ok && d.Kind == ast.DefFunc {
		return nil, lw.errorf(at, "%s is an algebra verb and cannot be redefined (name yours differently)", d.Name)
	}
	shadows := false
	if f, ok := lookupFunc(d.Name); ok {
		switch {
		case d.Kind == ast.DefFunc:
			// The user's function from here on: a function of its own
			// (ast.UserFunc), said once, when it first shadows the built-in.
			shadows = true
			if _, again := lw.defs.LookupUser(d.Name); !again {
				lw.warnf(at, "%s shadows the built-in function %s (the %s) from here on", ast.String(d.Head()), d.Name, shortDoc(f))
			}
		case f.IsConst():
			lw.warnf(at, "%s shadows the built-in constant %s: from here on %s is this definition", d.Name, f.Name, d.Name)
		default:
			lw.warnf(at, "%s shadows the name of the built-in function %s: %s is this definition, %s(...) is still the built-in", d.Name, f.Name, d.Name, d.Name)
		}
	}
	n := len(lw.locals)
	lw.locals = append(lw.locals, d.Params...)
	lw.defining, lw.free = true, nil
	lw.depSyms, lw.depFns, lw.depsExact = lw.depSyms[:0], lw.depFns[:0], true
	body, err := lw.expr(rhs)
	lw.locals = lw.locals[:n]
	free := lw.free
	lw.defining, lw.free = false, nil
	if err != nil {
		return nil, err
	}
	if free != nil {
		// Reported after the body's other errors: those are more basic.
		return nil, lw.errorf(free.at, "the index %s is free: it is neither a parameter of %s nor bound by a sum", free.name, ast.String(d.Head()))
	}
	d.Body = body
	if shadows {
		// Named only now: in the body of the first such definition,
		// sigma(...) is still the built-in.
		d.Name = ast.UserFunc(d.Name)
	}
	if _, declared := lw.decls[d.Name]; declared {
		return nil, lw.errorf(at, "%s is declared (%s : %s): a declared name is an input and cannot be defined", d.Name, d.Name, lw.decls[d.Name].Decl())
	}
	if err := lw.defineBody(d); err != nil {
		return nil, lw.errorf(at, "%v", err)
	}
	if lw.defined != nil {
		lw.defined.add(d.Name)
	}
	if lw.matrices {
		lw.env.Defined(d.Name)
	}
	lw.forget(d.Name)
	delete(lw.funcs, d.Name)
	if d.Kind == ast.DefFunc {
		// It may shadow a built-in from here on (ast.UserFunc).
		clear(lw.calls[:])
	}
	both.s.Def = d
	return &both.s, nil
}

// defineBody defines d, with the names its body uses as lowering
// collected them, if it could (see depsExact).
func (lw *lowerer) defineBody(d *ast.Def) error {
	if !lw.depsExact || lw.matrices {
		return lw.defs.Define(d)
	}
	// A function's name may be a symbol's too, or a parameter's (which
	// the walk leaves out, as it does the parameters' symbols, which are
	// not collected).
	fnOK := func(f string) bool {
		return !slices.Contains(d.Params, f) && !slices.ContainsFunc(lw.depSyms, func(s *ast.Sym) bool { return s.Name == f })
	}
	n := len(lw.depSyms)
	for _, f := range lw.depFns {
		if fnOK(f) {
			n++
		}
	}
	var uses []string
	if n > 0 {
		uses = make([]string, 0, n) // Define keeps it: the exact size
		for _, s := range lw.depSyms {
			uses = append(uses, s.Name)
		}
		for _, f := range lw.depFns {
			if fnOK(f) {
				uses = append(uses, f)
			}
		}
	}
	if depsHook != nil {
		depsHook(d, uses)
	}
	return lw.defs.DefineUses(d, uses)
}

// depsHook, when set (by tests), sees each definition's body with the
// names collected for it.
var depsHook func(d *ast.Def, uses []string)

// dep notes the free symbol s in the body of a definition.
func (lw *lowerer) dep(s *ast.Sym) *ast.Sym {
	if lw.defining && !slices.Contains(lw.depSyms, s) {
		lw.depSyms = append(lw.depSyms, s)
	}
	return s
}

func (lw *lowerer) rule(r *ruleSyntax, at spot) (ast.Stmt, error) {
	lw.pattern, lw.allowed = true, nil
	defer func() { lw.pattern, lw.allowed = false, nil }()
	lhs, err := lw.expr(r.LHS)
	if err != nil {
		return nil, err
	}
	if _, ok := lhs.(*ast.Sym); ok {
		return nil, lw.errorf(r.LHS.pos(), "the left side of rule %s is a lone pattern variable: it would match everything", r.Name)
	}
	lw.allowed = map[string]bool{}
	for _, n := range ast.FreeNames(lhs) {
		lw.allowed[n] = true
	}
	rhs, err := lw.expr(r.RHS)
	if err != nil {
		return nil, err
	}
	rs := &ast.RuleStmt{Name: strings.Clone(r.Name), LHS: lhs, RHS: rhs}
	for _, c := range r.Conds {
		x, err := lw.expr(c.X)
		if err != nil {
			return nil, err
		}
		y, err := lw.expr(c.Y)
		if err != nil {
			return nil, err
		}
		rs.Conds = append(rs.Conds, ast.Cond{X: x, Op: c.Op, Y: y})
	}
	return rs, nil
}

func (lw *lowerer) deriv(d *derivSyntax, at spot) (ast.Stmt, error) {
	head, ok := d.Head.(*callNode)
	if !ok {
		return nil, lw.errorf(d.Head.pos(), "deriv needs a function applied to its parameters, like deriv f(u) = ...")
	}
	if (head.fn == "sum" || head.fn == "mean") && len(head.args) > 0 {
		return nil, lw.errorf(head.args[0].pos(), "%s needs a range first: %s(i=1..n, body)", head.fn, head.fn)
	}
	if head.fn == "d" || isReserved(head.fn) {
		return nil, lw.errorf(head.at, "%q is not a function that can have a derivative rule", head.fn)
	}
	if len(head.args) == 0 {
		return nil, lw.errorf(head.at, "deriv needs the function's parameters, like deriv %s(u) = ...", head.fn)
	}
	var params []string
	for _, a := range head.args {
		id, ok := a.(*identNode)
		if !ok || slices.Contains(params, id.name) {
			return nil, lw.errorf(a.pos(), "the parameters of a derivative rule must be distinct plain names, like f(u, v)")
		}
		params = append(params, strings.Clone(id.name))
	}
	name := head.fn
	if def, ok := lw.defs.LookupUser(name); ok {
		// The user's function that shadows the built-in of that name.
		if len(def.Params) != len(params) {
			return nil, lw.errorf(head.at, "%s is defined as %s, which does not match %s", name, ast.String(def.Head()), name+"("+strings.Join(params, ", ")+")")
		}
		name = def.Name
	} else if f, ok := ast.LookupFunc(name); ok {
		name = f.Name
		if f.Arity != len(params) {
			return nil, lw.errorf(head.at, "%s takes %s, not %d", f.Name, count(f.Arity, "argument", "arguments"), len(params))
		}
	} else if def, ok := lw.defs.Lookup(name); ok {
		if def.Kind != ast.DefFunc || len(def.Params) != len(params) {
			return nil, lw.errorf(head.at, "%s is defined as %s, which does not match %s", name, ast.String(def.Head()), name+"("+strings.Join(params, ", ")+")")
		}
	} else if n, ok := lw.funcs[name]; ok && n != len(params) {
		return nil, lw.errorf(head.at, "%s was declared with %s, not %d", name, count(n, "parameter", "parameters"), len(params))
	} else {
		lw.funcs[name] = len(params)
	}
	wrt := 0
	if d.Wrt != nil {
		wrt = slices.Index(params, d.Wrt.Name)
		if wrt < 0 {
			return nil, lw.errorf(spot{int32(d.Wrt.Pos.Offset)}, "wrt %s: %s is not a parameter of %s", d.Wrt.Name, d.Wrt.Name, name)
		}
	} else if len(params) > 1 {
		return nil, lw.errorf(head.at, "%s has %d parameters: say which one this is the derivative for, with wrt %s", name, len(params), params[0])
	}
	n := len(lw.locals)
	lw.locals = append(lw.locals, params...)
	body, err := lw.expr(d.Body)
	lw.locals = lw.locals[:n]
	if err != nil {
		return nil, err
	}
	return &ast.DerivStmt{Fn: strings.Clone(name), Params: params, Wrt: wrt, Body: body}, nil
}

// A recentUse is an entry of lowerer.recent: a free scalar name and its node.
type recentUse struct {
	name string
	sym  *ast.Sym
}

// recentBits is the log of the number of sets of lowerer.recent, each of
// two entries.
const recentBits = 5

// A recentSet is a set of lowerer.recent: the names that have its place,
// two at most; old is the entry a new name goes to (the one not used
// last).
type recentSet struct {
	e   [2]recentUse
	old uint8
}

// recentSlot returns the place of name in lowerer.recent, from its length
// and its first, last and next-to-last bytes (x_12_1, x_12_2 and w1 have
// places of their own; x_12_1 and x_13_1, a line apart, share one).
func recentSlot(name string) int {
	n := len(name)
	if n == 0 {
		return 0
	}
	k := uint32(n) | uint32(name[0])<<8 | uint32(name[n-1])<<16 | uint32(name[max(n-2, 0)])<<24
	return int(k * 0x9e3779b1 >> (32 - recentBits))
}

// recentGet returns the node of name if recent holds it.
func (lw *lowerer) recentGet(name string) *ast.Sym {
	set := &lw.recent[recentSlot(name)]
	for i := range set.e {
		if r := &set.e[i]; r.name == name && r.sym != nil {
			set.old = uint8(1 - i)
			return r.sym
		}
	}
	return nil
}

// remember puts the free scalar name, which uses holds without indices, in
// recent, in place of the entry of its set not used last.
func (lw *lowerer) remember(name string, sym *ast.Sym) {
	set := &lw.recent[recentSlot(name)]
	i := set.old
	set.e[i] = recentUse{name, sym}
	set.old = 1 - i
}

// forget deletes name from uses and from recent (it was defined or
// declared: its next use must pass the checks again).
func (lw *lowerer) forget(name string) {
	lw.uses.del(name)
	set := &lw.recent[recentSlot(name)]
	for i := range set.e {
		if set.e[i].name == name {
			set.e[i] = recentUse{}
		}
	}
}

func (lw *lowerer) isLocal(name string) bool { return slices.Contains(lw.locals, name) }

// isFunc reports whether name is a function known by a derivative rule.
func (lw *lowerer) isFunc(name string) bool {
	if len(lw.funcs) == 0 {
		return false
	}
	_, ok := lw.funcs[name]
	return ok
}

// funcArity returns the arity of a function known by that name.
func (lw *lowerer) funcArity(name string) (string, int, bool) {
	if d, ok := lw.defs.LookupUser(name); ok && d.Kind == ast.DefFunc {
		return d.Name, len(d.Params), true // the user's, shadowing the built-in
	}
	if f, ok := ast.LookupFunc(name); ok {
		return f.Name, f.Arity, true
	}
	if d, ok := lw.defs.Lookup(name); ok && d.Kind == ast.DefFunc {
		return name, len(d.Params), true
	}
	if n, ok := lw.funcs[name]; ok {
		return name, n, true
	}
	return "", 0, false
}

// expr lowers n and records where its node first occurs.
func (lw *lowerer) expr(n Node) (ast.Expr, error) {
	if lw.ticks++; lw.ticks%stopEvery == 0 && lw.stop != nil {
		if err := lw.stop.check(); err != nil {
			return nil, err
		}
	}
	e, err := lw.lower(n)
	again := lw.recorded
	lw.recorded = false
	if err == nil {
		if _, ok := e.(*ast.MatOp); ok {
			lw.matrices = true
		}
		if !again || lw.full {
			lw.record(e, n.pos())
		}
	}
	return e, err
}

// A nodeAt is a node, by its ID, and the byte offset where it occurs (the
// input is at most MaxInputBytes). It holds no pointer: statements keep
// thousands of them, which the collector then need not read; and it is
// 12 bytes, not 16: the ID is kept as two halves, so that nothing pads it.
type nodeAt struct {
	lo, hi uint32 // the node's ID
	off    int32
}

// id returns the ID of the node.
func (a nodeAt) id() uint64 { return uint64(a.hi)<<32 | uint64(a.lo) }

// record notes p as a place of e: children are lowered left to right, so
// the first record of a node (hash-consed, so equal subexpressions are one
// node) is its first occurrence, the one PosOf reports.
func (lw *lowerer) record(e ast.Expr, at spot) {
	id := e.ID()
	lw.at = append(lw.at, nodeAt{uint32(id), uint32(id >> 32), at.off})
}

// stmtAt returns the records of the statement just lowered, copied out
// of the buffer that is reused for the next statement into a slab shared
// by many statements: a few allocations per thousands of records, and no
// memory beyond what is kept.
func (lw *lowerer) stmtAt() []nodeAt {
	n := len(lw.at)
	if n > cap(lw.atSlab)-len(lw.atSlab) {
		// Slabs double from 64 records up to 8192: a command's one short
		// expression does not get a slab of 8192 (192 KB of fresh pages).
		lw.atSlab = make([]nodeAt, 0, max(n, min(8192, max(64, 2*cap(lw.atSlab)))))
	}
	k := len(lw.atSlab)
	lw.atSlab = append(lw.atSlab, lw.at...)
	return lw.atSlab[k : k+n : k+n]
}

// pos returns the position of byte offset off of the input.
func (lw *lowerer) pos(off int32) Pos { return lw.text.pos(int(off)) }

func (lw *lowerer) lower(n Node) (ast.Expr, error) {
	switch n := n.(type) {
	case *numNode:
		return lw.num(n)
	case *identNode:
		return lw.ident(n)
	case *indexNode:
		lw.depsExact = false
		return lw.index(n)
	case *callNode:
		if lw.memoOK(n.end) {
			return lw.memoCall(n)
		}
		return lw.call(n)
	case *ifNode:
		lw.depsExact = false
		return lw.lowerIf(n)
	case *cmpNode, *logicNode:
		return nil, lw.notValue(n)
	case *sumNode:
		lw.depsExact = false
		return lw.sum(n)
	case *unaryNode:
		x, err := lw.expr(n.x)
		if err != nil {
			return nil, err
		}
		if n.op.Op == ast.OpNeg {
			return ast.NewNeg(x), nil
		}
		return x, nil // unary +
	case *binaryNode:
		return lw.binary(n)
	case *parenNode:
		var x ast.Expr
		var err error
		if lw.memoOK(n.end) {
			x, err = lw.memoParen(n)
		} else {
			x, err = lw.expr(n.x)
		}
		// The expression inside has its record, which comes first.
		lw.recorded = true
		return x, err
	case *bracketNode:
		lw.depsExact = false
		return lw.bracket(n)
	case *whereNode:
		lw.depsExact = false
		return lw.where(n)
	case *postfixNode:
		lw.depsExact = false
		return lw.postfix(n)
	}
	panic(fmt.Sprintf("parser: unexpected node %T", n))
}

func (lw *lowerer) num(n *numNode) (ast.Expr, error) {
	v, err := ast.ParseNumber(n.lit)
	if err != nil {
		return nil, lw.errorf(n.at, "%v", err)
	}
	return ast.NewNum(v), nil
}

func (lw *lowerer) sum(n *sumNode) (ast.Expr, error) {
	if err := lw.checkNewName(n.v, n.vAt, "a summation index"); err != nil {
		return nil, err
	}
	lo, err := lw.expr(n.lo)
	if err != nil {
		return nil, err
	}
	hi, err := lw.expr(n.hi)
	if err != nil {
		return nil, err
	}
	lw.locals = append(lw.locals, n.v)
	lw.sumVars = append(lw.sumVars, n.v)
	body, err := lw.expr(n.body)
	lw.locals = lw.locals[:len(lw.locals)-1]
	lw.sumVars = lw.sumVars[:len(lw.sumVars)-1]
	if err != nil {
		return nil, err
	}
	op := ast.OpSum
	if n.op == "mean" {
		op = ast.OpMean
	}
	s := ast.NewSum(op, n.v, lo, hi, body)
	if err := lw.checkShape(s, n.at); err != nil {
		return nil, err
	}
	return s, nil
}

func (lw *lowerer) postfix(n *postfixNode) (ast.Expr, error) {
	x, err := lw.expr(n.x)
	if err != nil {
		return nil, err
	}
	return lw.transpose(x, n.x, n.at, n.op.Token)
}

func (lw *lowerer) ident(n *identNode) (ast.Expr, error) {
	name := n.name
	if lw.isLocal(name) {
		if at, ok := lw.namedAt[name]; !ok || slices.Index(lw.locals[at:], name) >= 0 {
			return ast.NewSym(name), nil
		}
		// Bound by a where clause inside the local's scope: below.
	}
	if len(lw.sumVars) > 0 {
		if err := lw.subscriptName(name, n.at); err != nil {
			return nil, err // sum(i=1..n, x_i): sumname.go
		}
	}
	shortcut := lw.named == nil && !lw.pattern && !lw.full
	if shortcut {
		if sym := lw.recentGet(name); sym != nil && !lw.isFunc(name) {
			return lw.dep(sym), nil // as below, without the lookup in uses
		}
	}
	u, used, place := lw.uses.getAt(name)
	if used && !u.indexed && shortcut && !lw.isFunc(name) {
		// A free scalar met before, the commonest name of all: every
		// check below passed then, and what could change the answer since
		// (defining or declaring it) removed it from uses.
		lw.remember(name, u.sym)
		return lw.dep(u.sym), nil
	}
	if isReserved(name) {
		return nil, lw.errorf(n.at, "%q is a keyword, not a name", name)
	}
	if e, ok := lw.named[name]; ok {
		// A sum inside the clause's scope binds an index its expression
		// uses: sum(i=1..3, u) where u = i printed 6, the sum's i, not
		// 3*i. Said, rather than renamed.
		for _, v := range lw.locals[lw.namedAt[name]:] {
			if ast.HasFree(e, v) {
				return nil, lw.errorf(n.at, "%s stands for %s, whose %s the sum around here binds as its index: rename the sum's index", name, ast.String(e), v)
			}
		}
		lw.depsExact = false
		return e, nil
	}
	if lw.later[name] {
		return nil, lw.errorf(n.at, "%s is used before it is defined: in a where clause, each name may use only the names before it", name)
	}
	if f, ok := lookupFunc(name); ok && f.IsConst() {
		if _, defined := lw.defs.Lookup(name); !defined {
			return ast.NewCall(f.Name), nil // pi; a definition of pi shadows it
		}
	}
	// Any other built-in function's name not applied to arguments is a
	// variable: log(sigma) is the log of a standard deviation.
	if lw.pattern {
		if lw.allowed != nil && !lw.allowed[name] {
			return nil, lw.errorf(n.at, "%s does not occur on the left side of the rule, so it has no value here", name)
		}
		return ast.NewSym(name), nil
	}
	if _, ok := lw.declared(name); ok {
		return lw.dep(ast.NewSym(name)), nil
	}
	if d, ok := lw.lookupDefAt(name, place); ok {
		switch d.Kind {
		case ast.DefIndexed:
			return nil, lw.errorf(n.at, "%s is indexed (defined as %s): write %s", name, ast.String(d.Head()), ast.String(d.Head()))
		case ast.DefFunc:
			return nil, lw.errorf(n.at, "%s is a function (defined as %s): write %s", name, ast.String(d.Head()), ast.String(d.Head()))
		}
		return lw.dep(ast.NewSym(name)), nil
	}
	if arity, ok := lw.funcs[name]; ok {
		return nil, lw.errorf(n.at, "%s is a function: write %s", name, callForm(name, arity))
	}
	if !used {
		u = use{at: n.at.off, sym: ast.NewSym(name)}
		lw.uses.add(place, name, u) // nothing below has changed uses
		lw.remember(name, u.sym)
	} else if u.indexed {
		return nil, lw.errorf(n.at, "%s is used without indices here, but as %s at %s: write %s[...]", name, ast.String(u.idx), lw.pos(u.at), name)
	}
	return lw.dep(u.sym), nil
}

func (lw *lowerer) index(n *indexNode) (ast.Expr, error) {
	name := n.name
	if isReserved(name) {
		return nil, lw.errorf(n.at, "%q is a keyword, not a name", name)
	}
	if lw.isLocal(name) {
		return nil, lw.errorf(n.at, "%s is a parameter or summation index here and cannot be indexed", name)
	}
	idx := make([]ast.Expr, len(n.indices))
	for i, x := range n.indices {
		e, err := lw.expr(x)
		if err != nil {
			return nil, err
		}
		lw.checkBound(x)
		switch e := e.(type) {
		case *ast.Sym:
		case *ast.Num:
			if !e.Value.IsInt() || e.Value.Sign() < 0 {
				return nil, lw.errorf(x.pos(), "an index must be a name or a whole number, like %s[i] or %s[2]", name, name)
			}
		default:
			return nil, lw.errorf(x.pos(), "an index must be a name or a whole number, like %s[i] or %s[2]", name, name)
		}
		idx[i] = e
	}
	out := ast.NewIndex(name, idx...)
	if lw.pattern {
		return out, nil
	}
	if s, ok := lw.declared(name); ok {
		if err := lw.indexDeclared(n, s, len(idx)); err != nil {
			return nil, err
		}
		if err := lw.indexInDeclared(n, s, idx); err != nil {
			return nil, err
		}
		if s.IsVector() && len(idx) == 2 {
			// A column's x[i,1] is x[i]: one name to derive, prove and
			// evaluate. A second index that is another number is out
			// of the column: x[1,2] was "refuted" with a 2×2 value for
			// a declared vector(3). A sum's index (sum(j=1..d,
			// x[i,j]*w[j]) with d = 1) stays, for evaluation to check
			// its range; any other name is an error too.
			switch {
			case ast.IsNum(idx[1], 1):
				return ast.NewIndex(name, idx[0]), nil
			case !isLocalSym(lw, idx[1]):
				return nil, lw.errorf(n.indices[1].pos(), "%s is declared %s (%s), one column: its second index is 1, as in %s[i,1]; found %s",
					name, s.Decl(), s, name, ast.String(idx[1]))
			}
		}
		return out, nil
	}
	if d, ok := lw.defs.Lookup(name); ok {
		switch {
		case d.Kind == ast.DefScalar:
			return nil, lw.errorf(n.at, "%s is defined without indices (%s := ...): write %s", name, name, name)
		case d.Kind == ast.DefFunc:
			return nil, lw.errorf(n.at, "%s is a function (defined as %s): write %s(...)", name, ast.String(d.Head()), name)
		case len(d.Params) != len(idx):
			return nil, lw.errorf(n.at, "%s takes %s, as in %s; found %d", name, count(len(d.Params), "index", "indices"), ast.String(d.Head()), len(idx))
		}
		return out, nil
	}
	if arity, ok := lw.funcs[name]; ok {
		return nil, lw.errorf(n.at, "%s is a function: write %s", name, callForm(name, arity))
	}
	if u, ok := lw.uses.get(name); ok {
		switch {
		case !u.indexed:
			return nil, lw.errorf(n.at, "%s is used with indices here, but without them at %s", name, lw.pos(u.at))
		case int(u.n) != len(idx):
			return nil, lw.errorf(n.at, "%s has %s here, but %d in %s at %s", name, count(len(idx), "index", "indices"), u.n, ast.String(u.idx), lw.pos(u.at))
		}
	} else {
		lw.uses.set(name, use{indexed: true, n: int32(len(idx)), at: n.at.off, idx: out})
	}
	return out, nil
}

func (lw *lowerer) call(n *callNode) (ast.Expr, error) {
	name, arity, builtin := "", 0, false
	if f := lw.knownCall(n.fn); f != nil {
		name, arity, builtin = f.Name, f.Arity, true
	} else {
		if n.fn == "d" {
			lw.depsExact = false
			return lw.derivative(n)
		}
		if n.fn == ast.UndefinedFn && len(n.args) == 0 {
			// The value a derivative prints where it does not exist
			// (if(x == 0, undefined(), 1)): it reads back as that node, so
			// a printed result can be pasted in. A function of the user's
			// own by that name takes precedence.
			if _, _, user := lw.funcArity(n.fn); !user {
				lw.depsExact = false // ast.NamesUsed counts the call's name
				return ast.Undefined(), nil
			}
		}
		var ok bool
		name, arity, ok = lw.funcArity(n.fn)
		if !ok || isReserved(n.fn) {
			lw.depsExact = false
			return lw.callOther(n, ok)
		}
		if _, verb := ast.LookupVerb(n.fn); verb {
			lw.depsExact = false
			return lw.callOther(n, true)
		}
		var f *ast.Func
		f, builtin = ast.LookupFunc(name)
		if builtin && (f.IsConst() || f.Variadic) || name == "delta" {
			lw.depsExact = false
			return lw.callChecked(n, name, arity)
		}
		if builtin {
			lw.rememberCall(n.fn, f)
		}
	}
	if len(n.args) != arity {
		lw.depsExact = false
		return lw.callChecked(n, name, arity)
	}
	if !builtin && lw.defining && !slices.Contains(lw.depFns, name) {
		lw.depFns = append(lw.depFns, name)
	}
	var argBuf [2]ast.Expr // most functions take one argument or two
	args := argBuf[:0]
	for _, a := range n.args {
		e, err := lw.expr(a)
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	c := ast.NewCall(name, args...)
	if err := lw.checkShape(c, n.at); err != nil {
		return nil, err
	}
	return c, nil
}

// knownCall returns the built-in function that a call of fn is, if calls
// says so: a file of definitions calls log and sigma on every line, and
// each call looked the name up in three tables (the user's functions,
// the verbs, the built-ins).
func (lw *lowerer) knownCall(fn string) *ast.Func {
	for i := range lw.calls {
		if c := &lw.calls[i]; c.f != nil && c.fn == fn {
			return c.f
		}
	}
	return nil
}

// rememberCall notes that a call of fn is of the built-in f, which has a
// fixed arity and is no constant, no verb and not delta (call's plain
// way), and which no function of the user's shadows: so it stays until
// the user defines a function (define forgets calls then). A name is a
// substring of the input, kept by the lowerer anyway.
func (lw *lowerer) rememberCall(fn string, f *ast.Func) {
	if lw.full {
		return // every check, every time
	}
	c := &lw.calls[lw.callsNext]
	lw.callsNext = (lw.callsNext + 1) % len(lw.calls)
	c.fn, c.f = fn, f
}

// callOther lowers the calls that are not of a known function: matrix
// functions, algebra verbs, and the errors of unknown functions and
// keywords. known tells whether funcArity knows n.fn.
func (lw *lowerer) callOther(n *callNode, known bool) (ast.Expr, error) {
	if _, _, user := lw.funcArity(n.fn); !user {
		if f, ok := ast.LookupMatFunc(n.fn); ok {
			return lw.matCall(n, f)
		}
	}
	if isReserved(n.fn) {
		return nil, lw.errorf(n.at, "%q is a keyword, not a function", n.fn)
	}
	if v, ok := ast.LookupVerb(n.fn); ok {
		return lw.verb(n, v)
	}
	if known {
		name, arity, _ := lw.funcArity(n.fn)
		return lw.callChecked(n, name, arity)
	}
	if d, isDef := lw.defs.Lookup(n.fn); isDef {
		return nil, lw.errorf(n.at, "%s is not a function (it is defined as %s)", n.fn, ast.String(d.Head()))
	}
	msg := fmt.Sprintf("unknown function %s", n.fn)
	params := []string{"u", "v", "w", "t", "s"}
	define := "define it first: " + n.fn + "(u) := ..."
	if len(n.args) > 1 && len(n.args) <= len(params) {
		define = "define it first: " + n.fn + "(" + strings.Join(params[:len(n.args)], ", ") + ") := ..."
	}
	switch s, d := suggest(n.fn, lw.functionNames(len(n.args))); {
	case s != "" && d <= 1: // one edit: a typo
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	case s != "": // two edits is as likely a function of the user's own (swish, not sinh)
		msg += fmt.Sprintf(" (did you mean %s? or %s)", s, define)
	default:
		msg += " (" + define + ")"
	}
	return nil, lw.errorf(n.at, "%s", msg)
}

// callChecked lowers a call of the function name of the given arity,
// with every check: constants, variadic functions, the count of
// arguments, the arguments of delta.
func (lw *lowerer) callChecked(n *callNode, name string, arity int) (ast.Expr, error) {
	f, builtin := ast.LookupFunc(name)
	switch {
	case builtin && f.IsConst():
		return nil, lw.errorf(n.at, "%s is a constant: write %s, without parentheses", f.Name, f.Name)
	case builtin && f.Variadic && len(n.args) < arity:
		return nil, lw.errorf(n.at, "%s takes %d or more arguments, found %d", name, arity, len(n.args))
	case len(n.args) != arity && !(builtin && f.Variadic):
		return nil, lw.errorf(n.at, "%s takes %d argument%s, found %d", ast.ShownName(name), arity, plural(arity), len(n.args))
	}
	args := make([]ast.Expr, len(n.args))
	for i, a := range n.args {
		e, err := lw.expr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if name == "delta" {
		for i, a := range args {
			if !isIndexLike(a) {
				return nil, lw.errorf(n.args[i].pos(), "the arguments of delta must be indices (names or whole numbers), like delta(j,k)")
			}
			lw.checkBound(n.args[i])
		}
	}
	if builtin && f.Variadic && len(args) > arity {
		// max(a, b, c) is max(a, max(b, c)): every node has the table's
		// arity, and the printers show the chain as one call again.
		acc := ast.Expr(ast.NewCall(name, args[len(args)-arity:]...))
		for i := len(args) - arity - 1; i >= 0; i-- {
			lw.record(acc, n.args[i+1].pos())
			acc = ast.NewCall(name, append(append([]ast.Expr{}, args[i:i+arity-1]...), acc)...)
		}
		if err := lw.checkShape(acc, n.at); err != nil {
			return nil, err
		}
		return acc, nil
	}
	c := ast.NewCall(name, args...)
	if err := lw.checkShape(c, n.at); err != nil {
		return nil, err
	}
	return c, nil
}

// shortDoc describes a built-in function in a few words: its
// documentation up to the first semicolon or parenthesis.
func shortDoc(f *ast.Func) string {
	doc, _, _ := strings.Cut(f.Doc, ";")
	doc, _, _ = strings.Cut(doc, " (")
	return strings.TrimPrefix(doc, "the ")
}

// warnf records a warning about the statement being lowered.
func (lw *lowerer) warnf(at spot, format string, args ...any) {
	lw.warnings = append(lw.warnings, fmt.Sprintf("%s: warning: %s", lw.pos(at.off), fmt.Sprintf(format, args...)))
}

// checkBound notes an index of a definition's body that nothing binds:
// p[i] := sigma(z[j]) has no value for j.
func (lw *lowerer) checkBound(x Node) {
	id, ok := x.(*identNode)
	if ok && lw.defining && lw.free == nil && !lw.isLocal(id.name) {
		lw.free = id
	}
}

func isIndexLike(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Sym:
		return true
	case *ast.Num:
		return e.Value.IsInt()
	}
	return false
}

// count writes n and the noun, singular or plural: 1 index, 2 indices.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// functionNames lists the functions that take arity arguments: a call
// with two arguments is not a typo of a one-argument function (min(1, x)
// is not sin).
func (lw *lowerer) functionNames(arity int) []string {
	var names []string
	for _, f := range ast.Funcs {
		if f.Arity == arity {
			names = append(names, f.Name)
			names = append(names, f.Aliases...)
		}
	}
	for _, d := range lw.defs.All() {
		if d.Kind == ast.DefFunc && len(d.Params) == arity {
			names = append(names, d.Name)
		}
	}
	for f, n := range lw.funcs {
		if n == arity {
			names = append(names, f)
		}
	}
	if arity == 2 {
		names = append(names, "d", "sum", "mean") // sum(i=1..n, body) has two parts
	}
	sort.Strings(names)
	return names
}

// callForm shows how to call a function of the given arity: log(...),
// delta(a, b).
func callForm(name string, arity int) string {
	if arity <= 1 {
		return name + "(...)"
	}
	params := make([]string, arity)
	for i := range params {
		params[i] = string(rune('a' + i%26))
	}
	return name + "(" + strings.Join(params, ", ") + ")"
}

// derivative lowers d(E, v), where v is a name or an indexed name.
func (lw *lowerer) derivative(n *callNode) (ast.Expr, error) {
	if len(n.args) == 3 {
		return lw.secondDerivative(n)
	}
	if len(n.args) != 2 {
		return nil, lw.errorf(n.at, "d takes 2 arguments, d(expression, variable); found %d", len(n.args))
	}
	x, err := lw.expr(n.args[0])
	if err != nil {
		return nil, err
	}
	return lw.derivBy(n, x, n.args[1])
}

// derivBy lowers the variable v of d(x, v) and builds the derivative.
func (lw *lowerer) derivBy(n *callNode, x ast.Expr, vn Node) (ast.Expr, error) {
	var wrt ast.Expr
	switch v := vn.(type) {
	case *identNode:
		if f, ok := ast.LookupFunc(v.name); ok && f.IsConst() {
			if _, defined := lw.defs.Lookup(v.name); !defined {
				return nil, lw.errorf(v.at, "cannot differentiate with respect to the constant %s", f.Name)
			}
		}
		if d, ok := lw.defs.Lookup(v.name); ok && d.Kind != ast.DefScalar {
			return nil, lw.errorf(v.at, "%s is defined as %s: differentiate with respect to %s", v.name, ast.String(d.Head()), ast.String(d.Head()))
		}
		if isReserved(v.name) {
			return nil, lw.errorf(v.at, "%q is a keyword, not a variable", v.name)
		}
		// As any other use of the name: w here and w[j] elsewhere is the
		// same mistake as in an expression.
		w, err := lw.ident(v)
		if err != nil {
			return nil, err
		}
		wrt = w
		lw.record(w, v.at)
	case *indexNode:
		w, err := lw.index(v)
		if err != nil {
			return nil, err
		}
		wrt = w
		lw.record(w, v.at)
	default:
		return nil, lw.errorf(vn.pos(), "d(E, v): v must be a name like x or an indexed name like w[k]")
	}
	d := ast.NewDeriv(x, wrt)
	if err := lw.checkDerivShape(d, n.at); err != nil {
		return nil, err
	}
	return d, nil
}

// binary lowers a chain of operators. An unparenthesised chain of + and -
// becomes one Add, and of * one Mul; parentheses keep their grouping, so
// printing and parsing again gives the same tree.
func (lw *lowerer) binary(n *binaryNode) (ast.Expr, error) {
	switch n.op.Op {
	case ast.OpHadamard, ast.OpElemDiv, ast.OpElemPow:
		lw.depsExact = false
		return lw.elementwise(n)
	case ast.OpPow:
		return lw.pow(n)
	case ast.OpAdd, ast.OpSub:
		return lw.sumChain(n)
	}
	return lw.productChain(n) // * and /
}

// pow lowers x^y, and x^T, the transpose.
func (lw *lowerer) pow(n *binaryNode) (ast.Expr, error) {
	x, err := lw.expr(n.x)
	if err != nil {
		return nil, err
	}
	if lw.isTransposeT(n.y) {
		lw.depsExact = false
		if !lw.isScalar(x) {
			return ast.NewTranspose(x), nil
		}
		return lw.transpose(x, n.x, n.at, "^T")
	}
	if e, ok, err := lw.superInverse(x, n.y, n.at); ok {
		lw.depsExact = false
		return e, err
	}
	y, err := lw.expr(n.y)
	if err != nil {
		return nil, err
	}
	p := ast.NewPow(x, y)
	if err := lw.checkShape(p, n.at); err != nil {
		return nil, err
	}
	return p, nil
}

// sumChain lowers a chain of + and -: one Add.
func (lw *lowerer) sumChain(n *binaryNode) (ast.Expr, error) {
	var (
		rightBuf [8]*binaryNode // most sums are short: no allocation
		termBuf  [9]ast.Expr
	)
	right, cur := leftSpine(n, ast.OpAdd, ast.OpSub, rightBuf[:0])
	first, err := lw.expr(cur)
	if err != nil {
		return nil, err
	}
	terms := append(termBuf[:0], first)
	for i := len(right) - 1; i >= 0; i-- {
		y, err := lw.expr(right[i].y)
		if err != nil {
			return nil, err
		}
		if right[i].op.Op == ast.OpSub {
			y = ast.NewNeg(y)
			lw.record(y, right[i].at) // a - b holds -b: it starts at the minus
		}
		terms = append(terms, y)
	}
	sum := ast.NewAdd(terms...)
	if !lw.matrices {
		return sum, nil
	}
	if _, err := lw.env.Of(sum); err != nil {
		// Point at the operator before the first term that does not fit.
		at := n.at
		for i := 2; i <= len(terms); i++ {
			if _, err := lw.env.Add(terms[:i]); err != nil {
				at = right[len(right)-i+1].at
				break
			}
		}
		return nil, lw.shapeErr(at, err)
	}
	return sum, nil
}

// leftSpine walks the left spine of a chain of the operators a and b
// iteratively (a sum of 10,000 terms is a spine 10,000 deep): the nodes
// from the top down, appended to right, and the leftmost operand.
func leftSpine(n *binaryNode, a, b ast.Op, right []*binaryNode) ([]*binaryNode, Node) {
	cur := Node(n)
	for {
		x, ok := cur.(*binaryNode)
		if !ok || (x.op.Op != a && x.op.Op != b) {
			return right, cur
		}
		right = append(right, x)
		cur = x.x
	}
}

// productChain lowers a chain of * and /: one Mul, or divisions of them.
func (lw *lowerer) productChain(n *binaryNode) (ast.Expr, error) {
	var rightBuf [8]*binaryNode // most products are short: no allocation
	right, cur := leftSpine(n, ast.OpMul, ast.OpDiv, rightBuf[:0])
	first, err := lw.expr(cur)
	if err != nil {
		return nil, err
	}
	acc := first
	var (
		factorBuf [9]ast.Expr
		opBuf     [8]*binaryNode
	)
	factors := factorBuf[:0] // the product being built, if any
	ops := opBuf[:0]         // the operators between its factors
	for i := len(right) - 1; i >= 0; i-- {
		y, err := lw.expr(right[i].y)
		if err != nil {
			return nil, err
		}
		if right[i].op.Op == ast.OpMul {
			if len(factors) == 0 {
				factors = append(factors, acc)
			}
			factors = append(factors, y)
			ops = append(ops, right[i])
			continue
		}
		if len(factors) > 0 {
			if acc, err = lw.product(factors, ops); err != nil {
				return nil, err
			}
			factors, ops = factors[:0], ops[:0]
			lw.record(acc, cur.pos())
		}
		acc = ast.NewDiv(acc, y)
		if err := lw.checkShape(acc, right[i].at); err != nil {
			return nil, err
		}
		lw.record(acc, cur.pos()) // a*b/c holds a*b and a*b/c: both start at a
	}
	if len(factors) > 0 {
		return lw.product(factors, ops)
	}
	return acc, nil
}

// Suggest returns the candidate nearest to name by edit distance, if one is
// close enough to be a likely typo; an alias is reported by the name of
// the function it stands for (sigmod → sigma, via sigmoid).
func Suggest(name string, candidates []string) string {
	s, _ := suggest(name, candidates)
	return s
}

// suggest is Suggest with the edit distance of the suggestion.
func suggest(name string, candidates []string) (string, int) {
	// A one-letter name is never a typo of another letter (f is not d),
	// and a short word whose first letter differs is another word, not a
	// typo (min is not sin).
	n := len([]rune(name))
	best, bestD := "", min(3, (n+2)/3, n-1)+1 // at most one edit in three letters
	for _, c := range candidates {
		if n <= 3 && !sameFirst(name, c) {
			continue
		}
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	if f, ok := ast.LookupFunc(best); ok {
		return f.Name, bestD
	}
	return best, bestD
}

func sameFirst(a, b string) bool {
	ra, _ := utf8.DecodeRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return unicode.ToLower(ra) == unicode.ToLower(rb)
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := [3][]int{make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)}
	for j := range rows[1] {
		rows[1][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		pp, prev, cur := rows[0], rows[1], rows[2]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		rows[0], rows[1], rows[2] = prev, cur, pp
	}
	return rows[1][len(rb)]
}

// where lowers x where u1 = a, u2 = b: each name stands for its
// expression (lowered once, so a chain of n names costs n), in the
// definitions after it and in x.
func (lw *lowerer) where(n *whereNode) (ast.Expr, error) {
	savedNamed, savedLater, savedAt := lw.named, lw.later, lw.namedAt
	defer func() { lw.named, lw.later, lw.namedAt = savedNamed, savedLater, savedAt }()
	lw.named = maps.Clone(savedNamed)
	if lw.named == nil {
		lw.named = map[string]ast.Expr{}
	}
	lw.namedAt = maps.Clone(savedAt)
	if lw.namedAt == nil {
		lw.namedAt = map[string]int{}
	}
	lw.later = maps.Clone(savedLater)
	if lw.later == nil {
		lw.later = map[string]bool{}
	}
	for i, d := range n.defs {
		// A clause may name a million parts: this loop looks at the
		// context too (it ran 200-600 ms without a look).
		if err := lw.whereStop(i); err != nil {
			return nil, err
		}
		if isReserved(d.name) {
			return nil, lw.errorf(d.at, "%q is a keyword, not a name", d.name)
		}
		if _, ok := ast.LookupFunc(d.name); ok {
			return nil, lw.errorf(d.at, "%s is a built-in function: choose another name", d.name)
		}
		if lw.later[d.name] {
			// Named before, in this clause or one around it (later
			// holds both): only then look for it, so that n names cost
			// n, not n².
			for _, e := range n.defs[:i] {
				if e.name == d.name {
					return nil, lw.errorf(d.at, "%s is named twice in the where clause (first at %s)", d.name, lw.pos(e.at.off))
				}
			}
		}
		lw.later[d.name] = true
		// Where the clause binds its names: a local bound before it (a
		// parameter) is rebound, one bound inside (a sum's index) is not.
		lw.namedAt[d.name] = len(lw.locals)
	}
	for i, d := range n.defs {
		// expr looks every stopEvery nodes, but the maps' work between
		// two looks ran to 70 ms here (later's deletions, named's growth).
		if err := lw.whereStop(i); err != nil {
			return nil, err
		}
		e, err := lw.expr(d.x)
		if err != nil {
			return nil, err
		}
		delete(lw.later, d.name)
		lw.named[d.name] = e
	}
	return lw.expr(n.x)
}

// whereStopEvery is how many definitions of a where clause its loops
// check and record between two looks at the context.
const whereStopEvery = 256

// whereStop looks at the context before the ith definition of a where
// clause, every whereStopEvery.
func (lw *lowerer) whereStop(i int) error {
	if i%whereStopEvery != whereStopEvery-1 || lw.stop == nil {
		return nil
	}
	return lw.stop.check()
}

// isLocalSym reports whether e is a name bound here by a sum.
func isLocalSym(lw *lowerer, e ast.Expr) bool {
	s, ok := e.(*ast.Sym)
	return ok && lw.isLocal(s.Name)
}
