package simplify

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// What the compiled rules depend on. Compiling canonicalises each rule's
// left side without rules (see compile). Of the simplifier's state, that
// reads only what is looked up by a name or an expression of the left
// side being canonicalised:
//
//   - whether a name is a size (a sum's bound: a positive integer, sign.go),
//   - the range of a name, given (opt.Ranges) or bound by a sum in scope
//     (iverson.go), and through a range's bounds the ranges of the names
//     they mention,
//   - the assumptions (intervals of expressions and arrays, equalities,
//     which are compiled as rules themselves).
//
// So a simplifier whose sizes, ranges and sums in scope mention none of
// the names of the rules' left sides (pattern variables such as u, a, b,
// k) compiles exactly what one without them does, and one whose state
// does mention them compiles what any other with the same state of those
// names does. The key of the shared compiled rules (compileKey.state) is
// that state, written out for the names reached from the left sides; it
// is empty when they reach none. Assumptions are rare, so a simplifier
// with any compiles its own, as before.
//
// Before, any size, range or sum in scope made the simplifier compile its
// own rules: every proof over sums did (W8: 12% of the CPU of a batch).

// compileState returns the part of s's state that compiling s's rules
// reads, and false if the compiled rules cannot be shared at all.
func (s *Simplifier) compileState() (string, bool) {
	if compileCacheOff.Load() || s.stop != StopFixpoint || len(s.opt.Assume) != 0 || len(s.equalities) != 0 ||
		len(s.assume) != 0 || len(s.userFacts) != 0 || len(s.arrayFacts) != 0 {
		return "", false
	}
	if len(s.opt.Ranges) == 0 && len(s.sizes) == 0 && len(s.scope) == 0 {
		return "", true
	}
	lhs := lhsNames(s.rules)
	// The names reached: those of the left sides, then those in the
	// bounds of the ranges of names reached.
	reached := map[string]bool{}
	var todo []string
	reach := func(n string) {
		if !reached[n] {
			reached[n] = true
			todo = append(todo, n)
		}
	}
	for _, n := range lhs {
		reach(n)
	}
	var b strings.Builder
	var hit []string
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		bounds := func(lo, hi ast.Expr) {
			for _, e := range []ast.Expr{lo, hi} {
				if e != nil {
					for _, m := range ast.FreeNames(e) {
						reach(m)
					}
				}
			}
		}
		in := s.sizes[n]
		r, ranged := s.opt.Ranges[n]
		if ranged {
			in = true
			bounds(r.Lo, r.Hi)
		}
		for _, sc := range s.scope {
			if sc.name == n {
				in = true
				bounds(sc.lo, sc.hi)
			}
		}
		if in {
			hit = append(hit, n)
		}
	}
	if len(hit) == 0 {
		return "", true
	}
	slices.Sort(hit)
	id := func(e ast.Expr) uint64 {
		if e == nil {
			return 0
		}
		return e.ID()
	}
	for _, n := range hit {
		fmt.Fprintf(&b, "%s", n)
		if s.sizes[n] {
			b.WriteString(" size")
		}
		if r, ok := s.opt.Ranges[n]; ok {
			fmt.Fprintf(&b, " range %d..%d", id(r.Lo), id(r.Hi))
		}
		for i, sc := range s.scope {
			if sc.name == n {
				fmt.Fprintf(&b, " sum@%d %d..%d", i, id(sc.lo), id(sc.hi))
			}
		}
		b.WriteByte(';')
	}
	return b.String(), true
}

// lhsNames returns the names that occur in the left sides of the
// rewrite rules of set (free or bound by a sum), sorted; computed once
// per set and size of set.
func lhsNames(set *rules.Set) []string {
	simp, basis := set.Rules(rules.Simplify), set.Rules(rules.Basis)
	key := lhsKey{set, len(simp), len(basis)}
	lhsCache.Lock()
	names, ok := lhsCache.m[key]
	lhsCache.Unlock()
	if ok {
		return names
	}
	seen := map[string]bool{}
	for _, r := range slices.Concat(simp, basis) {
		if r.LHS == nil {
			continue
		}
		for _, n := range ast.FreeNames(r.LHS) {
			seen[n] = true
		}
		ast.InspectOnce(r.LHS, func(e ast.Expr) bool {
			if x, ok := e.(*ast.Sum); ok {
				seen[x.Var] = true
			}
			return true
		})
	}
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	lhsCache.Lock()
	if lhsCache.m == nil || len(lhsCache.m) >= maxCompileCache {
		lhsCache.m = map[lhsKey][]string{}
	}
	lhsCache.m[key] = names
	lhsCache.Unlock()
	return names
}

type lhsKey struct {
	set               *rules.Set
	nSimplify, nBasis int
}

var lhsCache struct {
	sync.Mutex
	m map[lhsKey][]string // made at the first entry, not at start-up
}
