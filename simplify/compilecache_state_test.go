package simplify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
)

// TestCompileCacheState: the compiled rules shared between simplifiers
// whose sizes, ranges and sums in scope differ are exactly the rules each
// would compile on its own. Random states over names of the rules' left
// sides (u, a, b, k, lo, hi) and others (n, d, i, j): each simplifier
// takes its compiled rules through the cache, which earlier states filled,
// and they are compared with compileRules run under its own state (the
// uncached path, the reference). Some states must change what is
// compiled (a pattern variable that is a size is positive, so abs(u)
// compiles to u), or the test could not tell a key that leaves the state
// out.
func TestCompileCacheState(t *testing.T) {
	set := load.Builtin()
	ResetCaches()
	defer ResetCaches()
	names := []string{"u", "a", "b", "k", "lo", "hi", "n", "d", "i", "j"}
	r := rand.New(rand.NewPCG(15, 8))
	bound := func() ast.Expr {
		switch r.IntN(5) {
		case 0:
			return ast.One
		case 1:
			return ast.NewInt(int64(r.IntN(4)))
		default:
			n := ast.NewSym(names[r.IntN(len(names))])
			if r.IntN(3) == 0 {
				return ast.NewAdd(n, ast.One)
			}
			return n
		}
	}
	newState := func() *Simplifier {
		s := New(Options{Rules: set})
		s.sizes = map[string]bool{}
		for range r.IntN(3) {
			s.sizes[names[r.IntN(len(names))]] = true
		}
		if r.IntN(2) == 0 {
			s.opt.Ranges = map[string]Range{}
			for range 1 + r.IntN(2) {
				s.opt.Ranges[names[r.IntN(len(names))]] = Range{Lo: bound(), Hi: bound()}
			}
		}
		for range r.IntN(3) {
			s.scope = append(s.scope, scopeEntry{names[r.IntN(len(names))], bound(), bound()})
		}
		return s
	}
	same := func(a, b map[string][]*compiledRule) string {
		for h, as := range a {
			bs := b[h]
			if len(as) != len(bs) {
				return fmt.Sprintf("%s: %d rules, %d", h, len(as), len(bs))
			}
			for i := range as {
				if as[i].rule != bs[i].rule || as[i].lhs != bs[i].lhs || !slices.Equal(as[i].need, bs[i].need) {
					return fmt.Sprintf("%s: rule %s compiles to %v, on its own to %v", h, as[i].rule.Name, as[i].lhs, bs[i].lhs)
				}
			}
		}
		if len(a) != len(b) {
			return fmt.Sprintf("%d heads, %d", len(a), len(b))
		}
		return ""
	}
	simp, basis := set.Rules(rules.Simplify), set.Rules(rules.Basis)
	plain := map[expandMode]map[string][]*compiledRule{}
	for _, mode := range []expandMode{expandNone, expandSmart, expandFull} {
		plain[mode] = New(Options{Rules: set}).compileRules(mode, simp, basis)
	}
	hits, changed := 0, 0
	for trial := range 400 {
		s := newState()
		mode := []expandMode{expandNone, expandSmart, expandFull}[trial%3]
		before := CompileCacheLen()
		got := s.compile(mode)
		if CompileCacheLen() == before {
			hits++ // another state's compiled rules
		}
		ref := newState()
		ref.sizes, ref.opt.Ranges, ref.scope = s.sizes, s.opt.Ranges, s.scope
		want := ref.compileRules(mode, simp, basis)
		if d := same(got, want); d != "" {
			state, _ := s.compileState()
			t.Fatalf("trial %d, state %q (sizes %v, ranges %v, scope %v): %s", trial, state, s.sizes, s.opt.Ranges, s.scope, d)
		}
		if same(want, plain[mode]) != "" {
			changed++
		}
	}
	if changed != 0 {
		// Pattern variables are not the user's names: no size, range or
		// sum in scope may change how a rule compiles (sqrt(u^2) with u a
		// size compiled to the bare pattern u, which matches anything).
		t.Errorf("%d states changed the compiled rules", changed)
	}
	if hits < 50 {
		t.Errorf("only %d of 400 simplifiers took their compiled rules from the cache", hits)
	}
	t.Logf("%d of 400 from the cache; %d states compile differently from none", hits, changed)
}
