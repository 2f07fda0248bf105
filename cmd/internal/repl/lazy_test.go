package repl

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// TestLazyTablesConcurrent: the command table and the colours are made on
// first use (not at initialisation); REPLs started at once on several
// goroutines all see the whole table and colour their verdicts (run with
// -race: a first use that is not synchronised fails there).
func TestLazyTablesConcurrent(t *testing.T) {
	want := []string{":help", ":defs", ":steps", ":latex", ":load", ":save", ":rules", ":eval", ":explain",
		":codegen", ":gradcheck", ":clear", ":quit"}
	const n = 8
	var wg sync.WaitGroup
	names := make([][]string, n)
	outs := make([]string, n)
	helps := make([]string, n)
	for i := range n {
		wg.Go(func() {
			names[i] = CommandNames()
			h := newHarness(t, ast.Plain)
			h.r.Color = true
			outs[i], _ = h.feed("prove x == x")
			helps[i], _ = h.feed(":help")
		})
	}
	wg.Wait()
	for i := range n {
		if diff := cmp.Diff(want, names[i]); diff != "" {
			t.Errorf("goroutine %d: CommandNames() (-want +got):\n%s", i, diff)
		}
		if !strings.Contains(outs[i], "\x1b[") || stripANSI(outs[i]) != "proved: x == x\n" {
			t.Errorf("goroutine %d: prove printed %q, want a coloured proved: x == x", i, outs[i])
		}
		for _, c := range want {
			if !strings.Contains(helps[i], c) {
				t.Errorf("goroutine %d: :help has no %s:\n%s", i, c, helps[i])
			}
		}
	}
}
