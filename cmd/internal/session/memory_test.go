package session

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/symdiff/symdiff/parser"
)

// liveHeap returns the live heap after collecting twice (the second
// collection frees what the first one's weak pointers released).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// redefining returns round i of a long session that keeps redefining its
// names, as someone at the REPL or in the playground does: f and one of
// ten g's get new bodies over new symbols, and the statements after them
// fold those definitions back into their results. A rule is added too.
func redefining(i int) string {
	return fmt.Sprintf("f := sigma(a%d*x + %d/7)^2\n"+
		"g%d := log(1 + b%d^2)*f\n"+
		"d(f*g%d, x)\n"+
		"prove d(log(sigma(c%d)), c%d) == 1 - sigma(c%d)\n"+
		"f*g%d + 1\n", i, i, i%10, i, i%10, i, i, i, i%10)
}

// TestRedefiningSessionBounded: a session that redefines its names for
// ever does not grow the heap: what refers to a definition that has been
// replaced (the canonical bodies cached for folding, the intern tables)
// lets it go. After a warm-up in which the intern tables reach their
// working size, as many rounds again leave the live heap where it was;
// the control keeps every result and must be seen growing past the bound.
func TestRedefiningSessionBounded(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("thousands of statements; heap figures under -race mean nothing")
	}
	const warm, more, control, bound = 1000, 1000, 200, 3 << 19 // 1.5 MiB
	s := New()
	run := func(from, to int, keep *[]*Result) {
		for i := from; i < to; i++ {
			stmts, err := parser.ParseFile("", redefining(i), s.Context())
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range stmts {
				r, err := s.Exec(context.Background(), st)
				if err != nil {
					t.Fatalf("%s: %v", st.Text, err)
				}
				if keep != nil {
					*keep = append(*keep, r)
				}
			}
		}
	}
	run(0, warm, nil)
	before := liveHeap()
	run(warm, warm+more, nil)
	after := liveHeap()
	t.Logf("live heap after %d rounds: %.1f MiB; after %d more: %.1f MiB", warm, float64(before)/(1<<20), more, float64(after)/(1<<20))
	if after > before+bound {
		t.Errorf("the live heap grew by %.1f MiB over %d rounds of redefinitions (bound %.1f MiB)", float64(after-before)/(1<<20), more, float64(bound)/(1<<20))
	}

	var kept []*Result
	run(warm+more, warm+more+control, &kept)
	keptHeap := liveHeap()
	t.Logf("with the results of %d more rounds kept: %.1f MiB", control, float64(keptHeap)/(1<<20))
	if keptHeap < after+bound {
		t.Errorf("keeping %d results grew the heap by only %.1f MiB: the bound would not see such a leak", len(kept), float64(int64(keptHeap)-int64(after))/(1<<20))
	}
	runtime.KeepAlive(kept)
}
