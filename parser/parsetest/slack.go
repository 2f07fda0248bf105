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

// A Stop is what a call that a limit must stop cost: its wall time and
// the CPU time the whole process used meanwhile (CPUOK false where that
// cannot be read).
type Stop struct {
	Wall, CPU time.Duration
	CPUOK     bool
}

// MeasureStop runs f and measures it.
func MeasureStop(f func()) Stop {
	cpu0, ok0 := CPUTime()
	start := time.Now()
	f()
	wall := time.Since(start)
	cpu1, ok1 := CPUTime()
	return Stop{Wall: wall, CPU: cpu1 - cpu0, CPUOK: ok0 && ok1}
}

func (s Stop) String() string {
	if !s.CPUOK {
		return s.Wall.Round(time.Millisecond).String()
	}
	return fmt.Sprintf("%v (%v of CPU)", s.Wall.Round(time.Millisecond), s.CPU.Round(time.Millisecond))
}

// Late says how a call stopped by a time limit did more work than the
// limit allows, or "": more CPU than the limit's time on every processor
// (the most the work before the limit can use) plus StopSlack, or more
// wall time than StopWall. For a stop without a limit (Ctrl-C, a client
// leaving, measured from then), limit is 0.
func (s Stop) Late(limit time.Duration) string {
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
