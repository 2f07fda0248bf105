package algebra_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/algebra"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Each verb's result is proved equal to its input and compared with it at
// random points.
var verbTests = []struct {
	verb, in, x, want string
}{
	{"expand", "(x + 1)^2", "", "x^2 + 2*x + 1"},
	{"expand", "(x - y)*(x + y)", "", "x^2 - y^2"},
	{"expand", "(a + b)^3", "", "a^3 + 3*a^2*b + 3*a*b^2 + b^3"},
	{"expand", "x*(x + 1) + 1/(x + 1)^2", "", "x^2 + x + 1/(x^2 + 2*x + 1)"},
	{"expand", "(sigma(z) - y)*(1 - sigma(z))", "", "y*sigma(z) - sigma(z)^2 - y + sigma(z)"},
	{"expand", "(x/2 + 1)^2", "", "x^2/4 + x + 1"},
	{"expand", "2*(f - y)/n", "", "2*f/n - 2*y/n"},
	{"factor", "x^2 - y^2", "", "(x - y)*(x + y)"},
	{"factor", "2*f - 2*y", "", "2*(f - y)"},
	{"factor", "x^2 + 2*x + 1", "", "(x + 1)^2"},
	{"factor", "4*x^2 - 1", "", "(2*x - 1)*(2*x + 1)"},
	{"factor", "x^3 - x", "", "x*(x - 1)*(x + 1)"},
	{"factor", "x^4 - y^4", "", "(x - y)*(x + y)*(x^2 + y^2)"},
	{"factor", "x^4 + 4", "", "(x^2 - 2*x + 2)*(x^2 + 2*x + 2)"},
	{"factor", "x^2*y + x*y^2", "", "x*y*(x + y)"},
	{"factor", "a*c + a*d + b*c + b*d", "", "(a + b)*(c + d)"},
	{"factor", "1 - x^2", "", "(1 - x)*(x + 1)"},
	{"factor", "x^2/2 - 1/2", "", "(x - 1)*(x + 1)/2"},
	{"factor", "(x^2 - 1)/(x^2 + 2*x + 1)", "", "(x - 1)/(x + 1)"},
	{"factor", "sigma(z) - sigma(z)^2", "", "sigma(z)*(1 - sigma(z))"},
	{"factor", "x^6 - 1", "", "(x - 1)*(x + 1)*(x^2 - x + 1)*(x^2 + x + 1)"},
	{"factor", "x^2 + 1", "", "x^2 + 1"},
	{"factor", "6*x^2*y - 4*x*y^2", "", "2*x*y*(3*x - 2*y)"},
	{"together", "1/x + 1/y", "", "(x + y)/(x*y)"},
	{"together", "1/(x + 1) + 1/(x - 1)", "", "2*x/((x - 1)*(x + 1))"},
	{"together", "x/2 + y/2", "", "(x + y)/2"},
	{"together", "(x^2 - 1)/(x - 1)", "", "x + 1"},
	{"together", "a/(x*y) - b/y", "", "(a - b*x)/(x*y)"},
	{"apart", "1/(x^2 - 1)", "x", "1/(2*(x - 1)) - 1/(2*(x + 1))"},
	{"apart", "a/(x^2 - 1)", "x", "a/(2*(x - 1)) - a/(2*(x + 1))"},
	{"apart", "(x^3 + 1)/(x^2 + x)", "x", "x - 1 + 1/x"},
	{"apart", "1/(x*(x + 1)^2)", "x", "1/x - 1/(x + 1) - 1/(x + 1)^2"},
	{"apart", "(2*x + 3)/(x^2 + 1)/(x - 1)", "x", "5/(2*(x - 1)) - (5*x + 1)/(2*(x^2 + 1))"},
	{"collect", "a*x + b*x + x^2 + c", "x", "x^2 + (a + b)*x + c"},
	{"collect", "(x + y)^2", "y", "y^2 + 2*x*y + x^2"},
	{"collect", "a*sigma(z) - sigma(z)*y + 2", "sigma(z)", "(a - y)*sigma(z) + 2"},
}

func TestVerbs(t *testing.T) {
	ctx := context.Background()
	opt := simplify.Options{Rules: load.Builtin()}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range verbTests {
		in := parsetest.MustParse(t, tt.in, nil)
		var got ast.Expr
		var err error
		switch tt.verb {
		case "expand":
			got, err = algebra.Expand(in)
		case "factor":
			got, err = algebra.Factor(in)
		case "together":
			got, err = algebra.Together(in)
		case "apart":
			got, err = algebra.Apart(in, parsetest.MustParse(t, tt.x, nil))
		case "collect":
			got, err = algebra.Collect(in, parsetest.MustParse(t, tt.x, nil))
		}
		if err != nil {
			t.Errorf("%s(%s): %v", tt.verb, tt.in, err)
			continue
		}
		if s := ast.String(got); s != tt.want {
			t.Errorf("%s(%s) = %s, want %s", tt.verb, tt.in, s, tt.want)
		}
		pr, err := prove.Prove(ctx, in, got, opt)
		if err != nil || pr.Verdict != prove.Proved {
			t.Errorf("%s(%s) = %s: not proved equal (%v, %v)", tt.verb, tt.in, ast.String(got), pr.Verdict, err)
		}
		nm := parsetest.NamesOf(in)
		for range 20 {
			pt := parsetest.Point(rng, nm, -2, 2)
			if _, c := parsetest.AgreeAt(in, got, nil, pt, 1e-9); c != "" {
				t.Errorf("%s(%s) = %s: %s", tt.verb, tt.in, ast.String(got), c)
				break
			}
		}
	}
}
