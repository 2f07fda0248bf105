package main

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// The engine builds many short-lived nodes around a small live heap. With
// Go's default pacing (collect when the heap has doubled since the last
// collection) a process whose live heap is a few megabytes collects every
// few megabytes allocated: the collector took 25–30% of W8's CPU, and more
// under --jobs 2, where no idle core does the marking and the mutators
// assist it (W8's batch cost 19% more CPU per proof at 2 jobs than at 1;
// with the floor, 5–12%). A floor under the heap makes the collector wait
// until the heap is twice live + heapFloor: a pointer-free block, never
// written, so it costs address space rather than memory, while the
// garbage allowed to gather before a collection adds up to heapFloor to
// the peak RSS. Above a few dozen megabytes live it changes nothing. A
// user who sets GOGC or GOMEMLIMIT keeps the runtime's own pacing.
//
// The block is allocated at the first collection, not at start: a small
// command that never collects does not pay for it (allocating it at start
// cost a trivial command ~1 ms of CPU).
const heapFloor = 16 << 20

var (
	floor     atomic.Pointer[[heapFloor]byte]
	floorOnce sync.Once
)

func raiseHeapFloor() {
	floorOnce.Do(func() {
		if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
			return
		}
		// The cleanup of an object nothing refers to runs after the
		// first collection that finds it unreachable.
		runtime.AddCleanup(new([16]byte), func(int) { floor.Store(new([heapFloor]byte)) }, 0)
	})
}
