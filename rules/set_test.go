package rules_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/rules"
)

// TestRuleLookupAgainstScan: Set.Rule, which indexes the rules by name
// once the set is large, answers as a scan of AllRules does, and
// Set.Count as the length of Set.Rules, through
// random additions (new names and repeated ones, which AddRule refuses),
// clones added to on their own, and Without. Sizes cross the point where
// the index is built, in the set and in its clones.
func TestRuleLookupAgainstScan(t *testing.T) {
	scan := func(s *rules.Set, name string) (*rules.Rule, bool) {
		for _, r := range s.AllRules() {
			if r.Name == name {
				return r, true
			}
		}
		return nil, false
	}
	for seed := range 12 {
		rng := rand.New(rand.NewPCG(uint64(seed), 3))
		sets := []*rules.Set{rules.Empty()}
		for step := range 400 {
			k := rng.IntN(len(sets))
			s := sets[k]
			name := fmt.Sprintf("r%d", rng.IntN(150))
			switch r := rng.IntN(40); {
			case r == 0 && len(sets) < 5:
				sets = append(sets, s.Clone())
			case r == 1 && len(sets) < 5:
				sets = append(sets, s.Without(name))
			default:
				_, had := scan(s, name)
				err := s.AddRule(&rules.Rule{Name: name, Doc: fmt.Sprint(step), Kind: rules.Kind(rng.IntN(3))})
				if (err != nil) != had {
					t.Fatalf("seed %d step %d: AddRule(%s) = %v, but the set had it: %v", seed, step, name, err, had)
				}
			}
			for i, s := range sets {
				for kind := range rules.Kind(3) {
					if n, want := s.Count(kind), len(s.Rules(kind)); n != want {
						t.Fatalf("seed %d step %d: set %d: Count(%d) = %d, Rules lists %d", seed, step, i, kind, n, want)
					}
				}
				for range 8 {
					name := fmt.Sprintf("r%d", rng.IntN(150))
					got, ok := s.Rule(name)
					want, wok := scan(s, name)
					if got != want || ok != wok {
						t.Fatalf("seed %d step %d: set %d: Rule(%s) = %v %v, the scan finds %v %v", seed, step, i, name, got, ok, want, wok)
					}
				}
			}
		}
	}
}

// BenchmarkAddRules adds n rules to an empty set: linear in n (a name
// lookup per rule; before the index it scanned every rule).
func BenchmarkAddRules(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		rs := make([]*rules.Rule, n)
		for i := range rs {
			rs[i] = &rules.Rule{Name: fmt.Sprintf("rule%d", i)}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				s := rules.Empty()
				for _, r := range rs {
					if err := s.AddRule(r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
