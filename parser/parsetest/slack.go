package parsetest

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// StopSlack is how much work past a time limit, a Ctrl-C or a client
// leaving the stop tests accept, in CPU time: the standard is a stop
// within 100 ms, and a loop that stops looking at its context runs for
// seconds. It is CPU time, not wall time, because the machine the tests
// run on is shared: at a load of 20 on 2 cores a process gets a tenth of
// a core, and a stop that costs 300 ms of CPU took 3-6 s by the clock
// (TestHugeScriptStopsInTime, TestRunStopsReadingHugeInput and
// TestDefsParseHonoursTimeout failed so, at loads of 9-20). The race
// detector's slowdown gets three times as much.
func StopSlack() time.Duration {
	if raceEnabled {
		return 3 * time.Second
	}
	return time.Second
}

// StopWall bounds the wall time of a stop, for where CPU time cannot be
// read and as a backstop: generous enough for a load of 20 (see
// StopSlack), far below a read that never stops.
func StopWall() time.Duration { return 10 * StopSlack() }

// IdleSlack is how long the stop tests accept that no thread of the
// process ran or waited to run (Stop.Idle) past a limit: a call that
// has seen its stop and then waits on something that never comes (a
// channel without the context, a lock, a sleep) is idle, and load does
// not make a process idle: it makes its threads wait on a run queue,
// which is not idle time. The slack covers what the measure misses:
// the wait still under way when it is read, a thread's time on a CPU
// counted up to a scheduler tick late, a page read from disk.
func IdleSlack() time.Duration { return 300 * time.Millisecond }

// A Stop is what a call that a limit must stop cost: its wall time, the
// CPU time the whole process used meanwhile (CPUOK false where that
// cannot be read), and a lower bound on the time during which no thread
// of the process ran or waited to run (IdleOK false where that cannot
// be read: Linux's per-thread schedstat only).
type Stop struct {
	Wall, CPU time.Duration
	CPUOK     bool
	Idle      time.Duration
	IdleOK    bool
}

// MeasureStop runs f and measures it.
func MeasureStop(f func()) Stop {
	th0, tok0 := threadTimes(0)
	cpu0, ok0 := CPUTime()
	start := time.Now()
	f()
	wall := time.Since(start)
	cpu1, ok1 := CPUTime()
	th1, tok1 := threadTimes(0)
	s := Stop{Wall: wall, CPU: cpu1 - cpu0, CPUOK: ok0 && ok1}
	if tok0 && tok1 {
		s.Idle, s.IdleOK = max(0, wall-busySince(th0, th1, s.CPU, s.CPUOK)), true
	}
	return s
}

func (s Stop) String() string {
	if !s.CPUOK {
		return s.Wall.Round(time.Millisecond).String() + noIdle
	}
	if !s.IdleOK {
		return fmt.Sprintf("%v (%v of CPU)", s.Wall.Round(time.Millisecond), s.CPU.Round(time.Millisecond)) + noIdle
	}
	return fmt.Sprintf("%v (%v of CPU, %v idle)", s.Wall.Round(time.Millisecond), s.CPU.Round(time.Millisecond), s.Idle.Round(time.Millisecond))
}

// noIdle says in a test's log that a stall past the stop that uses no
// CPU is bounded by StopWall only.
const noIdle = " [WARNING: no per-thread schedstat: a stall without CPU is caught only past StopWall]"

// Late says how a call stopped by a time limit did more work than the
// limit allows, or "": more CPU than the limit's time on every processor
// (the most the work before the limit can use) plus StopSlack, more idle
// time than the limit plus IdleSlack (the call may wait for input until
// the limit; past it, no thread running or runnable is a stall that load
// cannot explain), or more wall time than StopWall. For a stop without a
// limit (Ctrl-C, a client leaving, measured from then), limit is 0.
func (s Stop) Late(limit time.Duration) string {
	if s.IdleOK && s.Idle > limit+IdleSlack() {
		return fmt.Sprintf("took %v, of which at least %v with no thread running or waiting to run: a stall, more than %v past the %v limit", s.Wall, s.Idle, IdleSlack(), limit)
	}
	if s.CPUOK {
		if most := time.Duration(runtime.GOMAXPROCS(0))*limit + StopSlack(); s.CPU > most {
			return fmt.Sprintf("used %v of CPU, more than %v (%v on each of %d processors, and %v past it)", s.CPU, most, limit, runtime.GOMAXPROCS(0), StopSlack())
		}
	} else if s.Wall > limit+StopSlack() {
		return fmt.Sprintf("took %v, more than %v past the %v limit", s.Wall, StopSlack(), limit)
	}
	if s.Wall > limit+StopWall() {
		return fmt.Sprintf("took %v, more than %v past the %v limit", s.Wall, StopWall(), limit)
	}
	return ""
}

// Over is a hang guard's test: both the wall time and the CPU time
// (where it can be read) are past d. On a loaded machine the clock alone
// runs tenfold past the work; a hang runs past both.
func (s Stop) Over(d time.Duration) bool { return s.Wall > d && (!s.CPUOK || s.CPU > d) }

// HugeSum is x1 + x2 + ... + xn: input that takes long to read.
func HugeSum(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "x%d", i)
	}
	return b.String()
}
