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
