package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// TestRunPanicInParallel: a bug that panics in a statement computed on
// another goroutine is reported as it is one statement at a time (one
// line, "internal error", status 2, after the results before it), not
// as a Go stack trace that ends the process. The script reaches a bug
// of folding (a function's parameter named like a definition); the
// pipeline test below does not depend on that bug.
func TestRunPanicInParallel(t *testing.T) {
	script := writeScript(t, "panic.sd", "a := x\nh(a, b) := a*b + exp(a)\nx^2\nprove x == x\nh(x, y)*c\nd(x^3, x)\n")
	want, wantErr, wantStatus := runMain(t, "run", "--jobs", "1", script)
	for _, jobs := range []string{"2", "4"} {
		got, gotErr, gotStatus := runMain(t, "run", "--jobs", jobs, script)
		if got != want || gotErr != wantErr || gotStatus != wantStatus {
			t.Errorf("--jobs %s: %q, %q, %d; --jobs 1: %q, %q, %d", jobs, got, gotErr, gotStatus, want, wantErr, wantStatus)
		}
	}
}

// TestPipelinePanic: a statement whose computation panics, in the
// background or in place, while the script is read or after: the
// statements before it are emitted in order, then the panic goes on in
// the caller's goroutine with its value (Main turns it into one line).
func TestPipelinePanic(t *testing.T) {
	src := "x^2\nprove x == x\nboom := 1\nx^3\nboom^2\nx^4\n"
	for _, c := range []struct {
		jobs  int
		read  bool
		panic string // the statement whose render panics
	}{
		{2, true, "x^3"}, {4, true, "x^3"}, {2, true, "boom := 1"}, {4, false, "x^3"}, {1, false, "x^3"}, {3, true, "boom^2"},
	} {
		s := session.New()
		var emitted []string
		render := func(_ *session.Session, w io.Writer, r *session.Result) {
			if r.Input == c.panic {
				panic("boom in " + c.panic)
			}
			fmt.Fprintln(w, r.Input)
		}
		emit := func(st *parser.Statement, r *session.Result, out []byte, err error) error {
			if err != nil {
				return err
			}
			emitted = append(emitted, strings.TrimSpace(string(out)))
			return nil
		}
		got := func() (v any) {
			defer func() { v = recover() }()
			p := newPipeline(context.Background(), s, c.jobs, render, emit)
			if c.read {
				_ = runRead(p, readScript(context.Background(), s, "t.sd", src, p.sem))
			} else {
				stmts, err := parser.ParseFile("t.sd", src, s.Context())
				if err != nil {
					t.Fatal(err)
				}
				_ = runAll(p, stmts)
			}
			return nil
		}()
		var want []string
		for _, l := range strings.Split(src, "\n") {
			if l == c.panic {
				break
			}
			want = append(want, l)
		}
		if got != "boom in "+c.panic {
			t.Errorf("%+v: recovered %v", c, got)
		}
		if d := cmp.Diff(want, emitted); d != "" {
			t.Errorf("%+v: emitted (-want +got):\n%s", c, d)
		}
	}
}
