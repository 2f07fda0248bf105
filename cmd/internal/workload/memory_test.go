package workload

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// statements returns three distinct statements per i, as a long REPL or
// playground session types them: a derivative, a proof and a bare
// expression, each over names no other i uses, so every one builds nodes
// of its own in the intern tables.
func statements(i int) string {
	return fmt.Sprintf("d(sigma(a%d*x + %d/7)^2*log(1 + b%d^2), a%d)\n"+
		"prove d(log(sigma(c%d)), c%d) == 1 - sigma(c%d)\n"+
		"(x%d + %d)^3 - x%d^3\n", i, i, i, i, i, i, i, i, i, i)
}

// heap returns the live heap after collecting twice (the second
// collection frees what the first one's weak-pointer and cleanup pass
// released).
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// run executes the statements of i in [from, to) through one session,
// as the REPL does, keeping the results when keep is set.
func run(t *testing.T, s *session.Session, from, to int, keep *[]*session.Result) {
	t.Helper()
	for i := from; i < to; i++ {
		stmts, err := parser.ParseFile("", statements(i), s.Context())
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

// TestSessionMemoryBounded: a long session does not grow the heap. The
// intern tables hold their nodes weakly and are swept, and nothing else
// may keep what a finished statement built: after a warm-up, thousands
// more distinct statements leave the live heap where it was (within a
// bound far below what they build). The same statements with their
// results kept grow the heap past that bound, so the measurement sees a
// leak of that size.
func TestSessionMemoryBounded(t *testing.T) {
	// The heap levels off near 5 MiB (the tables keep dead entries until
	// they have doubled); the control's 500 kept results add about 17 MiB.
	warm, more, control := 200, 1000, 500
	if testing.Short() {
		more = 400
	}
	const bound = 6 << 20

	s := session.New()
	run(t, s, 0, warm, nil)
	before := heap()
	run(t, s, warm, warm+more, nil)
	after := heap()
	t.Logf("live heap after %d statements: %.1f MiB; after %d more: %.1f MiB", 3*warm, float64(before)/(1<<20), 3*more, float64(after)/(1<<20))
	if after > before+bound {
		t.Errorf("the live heap grew by %.1f MiB over %d distinct statements (bound %d MiB): something keeps what finished statements built",
			float64(after-before)/(1<<20), 3*more, bound>>20)
	}

	// The control: keeping the results is a leak the test must see.
	var kept []*session.Result
	s = session.New()
	run(t, s, 0, warm, nil)
	before = heap()
	run(t, s, warm+more, warm+more+control, &kept)
	after = heap()
	t.Logf("with the results kept: %.1f MiB, then %.1f MiB", float64(before)/(1<<20), float64(after)/(1<<20))
	if after < before+bound {
		t.Errorf("keeping %d results grew the heap by only %.1f MiB: the bound of %d MiB would not see such a leak",
			len(kept), float64(int64(after)-int64(before))/(1<<20), bound>>20)
	}
	runtime.KeepAlive(kept)
}
