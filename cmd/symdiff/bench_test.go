package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/cmd/internal/workload"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/prove"
)

// The performance suite of issue 15, one sub-benchmark per workload and
// size (cmd/internal/workload has the list):
//
//	go test -run '^$' -bench Workloads -benchmem ./cmd/symdiff
//	go test -run '^$' -bench 'Workloads/W1/' ./cmd/symdiff   # one workload
//
// Each first computes its answer once, outside the timed loop, and checks
// it (cmd/internal/workload: central differences of the input, the
// residual form, an independent computation), so a fast wrong answer
// fails. A size whose first run is over the budget is skipped, loudly;
// SYMDIFF_BENCH_BUDGET (a duration, default 30s) sets it.
func BenchmarkWorkloads(b *testing.B) {
	for _, w := range workload.All() {
		b.Run(w.Key(), func(b *testing.B) {
			switch {
			case w.Kind == workload.Diff:
				benchDiff(b, w)
			case w.Kind == workload.Parse:
				benchParse(b, w)
			case w.Statements == 1:
				benchProof(b, w)
			default:
				for _, jobs := range []int{1, 2} {
					b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) { benchBatch(b, w, jobs) })
				}
			}
		})
	}
}

// cpuNow is this process's user + system CPU time so far.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs f as the timed loop and reports, besides ns/op (wall time),
// cpu-ns/op: the process's CPU time per iteration, which a machine shared
// with other work inflates much less (GC workers and, for --jobs 2, the
// second core count in it).
func loop(b *testing.B, f func()) {
	var start time.Duration
	for i := 0; b.Loop(); i++ {
		if i == 0 {
			start = cpuNow()
		}
		f()
	}
	if b.N > 0 {
		b.ReportMetric(float64(cpuNow()-start)/float64(b.N), "cpu-ns/op")
	}
}

// budget is the longest first run a benchmark waits for.
func budget(b *testing.B) time.Duration {
	if s := os.Getenv("SYMDIFF_BENCH_BUDGET"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatalf("SYMDIFF_BENCH_BUDGET=%q: %v", s, err)
		}
		return d
	}
	return 30 * time.Second
}

// overBudget skips the benchmark, saying so in capitals on standard error
// too (go test shows a skipped benchmark's message only with -v): a size
// that is too slow today is a finding, not something to hide.
func overBudget(b *testing.B, w *workload.Workload, d time.Duration, err error) {
	msg := fmt.Sprintf("SKIPPED, TOO SLOW: %s did not finish within the budget of %v (%v); "+
		"set SYMDIFF_BENCH_BUDGET=10m to measure it anyway", w.Title(), d, err)
	fmt.Fprintf(os.Stderr, "%s: %s\n", b.Name(), msg)
	b.Skip(msg)
}

func benchDiff(b *testing.B, w *workload.Workload) {
	s := session.New()
	pc := s.Context()
	input, err := parser.ParseExpr(w.Input, pc)
	if err != nil {
		b.Fatal(err)
	}
	target, err := parser.ParseExpr(w.Statement(), pc)
	if err != nil {
		b.Fatal(err)
	}
	lim := budget(b)
	ctx, cancel := context.WithTimeout(context.Background(), lim)
	start := time.Now()
	res, err := s.Simplify(ctx, target)
	first := time.Since(start)
	cancel()
	if err != nil && first >= lim {
		overBudget(b, w, lim, err)
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := workload.CheckDiff(context.Background(), w, pc, input, res.Expr); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: first run %v (wall), result %d nodes as a tree", w.Title(), first.Round(time.Microsecond), res.Expr.Size())
	loop(b, func() {
		if _, err := s.Simplify(context.Background(), target); err != nil {
			b.Fatal(err)
		}
	})
}

func benchParse(b *testing.B, w *workload.Workload) {
	pc := session.New().Context()
	stmts, err := parser.ParseFile("defs.sd", w.Input, pc)
	if err != nil {
		b.Fatal(err)
	}
	if err := workload.CheckParse(w, stmts); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(w.Input)))
	loop(b, func() {
		if _, err := parser.ParseFile("defs.sd", w.Input, pc); err != nil {
			b.Fatal(err)
		}
	})
}

// benchProof times the proof statement of a script after its definitions.
func benchProof(b *testing.B, w *workload.Workload) {
	s := session.New()
	stmts, err := parser.ParseFile("seed.sd", w.Input, s.Context())
	if err != nil {
		b.Fatal(err)
	}
	var pr *ast.ProveStmt
	for _, st := range stmts {
		if p, ok := st.Stmt.(*ast.ProveStmt); ok {
			pr = p
			continue
		}
		if _, err := s.Exec(context.Background(), st); err != nil {
			b.Fatal(err)
		}
	}
	if pr == nil {
		b.Fatal("no proof in the script")
	}
	prove1 := func() {
		p, err := s.Prove(context.Background(), pr.A, pr.B)
		if err != nil {
			b.Fatal(err)
		}
		if p.Verdict != prove.Proved {
			b.Fatalf("%s: %s == %s: %s", w.Title(), ast.String(pr.A), ast.String(pr.B), p.Verdict)
		}
	}
	prove1()
	loop(b, prove1)
}

// benchBatch runs the batch as symdiff run --jobs N does, printing
// included, and checks that every proof is proved.
func benchBatch(b *testing.B, w *workload.Workload, jobs int) {
	file := filepath.Join(b.TempDir(), "batch.sd")
	if err := os.WriteFile(file, []byte(w.Input), 0o644); err != nil {
		b.Fatal(err)
	}
	run := func(stdout io.Writer) {
		var stderr bytes.Buffer
		if st := Main([]string{"run", "--jobs", fmt.Sprint(jobs), file}, strings.NewReader(""), stdout, &stderr); st != 0 {
			b.Fatalf("symdiff run --jobs %d: exit %d: %s", jobs, st, stderr.String())
		}
	}
	var out bytes.Buffer
	run(&out)
	if n := strings.Count(out.String(), "proved: "); n != w.Statements {
		b.Fatalf("%s: %d proved, want %d:\n%s", w.Title(), n, w.Statements, out.String())
	}
	loop(b, func() { run(io.Discard) })
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(w.Statements)*float64(b.N)/s, "proofs/s")
	}
}
