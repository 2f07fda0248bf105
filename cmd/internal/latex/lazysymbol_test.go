package latex

import (
	"reflect"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLazyMathSymbol: goroutines racing to the first use of the table of
// math symbols (go test -race) all get one table, the one the builder
// makes.
func TestLazyMathSymbol(t *testing.T) {
	got := make([]map[rune]string, 32)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = mathSymbol() })
	}
	wg.Wait()
	want := makeMathSymbol()
	for i, m := range got {
		if reflect.ValueOf(m).Pointer() != reflect.ValueOf(got[0]).Pointer() {
			t.Fatalf("goroutine %d got a table of its own", i)
		}
		if d := cmp.Diff(want, m); d != "" {
			t.Fatalf("goroutine %d: the table differs from the one built directly:\n%s", i, d)
		}
	}
	if !isMathSymbol('≤') || isMathSymbol('a') {
		t.Error("isMathSymbol: ≤ is a math symbol, a is not")
	}
}
