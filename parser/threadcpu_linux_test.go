package parser

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time (user and system) the calling thread has
// used so far; ok is false where it cannot be read. A goroutine locked
// to its thread (runtime.LockOSThread) measures its own work with it,
// whatever else the machine runs.
func threadCPU() (d time.Duration, ok bool) {
	const rusageThread = 1 // RUSAGE_THREAD, Linux only
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
