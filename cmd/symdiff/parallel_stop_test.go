package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// TestReadErrorStopsRun: when reading a script ends in an error (a syntax
// error on its last line, the time limit of reading, Ctrl-C), that error
// is all run prints, so the statements read before it must not go on
// running: run --jobs 2 used to compute every one of them first (20,000
// definitions: 0.09 s at --jobs 1, 1.58 s at --jobs 2). The oracle is a
// count of the statements whose result was rendered after the reader
// had ended: at most those already running then (two per place, and the
// one in place) may finish. The statements take about a millisecond each
// and are read in microseconds, so many are waiting when reading ends;
// were reading slow, few would be, and the test would pass on either
// code.
func TestReadErrorStopsRun(t *testing.T) {
	var mixed, defs strings.Builder
	for i := 1; i <= 600; i++ {
		fmt.Fprintf(&mixed, "g%d := x^%d*y + sin(%d*x)\n", i, i%9+2, i)
		fmt.Fprintf(&mixed, "d(g%d*tanh(%d*x)^3*log(1 + exp(x))/(x^2 + %d), x)\n", i, i, i)
	}
	for i := 1; i <= 20_000; i++ { // each runs in place, and looks at no context
		fmt.Fprintf(&defs, "f%d := x^%d*sin(x) + %d\n", i, i%7+2, i)
	}
	var huge strings.Builder // a statement that takes seconds to read
	for i := 1; i <= 300_000; i++ {
		fmt.Fprintf(&huge, "x%d + ", i)
	}
	huge.WriteString("1\n")
	for _, c := range []struct {
		name    string
		body    string
		tail    string
		timeout time.Duration // the session's time limit, also of reading
		cancel  int           // cancel the run's context at this render (Ctrl-C)
		want    string        // in the error
	}{
		{name: "syntax error", body: mixed.String(), tail: "h := (x + \n", want: `t.sd:1201:6: unclosed "("`},
		{name: "bad call", body: mixed.String(), tail: "h := d(x^2, x, 3, 4)\n", want: "t.sd:1201:"},
		{name: "time limit", body: mixed.String(), tail: huge.String(), timeout: 200 * time.Millisecond, want: "stopped: the time limit was reached (reading the script)"},
		{name: "Ctrl-C", body: mixed.String(), tail: huge.String(), cancel: 20, want: "interrupted"},
		{name: "definitions, Ctrl-C", body: defs.String(), tail: huge.String(), cancel: 20, want: "interrupted"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := session.New()
			s.Timeout = c.timeout
			var rd *scriptReader
			var rendered, late atomic.Int64
			render := func(_ *session.Session, w io.Writer, r *session.Result) {
				if rendered.Add(1) == int64(c.cancel) {
					cancel()
				}
				select {
				case <-rd.done:
					late.Add(1)
				default:
				}
				fmt.Fprintln(w, r.Input)
			}
			var emitted int
			emit := func(st *parser.Statement, r *session.Result, out []byte, err error) error {
				if err != nil {
					return session.At(c.body, st, err)
				}
				emitted++
				return nil
			}
			const jobs = 2
			p := newPipeline(ctx, s, jobs, render, emit)
			rd = readScript(ctx, s, "t.sd", c.body+c.tail, p.sem)
			start := time.Now()
			err := runRead(p, rd)
			t.Logf("%v after %d statements rendered, %d after reading ended; %v", time.Since(start), rendered.Load(), late.Load(), err)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one with %q", err, c.want)
			}
			if emitted != 0 {
				t.Errorf("%d results printed besides the error", emitted)
			}
			if l := late.Load(); l > 2*jobs+1 {
				t.Errorf("%d statements finished after reading had ended, want at most %d", l, 2*jobs+1)
			}
		})
	}
}

// TestCancelStopsDefinitions: a definition looks at no context as it
// runs, so run (one statement at a time, or in place at --jobs N) must
// look before each: Ctrl-C in the middle of 20,000 definitions stops at
// the next one with "interrupted", as a statement stopped while it
// computes does, rather than running the rest.
func TestCancelStopsDefinitions(t *testing.T) {
	var src strings.Builder
	for i := 1; i <= 20_000; i++ {
		fmt.Fprintf(&src, "f%d := x^%d*sin(x) + %d\n", i, i%7+2, i)
	}
	for _, jobs := range []int{1, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		s := session.New()
		stmts, err := parser.ParseFile("t.sd", src.String(), s.Context())
		if err != nil {
			t.Fatal(err)
		}
		var rendered int
		render := func(_ *session.Session, w io.Writer, r *session.Result) {
			if rendered++; rendered == 20 {
				cancel()
			}
		}
		emit := func(st *parser.Statement, r *session.Result, out []byte, err error) error {
			if err != nil {
				return session.At(src.String(), st, err)
			}
			return nil
		}
		err = runAll(newPipeline(ctx, s, jobs, render, emit), stmts)
		cancel()
		if want := "t.sd:21:1: interrupted"; err == nil || !strings.HasPrefix(err.Error(), want) || rendered != 20 {
			t.Errorf("--jobs %d: %d definitions ran, then %v; want 20, then %q", jobs, rendered, err, want)
		}
	}
}
