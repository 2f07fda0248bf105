package session

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestUndefinedWithoutAssumptions (hunt10): a log or square root whose
// argument is outside the domain for every value (-1 - x^2, -exp(x)) was
// caught only when some assumption was given (even one on another name,
// y > 0); without any, 0*log(-1 - x^2) simplified to 0 and
// x + 0*sqrt(-x^2 - 1) to x. The oracle is evaluation: each input that must
// be refused is a domain error at every random x tried, each control has a
// value at some x.
func TestUndefinedWithoutAssumptions(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	for _, c := range []struct {
		src  string
		want string // "" when it is defined somewhere
	}{
		{"0*log(-1 - x^2)", "log(-1 - x^2) is undefined for every value: -1 - x^2 is not positive there"},
		{"x + 0*sqrt(-x^2 - 1)", "sqrt(-x^2 - 1) is undefined for every value"},
		{"log(-exp(x)) - log(-exp(x))", "log(-exp(x)) is undefined for every value"},
		{"0*log(-sigma(x))", "is undefined for every value"},
		{"0*log(-x)", ""},
		{"0*sqrt(1 - x^2)", ""},
		{"log(1 + x^2)", ""},
		{"(-x)^(1/2)", ""},
		{"log(x^2)", ""},
	} {
		s := New()
		e := mustParseSession(t, c.src)
		r, err := s.Simplify(context.Background(), e)
		undefinedAt := 0
		const tries = 200
		for k := 0; k < tries; k++ {
			x := (rng.Float64() - 0.5) * 2e3
			if k%2 == 0 {
				x = (rng.Float64() - 0.5) * 4
			}
			_, err := ast.Eval(e, nil, ast.Bindings{"x": ast.Scalar(x)})
			var de *ast.DomainError
			if errors.As(err, &de) {
				undefinedAt++
			}
		}
		if c.want == "" {
			if err != nil {
				t.Errorf("simplify %s: %v; want a result", c.src, err)
			}
			if undefinedAt == tries {
				t.Errorf("%s is undefined at every point tried: the control is wrong", c.src)
			}
			continue
		}
		if undefinedAt != tries {
			t.Errorf("%s has a value at %d of %d points: the test expects it undefined everywhere", c.src, tries-undefinedAt, tries)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("simplify %s: %v, %v; want an error saying %q", c.src, r, err, c.want)
		}
	}
}
