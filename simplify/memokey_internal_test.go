package simplify

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// keyByMap is the memo key as it was written with fmt, a strings.Builder
// and a set of names: the reference the allocation-free key must match.
func keyByMap(s *Simplifier, e ast.Expr) memoKey {
	if len(s.scope) == 0 {
		return memoKey{e: e}
	}
	var b strings.Builder
	var names map[string]bool
	for i := len(s.scope) - 1; i >= 0; i-- {
		sc := s.scope[i]
		if !names[sc.name] && !ast.HasFree(e, sc.name) {
			continue
		}
		if names == nil {
			names = map[string]bool{}
		}
		delete(names, sc.name)
		fmt.Fprintf(&b, "%d:%s:%d:%d;", i, sc.name, sc.lo.ID(), sc.hi.ID())
		for _, n := range ast.FreeNames(sc.lo) {
			names[n] = true
		}
		for _, n := range ast.FreeNames(sc.hi) {
			names[n] = true
		}
	}
	return memoKey{e: e, ctx: b.String()}
}

// TestKeyAgrees: the memo key written into a buffer on the stack is the
// key written with fmt and a set, on random scopes whose ranges mention
// other indices (so that the list of names to follow grows, shrinks when
// an outer binding of a name comes, and passes its eight places), names
// bound twice, and expressions with and without the indices free.
func TestKeyAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 8))
	idx := []string{"i", "j", "k", "l", "m", "a", "b", "c", "e", "f", "g", "h", "n", "d"}
	atom := func() ast.Expr {
		switch rng.IntN(4) {
		case 0:
			return ast.NewNum(ast.Int(int64(rng.IntN(5))))
		case 1:
			return ast.NewSym(idx[rng.IntN(len(idx))])
		case 2:
			return ast.NewIndex("x", ast.NewSym(idx[rng.IntN(len(idx))]))
		}
		return ast.NewAdd(ast.NewSym(idx[rng.IntN(len(idx))]), ast.NewSym(idx[rng.IntN(len(idx))]))
	}
	withCtx := 0
	for range 20000 {
		s := &Simplifier{}
		for range rng.IntN(14) {
			lo, hi := atom(), atom()
			if rng.IntN(3) == 0 {
				var terms []ast.Expr
				for range 1 + rng.IntN(9) {
					terms = append(terms, atom())
				}
				hi = ast.NewAdd(terms...)
			}
			s.scope = append(s.scope, scopeEntry{name: idx[rng.IntN(len(idx))], lo: lo, hi: hi})
		}
		e := ast.NewMul(atom(), atom())
		got, want := s.key(e), keyByMap(s, e)
		if got != want {
			t.Fatalf("key of %s in %d scopes: %q, want %q", ast.String(e), len(s.scope), got.ctx, want.ctx)
		}
		if want.ctx != "" {
			withCtx++
		}
	}
	if withCtx < 5000 {
		t.Fatalf("only %d keys with a scope context: the test does not exercise the list of names", withCtx)
	}
}

// TestKeyAllocates: a key with a scope allocates its string and nothing
// else (the fmt version made 5–9 allocations).
func TestKeyAllocates(t *testing.T) {
	s := &Simplifier{scope: []scopeEntry{
		{name: "i", lo: ast.One, hi: ast.NewSym("n")},
		{name: "j", lo: ast.One, hi: ast.NewSym("i")},
	}}
	e := ast.NewIndex("x", ast.NewSym("i"), ast.NewSym("j"))
	if a := testing.AllocsPerRun(100, func() { _ = s.key(e) }); a > 1 {
		t.Fatalf("key allocates %v times, want at most 1", a)
	}
}
