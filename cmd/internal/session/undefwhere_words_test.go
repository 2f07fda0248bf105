package session

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestUndefinedWhereElsewhere (review4, 5): an "undefined wherever" error
// says what the input is where its condition fails only if it is so.
// log(x - x)*sum(i=2..n, x)/sum(i=3..n, y) is 0/0 at n = 1, where the
// brackets fail: it was said to be 0 there. The oracle is the evaluator at
// points where the stated condition fails: where the message says the
// product is 0, it evaluates to 0.
func TestUndefinedWhereElsewhere(t *testing.T) {
	for _, src := range []string{
		"log(x - x)*sum(i=2..n, x)/sum(i=3..n, y)",
		"log(x - x)*sum(i=2..n, x)",
		"[n <= 2]*log(x - x)/sum(i=3..n, y)",
	} {
		_, err := execOne(t, src)
		msg := fmt.Sprint(err)
		if !strings.Contains(msg, "is undefined wherever") {
			t.Errorf("%s: %v; want an error saying where", src, err)
			continue
		}
		if !strings.Contains(msg, "the product is 0") {
			continue
		}
		e := mustParseSession(t, src)
		for n := 1; n <= 4; n++ {
			v, evalErr := ast.EvalContext(context.Background(), e, nil, ast.Bindings{"n": ast.Scalar(float64(n)), "x": ast.Scalar(2), "y": ast.Scalar(3)})
			if evalErr == nil && v != 0 || evalErr != nil && !strings.Contains(evalErr.Error(), "log") {
				t.Errorf("%s: %s; but at n = %d it is %v (%v)", src, msg, n, v, evalErr)
			}
		}
	}
}
