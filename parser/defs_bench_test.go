package parser_test

import (
	"fmt"
	"strings"
	"testing"

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

func benchParseFile(b *testing.B, src string) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parser.ParseFile("w7.sd", src, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDefs is W7: definitions at 10 KB, 100 KB, 1 MB and 10 MB.
// MB/s should stay level from size to size (linear growth).
func BenchmarkParseDefs(b *testing.B) {
	for _, size := range []int{10 << 10, 100 << 10, 1 << 20, 10 << 20} {
		src := defsSource(size)
		b.Run(fmt.Sprintf("size=%s", sizeName(size)), func(b *testing.B) { benchParseFile(b, src) })
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMB", n>>20)
	}
	return fmt.Sprintf("%dKB", n>>10)
}
