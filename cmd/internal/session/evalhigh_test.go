package session

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalFallsBackToHighPrecision: where float64 overflows or underflows
// in the middle of an expression whose value is a float64 (x^2/x at
// x = 1e200, exp(x)/exp(x) at x = 800), eval answers at high precision;
// it stopped with "the result is +Inf: too large for a float64, or
// undefined". The oracle is the closed form of each expression (x, 1, -x,
// x^3), at random points where float64 fails.
func TestEvalFallsBackToHighPrecision(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		src    string
		lo, hi float64 // x is drawn from 10^lo..10^hi, or lo..hi when lin
		lin    bool
		want   func(x float64) float64
	}{
		{"x^2/x", 155, 300, false, func(x float64) float64 { return x }},
		{"exp(x)/exp(x)", 710, 5000, true, func(float64) float64 { return 1 }},
		{"exp(-x)*exp(x)", 746, 5000, true, func(float64) float64 { return 1 }},
		{"log(exp(-x))", 746, 5000, true, func(x float64) float64 { return -x }},
	} {
		e := mustParseSession(t, c.src)
		for k := 0; k < 20; k++ {
			x := c.lo + (c.hi-c.lo)*rng.Float64()
			if !c.lin {
				x = math.Pow(10, x)
			}
			b := ast.Bindings{"x": ast.Scalar(x)}
			if _, err := ast.Eval(e, nil, b); err == nil {
				t.Fatalf("%s at x = %v: float64 does not fail, the case checks nothing", c.src, x)
			}
			got, err := New().Eval(context.Background(), e, b)
			if want := c.want(x); err != nil || math.Abs(got-want) > 1e-15*math.Abs(want) {
				t.Errorf("eval %s at x = %v: %v, %v; want %v", c.src, x, got, err, want)
			}
		}
	}
}

// TestEvalHighPrecisionRefusals: where the value is not a float64, or
// rests on rounding, eval says so precisely instead of answering.
func TestEvalHighPrecisionRefusals(t *testing.T) {
	for _, c := range []struct {
		src  string
		x    float64
		want string
	}{
		// e^800 is 2.72637e347.
		{"exp(x)", 800, "the result is about 2.72637e+347: too large for a float64"},
		// The 1 is lost next to exp(4000) = 2^5771 at every precision up
		// to 4096 bits; no answer may rest on that. (exp(x)*(sin(1)^2 +
		// cos(1)^2 - 1) at x = 800 was the case here: its rounding bound
		// now shows its value to be below the least float64, so it is 0.)
		{"(exp(x) + 1) - exp(x)", 4000, "at high precision the value rests on rounding"},
		{"log(x - x)", 2, "log(0) is undefined"},
		{"1/(x - x)", 2, "division by zero"},
	} {
		e := mustParseSession(t, c.src)
		v, err := New().Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(c.x)})
		var de *ast.DomainError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("eval %s at x = %v: %v, %v; want a domain error saying %q", c.src, c.x, v, err, c.want)
		}
	}
}

func mustParseSession(t *testing.T, src string) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEvalLongSumClosedForm: eval of a sum too long to add term by term
// answers through its closed form (sum(i=1..2^70, 1) is 2^70; it said
// "the bound 2^70 of sum is not an integer"), says when the sum is
// undefined at a point of its range or at the values bound, and says why
// there is no answer when there is no closed form. The oracle is the
// closed form written here.
func TestEvalLongSumClosedForm(t *testing.T) {
	p70 := math.Ldexp(1, 70)
	for _, c := range []struct {
		src  string
		x    float64
		want float64
		err  string
	}{
		{"sum(i=1..2^70, 1)", 0, p70, ""},
		{"sum(i=1..2^70, i*x)", 0.5, p70 * (p70 + 1) / 4, ""},
		{"sum(i=1..10^12, x)", 3, 3e12, ""},
		{"sum(i=1..2^70, x/x)", 0, 0, "0/0 is undefined"},
		{"sum(i=1..2^70, 1/(i - 5))", 1, 0, "division by zero at i = 5"},
		{"sum(i=1..2^70, 1/i^2)", 1, 0, "has 1180591620717411303424 terms: too many to add one by one (at most 100000001), and the simplifier finds no closed form for it"},
	} {
		e := mustParseSession(t, c.src)
		got, err := New().Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(c.x)})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("eval %s at x = %v: %v, %v; want an error saying %q", c.src, c.x, got, err, c.err)
			}
			continue
		}
		if err != nil || math.Abs(got-c.want) > 1e-15*c.want {
			t.Errorf("eval %s at x = %v: %v, %v; want %v", c.src, c.x, got, err, c.want)
		}
	}
}
