package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// TestHeapFloor: once a command has run and the heap has been collected,
// the collector's heap goal is at least twice the floor (unless GOGC or
// GOMEMLIMIT is set): a process with a small live heap no longer collects
// every few megabytes.
func TestHeapFloor(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the runtime's own pacing applies")
	}
	runMain(t, "diff", "x^2", "x")
	deadline := time.Now().Add(5 * time.Second)
	for floor.Load() == nil && time.Now().Before(deadline) {
		runtime.GC() // the floor is laid at the first collection
		time.Sleep(time.Millisecond)
	}
	if floor.Load() == nil {
		t.Fatal("no floor after collections")
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	if goal := s[0].Value.Uint64(); goal < 2*heapFloor {
		t.Errorf("heap goal %d MiB after a collection, want at least %d MiB", goal>>20, 2*heapFloor>>20)
	}
}
