package session

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestReview2EvalNeverRestsOnRounding: where eval answers from high
// precision (a derivative, at 512 bits; an expression float64 fails on,
// at 512 bits checked against 1024), terms that cancel beyond both
// precisions gave a silent wrong answer: (exp(x) + 1) - exp(x) at x = 800
// was 0 (the 1 is lost below exp(800) at 512 and at 1024 bits alike), and
// d(4*x/(x + 2^(-520)), x) at x = 1 was 0 where it is 1.17e-156. Each
// answer must be the value (within 1e-12) or an error that says why there
// is none; never another number. The expected values are closed forms
// worked out by hand, evaluated by Python's mpmath at 400 digits.
func TestReview2EvalNeverRestsOnRounding(t *testing.T) {
	for _, c := range []struct {
		src  string
		x    float64
		want float64
	}{
		{"(exp(x) + 1) - exp(x)", 800, 1},
		{"exp(x) - (exp(x) - 1)", 1000, 1},
		{"x^2 - (x^2 - 1)", 1e160, 1},
		{"(x^2 + 1)/x - x", 1e200, 1e-200},
		{"(exp(x) + exp(-x)) - exp(x)", 800, 0}, // exp(-800), below the least float64
		{"exp(x) - exp(x)", 800, 0},
		{"exp(x)*(sin(1)^2 + cos(1)^2 - 1)", 800, 0},
		// d(4*x/(x + e), x) = 4*e/(x + e)^2 with e = 2^-k, at x = 1.
		{"d(4*x/(x + 2^(-520)), x)", 1, 1.1653657392500323e-156},
		{"d(4*x/(x + 2^(-600)), x)", 1, 9.639679460411536e-181},
		{"d(4*x/(x + 2^(-1000)), x)", 1, 3.7330544740128755e-301},
		{"d(exp(x)*(x + 2^(-700)) - x*exp(x), x)", 1, 2.718281828459045 * math.Ldexp(1, -700)},
	} {
		s := New()
		e, err := parser.ParseExpr(c.src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(c.x)})
		var de *ast.DomainError
		switch {
		case err != nil && !errors.As(err, &de):
			t.Errorf("eval %s at x = %v: %v", c.src, c.x, err)
		case err == nil && math.Abs(got-c.want) > 1e-12*math.Abs(c.want):
			t.Errorf("eval %s at x = %v = %v; want %v (or an error saying there is no answer)", c.src, c.x, got, c.want)
		}
	}
}
