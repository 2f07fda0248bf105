package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Background statements run on at most jobs workers, each taking many of
// them (a goroutine per statement grew a fresh stack for each), and the
// results come out in the script's order with every worker gone at the end.
func TestPipelineWorkersReused(t *testing.T) {
	var src strings.Builder
	var want []string
	for k := 1; k <= 60; k++ {
		fmt.Fprintf(&src, "d(sin(x)^%d, x)\n", k)
		if k%20 == 0 {
			fmt.Fprintf(&src, "c%d := %d\n", k, k) // a definition, run in place between them
		}
	}
	for _, jobs := range []int{2, 3} {
		s := session.New()
		stmts, err := parser.ParseFile("t.sd", src.String(), s.Context())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		render := func(_ *session.Session, w io.Writer, r *session.Result) { fmt.Fprint(w, r.Input) }
		emit := func(_ *parser.Statement, r *session.Result, out []byte, err error) error {
			if err != nil {
				return err
			}
			got = append(got, string(out))
			return nil
		}
		p := newPipeline(context.Background(), s, jobs, render, emit)
		if err := runAll(p, stmts); err != nil {
			t.Fatal(err)
		}
		want = want[:0]
		want = append(want, strings.Split(strings.TrimSpace(src.String()), "\n")...)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("--jobs %d: outputs (-want +got):\n%s", jobs, diff)
		}
		if p.workers < 1 || p.workers > jobs {
			t.Errorf("--jobs %d: %d workers for 60 statements, want 1..%d", jobs, p.workers, jobs)
		}
		if _, open := <-p.work; open {
			t.Errorf("--jobs %d: the work channel is still open after the run", jobs)
		}
	}
}

// TestWorkersYield: a worker that ends a job lets the goroutine that
// hands out the statements run before it takes the next job, so that the
// queue is refilled as it is emptied. On one core (GOMAXPROCS 1, where
// the order in which goroutines run is set by the scheduler alone) a
// script of definitions each followed by a proof keeps the workers
// supplied: they find no job waiting only at the start and the end. A
// worker that went straight on to the next job emptied the queue before
// the statements after it were handed out, once every few proofs.
func TestWorkersYield(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var src strings.Builder
	const proofs = 60
	for k := 1; k <= proofs; k++ {
		fmt.Fprintf(&src, "f%d := x^%d\nprove d(f%d, x) == %d*x^%d\n", k, k+1, k, k+1, k)
	}
	s := session.New()
	stmts, err := parser.ParseFile("t.sd", src.String(), s.Context())
	if err != nil {
		t.Fatal(err)
	}
	proved := 0
	render := func(*session.Session, io.Writer, *session.Result) {}
	emit := func(_ *parser.Statement, r *session.Result, _ []byte, err error) error {
		if err != nil {
			return err
		}
		if r.Proof != nil && r.Proof.Verdict == prove.Proved {
			proved++
		}
		return nil
	}
	const jobs = 2
	p := newPipeline(context.Background(), s, jobs, render, emit)
	if err := runAll(p, stmts); err != nil {
		t.Fatal(err)
	}
	if proved != proofs {
		t.Fatalf("%d proved, want %d", proved, proofs)
	}
	// Each worker finds the queue empty when it starts, perhaps once more
	// at the start while the first jobs are handed out, and at the end.
	t.Logf("the workers found no job waiting %d times", p.dry.Load())
	if dry := p.dry.Load(); dry > 3*jobs {
		t.Errorf("the workers found no job waiting %d times in %d proofs, want at most %d", dry, proofs, 3*jobs)
	}
}

// TestInFlightBehindSlow: while the first statement of a script is still
// running, the statements behind it are handed out and run, up to
// inFlight·jobs statements in flight in all, so that the other workers
// keep busy behind a slow one. The first statement's render waits until
// the others have run (or, if add stopped handing them out earlier, for
// a long time, and the test fails).
func TestInFlightBehindSlow(t *testing.T) {
	const jobs = 2
	// All in flight but the slow one, with at least 4·jobs in flight: with
	// 2·jobs the workers ran out of work behind a slower proof (inFlight).
	want := max(inFlight, 4)*jobs - 1
	var src strings.Builder
	for k := 1; k <= 3*want; k++ {
		fmt.Fprintf(&src, "d(sin(x)^%d, x)\n", k)
	}
	s := session.New()
	stmts, err := parser.ParseFile("t.sd", src.String(), s.Context())
	if err != nil {
		t.Fatal(err)
	}
	var (
		others  atomic.Int32
		enough        = make(chan struct{})
		behind  int32 = -1 // the statements run while the first one ran
		emitted []string
	)
	render := func(_ *session.Session, w io.Writer, r *session.Result) {
		if r.Input == "d(sin(x)^1, x)" {
			select {
			case <-enough:
			case <-time.After(20 * time.Second):
			}
			behind = others.Load()
		} else if others.Add(1) == int32(want) {
			close(enough)
		}
		fmt.Fprint(w, r.Input)
	}
	emit := func(_ *parser.Statement, _ *session.Result, out []byte, err error) error {
		if err != nil {
			return err
		}
		emitted = append(emitted, string(out))
		return nil
	}
	p := newPipeline(context.Background(), s, jobs, render, emit)
	if err := runAll(p, stmts); err != nil {
		t.Fatal(err)
	}
	if behind < int32(want) {
		t.Errorf("%d statements ran behind a slow first one, want %d", behind, want)
	}
	if diff := cmp.Diff(strings.Split(strings.TrimSpace(src.String()), "\n"), emitted); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
}
