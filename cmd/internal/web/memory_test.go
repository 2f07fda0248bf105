package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// liveHeap returns the live heap after collecting twice (the second
// collection frees what the first one's weak pointers and cleanups
// released).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// visitorSource is request i's script, of its own as visitors send them:
// a rule, which makes a rule set of the script's own, definitions over
// names no other request uses, a derivative that folds them back, a
// proof, a value.
func visitorSource(i int) string {
	return fmt.Sprintf("rule my_exp_log%d: exp(log(u)) -> u if u > 0\n"+
		"z%d := a%d*x + %d/7\n"+
		"p%d := sigma(z%d)\n"+
		"d(log(p%d), a%d)\n"+
		"prove d(log(sigma(c%d)), c%d) == 1 - sigma(c%d)\n"+
		"exp(log(b%d^2 + 1)) + (x%d + %d)^3 - x%d^3\n", i, i, i, i, i, i, i, i, i, i, i, i, i, i, i)
}

// visitorScript is request i's body.
func visitorScript(i int) string {
	b, _ := json.Marshal(map[string]string{"script": visitorSource(i)})
	return string(b)
}

// TestServerMemoryBounded: a server answering script after script does
// not grow its heap. Each request runs in a session of its own, and
// nothing a finished request built may stay: not its session, and not
// what the engine caches across sessions (the intern tables, the
// canonical bodies for folding, the compiled rule sets, each cache
// bounded or weak). The heap levels off once the intern tables reach
// their working size (they keep dead entries until they have doubled)
// and the compiled rule sets fill their bound; the control, a server
// that kept each visitor's session, must be seen growing past the bound.
func TestServerMemoryBounded(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("hundreds of requests; heap figures under -race mean nothing")
	}
	const warm, more, control, bound = 300, 600, 150, 3 << 20
	h := New(Options{})
	serve := func(from, to int) {
		for i := from; i < to; i++ {
			r := httptest.NewRequest(http.MethodPost, "/api/run", strings.NewReader(visitorScript(i)))
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "proved") {
				t.Fatalf("request %d: status %d: %s", i, w.Code, w.Body.String())
			}
		}
	}
	serve(0, warm)
	before := liveHeap()
	serve(warm, warm+more)
	after := liveHeap()
	t.Logf("live heap after %d requests: %.1f MiB; after %d more: %.1f MiB", warm, float64(before)/(1<<20), more, float64(after)/(1<<20))
	if after > before+bound {
		t.Errorf("the live heap grew by %.1f MiB over %d requests (bound %d MiB): something keeps what finished requests built",
			float64(after-before)/(1<<20), more, bound>>20)
	}

	// The control: the same scripts, each in a session that is kept.
	var kept []*session.Session
	for i := warm + more; i < warm+more+control; i++ {
		s := session.New()
		stmts, err := parser.ParseFile("", visitorSource(i), s.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stmts {
			if _, err := s.Exec(context.Background(), st); err != nil {
				t.Fatalf("%s: %v", st.Text, err)
			}
		}
		kept = append(kept, s)
	}
	keptHeap := liveHeap()
	t.Logf("with %d sessions kept: %.1f MiB", control, float64(keptHeap)/(1<<20))
	if keptHeap < after+bound {
		t.Errorf("keeping %d sessions grew the heap by only %.1f MiB: the bound would not see such a leak", len(kept), float64(int64(keptHeap)-int64(after))/(1<<20))
	}
	runtime.KeepAlive(kept)
}
