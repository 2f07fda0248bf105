package latex

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// TestLazyHole checks that the hole, made on first use, is the node the
// package-level variable held when it was built at initialisation (nodes
// are interned: the same name is the same pointer), and that goroutines
// racing to the first use all get it (go test -race; run alone, -run
// LazyHole, the first use is here). Each also splits a sum's LaTeX with it.
func TestLazyHole(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]ast.Expr, 32)
	pieces := make([][]string, len(got))
	e := ast.NewAdd(ast.NewSym("a"), ast.NewSym("b"), ast.NewSym("c"))
	for i := range got {
		wg.Go(func() {
			got[i] = hole()
			for _, p := range New(nil, Options{}).pieces(e) {
				pieces[i] = append(pieces[i], p.s)
			}
		})
	}
	wg.Wait()
	eager := ast.NewSym("zzHOLEzz")
	for i := range got {
		if got[i] != ast.Expr(eager) {
			t.Fatalf("goroutine %d: hole() is %v, not the interned zzHOLEzz", i, got[i])
		}
		if d := cmp.Diff(pieces[0], pieces[i]); d != "" {
			t.Fatalf("goroutine %d split a + b + c otherwise:\n%s", i, d)
		}
	}
	if want := []string{"a", "+ b", "+ c"}; !cmp.Equal(pieces[0], want) {
		t.Errorf("pieces(a + b + c) = %q, want %q", pieces[0], want)
	}
}
