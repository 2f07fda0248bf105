package parsetest

import (
	"math"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// spin burns CPU until the process has used d more, as a stop's work.
func spin(d time.Duration) {
	c0, ok := CPUTime()
	start := time.Now()
	x := 1.0
	for i := 0; ; i++ {
		x = x*1.0000001 + 1e-9
		if i%10_000 == 0 {
			if c, _ := CPUTime(); ok && c-c0 > d || !ok && time.Since(start) > d {
				break
			}
		}
	}
	sink.Store(math.Float64bits(x)) // the loop's result is used
}

var sink atomic.Uint64

// TestStopCatchesStall: a call that sees its stop and then sleeps (no
// CPU: a stall) is late by Stop.Late, with or without work before and
// beside it, though its CPU time is within the slack. This is the break
// the CPU bound alone let through (a 3 s sleep once the parser had seen
// the stop). The work is short beside the stall: under load, threads
// waiting to run beside the working one (the runtime's monitor) are
// counted twice, and weaken the bound on the idle time by up to the
// work's wall time.
func TestStopCatchesStall(t *testing.T) {
	const stall = 1500 * time.Millisecond
	for name, f := range map[string]func(){
		"sleep alone": func() { time.Sleep(stall) },
		"work then sleep": func() {
			spin(20 * time.Millisecond)
			time.Sleep(stall)
		},
		// Work on every processor overlaps in the sum of the threads'
		// busy times, which must not hide the stall after it.
		"parallel work then a blocked receive": func() {
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Go(func() { spin(20 * time.Millisecond) })
			}
			wg.Wait()
			select {
			case <-make(chan int):
			case <-time.After(stall):
			}
		},
	} {
		took := MeasureStop(f)
		t.Logf("%s: %v", name, took)
		if !took.IdleOK {
			if runtime.GOOS == "linux" {
				t.Errorf("%s: no idle time measured on Linux", name)
			}
			continue
		}
		// A lower bound on the idle time: no more than the stall (and
		// the timer's lateness, up to a tick).
		if took.Idle > stall+50*time.Millisecond {
			t.Errorf("%s: idle %v of %v, more than the %v stall", name, took.Idle, took.Wall, stall)
		}
		if late := took.Late(0); late == "" {
			t.Errorf("%s: a %v stall after the stop is not late: %v", name, stall, took)
		} else {
			t.Logf("%s: %s", name, late)
		}
		// A limit that covers the stall allows it: a call may wait for
		// input until its limit.
		if late := took.Late(stall); late != "" {
			t.Errorf("%s: late though the %v limit covers the stall: %s", name, stall, late)
		}
	}
}

// TestStopLoadIsNoStall: on a machine made busy (four processes
// spinning, on top of whatever else runs), correct stops (work on one
// or every processor, goroutines handing work to each other, garbage
// collection) are not late: load makes their threads wait to run, and
// that wait is not idle time.
func TestStopLoadIsNoStall(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the machine for seconds")
	}
	if _, ok := threadTimes(0); !ok {
		t.Skip("no per-thread schedstat here: Late bounds the clock only")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		cmd := exec.Command(exe, "-test.run", "^TestSpinner$")
		cmd.Env = append(os.Environ(), "PARSETEST_SPINNER=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	time.Sleep(200 * time.Millisecond) // the spinners running
	for name, f := range map[string]func(){
		"work": func() { spin(100 * time.Millisecond) },
		"parallel work": func() {
			var wg sync.WaitGroup
			for range 2 * runtime.GOMAXPROCS(0) {
				wg.Go(func() { spin(30 * time.Millisecond) })
			}
			wg.Wait()
		},
		"ping-pong": func() {
			ping, pong := make(chan int), make(chan int)
			go func() {
				for v := range ping {
					pong <- v + 1
				}
				close(pong)
			}()
			for i := range 20_000 {
				ping <- i
				<-pong
			}
			close(ping)
		},
		"garbage": func() {
			var keep [][]byte
			for i := range 20_000 {
				keep = append(keep, make([]byte, 4096))
				if i%1000 == 0 {
					keep = nil
				}
			}
			_ = keep
		},
	} {
		for range 3 {
			took := MeasureStop(f)
			t.Logf("%s: %v", name, took)
			if late := took.Late(0); late != "" {
				t.Errorf("%s under load: %s", name, late)
			}
		}
	}
}

// TestSpinner is TestStopLoadIsNoStall's load: it spins for at most a
// minute when the environment asks for it, and does nothing otherwise.
func TestSpinner(t *testing.T) {
	if os.Getenv("PARSETEST_SPINNER") != "1" {
		return
	}
	for start := time.Now(); time.Since(start) < time.Minute; {
		spin(10 * time.Millisecond)
	}
}

// TestStopString: the log says when stalls are bounded by the clock only.
func TestStopString(t *testing.T) {
	s := Stop{Wall: time.Second, CPU: 10 * time.Millisecond, CPUOK: true}
	if !strings.Contains(s.String(), "WARNING") {
		t.Errorf("%v: no warning without the idle time", s)
	}
	s.Idle, s.IdleOK = 900*time.Millisecond, true
	if strings.Contains(s.String(), "WARNING") || !strings.Contains(s.String(), "900ms idle") {
		t.Errorf("%v: want the idle time and no warning", s)
	}
}

// TestWatchIdle: a process that sleeps is idle, one that spins is not,
// though it ends while watched.
func TestWatchIdle(t *testing.T) {
	if _, ok := threadTimes(0); !ok {
		t.Skip("no per-thread schedstat here")
	}
	for _, c := range []struct {
		script string
		idle   bool
	}{
		{"sleep 1.5", true},
		{"i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done", false},
	} {
		cmd := exec.Command("sh", "-c", c.script)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		w := WatchIdle(cmd.Process.Pid)
		start := time.Now()
		_ = cmd.Wait()
		wall := time.Since(start)
		idle, ok := w.Stop()
		t.Logf("%.20s: %v, %v idle", c.script, wall, idle)
		if !ok {
			t.Errorf("%.20s: no idle time", c.script)
		} else if got := idle > IdleSlack(); got != c.idle || idle > wall {
			t.Errorf("%.20s: %v idle of %v", c.script, idle, wall)
		}
	}
}
