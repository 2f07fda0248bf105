package simplify_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// The derivatives of cosh and sinh, and the tanh form of the log-cosh
// loss: each result's printed form is asserted, and its value is compared
// with central finite differences of the function written again in Go
// (math.Cosh, math.Sinh, math.Log): neither the parser, the
// differentiator nor the function table is the oracle. Points are drawn
// near 0 and far from it (|x| up to 20, where cosh is 2.4e8 and tanh is 1
// to 17 digits); cosh overflows float64 only past 710.
func TestHyperbolicDerivatives(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 9))
	for _, tt := range []struct {
		fn, want string
		f        func(x, a float64) float64 // the function of x, a free
	}{
		{"cosh(x)", "sinh(x)", func(x, a float64) float64 { return math.Cosh(x) }},
		{"sinh(x)", "cosh(x)", func(x, a float64) float64 { return math.Sinh(x) }},
		{"log(cosh(x))", "tanh(x)", func(x, a float64) float64 { return math.Log(math.Cosh(x)) }},
		{"log(cosh(x - a))", "tanh(x - a)", func(x, a float64) float64 { return math.Log(math.Cosh(x - a)) }},
		{"log(cosh(a*x))", "a*tanh(a*x)", func(x, a float64) float64 { return math.Log(math.Cosh(a * x)) }},
		{"sinh(x)/cosh(x)", "1 - tanh(x)^2", func(x, a float64) float64 { return math.Sinh(x) / math.Cosh(x) }},
		{"cosh(x)^2 - sinh(x)^2", "0", func(x, a float64) float64 { return a }},
		{"sinh(2*x)", "2*cosh(2*x)", func(x, a float64) float64 { return math.Sinh(2 * x) }},
		{"cosh(x)*sinh(x)", "cosh(x)^2 + sinh(x)^2", func(x, a float64) float64 { return math.Cosh(x) * math.Sinh(x) }},
		{"log(sinh(x))", "cosh(x)/sinh(x)", func(x, a float64) float64 { return math.Log(math.Sinh(x)) }},
		{"a*log(cosh(x/a))", "tanh(x/a)", func(x, a float64) float64 { return a * math.Log(math.Cosh(x/a)) }},
	} {
		fn := parsetest.MustParse(t, tt.fn, nil)
		x := parsetest.MustParse(t, "x", nil)
		res, err := simplify.Simplify(ctx, ast.NewDeriv(fn, x), simplify.Options{Rules: load.Builtin()})
		if err != nil {
			t.Errorf("d(%s, x): %v", tt.fn, err)
			continue
		}
		if got := ast.String(res.Expr); got != tt.want {
			t.Errorf("d(%s, x) = %s, want %s", tt.fn, got, tt.want)
		}
		checked := 0
		for i := range 60 {
			xv := 40*rng.Float64() - 20 // far from 0
			if i%3 == 0 {
				xv = 2*rng.Float64() - 1
			}
			av := 0.5 + 2*rng.Float64()
			if i%2 == 0 {
				av = -av
			}
			want, ok := hyperDiff(func(x float64) float64 { return tt.f(x, av) }, xv)
			if !ok {
				continue
			}
			got, err := ast.Eval(res.Expr, nil, ast.Bindings{"x": ast.Scalar(xv), "a": ast.Scalar(av)})
			if err != nil {
				if math.IsNaN(tt.f(xv, av)) {
					continue // log(sinh(x)) for x < 0: undefined on both sides
				}
				t.Errorf("d(%s, x) = %s: undefined at x=%g, a=%g: %v", tt.fn, tt.want, xv, av, err)
				break
			}
			if !parsetest.Near(got, want, 1e-6, 1e-8) {
				t.Errorf("d(%s, x) = %s is %.12g at x=%g, a=%g; finite differences give %.12g", tt.fn, tt.want, got, xv, av, want)
				break
			}
			checked++
		}
		if checked < 25 {
			t.Errorf("d(%s, x): only %d points checked", tt.fn, checked)
		}
	}
}

// hyperDiff is the central difference (f(x+h) - f(x-h))/(2h) with h
// relative to x, and whether both values are finite.
func hyperDiff(f func(float64) float64, x float64) (float64, bool) {
	h := 1e-6 * math.Max(1, math.Abs(x))
	a, b := f(x+h), f(x-h)
	ok := !math.IsNaN(a) && !math.IsNaN(b) && !math.IsInf(a, 0) && !math.IsInf(b, 0)
	return (a - b) / (2 * h), ok
}

// TestLogCoshLoss: the log-cosh loss over a data set differentiates by one
// prediction to tanh of its residual over n, checked at random data sets
// against finite differences of the loss computed in Go.
func TestLogCoshLoss(t *testing.T) {
	ctx := context.Background()
	loss := parsetest.MustParse(t, "mean(i=1..n, log(cosh(f[i] - y[i])))", nil)
	wrt := parsetest.MustParse(t, "f[k]", nil)
	res, err := simplify.Simplify(ctx, ast.NewDeriv(loss, wrt), simplify.Options{Rules: load.Builtin()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ast.String(res.Expr), "tanh(f[k] - y[k])/n"; got != want {
		t.Errorf("d(loss, f[k]) = %s, want %s", got, want)
	}
	rng := rand.New(rand.NewPCG(14, 10))
	for trial := range 40 {
		n := 1 + rng.IntN(6)
		k := 1 + rng.IntN(n)
		scale := 2.0
		if trial%2 == 1 {
			scale = 20 // residuals far from 0
		}
		f, y := make([]float64, n), make([]float64, n)
		for i := range n {
			f[i], y[i] = scale*(2*rng.Float64()-1), scale*(2*rng.Float64()-1)
		}
		lossAt := func(fk float64) float64 {
			s := 0.0
			for i := range n {
				fi := f[i]
				if i == k-1 {
					fi = fk
				}
				s += math.Log(math.Cosh(fi - y[i]))
			}
			return s / float64(n)
		}
		want, ok := hyperDiff(lossAt, f[k-1])
		if !ok {
			t.Fatalf("loss not finite at f=%v, y=%v", f, y)
		}
		got, err := ast.Eval(res.Expr, nil, ast.Bindings{
			"n": ast.Scalar(float64(n)), "k": ast.Scalar(float64(k)),
			"f": {Shape: []int{n}, Data: f}, "y": {Shape: []int{n}, Data: y},
		})
		if err != nil {
			t.Fatalf("at n=%d, k=%d: %v", n, k, err)
		}
		if !parsetest.Near(got, want, 1e-6, 1e-8) {
			t.Errorf("n=%d, k=%d, f=%v, y=%v: %s = %.12g, finite differences %.12g", n, k, f, y, ast.String(res.Expr), got, want)
		}
	}
}
