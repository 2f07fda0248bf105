package main

import (
	"os"
	"sync"
)

// The engine builds many short-lived nodes around a small live heap. With
// Go's default pacing (collect when the heap has doubled since the last
// collection) a process whose live heap is a few megabytes collects every
// few megabytes allocated: the collector took 25–30% of W8's CPU, and more
// under --jobs 2, where no idle core does the marking and the mutators
// assist it (W8's batch cost 19% more CPU per proof at 2 jobs than at 1;
// with the floor, 5–8%). A floor under the heap makes the collector wait
// until the heap is twice live + heapFloor: a pointer-free block, never
// written, so it costs address space rather than memory, while the
// garbage allowed to gather before a collection adds up to heapFloor to
// the peak RSS. Above a few dozen megabytes live it changes nothing. A
// user who sets GOGC or GOMEMLIMIT keeps the runtime's own pacing.
const heapFloor = 16 << 20

var (
	floor     []byte
	floorOnce sync.Once
)

func raiseHeapFloor() {
	floorOnce.Do(func() {
		if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
			return
		}
		floor = make([]byte, heapFloor)
	})
}
