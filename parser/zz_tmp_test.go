package parser

import (
	"fmt"
	"strings"
	"testing"
)

func tmpW7(size int) string {
	var b strings.Builder
	for k := 1; b.Len() < size; k++ {
		z := fmt.Sprintf("x_%d_1*w1 + x_%d_2*w2 + x_%d_3*w3", k, k, k)
		fmt.Fprintf(&b, "a%d := y%d*log(sigma(%s)) + (1 - y%d)*log(1 - sigma(%s))\n", k, k, z, k, z)
	}
	return b.String()
}

func BenchmarkTmpSyntaxOnly(b *testing.B) {
	src := tmpW7(1 << 20)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		eachFast("w7.sd", src, nil, false, func(*stmtSyntax) {})
	}
}

func BenchmarkTmpScanOnly(b *testing.B) {
	src := tmpW7(1 << 20)
	b.SetBytes(int64(len(src)))
	var buf []token
	for b.Loop() {
		sc, _ := newScanner("w7.sd", src)
		for {
			toks, _, _ := sc.scan(buf[:0], true)
			buf = toks
			if len(toks) == 0 || toks[len(toks)-1].Type != tokNewline {
				break
			}
		}
	}
}
