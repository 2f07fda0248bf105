package ast

import (
	"fmt"
	"sync"
	"testing"
)

// TestFreeNamesLeaveNoRoom: FreeNames's list is cached on the node and
// shared by every caller, so it must have no room past its end: a
// caller's append then copies it. prove's append(FreeNames(a),
// FreeNames(b)...) wrote into the shared list from two goroutines (the
// race detector saw it in run --jobs 2) and could change another's names.
func TestFreeNamesLeaveNoRoom(t *testing.T) {
	var es []Expr
	for n := 1; n <= 12; n++ {
		terms := make([]Expr, n)
		for i := range terms {
			terms[i] = NewMul(NewSym(fmt.Sprintf("a%d", i)), NewSym(fmt.Sprintf("b%d", n-i)))
		}
		es = append(es, NewAdd(terms...))
	}
	for _, e := range es {
		for range 2 { // computed, then cached
			if got := FreeNames(e); cap(got) != len(got) {
				t.Fatalf("FreeNames(%s) has room for %d more names", String(e), cap(got)-len(got))
			}
		}
	}
	// Appending from many goroutines leaves the shared list as it was.
	e := es[len(es)-1]
	want := fmt.Sprint(FreeNames(e))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = append(FreeNames(e), fmt.Sprint("z", g))
		}()
	}
	wg.Wait()
	if got := fmt.Sprint(FreeNames(e)); got != want {
		t.Errorf("FreeNames changed under appends: %s, want %s", got, want)
	}
}
