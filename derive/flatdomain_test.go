package derive_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
)

// TestFlatKinkDomain: g(k(h(x))) with k = step or sign, g among 1/u,
// log(u), sqrt(u - c), u^(-1/2), y/u, is constant in x wherever it has a
// value, so d(g(k(h(x))), x) is 0 there; where it has none (1/step(x) at
// x <= 0, 1/sign(x) at 0, sqrt(step(x) - 1) at x <= 0) its derivative has
// none either: the chain rule's 0 (d step(u) = 0) lost that, and eval of
// d(1/step(x), x) at x = -1 printed 0. The oracle is the definition:
// evaluation of the function itself at each point, and a central
// difference where the function has a value on both sides.
func TestFlatKinkDomain(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 22))
	outer := []string{"1/(%s)", "log(%s)", "sqrt(%s - 1)", "sqrt(%s + 1)", "(%s)^(-1/2)", "y/(%s)", "2 + 1/(%s)^2", "log(%s + 2)", "x^2 + 1/(%s)", "(%s)*x"}
	// Arguments defined everywhere: where the kink's own argument has no
	// value (step(-2/x) at 0), d(step(u), v) = 0 still has one (left).
	inner := []string{"x", "-x", "x - 1", "2 - x^2", "x^3 - x", "x^2 + 1", "-x^2"}
	points := []float64{-2, -1, -0.5, 0, 0.5, 1, 1.5, 2}
	x := ast.NewSym("x")
	undefined, defined := 0, 0
	for range 400 {
		src := fmt.Sprintf(outer[rng.IntN(len(outer))], fmt.Sprintf("%s(%s)", []string{"step", "sign"}[rng.IntN(2)], inner[rng.IntN(len(inner))]))
		e := mustParse(t, src, nil)
		de, err := derive.D(bg, e, x, derive.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("d(%s, x): %v", src, err)
		}
		pt := points[rng.IntN(len(points))]
		at := func(e ast.Expr, v float64) (float64, error) {
			return ast.Eval(e, nil, ast.Bindings{"x": ast.Scalar(v), "y": ast.Scalar(0.75)})
		}
		f, ferr := at(e, pt)
		d, derr := at(de, pt)
		var dom *ast.DomainError
		if ferr != nil {
			if !errors.As(ferr, &dom) {
				t.Fatalf("%s at x = %g: %v", src, pt, ferr)
			}
			undefined++
			if derr == nil {
				t.Errorf("d(%s, x) = %s is %g at x = %g, where %s has no value (%v)", src, ast.String(de), d, pt, src, ferr)
			}
			continue
		}
		const h = 1e-6
		fl, errl := at(e, pt-h)
		fr, errr := at(e, pt+h)
		if errl != nil || errr != nil {
			continue // next to a point without a value
		}
		defined++
		if derr != nil {
			t.Errorf("d(%s, x) = %s has no value at x = %g (%v), where %s = %g has one", src, ast.String(de), pt, derr, src, f)
			continue
		}
		if fd := (fr - fl) / (2 * h); fl == fr && d != fd {
			t.Errorf("d(%s, x) = %s is %g at x = %g, the central difference %g", src, ast.String(de), d, pt, fd)
		} else if fl != fr && !near(d, fd, 1e-4, 1e-4) && fl == f && f == fr {
			t.Errorf("d(%s, x) at x = %g: %g, the central difference %g", src, pt, d, fd)
		}
	}
	t.Logf("%d points without a value, %d with", undefined, defined)
	if undefined < 50 || defined < 50 {
		t.Errorf("the points do not reach both cases: %d undefined, %d defined", undefined, defined)
	}
}
