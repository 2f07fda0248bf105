package matrix_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestBackInnerSumReusesIndex: the index form of a softmax's derivative by
// a matrix has a sum over j whose body divides by another sum over j (the
// softmax's denominator). The translation back bound the inner j and, on
// its way out, deleted j's size while the outer sum still needed it: a
// nil size reached ones(...) and the command panicked. Each result must
// have a matrix form whose value agrees with central finite differences
// of the function (checkFD, the corpus's oracle) at random sizes and
// values.
func TestBackInnerSumReusesIndex(t *testing.T) {
	opt, pctx := setup(t)
	for i, src := range []string{
		"d(sum(softmax(X*w)), X)",
		"d(sum(softmax(W*b)), W)",
		"d(sum(exp(W*b)/sum(exp(W*b))), W)",
		"d(log(sum(softmax(X*w))), X)",
		"d(lam*sum(softmax(X*w)) + a'*W*b, W)",
		"d(y'*softmax(X*w), X)",
	} {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if r.Value == nil {
			t.Errorf("%s: %v; index form %s", src, r.NoForm, ast.String(r.Simplified.Expr))
			continue
		}
		if got := ast.String(r.Value); strings.Contains(got, "[") {
			t.Errorf("%s = %s: not in matrix notation", src, got)
		}
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		for trial := range 3 {
			checkFD(t, e, r.Value, opt, rng, trial)
		}
	}
}
