package simplify

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestDisplayCoefNum: displayCoefNum, which factorOutNumber asks first,
// is the number displayCoef gives, on the terms of random sums in the
// shapes display forms take (numbers, negations, products led by a
// number, quotients by numbers and by products led by one).
func TestDisplayCoefNum(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 52))
	srcs := []string{"3", "-2/3", "0.25", "x", "-x", "2*x*y", "-(3*x)", "x/4", "(2*x)/6", "-x/(3*y)", "(5*x)/(2*y*z)",
		"(1/3)*x", "x/(y + 1)", "-(x/2)", "2*(x + 1)/3", "sigma(x)/0.5", "(-2)*x", "x/(-3)"}
	var terms []ast.Expr
	for _, s := range srcs {
		terms = append(terms, parsetest.MustParse(t, s, nil))
	}
	for range 200 {
		terms = append(terms, parsetest.MustParse(t, randCallsNested(rng), nil))
	}
	for _, e := range terms {
		for _, x := range append([]ast.Expr{e}, ast.Children(e)...) {
			want, _ := displayCoef(x)
			if got := displayCoefNum(x); got.Cmp(want) != 0 {
				t.Fatalf("displayCoefNum(%s) = %s, displayCoef's number is %s", ast.String(x), got, want)
			}
		}
	}
}
