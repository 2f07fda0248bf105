package simplify_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestNamedLogSigma: the log-sigmoid is shown as log(sigma(u)), not as the
// canonical u - softplus(u) (the focal loss), and is cheaper by Cost. The
// printed result parses back and agrees with the input (a derivative with
// five-point differences) in float64 and in big.Float at points near 0,
// at |z| ~ 30 and far out where σ underflows (z = -200).
func TestNamedLogSigma(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"log(sigma(z))", "log(sigma(z))"},
		{"z - softplus(z)", "log(sigma(z))"},
		{"-softplus(-z)", "log(sigma(z))"},
		{"2*(z - softplus(z))", "2*log(sigma(z))"},
		{"x*(z - softplus(z)) + 1", "x*log(sigma(z)) + 1"},
		{"log(sigma(x*z))*y", "y*log(sigma(x*z))"},
		{"d(-(1 - sigma(z))^g*log(sigma(z)), z)", "g*sigma(z)*(1 - sigma(z))^g*log(sigma(z)) - (1 - sigma(z))^(g + 1)"},
		{"d(-(1 - sigma(z))^2*log(sigma(z)), z)", "(sigma(z) - 1)^2*(sigma(z)*(2*log(sigma(z)) + 1) - 1)"},
		// softplus alone stays: it is cheaper than -log(sigma(-z)).
		{"softplus(z)", "softplus(z)"},
		{"log(1 - sigma(z))", "-softplus(z)"},
	} {
		in := mustParse(t, c.in, nil)
		res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		got := ast.String(res.Expr)
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.in, got, c.want)
		}
		back := mustParse(t, got, nil)
		if back != res.Expr {
			t.Errorf("%s = %s reads back as %s", c.in, got, ast.Sexpr(back))
		}
		rng := rand.New(rand.NewPCG(5, 5))
		for i := range 40 {
			lo, hi := -2.0, 2.0
			switch i % 4 {
			case 1:
				lo, hi = -30, 30
			case 3:
				lo, hi = -800, -760 // σ(z) underflows to 0 in float64
			}
			pt := ast.Bindings{}
			for _, n := range []string{"x", "y", "z", "g"} {
				pt[n] = ast.Scalar(dyadic(lo + rng.Float64()*(hi-lo)))
			}
			pt["x"], pt["g"] = ast.Scalar(dyadic(0.5+4*rng.Float64())), ast.Scalar(dyadic(0.5+3*rng.Float64()))
			var want float64
			if d, ok := in.(*ast.Deriv); ok {
				want = fivePointIn(t, d.X, "z", pt)
			} else if want, err = ast.Eval(in, nil, pt); err != nil {
				t.Fatal(err)
			}
			v, err := ast.Eval(back, nil, pt)
			if err != nil || math.Abs(v-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("%s = %s is %v (%v) at %v, want %v", c.in, got, v, err, pt, want)
				break
			}
			bv, err := ast.EvalBig(context.Background(), back, nil, pt, 200)
			if err != nil {
				t.Errorf("%s = %s at %v in big.Float: %v", c.in, got, pt, err)
				break
			}
			if f, _ := bv.Float64(); math.Abs(f-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("%s = %s is %v in big.Float at %v, want %v", c.in, got, f, pt, want)
				break
			}
		}
	}
	for _, c := range []struct{ named, canonical string }{
		{"log(sigma(z))", "z - softplus(z)"},
		{"2*log(sigma(z))", "2*(z - softplus(z))"},
	} {
		if a, b := simplify.Cost(mustParse(t, c.named, nil)), simplify.Cost(mustParse(t, c.canonical, nil)); a >= b {
			t.Errorf("Cost(%s) = %d is not below Cost(%s) = %d", c.named, a, c.canonical, b)
		}
	}
}

// fivePointIn is the five-point central difference of f by the scalar v.
func fivePointIn(t *testing.T, f ast.Expr, v string, pt ast.Bindings) float64 {
	t.Helper()
	x := pt[v].Data[0]
	h := 1e-3 * math.Max(1, math.Abs(x))
	at := func(dx float64) float64 {
		q := ast.Bindings{}
		for k, w := range pt {
			q[k] = w
		}
		q[v] = ast.Scalar(x + dx)
		y, err := ast.Eval(f, nil, q)
		if err != nil {
			t.Fatalf("%s at %v: %v", ast.String(f), q, err)
		}
		return y
	}
	return (-at(2*h) + 8*at(h) - 8*at(-h) + at(-2*h)) / (12 * h)
}
