package simplify

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
)

// TestPlainCanonicalConcurrent: plain canonicalisers, which share one
// empty rule set, give on 8 goroutines at once the forms one goroutine
// gives alone, on random expressions (under -race, a write to the shared
// set is a race), and the set stays empty.
func TestPlainCanonicalConcurrent(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(8, 200)))
	n := 400
	if testing.Short() {
		n = 100
	}
	exprs := make([]ast.Expr, n)
	want := make([]ast.Expr, n)
	for i := range exprs {
		exprs[i] = g.Expr(2 + i%4)
		want[i] = PlainCanonical(exprs[i])
	}
	var wg sync.WaitGroup
	errc := make(chan string, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range exprs {
				i := (k + w*n/8) % n
				if got := PlainCanonical(exprs[i]); got != want[i] {
					errc <- ast.String(exprs[i]) + ": " + ast.String(got) + ", alone " + ast.String(want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for msg := range errc {
		t.Fatal(msg)
	}
	for k := rules.Kind(0); k < 8; k++ {
		if rs := noRules.Rules(k); len(rs) > 0 {
			t.Fatalf("the plain canonicalisers' rule set has %d rules of kind %d", len(rs), k)
		}
	}
	if noRules.Defs().Len() != 0 || len(noRules.Funcs()) != 0 {
		t.Fatal("the plain canonicalisers' rule set has definitions or functions")
	}
}
