package session

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestRangeLossSettledByBound: where float64 leaves its range on the way
// (x^2 overflows at x = 10^a, a > 154), eval's value comes from high
// precision, and there two precisions can agree on a residue: ((10^b +
// x^2) - x^2)*10^c lost 10^b at 512 and at 1024 bits alike once x^2 is
// 10^320, and eval printed 0. The value is 10^(b+c) exactly (the test's
// own closed form): eval must give it to 1e-13, or, below float64's range
// (b + c < -323), an error saying it is too small; never 0 or another
// number.
func TestRangeLossSettledByBound(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 15))
	for range 60 {
		a := 155 + r.IntN(140)     // x^2 = 10^(2a) overflows
		b := -r.IntN(300)          // lost next to x^2 beyond 2a - b decimal digits
		c := -b - 300 - r.IntN(40) // b + c from -339 to -300, about float64's least
		src := fmt.Sprintf("((10^(%d) + x^2) - x^2)*10^(%d)", b, c)
		s := New()
		e, err := parser.ParseExpr(src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		x := ast.Scalar(math.Pow(10, float64(a)))
		got, err := s.Eval(context.Background(), e, ast.Bindings{"x": x})
		want := math.Pow(10, float64(b+c))
		switch {
		case b+c < -323:
			var re *ast.RangeError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), "too small") {
				t.Errorf("eval %s at x = 1e%d = %v, %v; want an error saying 1e%d is too small for a float64", src, a, got, err, b+c)
			}
		case err != nil:
			t.Errorf("eval %s at x = 1e%d: %v; want %v", src, a, err, want)
		case math.Abs(got-want) > 1e-13*want:
			t.Errorf("eval %s at x = 1e%d = %v; want %v", src, a, got, want)
		}
	}
}
