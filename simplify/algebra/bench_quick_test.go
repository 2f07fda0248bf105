package algebra

import (
	"fmt"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// BenchmarkQuickPoly: quickPoly (with calls as atoms, as the display
// search asks) of the display forms of W4's derivative at N = 100, of
// W2's gradient at 3×2 and 10×3 and of W1's at 3×2 (issue 15), as tidy
// writes them.
func BenchmarkQuickPoly(b *testing.B) {
	var pow []string
	for k := 1; k < 100; k++ {
		pow = append(pow, fmt.Sprintf("x^%d", k))
	}
	mse := func(n, d int) string {
		var terms []string
		for i := 1; i <= n; i++ {
			var dot []string
			for j := 1; j <= d; j++ {
				dot = append(dot, fmt.Sprintf("w%d*x_%d_%d", j, i, j))
			}
			terms = append(terms, fmt.Sprintf("x_%d_1*(%s - y%d)", i, strings.Join(dot, " + "), i))
		}
		return "(" + strings.Join(terms, " + ") + ")/" + fmt.Sprint(n)
	}
	ce := "(x_1_1*sigma(w1*x_1_1 + w2*x_1_2) - x_1_1*y1 - x_2_1*y2 + x_2_1*sigma(w1*x_2_1 + w2*x_2_2) - x_3_1*y3 + x_3_1*sigma(w1*x_3_1 + w2*x_3_2))/3"
	for _, c := range []struct{ name, src string }{
		{"W4/100", strings.Join(pow, " + ") + " + 1"},
		{"W2/3x2", mse(3, 2)},
		{"W2/10x3", mse(10, 3)},
		{"W1/3x2", ce},
	} {
		e := parsetest.MustParse(b, c.src, nil)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, _, ok := quickPolyOf(e, true); !ok {
					b.Fatal("declined")
				}
			}
		})
	}
}
