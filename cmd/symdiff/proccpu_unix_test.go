//go:build unix

package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// The tests that interrupt a symdiff process measure it in CPU time, not
// wall time: on a shared machine at a load of 20 a process gets a tenth
// of a core, so "reading by now" after a fixed sleep and "ended within a
// second" both failed there (parsetest.StopSlack).

// procCPU is the CPU time (user and system, every thread) process pid
// has used so far, from /proc; ok is false where there is no /proc.
func procCPU(pid int) (d time.Duration, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: count the
	// fields after its closing parenthesis (state is field 3, utime 14
	// and stime 15).
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(ut+st) * tick, true
}

// awaitCPU waits until process pid has used cpu more CPU time than base
// (the work it is given is under way, whatever the load), or exited, or
// parsetest.StopWall has passed. Without /proc it sleeps fallback.
func awaitCPU(t *testing.T, pid int, base, cpu, fallback time.Duration) {
	t.Helper()
	if _, ok := procCPU(pid); !ok {
		time.Sleep(fallback)
		return
	}
	deadline := time.Now().Add(parsetest.StopWall())
	for time.Now().Before(deadline) {
		d, ok := procCPU(pid)
		if !ok || d >= base+cpu {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("process %d used less than %v of CPU in %v", pid, cpu, parsetest.StopWall())
}
