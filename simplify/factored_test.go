package simplify_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
)

// TestProductStaysFactored: d/dx of (x+1)(x+2)...(x+n) is the sum of the
// products that leave one factor out, not a polynomial of degree n-1
// (which the smart expansion used to build term by term, in n^3). The
// value is checked against the sum of products computed here in float64,
// at points including the roots of the product (where the form
// Π·Σ 1/(x+k) would be undefined) and far from 0.
func TestProductStaysFactored(t *testing.T) {
	for _, n := range []int{8, 30, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			res := diffSimplify(t, productOfShifts(n))
			text := ast.String(res.Expr)
			// At n = 8 the display may choose the polynomial (it is
			// smaller); beyond, the product stays factored.
			if n >= 30 && strings.Contains(text, "x^") {
				t.Errorf("the derivative was multiplied out: %.200s", text)
			}
			for _, x := range []float64{-3, -1, -0.5, 0, 0.25, 2.5, -float64(n) - 0.75, 17.125} {
				want := 0.0
				for k := 1; k <= n; k++ {
					p := 1.0
					for j := 1; j <= n; j++ {
						if j != k {
							p *= x + float64(j)
						}
					}
					want += p
				}
				got, err := ast.Eval(res.Expr, nil, ast.Bindings{"x": ast.Scalar(x)})
				if err != nil || !parsetest.Near(got, want, 1e-9, 1e-300) {
					t.Errorf("at x=%g: got %v (%v), want %v", x, got, err, want)
				}
			}
		})
	}
}

// TestSmallProductsStillExpand: a product of a few sums is multiplied out
// when that makes the sum smaller (the behaviour the cost bound keeps),
// and a cancellation still happens.
func TestSmallProductsStillExpand(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"d((x + 1)*(x + 2)*(x + 3), x)", "12*x + 3*x^2 + 11"},
		{"y*(1 - s) - (1 - y)*s", "y - s"},
	} {
		res := simplifyString(t, c.in)
		if got := ast.String(res.Expr); got != c.want {
			t.Errorf("%s: got %s, want %s", c.in, got, c.want)
		}
	}
}

// TestNestedSinDerivative: d/dx sin^n(x) is Π_{k<n} cos(sin^k(x)),
// computed here in float64, at sizes where the printed tree is quadratic.
func TestNestedSinDerivative(t *testing.T) {
	for _, n := range []int{10, 300} {
		res := diffSimplify(t, sinNested(n))
		for _, x := range []float64{-1.3, 0.2, 0.9, 12.5} {
			want, s := 1.0, x
			for range n {
				want *= math.Cos(s)
				s = math.Sin(s)
			}
			got, err := ast.Eval(res.Expr, nil, ast.Bindings{"x": ast.Scalar(x)})
			if err != nil || !parsetest.Near(got, want, 1e-10, 1e-300) {
				t.Errorf("n=%d at x=%g: got %v (%v), want %v", n, x, got, err, want)
			}
		}
	}
}

func simplifyString(t *testing.T, src string) *simplify.Result {
	t.Helper()
	res, err := simplify.Simplify(bg, mustParse(t, src, nil), simplify.Options{Rules: builtin})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
