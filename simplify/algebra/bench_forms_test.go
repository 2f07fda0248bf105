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

// BenchmarkFormsBelowMSE: the display forms of W2's gradient at 3×2 and
// 10×3 (issue 15) as tidy writes it, when the form at hand costs what
// simplify.Cost says: the polynomial is irreducible and the bound on its
// terms is above that, so no form is built ("all"), against building
// them ("none", below 0).
func BenchmarkFormsBelowMSE(b *testing.B) {
	for _, c := range []struct {
		n, d, cost int
	}{{3, 2, 46}, {10, 3, 171}} {
		var terms []string
		for i := 1; i <= c.n; i++ {
			var dot []string
			for j := 1; j <= c.d; j++ {
				dot = append(dot, fmt.Sprintf("w%d*x_%d_%d", j, i, j))
			}
			terms = append(terms, fmt.Sprintf("2*x_%d_1*(%s - y%d)", i, strings.Join(dot, " + "), i))
		}
		e := parsetest.MustParse(b, "("+strings.Join(terms, " + ")+")/"+fmt.Sprint(c.n), nil)
		for _, skip := range []bool{true, false} {
			below, name := c.cost, "all"
			if !skip {
				below, name = 0, "none"
			}
			b.Run(fmt.Sprintf("%dx%d/skip=%s", c.n, c.d, name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					f, t, x := FormsBelow(e, 50_000, below)
					if skip != (f == nil && t == nil && x == nil) {
						b.Fatalf("skip %v, forms %v %v %v", skip, f, t, x)
					}
				}
			})
		}
	}
}
