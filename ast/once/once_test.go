package once

import (
	"sync"
	"testing"
)

// TestPanicEveryCall: an initialiser that panics makes every call panic
// with its value (a sync.Once returned normally after the first, its value
// left zero), and is run once; one that returns is run once, by one of
// many concurrent callers, and its value seen by all.
func TestPanicEveryCall(t *testing.T) {
	var o Once
	runs := 0
	for i := range 3 {
		func() {
			defer func() {
				if r := recover(); r != "broken" {
					t.Errorf("call %d: recovered %v, want the initialiser's panic", i, r)
				}
			}()
			o.Do(func() { runs++; panic("broken") })
		}()
	}
	if runs != 1 {
		t.Errorf("the initialiser ran %d times", runs)
	}

	var ok Once
	var wg sync.WaitGroup
	var mu sync.Mutex
	value, calls := 0, 0
	seen := make([]int, 8)
	for g := range seen {
		wg.Go(func() {
			ok.Do(func() { mu.Lock(); calls++; mu.Unlock(); value = 42 })
			seen[g] = value
		})
	}
	wg.Wait()
	if calls != 1 {
		t.Errorf("the initialiser ran %d times", calls)
	}
	for g, v := range seen {
		if v != 42 {
			t.Errorf("caller %d saw %d", g, v)
		}
	}
}
