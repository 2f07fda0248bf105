package simplify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// mseWrittenOut is the mean squared error of a linear model over n
// examples and d weights, written out with distinct symbols:
// ((y1 - (x11*w1 + x12*w2))^2 + ...)/n.
func mseWrittenOut(n, d int) string {
	var terms []string
	for i := 1; i <= n; i++ {
		var dot []string
		for j := 1; j <= d; j++ {
			dot = append(dot, fmt.Sprintf("x%d%d*w%d", i, j, j))
		}
		terms = append(terms, fmt.Sprintf("(y%d - (%s))^2", i, strings.Join(dot, " + ")))
	}
	return fmt.Sprintf("(%s)/%d", strings.Join(terms, " + "), n)
}

// BenchmarkMSE3x2InProcess is issue 15's "small expressions in
// microseconds" goal: d/dw1 of the MSE at 3×2, simplified to the
// displayed result, in process (the parse is outside the loop).
func BenchmarkMSE3x2InProcess(b *testing.B) {
	e := mustParse(b, "d("+mseWrittenOut(3, 2)+", w1)", nil)
	want := ""
	b.ReportAllocs() // steadier than the time on a shared machine
	for b.Loop() {
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin})
		if err != nil || res.Stop != simplify.StopFixpoint {
			b.Fatal(err, res.Stop)
		}
		got := ast.String(res.Expr)
		if want == "" {
			want = got
			b.Logf("result: %s", got)
		} else if got != want {
			b.Fatalf("result changed: %s, then %s", want, got)
		}
	}
}
