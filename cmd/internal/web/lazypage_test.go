package web

import (
	"strings"
	"sync"
	"testing"
)

// TestLazyPage: goroutines racing to the first use of the page's parts
// (go test -race) all get the parts the page splits into, around its one
// hole.
func TestLazyPage(t *testing.T) {
	type parts struct{ before, after string }
	got := make([]parts, 32)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i].before, got[i].after = pageParts() })
	}
	wg.Wait()
	b, a, bad := splitPage()
	if bad != "" {
		t.Fatal(bad)
	}
	page, err := staticFiles.ReadFile("static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if b+seedMark+a != string(page) || strings.Contains(b+a, seedMark) {
		t.Fatal("splitPage does not cut the page at its one hole")
	}
	for i, p := range got {
		if p.before != b || p.after != a {
			t.Fatalf("goroutine %d got other parts", i)
		}
	}
}
