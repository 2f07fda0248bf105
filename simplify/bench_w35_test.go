package simplify_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
)

// The workloads W3 (sin nested n deep) and W5 (Π_{k=1..n} (x+k) written
// out) of the performance issue, in process: differentiate, simplify,
// print (with shared subexpressions named, as the
// CLI prints). The whole-process figures are measured with the CLI.

// sinNested returns sin(sin(...(x)...)) with n applications.
func sinNested(n int) ast.Expr {
	var e ast.Expr = ast.NewSym("x")
	for range n {
		e = ast.NewCall("sin", e)
	}
	return e
}

// productOfShifts returns (x + 1)*(x + 2)*...*(x + n) as one product.
func productOfShifts(n int) ast.Expr {
	x := ast.NewSym("x")
	fs := make([]ast.Expr, n)
	for k := range fs {
		fs[k] = ast.NewAdd(x, ast.NewInt(int64(k+1)))
	}
	return ast.NewMul(fs...)
}

// diffSimplify is what `symdiff diff E x` computes.
func diffSimplify(tb testing.TB, e ast.Expr) *simplify.Result {
	d, err := derive.D(bg, e, ast.NewSym("x"), derive.Options{Rules: builtin})
	if err != nil {
		tb.Fatal(err)
	}
	res, err := simplify.Simplify(bg, d, simplify.Options{Rules: builtin})
	if err != nil {
		tb.Fatal(err)
	}
	if res.Stop != simplify.StopFixpoint {
		tb.Fatalf("Simplify stopped: %s (%s)", res.Stop, res.Detail)
	}
	return res
}

// cpuTime is the CPU time this process has used (all threads, the
// garbage collector's included): on a shared machine it says more than
// the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchWorkload(b *testing.B, e ast.Expr) {
	start := cpuTime()
	defer func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}()
	for b.Loop() {
		res := diffSimplify(b, e)
		if _, err := ast.FormatWhere(res.Expr, ast.Plain); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkW3Nested(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchWorkload(b, sinNested(n)) })
	}
}

func BenchmarkW5Product(b *testing.B) {
	for _, n := range []int{50, 100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchWorkload(b, productOfShifts(n)) })
	}
}
