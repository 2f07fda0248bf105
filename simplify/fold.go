package simplify

import (
	"context"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Folding puts the user's defined names back into a result: wherever the
// canonical form of a definition's body appears, the defined name takes
// its place (sigma(sum(j=1..d, x[i,j]*w[j])) is p[i] again). Definitions
// the expression itself used come first, so MSE's result speaks of q[i],
// not of z[i], though both have the same body.

type foldPattern struct {
	def    *ast.Def
	lhs    ast.Expr // canonical expanded body
	rank   int
	params []string
}

// preferred ranks definitions by how directly e refers to them: 0 for a
// name e uses, 1 for a name those use, and so on.
func preferred(e ast.Expr, defs *ast.Defs) map[string]int {
	rank := map[string]int{}
	if defs.Len() == 0 {
		return rank // nothing defined: no walk of e
	}
	frontier := defs.Refs(e)
	for depth := 0; len(frontier) > 0; depth++ {
		var next []string
		for _, n := range frontier {
			if _, seen := rank[n]; seen {
				continue
			}
			rank[n] = depth
			if d, ok := defs.Lookup(n); ok {
				next = append(next, defs.Refs(d.Body)...)
			}
		}
		frontier = next
	}
	return rank
}

// Fold replaces the canonical bodies of definitions in canonical e by the
// defined names; prefer ranks the definitions (lower first). With
// skipRoot the whole of e is not folded: simplifying CE shows CE's body,
// not the name again.
func (s *Simplifier) Fold(e ast.Expr, prefer map[string]int, skipRoot bool) ast.Expr {
	return s.FoldContext(context.Background(), e, prefer, skipRoot)
}

// FoldContext is Fold that stops folding once ctx is done.
func (s *Simplifier) FoldContext(ctx context.Context, e ast.Expr, prefer map[string]int, skipRoot bool) ast.Expr {
	return s.foldWith(ctx, e, s.foldPatterns(ctx, prefer), skipRoot)
}

// foldWith folds e with the patterns pats.
func (s *Simplifier) foldWith(ctx context.Context, e ast.Expr, pats []*foldPattern, skipRoot bool) ast.Expr {
	if len(pats) == 0 {
		return e
	}
	memo := map[ast.Expr]ast.Expr{}
	idx := indexPatterns(pats)
	var cands []int
	tries, work := int64(0), int64(0)
	defer func() { foldWork.Add(tries + work) }()
	var fold func(ast.Expr) ast.Expr
	fold = func(x ast.Expr) ast.Expr {
		if r, ok := memo[x]; ok {
			return r
		}
		if ctx.Err() != nil {
			// Folding only changes how the result reads: once the time
			// limit of the simplification is reached or Ctrl-C pressed,
			// the rest stays as it is (matching a deep body at each node
			// of a deep result is quadratic: 19,000 nested sines took
			// 5 s past --timeout 1s).
			return x
		}
		r := x
		matched := false
		_, isNum := x.(*ast.Num)
		if !isNum && (x != e || !skipRoot) { // a number is no definition's body; see skipRoot
			cands = idx.candidates(x, cands[:0])
		} else {
			cands = cands[:0]
		}
		for n, i := range cands {
			if n%1024 == 1023 && ctx.Err() != nil {
				break // thousands of definitions: each node tries them all
			}
			p := pats[i]
			tries++
			var m rules.Match
			ok, may := false, true
			if idx.ground[i] {
				var scanned int
				m.Rest, ok, may, scanned = groundMatch(p.lhs, x)
				work += int64(scanned)
			}
			if !ok && may {
				work += p.lhs.Size()
				m, ok = rules.MatchRoot(p.lhs, x, p.params)
			}
			if !ok || !indexBindings(p.def, m.Bindings) || !funcBindings(p.def, m.Bindings) {
				continue
			}
			// Each argument must be smaller than x: with half(u) := u/2,
			// x is half(2*x), which is half(half(4*x)), ... without end.
			smaller := true
			for _, name := range p.params {
				smaller = smaller && m.Bindings[name].Size() < x.Size()
			}
			if !smaller {
				continue
			}
			args := make([]ast.Expr, len(p.params))
			for i, name := range p.params {
				args[i] = fold(m.Bindings[name])
			}
			h := defHead(p.def, args)
			if len(m.Rest) > 0 {
				rest := make([]ast.Expr, len(m.Rest))
				for i, t := range m.Rest {
					rest[i] = fold(t)
				}
				if _, isMul := x.(*ast.Mul); isMul {
					h = ast.NewMul(append(rest, h)...)
				} else {
					h = ast.NewAdd(append(rest, h)...)
				}
			}
			r, matched = h, true
			break
		}
		if !matched {
			kids := ast.Children(x)
			if len(kids) > 0 {
				nk := make([]ast.Expr, len(kids))
				for i, k := range kids {
					nk[i] = fold(k)
				}
				r = ast.WithChildren(x, nk)
			}
		}
		memo[x] = r
		return r
	}
	return fold(e)
}

// A patternIndex gives the patterns that may match a node, in the order
// they are tried. A pattern without parameters whose body is a sum (or a
// product) matches at the root only a sum (a product) that has each of
// its terms (factors), and a name, an indexed name with numbers or names
// for indices, or a number among them matches only itself (names and
// numbers are interned): such a pattern is filed under one of those
// atoms and tried only at nodes that have it. Every node tried every
// pattern, and a chain of growing bodies (b_k := b_{k-1}*x + y_k, whose
// derivative is a sum of k terms) took time in the number of patterns
// times the nodes of the result, each trial of a sum's pattern against a
// long sum a scan of it.
type patternIndex struct {
	always []int              // tried at every node
	ground []bool             // the patterns groundMatch matches
	add    map[ast.Expr][]int // sums' patterns by an atom term
	mul    map[ast.Expr][]int // products' patterns by an atom factor
}

// foldIndexed turns on the patternIndex (the tests compare folding with
// and without it).
var foldIndexed = true

// foldWork counts the patterns tried at nodes, the operands groundMatch
// looked at and the sizes of the patterns rules.MatchRoot matched (a
// bound on its walk), for the test that folding a chain of growing bodies
// is linear.
var foldWork atomic.Int64

func indexPatterns(pats []*foldPattern) *patternIndex {
	idx := &patternIndex{ground: make([]bool, len(pats))}
	memo := map[ast.Expr]bool{}
	for i, p := range pats {
		idx.ground[i] = foldIndexed && len(p.params) == 0 && matchable(p.lhs, memo)
		var ops []ast.Expr
		var by *map[ast.Expr][]int
		if len(p.params) == 0 {
			switch b := p.lhs.(type) {
			case *ast.Add:
				ops, by = b.Terms, &idx.add
			case *ast.Mul:
				ops, by = b.Factors, &idx.mul
			}
		}
		var key ast.Expr
		for _, o := range ops {
			if isAtom(o) {
				key = o
				break
			}
		}
		if key == nil || !foldIndexed {
			idx.always = append(idx.always, i)
			continue
		}
		if *by == nil {
			*by = map[ast.Expr][]int{}
		}
		(*by)[key] = append((*by)[key], i)
	}
	return idx
}

// isAtom reports whether a pattern's operand matches only itself at the
// root of a match: a name, a number, or an indexed name whose indices are
// names or numbers.
func isAtom(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Sym, *ast.Num:
		return true
	case *ast.Index:
		for _, i := range e.Indices {
			switch i.(type) {
			case *ast.Sym, *ast.Num:
			default:
				return false
			}
		}
		return true
	}
	return false
}

// candidates appends to buf the patterns that may match x, in order.
func (idx *patternIndex) candidates(x ast.Expr, buf []int) []int {
	var ops []ast.Expr
	var by map[ast.Expr][]int
	switch x := x.(type) {
	case *ast.Add:
		ops, by = x.Terms, idx.add
	case *ast.Mul:
		ops, by = x.Factors, idx.mul
	}
	buf = append(buf, idx.always...)
	if len(by) == 0 {
		return buf
	}
	n := len(buf)
	for _, o := range ops {
		if isAtom(o) {
			buf = append(buf, by[o]...)
		}
	}
	if len(buf) > n {
		slices.Sort(buf)
		buf = slices.Compact(buf) // (an operand twice files nothing twice)
	}
	return buf
}

// groundMatch matches a ground pattern (see matchable) at x's root where
// x is the pattern itself, or a sum (product) with each of its terms
// (factors) among x's, returning the others: the match rules.MatchRoot
// finds, without walking the pattern down to its leaves (it compares
// the nodes, not their pointers, and b_k's body, b_{k-1}*x + y_k
// opened, was walked to b_1 at each k). Otherwise may says whether
// MatchRoot may still find a match (a sum's order or a sum's index
// written otherwise): not where an operand has none of its kind and size
// to match in x (a match keeps both). scanned is the operands looked at.
func groundMatch(p, x ast.Expr) (rest []ast.Expr, ok, may bool, scanned int) {
	if p == x {
		return nil, true, false, 0
	}
	alike := func(a, b ast.Expr) bool {
		return reflect.TypeOf(a) == reflect.TypeOf(b) && a.Size() == b.Size() && a.Height() == b.Height()
	}
	var ps, xs []ast.Expr
	switch p := p.(type) {
	case *ast.Add:
		a, ok := x.(*ast.Add)
		if !ok {
			return nil, false, false, 0
		}
		ps, xs = p.Terms, a.Terms
	case *ast.Mul:
		m, ok := x.(*ast.Mul)
		if !ok {
			return nil, false, false, 0
		}
		ps, xs = p.Factors, m.Factors
	default:
		return nil, false, alike(p, x), 0
	}
	if len(ps) > len(xs) {
		return nil, false, false, 0
	}
	want := make(map[ast.Expr]int, len(ps))
	for _, o := range ps {
		want[o]++
	}
	var left []ast.Expr // x's operands that are none of p's
	for _, o := range xs {
		if want[o] > 0 {
			want[o]--
			continue
		}
		left = append(left, o)
	}
	scanned = len(xs)
	if len(left) == len(xs)-len(ps) {
		return left, true, false, scanned
	}
	for _, o := range ps {
		if want[o] == 0 {
			continue
		}
		want[o]--
		found := false
		for _, l := range left {
			scanned++
			if alike(o, l) {
				found = true
				break
			}
		}
		if !found {
			return nil, false, false, scanned
		}
	}
	return nil, false, true, scanned
}

// matchable reports whether the matcher can match e against itself: it
// has no node the matcher does not compare (a condition, an if, a matrix
// operation), which no pattern matches. memo is shared by the patterns
// (their bodies share their parts).
func matchable(e ast.Expr, memo map[ast.Expr]bool) bool {
	if v, ok := memo[e]; ok {
		return v
	}
	v := true
	switch e.(type) {
	case *ast.Condition, *ast.If, *ast.MatOp:
		v = false
	default:
		for _, c := range ast.Children(e) {
			if !matchable(c, memo) {
				v = false
				break
			}
		}
	}
	memo[e] = v
	return v
}

// funcBindings refuses to fold a function whose parameter matched a
// number: with f(u, v) := u*v + 1, 1 - sigma(x) is not f(-1, sigma(x)).
func funcBindings(d *ast.Def, b rules.Bindings) bool {
	if d.Kind != ast.DefFunc {
		return true
	}
	for _, p := range d.Params {
		if _, isNum := b[p].(*ast.Num); isNum {
			return false
		}
	}
	return true
}

// indexBindings checks that an indexed definition's parameters matched
// indices (names or numbers), not arbitrary expressions.
func indexBindings(d *ast.Def, b rules.Bindings) bool {
	if d.Kind != ast.DefIndexed {
		return true
	}
	for _, p := range d.Params {
		switch b[p].(type) {
		case *ast.Sym, *ast.Num:
		default:
			return false
		}
	}
	return true
}

// foldPatterns builds the patterns of the definitions folded back, in the
// order they are tried. It returns none once ctx is done: folding only
// changes how a result reads.
func (s *Simplifier) foldPatterns(ctx context.Context, prefer map[string]int) []*foldPattern {
	return s.foldPatternsWith(ctx, prefer, s.foldBodies())
}

// foldPatternsWith is foldPatterns with the canonical bodies from body.
func (s *Simplifier) foldPatternsWith(ctx context.Context, prefer map[string]int, body func(*ast.Def) ast.Expr) []*foldPattern {
	var pats []*foldPattern
	defer s.takeMicro() // building patterns is not part of the trace
	// A user's definition is folded back only where the expression used it
	// (directly or through other definitions): with sq(u) := u^2 defined,
	// d(x^3, x) is 3*x^2, not 3*sq(x).
	var defs []*ast.Def
	for _, d := range s.opt.Defs.All() {
		if _, used := prefer[d.Name]; used {
			defs = append(defs, d)
		}
	}
	for _, d := range s.rules.Defs().All() {
		if _, shadowed := s.opt.Defs.Lookup(d.Name); !shadowed {
			defs = append(defs, d) // functions of the rule files (swish)
		}
	}
	for _, d := range defs {
		// Only ctx: Display folds a trace's steps after the simplification's
		// context is done, with the bodies the cache holds.
		if ctx.Err() != nil {
			return nil
		}
		body := body(d)
		switch b := body.(type) {
		case *ast.Num:
			continue // folding every 2 into c := 2 would only confuse
		case *ast.Sym:
			if slices.Contains(d.Params, b.Name) || len(d.Params) == 0 {
				continue
			}
		}
		if body.Size() < 2 || !allFree(body, d.Params) {
			// A parameter missing from the body (unused, or opened as a
			// definition of the same name) would have no argument.
			continue
		}
		r, ok := prefer[d.Name]
		if !ok {
			r = 1 << 20
		}
		pats = append(pats, &foldPattern{def: d, lhs: body, rank: r, params: d.Params})
	}
	sort.SliceStable(pats, func(i, j int) bool {
		if pats[i].rank != pats[j].rank {
			return pats[i].rank < pats[j].rank
		}
		return pats[i].lhs.Size() > pats[j].lhs.Size()
	})
	return pats
}

// allFree reports whether every one of names is free in e.
func allFree(e ast.Expr, names []string) bool {
	for _, n := range names {
		if !ast.HasFree(e, n) {
			return false
		}
	}
	return true
}

// defHead is a definition's head applied to arguments: p[i], f(x), CE.
func defHead(d *ast.Def, args []ast.Expr) ast.Expr {
	switch d.Kind {
	case ast.DefIndexed:
		return ast.NewIndex(d.Name, args...)
	case ast.DefFunc:
		return ast.NewCall(d.Name, args...)
	}
	return ast.NewSym(d.Name)
}

// A definition's canonical body, for folding, is computed once per
// definition, rule set and normal form, however many simplifiers fold
// with it: definitions and rule sets are never modified, so the pointers
// identify them. The keys hold them weakly, and an entry goes when its
// definition is collected, so that a long session redefining its names
// does not keep every body it ever had; the bound stays for definitions
// that live on.
type foldKey struct {
	def   weak.Pointer[ast.Def]
	rules weak.Pointer[rules.Set]
	full  bool
}

// A foldEntry is a canonical body with the expansion it was computed
// from: d's body with every definition in force opened. Normalising
// opens definitions, so after b := x*w was redefined b := x*v,
// c := b^2*y kept the body w^2*x^2*y and folded x^2*w^2*y into c, whose
// value is now x^2*v^2*y (a wrong result). An entry whose expansion
// differs from the one under the definitions in force is computed again.
// (It listed the names the body reaches, with their definitions: for each
// definition of a chain of n, a walk down the chain, n² in all.)
type foldEntry struct {
	expanded ast.Expr
	body     ast.Expr
}

var foldCache struct {
	sync.Mutex
	m map[foldKey]foldEntry // made at the first entry, not at start-up
}

// maxFoldCache bounds the entries of definitions that live on. An entry
// is two pointers to shared nodes; at 4096 a chain of 5,000 definitions
// emptied the cache at every fold.
const maxFoldCache = 1 << 17

// foldBodies returns the canonical body of a definition, for one building
// of the patterns, in time linear in a chain of definitions (each the one
// before and a little more), not quadratic. The definitions are expanded
// with one memo, for the cache's check. The body of a definition that
// adds up numbers, names and the definitions it uses, where those are
// sums of numbers and names, is normalised from their canonical bodies
// (a(k) := a(k-1) + 1 is (x + k - 1) + 1); other bodies are their
// expansions, normalised, as before (opening a chain of n definitions n
// times and normalising each was quadratic: 3,000 links took 10 s).
// Normal forms are not built from parts in general (from its parts' normal
// forms, c6 := c4 + 2 - exp(c1 + 1) normalised to another form than its
// expansion did), but sums of sums are flattened and collected alike
// (TestFoldBodiesAgree compares the two on random definitions).
func (s *Simplifier) foldBodies() func(d *ast.Def) ast.Expr {
	var userExp, ruleExp func(ast.Expr) ast.Expr
	done := map[*ast.Def]ast.Expr{}
	var bodyOf func(d *ast.Def) ast.Expr
	bodyOf = func(d *ast.Def) ast.Expr {
		if b, ok := done[d]; ok {
			return b
		}
		if userExp == nil {
			userExp, ruleExp = s.opt.Defs.Expander(), s.rules.Defs().Expander()
		}
		// What Normalize(d.Body, true) opens (see ExpandDefs).
		expanded := ruleExp(userExp(d.Body))
		k := foldKey{weak.Make(d), weak.Make(s.rules), s.full}
		// Assumptions and the basis change normal forms: not cached then.
		cacheable := !s.basis && len(s.assume) == 0
		if cacheable {
			foldCache.Lock()
			en, ok := foldCache.m[k]
			foldCache.Unlock()
			if ok && en.expanded == expanded {
				done[d] = en.body
				return en.body
			}
		}
		from := expanded
		if opened, ok := s.openScalars(d, bodyOf); ok {
			from = opened
		}
		body, _ := s.Normalize(s.ctx, from, false)
		if s.stop != StopFixpoint {
			return body // cut short: not cached, not built on
		}
		done[d] = body
		if cacheable {
			foldCache.Lock()
			if foldCache.m == nil || len(foldCache.m) >= maxFoldCache {
				foldCache.m = map[foldKey]foldEntry{}
			}
			_, had := foldCache.m[k]
			foldCache.m[k] = foldEntry{expanded, body}
			foldCache.Unlock()
			if !had {
				runtime.AddCleanup(d, dropFold, k)
			}
		}
		return body
	}
	return bodyOf
}

// openScalars returns d's body with the definitions it uses replaced by
// their canonical bodies (from bodyOf), if d is a scalar definition whose
// body is a sum of numbers, names, multiples of names and definitions
// whose canonical bodies are sums of that kind (no definition nor binder
// in either but those opened).
func (s *Simplifier) openScalars(d *ast.Def, bodyOf func(*ast.Def) ast.Expr) (ast.Expr, bool) {
	if d.Kind != ast.DefScalar || s.opt.Defs.Len() == 0 {
		return nil, false
	}
	terms := []ast.Expr{d.Body}
	if a, ok := d.Body.(*ast.Add); ok {
		terms = a.Terms
	}
	var refs []*ast.Def
	for _, t := range terms {
		if y, ok := t.(*ast.Sym); ok {
			if def, defined := s.opt.Defs.Lookup(y.Name); defined && def.Kind == ast.DefScalar {
				refs = append(refs, def)
				continue
			}
		}
		if !s.linearTerm(t) {
			return nil, false
		}
	}
	if len(refs) == 0 {
		return nil, false
	}
	m := make(map[string]ast.Expr, len(refs))
	for _, def := range refs {
		b := bodyOf(def)
		if s.stop != StopFixpoint {
			return nil, false
		}
		terms := []ast.Expr{b}
		if a, ok := b.(*ast.Add); ok {
			terms = a.Terms
		}
		for _, t := range terms {
			if !s.linearTerm(t) {
				return nil, false
			}
		}
		m[def.Name] = b
	}
	return ast.Subst(d.Body, m), true
}

// linearTerm reports whether t is a number, a name that nothing defines,
// or a number times such a name.
func (s *Simplifier) linearTerm(t ast.Expr) bool {
	free := func(x ast.Expr) bool {
		y, ok := x.(*ast.Sym)
		if !ok {
			return false
		}
		_, defined := s.lookupDef(y.Name)
		return !defined
	}
	switch t := t.(type) {
	case *ast.Num:
		return true
	case *ast.Mul:
		if len(t.Factors) != 2 {
			return false
		}
		_, isNum := t.Factors[0].(*ast.Num)
		return isNum && free(t.Factors[1])
	}
	return free(t)
}

// dropFold removes the entry of a definition that has been collected.
func dropFold(k foldKey) {
	foldCache.Lock()
	delete(foldCache.m, k)
	foldCache.Unlock()
}

// foldCacheLen is the number of entries (for tests).
func foldCacheLen() int {
	foldCache.Lock()
	defer foldCache.Unlock()
	return len(foldCache.m)
}

// ResetCaches empties the caches shared by simplifiers, so that a
// measurement starts cold.
func ResetCaches() {
	foldCache.Lock()
	foldCache.m = map[foldKey]foldEntry{}
	foldCache.Unlock()
	resetCompileCache()
}
