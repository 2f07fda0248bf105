//go:build unix

package main

import (
	"bytes"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// A stop test that fails says only that the stop was late; these helpers
// make it say where. The child runs with GOTRACEBACK=crash (set by
// dumpOnLate's callers with t.Setenv before it starts), so SIGQUIT makes
// every thread print the goroutine it runs, the runtime's own ones (the
// collector's workers) included, before the process aborts: a plain
// SIGQUIT prints the running goroutines as "running on other thread;
// stack unavailable", the very loop a late stop needs named.

// crashEnv is the environment setting that makes SIGQUIT dump every
// thread's stack.
const crashEnv = "GOTRACEBACK"

// lateCPU is the CPU time after a stop past which a stop test takes the
// child's stacks: the tests' own bound (parsetest.StopSlack), so that a
// dump is taken only when the test fails anyway; the trials
// (interrupttrials_unix_test.go) pass a smaller one.
func lateCPU() time.Duration { return parsetest.StopSlack() }

// awaitStop waits after a stop signal sent at start, with the child's CPU
// time cpu0 then, until done says the child has stopped (its prompt is
// back, or it ended). Past cpuLimit of CPU time or parsetest.StopWall of
// wall time it sends SIGQUIT, waits for the dump (the child's stderr,
// read by dump) and returns it; otherwise "".
func awaitStop(t *testing.T, pid int, start time.Time, cpu0 time.Duration, cpuLimit time.Duration, done func() bool, ended <-chan struct{}, dump func() string) string {
	t.Helper()
	for !done() {
		cpu, ok := procCPU(pid)
		if ok && cpu-cpu0 > cpuLimit || time.Since(start) > parsetest.StopWall() {
			if err := syscall.Kill(pid, syscall.SIGQUIT); err != nil {
				return ""
			}
			select {
			case <-ended:
			case <-time.After(parsetest.StopWall()):
			}
			return dump()
		}
		select {
		case <-ended:
			return ""
		case <-time.After(5 * time.Millisecond):
		}
	}
	return ""
}

// ownFrames keeps, of a crash dump, the goroutines that run symdiff's
// code or the collector's marking, each with its frames, leaving out
// those that wait (on a channel, a lock, a timer, input): the part of a
// dump of thousands of lines that names a loop. The whole dump goes to
// the log too, after it.
func ownFrames(dump string) string {
	var b strings.Builder
	for g := range strings.SplitSeq(dump, "\n\n") {
		head, _, _ := strings.Cut(strings.TrimSpace(g), "\n")
		_, state, _ := strings.Cut(head, "[")
		state, _, _ = strings.Cut(state, "]")
		if !strings.HasPrefix(head, "goroutine ") || waiting(state) {
			continue
		}
		if strings.Contains(g, "symdiff/symdiff/") || strings.Contains(g, "gcBgMarkWorker") && !strings.Contains(state, "idle") {
			b.WriteString(g)
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// waiting reports whether a goroutine's state in a dump ("chan receive",
// "select, locked to thread", "GC worker (idle)") is a wait for something
// else rather than work (running, runnable, copystack, GC assist
// marking, ...).
func waiting(state string) bool {
	for _, w := range []string{"chan ", "select", "sleep", "IO wait", "sync.", "semacquire", "wait", "idle", "force gc"} {
		if strings.Contains(state, w) {
			return true
		}
	}
	return false
}

// TestOwnFrames: of a dump, the goroutines kept are those at work in
// symdiff's code (running, or growing its stack) and the collector's
// busy workers, not those waiting.
func TestOwnFrames(t *testing.T) {
	dump := `SIGQUIT: quit
PC=0x40dd2e m=0 sigcode=0

goroutine 1 gp=0x1 m=7 mp=0x2 [copystack]:
github.com/symdiff/symdiff/ast.FreeNames({0xd70620, 0xc3392e700e0})

goroutine 5 gp=0x3 m=nil [chan receive]:
github.com/symdiff/symdiff/cmd/internal/repl.(*REPL).Feed()

goroutine 9 gp=0x5 m=3 mp=0x4 [running]:
github.com/symdiff/symdiff/parser.(*scanner).scan()

goroutine 11 gp=0x6 m=nil [GC worker (idle)]:
runtime.gcBgMarkWorker(0x0)

goroutine 12 gp=0x7 m=4 mp=0x8 [running]:
runtime.gcBgMarkWorker(0x0)

goroutine 13 gp=0x9 m=nil [select, locked to thread]:
github.com/symdiff/symdiff/cmd/symdiff.interruptContext()
`
	var kept []string
	for g := range strings.SplitSeq(strings.TrimSpace(ownFrames(dump)), "\n\n") {
		kept = append(kept, strings.Fields(g)[1])
	}
	if got, want := strings.Join(kept, " "), "1 9 12"; got != want {
		t.Errorf("ownFrames kept goroutines %s, want %s", got, want)
	}
}

// has reports, without failing, whether tm's output since its
// last match holds want; it consumes the output up to it when it does.
func (tm *term) has(want string) (string, bool) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	rest := tm.buf[tm.pos:]
	i := bytes.Index(rest, []byte(want))
	if i < 0 {
		return "", false
	}
	tm.pos += i + len(want)
	return string(rest[:i+len(want)]), true
}

// rest is tm's output since its last match.
func (tm *term) rest() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return string(tm.buf[tm.pos:])
}

// interruptOrDump types Ctrl-C and waits for the prompt, as
// term.interrupt does, but past cpuLimit of the child's CPU time (or
// parsetest.StopWall) takes the child's stacks instead and returns them
// as dump (the child is gone then). took is the stop as measured until
// the prompt or the dump.
func (tm *term) interruptOrDump(cpuLimit time.Duration) (out string, took parsetest.Stop, dump string) {
	tm.t.Helper()
	pid := tm.cmd.Process.Pid
	cpu0, ok0 := procCPU(pid)
	idle := parsetest.WatchIdle(pid)
	start := time.Now()
	tm.send("\x03")
	dump = awaitStop(tm.t, pid, start, cpu0, cpuLimit, func() bool {
		var ok bool
		out, ok = tm.has(prompt)
		return ok
	}, tm.done, tm.rest)
	took.Wall = time.Since(start)
	cpu1, ok1 := procCPU(pid)
	took.CPU, took.CPUOK = cpu1-cpu0, ok0 && ok1
	took.Idle, took.IdleOK = idle.Stop()
	return out, took, dump
}

// interruptProcOrDump sends SIGINT to cmd (started with its stderr in
// stderr) and waits for it to end, as interruptAndWait does, but past
// cpuLimit of CPU time (or parsetest.StopWall) takes its stacks and
// returns them as dump.
func interruptProcOrDump(t *testing.T, cmd *exec.Cmd, stderr *lockedBuffer, cpuLimit time.Duration) (took parsetest.Stop, dump string) {
	t.Helper()
	pid := cmd.Process.Pid
	cpu0, ok := procCPU(pid)
	idle := parsetest.WatchIdle(pid)
	ended := make(chan struct{})
	go func() { _ = cmd.Wait(); close(ended) }()
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	dump = awaitStop(t, pid, start, cpu0, cpuLimit, func() bool { return false }, ended, stderr.String)
	<-ended
	took.Wall = time.Since(start)
	took.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() - cpu0
	took.CPUOK = ok
	took.Idle, took.IdleOK = idle.Stop()
	return took, dump
}

// A lockedBuffer is a child's output that may be read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
