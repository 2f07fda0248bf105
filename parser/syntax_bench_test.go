package parser

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkSyntaxW7 times the syntax of W7's 1 MiB alone: the scanner
// and the precedence climber over every statement (eachFast), with no
// lowering, so that the two can be measured apart from interning.
func BenchmarkSyntaxW7(b *testing.B) {
	var sb strings.Builder
	for k := 1; sb.Len() < 1<<20; k++ {
		z := fmt.Sprintf("x_%d_1*w1 + x_%d_2*w2 + x_%d_3*w3", k, k, k)
		fmt.Fprintf(&sb, "a%d := y%d*log(sigma(%s)) + (1 - y%d)*log(1 - sigma(%s))\n", k, k, z, k, z)
	}
	src := sb.String()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		ok, err := eachFast("w7.sd", src, nil, false, func(*stmtSyntax) { n++ })
		if !ok || err != nil || n == 0 {
			b.Fatal(ok, err, n)
		}
	}
}
