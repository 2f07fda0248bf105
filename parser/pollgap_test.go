package parser

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A pollGaps is a context that is never done and measures the work
// between two looks at it: the CPU time of the calling thread between two
// calls of Err, the longest of them and where the two calls were made. A
// Ctrl-C that falls in a gap is seen only at its end, so the longest gap
// is how late a stop can be in the worst phase of the work, measured
// wherever the stop falls, not at a few moments chosen by a timer. The
// work must run on one goroutine locked to its thread
// (runtime.LockOSThread): the thread's CPU time is then the work's, the
// collector's assists included, whatever else the machine runs.
type pollGaps struct {
	context.Context
	n        int
	last     time.Duration
	lastPCs  []uintptr
	max      time.Duration
	from, to []uintptr // the calls around the longest gap
}

func newPollGaps() *pollGaps {
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel // never cancelled: Done is not nil, so the work polls
	return &pollGaps{Context: ctx}
}

func (g *pollGaps) Err() error {
	now, _ := threadCPU()
	pcs := make([]uintptr, 48)
	pcs = pcs[:runtime.Callers(2, pcs)]
	if g.n > 0 && now-g.last > g.max {
		g.max, g.from, g.to = now-g.last, g.lastPCs, pcs
	}
	g.n++
	g.last, _ = threadCPU() // the stacks' cost is not the work's
	g.lastPCs = pcs
	return nil
}

// where names the code around the longest gap: the functions of symdiff
// on the stacks of the look before it and of the look that ended it.
func (g *pollGaps) where() string {
	name := func(pcs []uintptr) string {
		var fns []string
		frames := runtime.CallersFrames(pcs)
		for {
			f, more := frames.Next()
			if strings.Contains(f.Function, "symdiff/") {
				fns = append(fns, fmt.Sprintf("%s:%d", f.Function[strings.LastIndexByte(f.Function, '/')+1:], f.Line))
			}
			if !more {
				break
			}
		}
		return strings.Join(fns, " < ")
	}
	return fmt.Sprintf("from a look in %s\nto the next in %s", name(g.from), name(g.to))
}

// whereScript is the 16 MB where clause of the command's stop tests
// (cmd/symdiff hugeScripts): one statement naming n parts, each using
// the one before.
func whereScript(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "u%d where u1 = sin(x)", n)
	for i := 2; i <= n; i++ {
		fmt.Fprintf(&b, ", u%d = sin(u%d)", i, i-1)
	}
	b.WriteString("\n")
	return b.String()
}

// maxPollGap bounds the CPU time between two looks at the context while
// a huge input is read: a stop (Ctrl-C, a time limit) must come within
// 100 ms of CPU. Most gaps are well under a millisecond; the longest left
// is a sweep of the intern table (ast/intern.go), 60-75 ms once while
// this input is read, which holds every lock of a node type's table and
// looks at no context. The race detector slows the code between looks
// about tenfold.
func maxPollGap() time.Duration {
	if raceEnabled {
		return time.Second
	}
	return 100 * time.Millisecond
}

// TestReadPollGaps reads the huge where clause of the REPL's flaky stop
// test (TestReplInterruptWhileReading in cmd/symdiff) and bounds the work
// between two looks at the context in every phase of the read: scanning
// (the token buffer of a 16 MB statement grows to 270 MB, and copying it
// whole took 60-160 ms of CPU after a Ctrl-C), parsing, and lowering the
// where clause (its names were checked and recorded, 700,000 of them,
// without a look: 200-600 ms).
func TestReadPollGaps(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MB")
	}
	if _, ok := threadCPU(); !ok {
		t.Skip("no per-thread CPU time here")
	}
	src := whereScript(700_000)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	g := newPollGaps()
	if _, err := ParseFileContext(g, "where.sd", src, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d looks at the context; the longest gap %v,\n%s", g.n, g.max, g.where())
	if g.max > maxPollGap() {
		t.Errorf("%v of CPU between two looks at the context, more than %v,\n%s", g.max, maxPollGap(), g.where())
	}
}
