package simplify

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// displayWorkloads are the small workloads of issue 15 (as
// cmd/internal/workload writes them), whose display stage the
// benchmarks below time: W1 and W2 at n×d, W4 at N.
func displayWorkloads() []struct{ name, src string } {
	z := func(i, d int) string {
		var dot []string
		for j := 1; j <= d; j++ {
			dot = append(dot, fmt.Sprintf("x_%d_%d*w%d", i, j, j))
		}
		return strings.Join(dot, " + ")
	}
	sum := func(n int, term func(i int) string) string {
		var ts []string
		for i := 1; i <= n; i++ {
			ts = append(ts, term(i))
		}
		return "(" + strings.Join(ts, " + ") + ")"
	}
	ce := func(n, d int) string {
		return fmt.Sprintf("d(-(1/%d)*", n) + sum(n, func(i int) string {
			return fmt.Sprintf("y%d*log(sigma(%s)) + (1 - y%d)*log(1 - sigma(%s))", i, z(i, d), i, z(i, d))
		}) + ", w1)"
	}
	mse := func(n, d int) string {
		return fmt.Sprintf("d((1/%d)*", n) + sum(n, func(i int) string {
			return fmt.Sprintf("(y%d - (%s))^2", i, z(i, d))
		}) + ", w1)"
	}
	powerSum := func(n int) string {
		var ts []string
		for k := 1; k <= n; k++ {
			ts = append(ts, fmt.Sprintf("x^%d/%d", k, k))
		}
		return "d(" + strings.Join(ts, " + ") + ", x)"
	}
	return []struct{ name, src string }{
		{"W1/3x2", ce(3, 2)},
		{"W2/3x2", mse(3, 2)},
		{"W2/10x3", mse(10, 3)},
		{"W4/100", powerSum(100)},
		{"W6/3x2", strings.Replace(ce(3, 2), ", w1)", ", w1, w2)", 1)},
	}
}

// BenchmarkDisplay times the display stage of the small workloads (issue
// 15): tidy of the canonical form, then the search for the cheapest
// display form (reshape), each on its own, from the canonical form the
// simplifier computed once.
func BenchmarkDisplay(b *testing.B) {
	simp := New(Options{Rules: load.Builtin()})
	for _, w := range displayWorkloads() {
		e := parsetest.MustParse(b, w.src, nil)
		res, err := simp.Simplify(context.Background(), e)
		if err != nil {
			b.Fatal(err)
		}
		tidied := Tidy(res.Canonical)
		b.Run(w.name+"/tidy", func(b *testing.B) {
			b.ReportAllocs()
			cpuLoop(b, func() {
				if got := Tidy(res.Canonical); got != tidied {
					b.Fatal("tidy changed")
				}
			})
		})
		want, _ := simp.reshapeFor(tidied, e)
		b.Run(w.name+"/reshape", func(b *testing.B) {
			b.ReportAllocs()
			cpuLoop(b, func() {
				if got, _ := simp.reshapeFor(tidied, e); got != want {
					b.Fatal("reshape changed")
				}
			})
		})
	}
}

// cpuLoop runs f as the timed loop and reports cpu-ns/op, the process's
// CPU time per iteration (steadier than ns/op on a shared machine), as
// cmd/symdiff's workload benchmarks do.
func cpuLoop(b *testing.B, f func()) {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	var start time.Duration
	for i := 0; b.Loop(); i++ {
		if i == 0 {
			start = cpu()
		}
		f()
	}
	if b.N > 0 {
		b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op")
	}
}
