package mainstack

import (
	"testing"
	"unsafe"
)

// TestGrowOnce: on a new goroutine (whose stack starts at 2 KB), grow
// leaves a stack that holds a 20 KB frame without growing again. That
// the command's main goroutine calls grow before any package that does
// work is initialised is held by cmd/symdiff's TestInitBudget.
func TestGrowOnce(t *testing.T) {
	type result struct{ first, again bool }
	done := make(chan result)
	go func() {
		var r result
		r.first = changes(func() { grow() })
		r.again = changes(func() { big() })
		done <- r
	}()
	r := <-done
	if !r.first {
		t.Error("grow did not grow a new goroutine's stack (or the growth was not seen)")
	}
	if r.again {
		t.Error("after grow, a frame of 20 KB grew the stack again: grow's frame is too small")
	}
}

// TestGrowthSeen: without grow, a 20 KB frame grows a new goroutine's
// stack, and changes sees it (so that TestGrowOnce can fail).
func TestGrowthSeen(t *testing.T) {
	done := make(chan bool)
	go func() { done <- changes(func() { big() }) }()
	if !<-done {
		t.Error("a frame of 20 KB did not grow a new goroutine's stack (or the growth was not seen)")
	}
}

// changes reports whether f grows the stack of the goroutine that calls
// it: a stack that grows is copied to a new, larger one, so a variable of
// this frame is at another address afterwards. (The stacks' memory in
// use, runtime.MemStats.StackInuse, missed a growth that a stack cached
// from an earlier goroutine served: TestGrowthSeen failed under -race.)
//
//go:noinline
func changes(f func()) bool {
	var mark byte
	at := uintptr(unsafe.Pointer(&mark))
	f()
	return uintptr(unsafe.Pointer(&mark)) != at
}

//go:noinline
func big() byte {
	var b [20 << 10]byte
	return useBig(&b)
}

//go:noinline
func useBig(b *[20 << 10]byte) byte { return b[0] | b[len(b)-1] }
