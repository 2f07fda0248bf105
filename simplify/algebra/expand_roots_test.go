package algebra_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/algebra"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestExpandRootPowers: expand writes a power of a root b^(1/q) of q or
// more with b taken out, and joins it with the powers of b: a person
// writes (x^(-1/2) + x)^3 as x^3 + 3*x*sqrt(x) + 3 + 1/(x*sqrt(x)), not
// with 3*x/x or 3*x^2/sqrt(x). Each result is proved equal to its input
// and evaluated against it (float64, then 256 and 1024 bits) near the
// edge of the domain, x = 0, and far from it; it must be defined wherever
// the input is.
func TestExpandRootPowers(t *testing.T) {
	opt := simplify.Options{Rules: load.Builtin()}
	for _, c := range []struct{ in, want string }{
		{"(x^(-1/2) + x)^3", "x^3 + 3*x*sqrt(x) + 3 + 1/(x*sqrt(x))"},
		{"(1/sqrt(x) + x)^2", "x^2 + 2*sqrt(x) + 1/x"},
		{"x^(3/2)*(x^(1/2) + 1)", "x^2 + x*sqrt(x)"},
		{"(x^(1/3) + 1)^3", "x + 3*x^(2/3) + 3*x^(1/3) + 1"},
		{"x^(1/3)*(x^(2/3) + 1)", "x + x^(1/3)"},
		{"(x^2 - x^(-1/3))^2", "x^4 - 2*x^(5/3) + 1/x^(2/3)"},
		{"(x^(1/3) + x^(-1/3))^3", "x + 3*x^(1/3) + 3/x^(1/3) + 1/x"},
		{"(x^(1/4) + 1)^4", "x + 4*x^0.75 + 6*sqrt(x) + 4*x^0.25 + 1"}, // exponents as simplify writes them
		{"(sqrt(x + 1) + 1)^3", "x*sqrt(x + 1) + 3*x + 4*sqrt(x + 1) + 4"},
		{"(y/sqrt(x) + sqrt(x))^2", "x + 2*y + y^2/x"},
		{"(x + 1)^2", "x^2 + 2*x + 1"}, // no root: as before
	} {
		in := parsetest.MustParse(t, c.in, nil)
		got, err := algebra.Expand(in)
		if err != nil {
			t.Errorf("expand(%s): %v", c.in, err)
			continue
		}
		if s := ast.String(got); s != c.want {
			t.Errorf("expand(%s) = %s, want %s", c.in, s, c.want)
		}
		if pr, err := prove.Prove(context.Background(), in, got, opt); err != nil || pr.Verdict != prove.Proved {
			t.Errorf("expand(%s) = %s: not proved equal (%v, %v)", c.in, ast.String(got), pr.Verdict, err)
		}
		checked := 0
		for _, x := range []float64{1e-12, 1e-6, 0.37, 1, 2.5, 81, 1e6, 1e12, -0.5, -4} {
			for _, y := range []float64{-3, 0.7} {
				pt := ast.Bindings{"x": ast.Scalar(x), "y": ast.Scalar(y)}
				ok, complaint := parsetest.AgreeAt(in, got, nil, pt, 1e-9)
				if complaint != "" {
					t.Errorf("expand(%s) = %s: %s", c.in, ast.String(got), complaint)
				}
				if ok {
					checked++
				}
			}
		}
		if checked < 16 {
			t.Errorf("expand(%s): only %d points checked", c.in, checked)
		}
	}
}

// TestExpandRootPowersRandom: products and powers of sums of terms
// c*x^(p/q)*y^k (q up to 4, p of either sign) expand to what they are,
// at points with x far from 0 and close to it.
func TestExpandRootPowersRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 17))
	term := func() string {
		c := []string{"1", "2", "-3", "1/2"}[rng.IntN(4)]
		q := 1 + rng.IntN(4)
		p := rng.IntN(2*q+1) - q
		return fmt.Sprintf("%s*x^(%d/%d)*y^%d", c, p, q, rng.IntN(3))
	}
	sum := func() string {
		s := term()
		for range rng.IntN(3) {
			s += " + " + term()
		}
		return "(" + s + ")"
	}
	for range 400 {
		src := sum() + "^" + fmt.Sprint(1+rng.IntN(3)) + "*" + sum()
		in := parsetest.MustParse(t, src, nil)
		got, err := algebra.Expand(in)
		if err != nil {
			t.Errorf("expand(%s): %v", src, err)
			continue
		}
		for _, x := range []float64{1e-5, 0.2, 1.7, 3e4} {
			pt := ast.Bindings{"x": ast.Scalar(x), "y": ast.Scalar(-1.3)}
			if _, complaint := parsetest.AgreeAt(in, got, nil, pt, 1e-9); complaint != "" {
				t.Fatalf("expand(%s) = %s: %s", src, ast.String(got), complaint)
			}
		}
	}
}
