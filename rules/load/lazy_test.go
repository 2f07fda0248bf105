package load

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/rules"
)

// TestLazyBuiltinTables: goroutines racing to the first use of the rule
// files' hashes and of the built-in parse context (go test -race) all get
// one of each, as built directly.
func TestLazyBuiltinTables(t *testing.T) {
	hs := make([][]uint64, 32)
	cs := make([]any, len(hs))
	var wg sync.WaitGroup
	for i := range hs {
		wg.Go(func() {
			hs[i] = builtinHashes()
			cs[i] = BuiltinContext()
		})
	}
	wg.Wait()
	var want []uint64
	for _, f := range rules.BuiltinFiles {
		want = append(want, textHash(f.Text))
	}
	direct := builtinContext()
	for i := range hs {
		if d := cmp.Diff(want, hs[i]); d != "" {
			t.Fatalf("goroutine %d: hashes differ:\n%s", i, d)
		}
		if cs[i] != cs[0] {
			t.Fatalf("goroutine %d got a context of its own", i)
		}
	}
	if d := cmp.Diff(direct.Funcs, BuiltinContext().Funcs); d != "" {
		t.Errorf("the context's functions differ from those built directly:\n%s", d)
	}
}
