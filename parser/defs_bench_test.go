package parser_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// defsSource returns about size bytes of definitions in the shape of the
// W7 workload: f123[i] := sum(j=1..d, x[i,j]*w[j]) + b123*sigma(z[i]) - ...
// Each line defines a new name, so the file is read statement by
// statement with the definitions before it in force.
func defsSource(size int) string {
	var b strings.Builder
	b.WriteString("d := 10\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "f%d[i] := sum(j=1..d, x[i,j]*w%d[j]) + b%d*sigma(z[i]) - 2.5*log(1 + exp(-y[i]*t%d))^2/%d\n", i, i%7, i, i%13, i%5+1)
	}
	return b.String()
}

// w7Source returns about size bytes of definitions in the shape of
// cmd/internal/workload's W7 (each sample's term of the cross-entropy,
// named): aK := yK*log(sigma(zK)) + (1 - yK)*log(1 - sigma(zK)), zK linear
// in three features.
func w7Source(size int) string { return w7Names(size, "") }

// w7Names is w7Source with the names of the samples' definitions, labels
// and features starting with p.
func w7Names(size int, p string) string {
	var b strings.Builder
	for k := 1; b.Len() < size; k++ {
		z := fmt.Sprintf("%sx_%d_1*w1 + %sx_%d_2*w2 + %sx_%d_3*w3", p, k, p, k, p, k)
		fmt.Fprintf(&b, "%sa%d := %sy%d*log(sigma(%s)) + (1 - %sy%d)*log(1 - sigma(%s))\n", p, k, p, k, z, p, k, z)
	}
	return b.String()
}

// benchParseFile reports MB/s of wall time, and cpu-MB/s: the bytes per
// second of CPU time the process spent (GC included), which a machine
// shared with other work does not distort as much.
func benchParseFile(b *testing.B, src string) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	// A live context, as the CLI passes: its checks are part of the cost.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := parser.ParseFileContext(ctx, "w7.sd", src, nil); err != nil {
			b.Fatal(err)
		}
	}
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(len(src))*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}

// cpuTime returns the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseDefs is W7: definitions at 10 KB, 100 KB, 1 MB and 10 MB.
// MB/s should stay level from size to size (linear growth).
func BenchmarkParseDefs(b *testing.B) {
	for _, size := range []int{10 << 10, 100 << 10, 1 << 20, 10 << 20} {
		src := defsSource(size)
		b.Run(fmt.Sprintf("size=%s", sizeName(size)), func(b *testing.B) { benchParseFile(b, src) })
	}
}

// BenchmarkParseW7 is the W7 workload's own input, at 100 KB and 1 MB.
func BenchmarkParseW7(b *testing.B) {
	for _, size := range []int{100 << 10, 1 << 20} {
		src := w7Source(size)
		b.Run(fmt.Sprintf("size=%s", sizeName(size)), func(b *testing.B) { benchParseFile(b, src) })
	}
}

// BenchmarkParseW7Fresh is BenchmarkParseW7 at 1 MB with names no other
// iteration uses, so that every iteration builds all its nodes (in
// BenchmarkParseW7 an iteration finds those of the one before it when
// they have not been collected yet, as the workload in cmd/symdiff does).
// The making of each input is not timed.
func BenchmarkParseW7Fresh(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n int64
	var cpu time.Duration
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		src := w7Names(1<<20, fmt.Sprintf("r%d", i))
		n += int64(len(src))
		cpu0 := cpuTime()
		b.StartTimer()
		if _, err := parser.ParseFileContext(ctx, "w7.sd", src, nil); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - cpu0
	}
	b.SetBytes(n / int64(b.N))
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}

// BenchmarkParseW7Floor builds the nodes of BenchmarkParseW7's 1 MB with
// ast's constructors and Defs.Define alone, no parsing: the floor under
// the parser, which is mostly interning (each new node is hashed, looked
// up under a lock and given a weak pointer). Its MB/s are those of the
// same source, so the two read side by side.
func BenchmarkParseW7Floor(b *testing.B) {
	src := w7Source(1 << 20)
	n := strings.Count(src, "\n")
	names := make([][5]string, n+1)
	for k := 1; k <= n; k++ {
		names[k] = [5]string{fmt.Sprintf("a%d", k), fmt.Sprintf("y%d", k), fmt.Sprintf("x_%d_1", k), fmt.Sprintf("x_%d_2", k), fmt.Sprintf("x_%d_3", k)}
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		defs := &ast.Defs{}
		w := [4]ast.Expr{nil, ast.NewSym("w1"), ast.NewSym("w2"), ast.NewSym("w3")}
		for k := 1; k <= n; k++ {
			nk := &names[k]
			y := ast.NewSym(nk[1])
			zk := func() ast.Expr {
				return ast.NewAdd(ast.NewMul(ast.NewSym(nk[2]), w[1]), ast.NewMul(ast.NewSym(nk[3]), w[2]), ast.NewMul(ast.NewSym(nk[4]), w[3]))
			}
			s1, s2 := ast.NewCall("sigma", zk()), ast.NewCall("sigma", zk())
			body := ast.NewAdd(ast.NewMul(y, ast.NewCall("log", s1)), ast.NewMul(ast.NewAdd(ast.One, ast.NewNeg(y)), ast.NewCall("log", ast.NewAdd(ast.One, ast.NewNeg(s2)))))
			if err := defs.Define(&ast.Def{Name: nk[0], Body: body}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(len(src))*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}

// BenchmarkParseDeepCalls is W3's input, sin(sin(...sin(x)...)) nested
// 1,000 and 10,000 deep: one statement, as deep as the nesting limit
// allows in spirit. MB/s should stay level (linear growth).
func BenchmarkParseDeepCalls(b *testing.B) {
	for _, depth := range []int{1000, 10000} {
		src := strings.Repeat("sin(", depth) + "x" + strings.Repeat(")", depth)
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) { benchParseFile(b, src) })
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMB", n>>20)
	}
	return fmt.Sprintf("%dKB", n>>10)
}
