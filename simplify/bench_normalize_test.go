package simplify_test

import (
	"fmt"
	"testing"

	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
)

// BenchmarkNormalizeMSE is the simplifier's pass driver alone (cancel,
// then the smart expansion, to a fixed point) on the derivative of the
// MSE written out: the part of issue 15's small workloads that the
// passes' sharing (share_pass.go) and expandsApart speed up.
//
//	go test -run '^$' -bench NormalizeMSE -benchmem ./simplify
func BenchmarkNormalizeMSE(b *testing.B) {
	for _, size := range [][2]int{{3, 2}, {10, 3}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			e := mustParse(b, "d("+mseWrittenOut(size[0], size[1])+", w1)", nil)
			d, _, err := derive.ExpandStep(bg, e, derive.Options{Rules: builtin})
			if err != nil {
				b.Fatal(err)
			}
			want, _ := simplify.New(simplify.Options{Rules: builtin}).Normalize(bg, d, true)
			b.ReportAllocs()
			for b.Loop() {
				s := simplify.New(simplify.Options{Rules: builtin})
				if got, _ := s.Normalize(bg, d, true); got != want {
					b.Fatalf("result changed: %v, then %v", want, got)
				}
			}
		})
	}
}
