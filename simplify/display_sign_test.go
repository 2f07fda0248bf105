package simplify_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// A term that the common-number display makes negative is subtracted, not
// added with a minus inside: with g := x^100*y, the derivative below read
// 2*(... + -g*exp(x^2)*sin(100*x)^3/(x + 100)^3). The result must read
// back to the same value: compared, with g opened, against five-point
// differences of the input written out by hand.
func TestDisplaySubtractsNegativeTerms(t *testing.T) {
	defs := &ast.Defs{}
	for _, d := range []struct{ name, body string }{{"g", "x^100*y"}, {"h", "a*b"}} {
		if err := defs.Define(&ast.Def{Name: d.name, Body: mustParse(t, d.body, nil)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ in, written string }{
		{"d(g*sin(100*x)^3*exp(x^2)/(x+100)^2, x)", "x^100*y*sin(100*x)^3*exp(x^2)/(x+100)^2"},
		{"d(h*x^3/(x+2)^2 + 0.5*h*x, x)", "a*b*x^3/(x+2)^2 + 0.5*a*b*x"},
	} {
		in := mustParse(t, c.in, defs)
		r, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin, Defs: defs})
		if err != nil {
			t.Fatal(err)
		}
		got := ast.String(r.Expr)
		if strings.Contains(got, "+ -") {
			t.Errorf("%s = %s: a negative term is added", c.in, got)
		}
		back := mustParse(t, got, defs)
		f := mustParse(t, c.written, nil)
		rng := rand.New(rand.NewPCG(3, 4))
		for range 20 {
			pt := ast.Bindings{}
			for _, n := range []string{"x", "y", "a", "b"} {
				pt[n] = ast.Scalar(0.3 + 0.9*rng.Float64())
			}
			want := fivePoint(t, f, "x", pt)
			v, err := ast.Eval(back, defs, pt)
			if err != nil || math.Abs(v-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("%s = %s is %v (%v) at %v, want %v", c.in, got, v, err, pt, want)
				break
			}
		}
	}
}

// A sum with a decimal number reads the same whichever the number's sign:
// x/2 - 0.25 was (x - 0.5)/2 while x/2 + 0.25 was 0.5*x + 0.25, because
// the minus sign of -0.25 was counted twice (once among its characters).
// Each result is checked against the input's value at random points, far
// from 0 too.
func TestDisplayDecimalSignConsistent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"x/2 + 0.25", "0.5*x + 0.25"},
		{"x/2 - 0.25", "0.5*x - 0.25"},
		{"x/2 - 1/4", "0.5*x - 0.25"},
		{"0.25 - x/2", "0.25 - 0.5*x"},
		{"x/2 - 0.3*y - 0.25", "0.5*x - 0.3*y - 0.25"},
		{"-x/2 - 0.25", "-0.5*x - 0.25"},
	} {
		in := mustParse(t, c.in, nil)
		r, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if got := ast.String(r.Expr); got != c.want {
			t.Errorf("simplify(%s) = %s, want %s", c.in, got, c.want)
		}
		rng := rand.New(rand.NewPCG(5, 6))
		for k := range 20 {
			scale := []float64{1, 1e3, 1e-3}[k%3]
			pt := point(rng, namesOf(in), -scale, scale)
			if ok, msg := agreeAt(in, r.Expr, nil, pt, 1e-12); !ok {
				t.Errorf("simplify(%s) = %s: %s", c.in, ast.String(r.Expr), msg)
				break
			}
		}
	}
}
