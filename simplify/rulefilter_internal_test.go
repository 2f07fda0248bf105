package simplify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
)

// fullTrace writes a trace out in full, sub-steps included: the rule,
// both sides, the rules used.
func fullTrace(b *strings.Builder, steps []rules.Step, depth int) {
	for _, s := range steps {
		name := "<nil>"
		if s.Rule != nil {
			name = s.Rule.Name
		}
		fmt.Fprintf(b, "%*s%s: %s = %s", depth, "", name, ast.String(s.Before), ast.String(s.After))
		for _, u := range s.Uses {
			fmt.Fprintf(b, " [%s]", u.Name)
		}
		b.WriteByte('\n')
		fullTrace(b, s.Subs(), depth+1)
	}
}

// TestRuleFilterAgrees: rewrite reading the short lists of rules that
// may pass its filters (rulefilter.go) simplifies as it does reading
// every rule at each node: the same result, canonical form, stop reason
// and trace, step for step, on random expressions (indices, sums,
// deltas, kinks, fractional powers) differentiated and not. (The
// package's tests also run with filterCheck, which matches every rule
// left out of a list against the node.)
func TestRuleFilterAgrees(t *testing.T) {
	// The comparison is the oracle here, not filterCheck's matching.
	saved := filterCheck
	filterCheck = false
	defer func() { ruleFilterOff, filterCheck = false, saved }()
	// A user's rules of powers with a pattern variable for base or
	// exponent (the built-in ones name both), for the lists' test of a
	// power's children.
	user, err := load.File(load.Builtin(), "user.rules", "rule exp_power: exp(u)^k -> exp(k*u)\nrule half_power: u^0.5 -> sqrt(u)\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []*rules.Set{load.Builtin(), user} {
		checkRuleFilter(t, set)
	}
}

func checkRuleFilter(t *testing.T, set *rules.Set) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(4, 100)))
	g.Kinks = true
	run := func(e ast.Expr) string {
		res, err := Simplify(context.Background(), e, Options{Rules: set})
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n%s\n%v %s\n", ast.String(res.Expr), ast.String(res.Canonical), res.Stop, res.Detail)
		fullTrace(&b, res.Trace, 0)
		return b.String()
	}
	rewrites := 0
	for n := range 2000 {
		e := g.Expr(3 + n%2)
		if n%2 == 0 {
			e = ast.NewDeriv(e, ast.NewSym([]string{"x", "y"}[n%4/2]))
		}
		ruleFilterOff = true
		want := run(e)
		ruleFilterOff = false
		got := run(e)
		if got != want {
			t.Fatalf("%s: with the lists of rules\n%s\nreading every rule\n%s", ast.String(e), got, want)
		}
		rewrites += strings.Count(got, "\n")
	}
	// Each rule's own left side, its variables filled in at random, alone,
	// times a leaf and plus one: the random expressions rarely make the
	// products and sums the rules are about.
	applied := 0
	for _, r := range set.Rules(rules.Simplify) {
		for n := range 6 {
			b := rules.Bindings{}
			for _, v := range r.Vars {
				b[v] = g.Expr(n % 2)
			}
			e := rules.Instantiate(r.LHS, b)
			switch n % 3 {
			case 1:
				e = ast.NewMul(g.Leaf(), e)
			case 2:
				e = ast.NewAdd(e, g.Leaf())
			}
			ruleFilterOff = true
			want := run(e)
			ruleFilterOff = false
			got := run(e)
			if got != want {
				t.Fatalf("%s: with the lists of rules\n%s\nreading every rule\n%s", ast.String(e), got, want)
			}
			rewrites += strings.Count(got, "\n")
			if strings.Contains(got, r.Name+":") {
				applied++
			}
		}
	}
	if applied < 200 {
		t.Errorf("the rules were applied to their own left sides %d times", applied)
	}
	if rewrites < 10000 {
		t.Errorf("only %d lines of traces compared", rewrites)
	}
}

// TestRuleFiltersShared: the lists shared by every canonicaliser, looked
// up from many goroutines at once (as run --jobs and the web server do),
// are each the rules that mayPass keeps, in their order, whatever the
// table held when it was read: its scan, its index by key, and a head
// with every list it may keep. Run with -race.
func TestRuleFiltersShared(t *testing.T) {
	// The built-in rules and a user's rules of powers whose lists depend on
	// the ranks of base and exponent (see TestRuleFilterAgrees).
	user, err := load.File(load.Builtin(), "user.rules", "rule exp_power: exp(u)^k -> exp(k*u)\nrule half_power: u^0.5 -> sqrt(u)\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []*rules.Set{load.Builtin(), user} {
		checkRuleFiltersShared(t, New(Options{Rules: set}))
	}
}

func checkRuleFiltersShared(t *testing.T, s *Simplifier) {
	for _, mode := range []expandMode{expandNone, expandFull} {
		s.compile(mode)
		f := new(ruleFilters)      // a table of its own, from empty
		var union [numHeads]uint64 // the bits the rules of each head test
		for h := range numHeads {
			for _, cr := range s.compiled[mode].byHead[h] {
				union[h] |= cr.mask
			}
		}
		var wg sync.WaitGroup
		var full atomic.Int64
		errs := make(chan string, 8)
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 7))
				for range 3000 {
					h := rng.IntN(numHeads - 1) // not headOther
					all := s.compiled[mode].byHead[h]
					key := filterKey{mask: union[h] & rng.Uint64(), head: uint8(h), r0: noRank, r1: noRank}
					if rng.IntN(8) == 0 {
						key.mask |= 1 << rng.IntN(64) // a kind no rule tests
					}
					if h == headPow && rng.IntN(4) != 0 {
						key.r0, key.r1 = uint8(rng.IntN(10)), uint8(rng.IntN(10))
					}
					var want []*compiledRule
					for _, cr := range all {
						if mayPass(cr, key) {
							want = append(want, cr)
						}
					}
					got := f.list(key, all)
					if len(want) < len(all) && len(got) == len(all) && &got[0] == &all[0] {
						if tab := f.heads[h].Load(); len(tab.entries) >= maxFilterLists {
							full.Add(1)
							continue // a full table reads every rule
						}
					}
					if !slices.Equal(got, want) {
						errs <- fmt.Sprintf("%s %#x %d %d: %d rules listed, %d may pass", headNames[h], key.mask, key.r0, key.r1, len(got), len(want))
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		indexed := 0
		for h := range f.heads {
			tab := f.heads[h].Load()
			if tab == nil {
				continue
			}
			if len(tab.entries) > maxFilterLists+8 {
				t.Errorf("%s: %d lists kept", headNames[h], len(tab.entries))
			}
			if tab.byKey != nil {
				indexed++
			}
		}
		if indexed == 0 || full.Load() == 0 {
			t.Errorf("%d tables indexed by key, %d lookups in a full table", indexed, full.Load())
		}
	}
}
