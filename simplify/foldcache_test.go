package simplify

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
)

// TestFoldCacheLetsDefinitionsGo: the canonical bodies cached for folding
// go with their definitions. A session that keeps redefining f builds a
// new definition each time; once those are garbage, their entries leave
// the cache (it kept them until it held maxFoldCache, 4096, and was
// emptied). The control keeps the definitions alive, and their entries
// must stay: the cache is still a cache.
func TestFoldCacheLetsDefinitionsGo(t *testing.T) {
	const n = 300
	rs := load.Builtin()
	x := ast.NewSym("x")
	simplifyWith := func(i int) *ast.Def {
		a := ast.NewSym(fmt.Sprintf("a%d", i))
		d := &ast.Def{Name: "f", Kind: ast.DefScalar,
			Body: ast.NewPow(ast.NewCall("sigma", ast.NewAdd(ast.NewMul(a, x), ast.NewNum(ast.Frac(int64(i), 7)))), ast.Two)}
		defs := &ast.Defs{}
		if err := defs.Define(d); err != nil {
			t.Fatal(err)
		}
		// f + 1 uses f, so the result folds f back: f + 1.
		res, err := Simplify(context.Background(), ast.NewAdd(ast.NewSym("f"), ast.One), Options{Rules: rs, Defs: defs})
		if err != nil {
			t.Fatal(err)
		}
		if got := ast.String(res.Expr); got != "f + 1" {
			t.Fatalf("round %d: f + 1 simplified to %s", i, got)
		}
		return d
	}
	// settle collects until the cleanups of the collected definitions
	// have run (they run on a goroutine of their own, after a collection).
	settle := func(want func(int) bool, wait time.Duration) int {
		deadline := time.Now().Add(wait)
		for {
			runtime.GC()
			n := foldCacheLen()
			if want(n) || time.Now().After(deadline) {
				return n
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	ResetCaches()
	var kept []*ast.Def
	for i := range n {
		kept = append(kept, simplifyWith(i))
	}
	if got := settle(func(int) bool { return false }, 200*time.Millisecond); got < n {
		t.Errorf("with the %d definitions alive the cache holds %d entries, want at least %d", n, got, n)
	}
	runtime.KeepAlive(kept)
	kept = nil

	for i := range n {
		simplifyWith(n + i)
	}
	if got := settle(func(m int) bool { return m < n/10 }, 10*time.Second); got >= n/10 {
		t.Errorf("after %d definitions became garbage the cache still holds %d entries", 2*n, got)
	}
}
