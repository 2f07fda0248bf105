package simplify

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestOrderCacheSortedRuns: orderCache.sorted, which checks a long list
// only where it differs from the last sorted one, answers as
// slices.IsSortedFunc does, on long lists of factors made one from
// another (one left out, one put back, two swapped, one replaced, the
// sorted base again), for the display order of factors.
func TestOrderCacheSortedRuns(t *testing.T) {
	x := ast.NewSym("x")
	var pool []ast.Expr
	for k := 1; k <= 60; k++ {
		pool = append(pool, ast.NewAdd(ast.NewInt(int64(k)), x))
	}
	pool = append(pool, ast.NewSym("a"), ast.NewSym("b"), ast.NewCall("sin", x), ast.NewPow(x, ast.NewInt(2)))
	rng := rand.New(rand.NewPCG(8, 13))
	count := map[bool]int{}
	for trial := range 40 {
		var o orderCache
		base := slices.Clone(pool)
		rng.Shuffle(len(base), func(i, j int) { base[i], base[j] = base[j], base[i] })
		base = base[:minSortedRun+rng.IntN(len(pool)-minSortedRun)]
		slices.SortFunc(base, displayFactorOrder)
		cur := slices.Clone(base)
		for step := range 60 {
			next := slices.Clone(cur)
			switch rng.IntN(6) {
			case 0:
				i := (step + trial) % len(base)
				next = slices.Delete(slices.Clone(base), i, i+1)
			case 1:
				i := rng.IntN(len(next))
				next = slices.Delete(next, i, i+1)
			case 2:
				i := rng.IntN(len(next) + 1)
				next = slices.Insert(next, i, pool[rng.IntN(len(pool))])
			case 3:
				i, j := rng.IntN(len(next)), rng.IntN(len(next))
				next[i], next[j] = next[j], next[i]
			case 4:
				next[rng.IntN(len(next))] = pool[rng.IntN(len(pool))]
			default:
				next = slices.Clone(base)
			}
			if len(next) < minSortedRun {
				next = slices.Clone(base)
			}
			cur = next
			want := slices.IsSortedFunc(cur, displayFactorOrder)
			if got := o.sorted(slices.Clip(slices.Clone(cur)), displayFactorOrder); got != want {
				t.Fatalf("trial %d, step %d: sorted says %v, IsSortedFunc %v", trial, step, got, want)
			}
			count[want]++
		}
	}
	if count[true] < 300 || count[false] < 300 {
		t.Errorf("lists sorted and not: %v: too few of one kind", count)
	}
}
