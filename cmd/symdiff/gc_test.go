package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
)

// TestHeapFloor: a command raises the collector's heap goal to at least
// twice the floor (unless GOGC or GOMEMLIMIT is set): a process with a
// small live heap no longer collects every few megabytes.
func TestHeapFloor(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the runtime's own pacing applies")
	}
	runMain(t, "diff", "x^2", "x")
	if len(floor) != heapFloor {
		t.Fatalf("the floor is %d bytes, want %d", len(floor), heapFloor)
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	if goal := s[0].Value.Uint64(); goal < 2*heapFloor {
		t.Errorf("heap goal %d MiB after a collection, want at least %d MiB", goal>>20, 2*heapFloor>>20)
	}
}
