package algebra

import (
	"fmt"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// BenchmarkFormsPowerSum: the display forms of W4's derivative (issue 15),
// x + x^2 + … + x^(n-1) + 1 as tidy writes it; at n = 100 the conversion
// to a quotient runs out of its budget and the expanded form is kept.
func BenchmarkFormsPowerSum(b *testing.B) {
	for _, n := range []int{20, 100} {
		var terms []string
		for k := 1; k < n; k++ {
			terms = append(terms, fmt.Sprintf("x^%d", k))
		}
		e := parsetest.MustParse(b, strings.Join(terms, " + ")+" + 1", nil)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, x := Forms(e, 50_000); x == nil {
					b.Fatal("no expanded form")
				}
			}
		})
	}
}
