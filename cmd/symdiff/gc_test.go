package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// TestHeapFloor: once a command has run and the heap has been collected,
// the collector's heap goal is at least the live heap plus the floor
// (unless GOGC or GOMEMLIMIT is set): a process with a small live heap no
// longer collects every few megabytes.
func TestHeapFloor(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the runtime's own pacing applies")
	}
	runMain(t, "diff", "x^2", "x")
	if floorPercent.Load() == 0 {
		t.Fatal("no floor after a command")
	}
	// After a collection the cleanup sets the percentage for the heap
	// it found; wait for that (it runs on a goroutine of its own).
	sets := floorSets.Load()
	deadline := time.Now().Add(5 * time.Second)
	for floorSets.Load() == sets && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	p := floorPercent.Load()
	if p < 100 {
		t.Fatalf("GOGC %d after collections, want the floor's (100 or more)", p)
	}
	// The goal right after a collection is the one the percentage set for
	// the heap of the collection before; the cleanup then sets it for this
	// one (a heap of 5 MiB before and 1.5 MiB now read 28 MiB in between).
	// Read it once the cleanup has run.
	sets = floorSets.Load()
	runtime.GC()
	for floorSets.Load() == sets && time.Now().Before(deadline.Add(5*time.Second)) {
		time.Sleep(time.Millisecond)
	}
	p = floorPercent.Load()
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	goal, live := s[0].Value.Uint64(), s[1].Value.Uint64()
	// 2·scanned + floor, at least 4 MiB + floor (the runtime's minimum
	// goal scaled by GOGC): the heap grows by at least the floor.
	if goal < live+heapFloor || goal < firstGoal+heapFloor {
		t.Errorf("heap goal %.1f MiB after a collection with %.1f MiB live (GOGC %d), want at least live + %d MiB and %d MiB",
			float64(goal)/(1<<20), float64(live)/(1<<20), p, heapFloor>>20, (firstGoal+heapFloor)>>20)
	}
}

// TestFloorGOGC: the percentage gives the goal 2·scanned + floor, and
// tends to Go's default as the heap grows.
func TestFloorGOGC(t *testing.T) {
	for _, c := range []struct{ scanned, floor uint64 }{
		{4 << 20, 16 << 20}, {5 << 20, 32 << 20}, {16 << 20, 16 << 20}, {100 << 20, 16 << 20}, {1 << 30, 16 << 20},
	} {
		p := uint64(floorGOGC(c.scanned, c.floor))
		// The runtime's goal: live + scanned·p/100, with live ≤ scanned.
		extra := c.scanned * p / 100
		if extra+c.scanned/100 < c.scanned+c.floor || extra > c.scanned+c.floor+c.scanned/100 {
			t.Errorf("floorGOGC(%d MiB, %d MiB) = %d: the heap may grow by %d MiB, want %d", c.scanned>>20, c.floor>>20, p,
				extra>>20, (c.scanned+c.floor)>>20)
		}
	}
	if p := floorGOGC(4<<20, 16<<20); p != 500 {
		t.Errorf("first goal: GOGC %d, want 500 (4 MiB·5 = 20 MiB)", p)
	}
	if p := floorGOGC(firstGoal, heapFloor); uint64(p)*firstGoal/100 != firstGoal+heapFloor {
		t.Errorf("first goal: GOGC %d, want %d MiB", p, (firstGoal+heapFloor)>>20)
	}
	// Below 4 MiB scanned the runtime's minimum goal, 4 MiB·GOGC/100,
	// is the floor's: 20 MiB.
	for _, scanned := range []uint64{0, 1 << 20, 3 << 20} {
		if p := floorGOGC(scanned, 16<<20); p != 500 {
			t.Errorf("floorGOGC(%d MiB, 16 MiB) = %d, want 500", scanned>>20, p)
		}
	}
}
