package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// The engine builds many short-lived nodes around a small live heap. With
// Go's default pacing (collect when the heap has doubled since the last
// collection, and at 4 MiB at the latest) a process whose live heap is a
// few megabytes collects every few megabytes allocated: the collector
// took 25–30% of W8's CPU, and more under --jobs 2, where no idle core
// does the marking and the mutators assist it. A collection also scans
// every goroutine's stack, frame by frame, and shrinks the stacks it
// finds mostly unused: for a deep expression (W3, sin nested 10,000
// deep) the first two collections, at 4 MiB, cost 15% of the whole
// process's CPU, most of it walking the recursion's frames.
//
// So the collector waits until the heap has grown by its live part (the
// heap, the stacks and the globals it scanned) plus heapFloor: GOGC is set
// after each collection to 100·(1 + heapFloor/scanned), which gives the
// heap goal 2·scanned + heapFloor (at least 4 MiB + heapFloor, see
// floorGOGC), and at start to what gives the first collection at 4 MiB +
// heapFloor. Nothing is allocated for it (an earlier
// version held a pointer-free block of heapFloor bytes as ballast, laid at
// the first collection since allocating it at start cost a small command
// ~1 ms; the first collections still came at 4 MiB). The garbage allowed
// to gather adds up to heapFloor to the peak RSS; with a large live heap
// the percentage tends to 100, Go's default. A user who sets GOGC or
// GOMEMLIMIT keeps the runtime's own pacing.
const heapFloor = 32 << 20

// firstGoal is the live heap the runtime assumes before its first
// collection (its heap minimum at GOGC=100).
const firstGoal = 4 << 20

var (
	floorOnce sync.Once
	// floorPercent is the GOGC the floor last set, 0 if none; floorSets
	// counts the settings (for tests).
	floorPercent atomic.Int64
	floorSets    atomic.Int64
)

// floorGOGC returns the GOGC that makes the heap goal 2·scanned + floor
// for a collector that scanned scanned bytes (heap, stacks and globals).
// The runtime also scales its minimum heap goal, 4 MiB, by GOGC/100: the
// percentage is at most the one that makes that minimum 4 MiB + floor,
// which is the goal when less than 4 MiB was scanned.
func floorGOGC(scanned, floor uint64) int {
	scanned = max(scanned, firstGoal)
	return 100 + int(100*floor/scanned)
}

func raiseHeapFloor() {
	floorOnce.Do(func() {
		if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
			return
		}
		// Before any collection the goal is the heap minimum scaled by
		// GOGC: 4 MiB·p/100 = 4 MiB + heapFloor.
		setFloorGOGC(floorGOGC(firstGoal, heapFloor))
		armHeapFloor()
	})
}

func setFloorGOGC(p int) {
	floorPercent.Store(int64(p))
	floorSets.Add(1)
	debug.SetGCPercent(p)
}

// armHeapFloor sets the percentage again after the next collection.
func armHeapFloor() {
	// The cleanup of an object nothing refers to runs after the first
	// collection that finds it unreachable; it is larger than the tiny
	// allocator's 16 bytes so that nothing else shares its block.
	runtime.AddCleanup(new([32]byte), func(int) {
		// The goal the runtime set at the end of the collection is
		// marked + scanned·p/100 for the percentage p in force, the
		// marked heap being most of what was scanned (runtime/metrics
		// would give the parts, but its initialisation costs every
		// start 95 allocations).
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p := uint64(floorPercent.Load())
		setFloorGOGC(floorGOGC(ms.NextGC*100/(100+p), heapFloor))
		armHeapFloor()
	}, 0)
}
