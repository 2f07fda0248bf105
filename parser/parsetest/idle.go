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

// An IdleWatch measures, like MeasureStop, the idle time of another
// process (one a test runs and stops), which may end while watched: its
// threads are read every few milliseconds, and the idle time is bounded
// up to the last reading.
type IdleWatch struct {
	done chan struct{}
	res  chan Stop
}

// WatchIdle starts watching process pid.
func WatchIdle(pid int) *IdleWatch {
	w := &IdleWatch{done: make(chan struct{}), res: make(chan Stop, 1)}
	t0, ok := threadTimes(pid)
	start := time.Now()
	go func() {
		last, lastAt := t0, start
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for stopped := false; !stopped && ok; {
			select {
			case <-w.done:
				stopped = true
			case <-tick.C:
			}
			// A thread gone is the process ending (the runtime keeps
			// its threads): its times went with it, and a sum without
			// them would call their work idle.
			t, tok := threadTimes(pid)
			if !tok || !allIn(last, t) {
				break
			}
			last, lastAt = t, time.Now()
		}
		var s Stop
		if ok {
			s.Idle, s.IdleOK = max(0, lastAt.Sub(start)-busySince(t0, last, 0, false)), true
		}
		w.res <- s
	}()
	return w
}

// Stop ends the watch: the idle time (a lower bound) and whether it
// could be read.
func (w *IdleWatch) Stop() (idle time.Duration, ok bool) {
	close(w.done)
	s := <-w.res
	return s.Idle, s.IdleOK
}

// allIn says whether every thread of a is in b.
func allIn(a, b map[int]busyTimes) bool {
	for tid := range a {
		if _, ok := b[tid]; !ok {
			return false
		}
	}
	return true
}
