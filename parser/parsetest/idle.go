package parsetest

import "time"

// busyTimes is a thread's time on a CPU and waiting for one.
type busyTimes struct{ cpu, wait time.Duration }

// busySince is an upper bound on the time, between two readings of
// threadTimes, during which some thread of the process was running or
// runnable: the sum over its threads of what each ran and waited to run
// meanwhile. The sum counts twice the time two threads were busy at once
// (the union of their busy times is at most their sum), so the wall time
// minus it is a lower bound on the time no thread ran or wanted to run:
// that idle time cannot be blamed on a loaded machine, which only makes
// runnable threads wait. processCPU, the CPU time of the whole process
// by its rusage, stands in for the threads' where it is larger: a thread
// that ended meanwhile took its schedstat with it.
func busySince(t0, t1 map[int]busyTimes, processCPU time.Duration, processCPUOK bool) time.Duration {
	var cpu, wait time.Duration
	for tid, b := range t1 {
		a := t0[tid] // zero for a thread started meanwhile
		if b.cpu < a.cpu || b.wait < a.wait {
			a = busyTimes{} // the id was reused by a new thread
		}
		cpu += b.cpu - a.cpu
		wait += b.wait - a.wait
	}
	if processCPUOK && processCPU > cpu {
		cpu = processCPU
	}
	return cpu + wait
}
