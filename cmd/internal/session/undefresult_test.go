package session

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestUndefinedUnderAssumptions: (-x)^(1/2) with x > 0 has no real value;
// simplify printed sqrt(-1)*sqrt(x) (and sqrt(-x), log(-x - x^2) as they
// are). It must say that it is undefined, as
// 0/0 and sqrt(-1) do, and the claim is checked by evaluating the input at
// random points where the assumption holds (every one a domain error).
// Inputs that are defined there still simplify.
func TestUndefinedUnderAssumptions(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, c := range []struct {
		assume []string
		src    string
		want   string // "" when it is defined
	}{
		{[]string{"x > 0"}, "(-x)^(1/2)", "(-x)^(1/2) is undefined wherever the assumptions hold (x > 0): it simplifies to sqrt(-1)*sqrt(x), and sqrt(-1) is undefined"},
		{[]string{"x > 0"}, "d((-x)^(1/2), x)", "is undefined wherever the assumptions hold (x > 0)"},
		{[]string{"x > 0"}, "sqrt(-x)", "sqrt(-x) is undefined wherever the assumptions hold (x > 0): -x is negative there"},
		{[]string{"x > 0"}, "2 + log(-x - x^2)", "log(-x - x^2) is undefined wherever the assumptions hold (x > 0): -x - x^2 is not positive there"},
		{[]string{"x > 0"}, "y*(-x)^(3/4)", "is undefined wherever the assumptions hold (x > 0)"},
		{[]string{"x > 0"}, "(-x)^2 + sqrt(x)", ""},
		{[]string{"x > 0"}, "log(x) + (x - 1)^(1/2)", ""},
		{[]string{"x > 0"}, "if(x < 0, sqrt(-x), 1)", ""},
		{[]string{"x < 0"}, "(-x)^(1/2)", ""},
		{nil, "(-x)^(1/2)", ""},
	} {
		s := New()
		for _, a := range c.assume {
			if err := s.AddAssumption(a); err != nil {
				t.Fatal(err)
			}
		}
		e := mustParseSession(t, c.src)
		r, err := s.Simplify(context.Background(), e)
		if c.want == "" {
			if err != nil {
				t.Errorf("simplify %s assuming %v: %v", c.src, c.assume, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("simplify %s assuming %v: %v, %v; want an error saying %q", c.src, c.assume, r, err, c.want)
		}
		if ast.HasDeriv(e) {
			continue
		}
		for k := 0; k < 50; k++ {
			x := 1e-3 + 1e3*rng.Float64()
			v, err := ast.Eval(e, nil, ast.Bindings{"x": ast.Scalar(x), "y": ast.Scalar(1)})
			var de *ast.DomainError
			if !errors.As(err, &de) {
				t.Errorf("%s at x = %v: %v, %v; the test expects it undefined where x > 0", c.src, x, v, err)
			}
		}
	}
}
