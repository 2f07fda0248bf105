package session

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalDerivativeCancels: eval of d(a*x/(x + eps), x), whose chain-rule
// form a/(x + eps) - a*x/(x + eps)^2 cancels to a*eps/(x + eps)^2, is that
// small number to float64 accuracy, not 0 or rounding noise. The oracle is
// the closed form in exact rationals, written here.
func TestEvalDerivativeCancels(t *testing.T) {
	for _, c := range []struct {
		a, eps string // exact rationals
		epsIn  string // eps as written in the input
		x      string
	}{
		{"4", "1/9223372036854775808", "2^(-63)", "1"},
		{"4", "1/9223372036854775808", "2^(-63)", "3/2"},
		{"-7", "1/1099511627776", "2^(-40)", "5"},
		{"1", "1/1000000000000000000000000000000", "1e-30", "2"},
		{"3", "1/1000000000000000000000000000000", "1e-30", "1/1024"},
	} {
		src := fmt.Sprintf("d(%s*x/(x + %s), x)", c.a, c.epsIn)
		s := New()
		e, err := parser.ParseExpr(src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		xr, _ := new(big.Rat).SetString(c.x)
		xf, _ := xr.Float64()
		got, err := s.Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(xf)})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		a, _ := new(big.Rat).SetString(c.a)
		eps, _ := new(big.Rat).SetString(c.eps)
		den := new(big.Rat).Add(xr, eps)
		den.Mul(den, den)
		want := new(big.Rat).Mul(a, eps)
		want.Quo(want, den)
		w, _ := want.Float64()
		if math.Abs(got-w) > 1e-12*math.Abs(w) {
			t.Errorf("eval %s at x = %s = %g, want %g", src, c.x, got, w)
		}
	}
}

// TestEvalDerivativeBeyondFloat64: a derivative whose chain-rule form
// fails in float64 (sigma(x) underflows to 0 and is divided by, exp(x)
// overflows to Inf) is evaluated at high precision, as a derivative is
// anyway; it was an error ("division by zero", "the result is NaN"). The
// oracle is the simplified derivative written here, in float64 forms that
// do not fail: 1 - sigma(x) = 1/(1 + exp(x)) and sigma(x).
func TestEvalDerivativeBeyondFloat64(t *testing.T) {
	for _, c := range []struct {
		src  string
		x    float64
		want float64
	}{
		{"d(log(sigma(x)), x)", -746, 1 / (1 + math.Exp(-746))},
		{"d(log(sigma(x)), x)", -800, 1},
		{"d(log(1 + exp(x)), x)", 710, 1 / (1 + math.Exp(-710))},
		{"d(log(1 + exp(x)), x)", 800, 1},
		{"d(log(1 + exp(x)), x)", -700, math.Exp(-700)},
	} {
		s := New()
		e, err := parser.ParseExpr(c.src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(c.x)})
		if err != nil {
			t.Errorf("eval %s at x = %g: %v, want %g", c.src, c.x, err, c.want)
			continue
		}
		if math.Abs(got-c.want) > 1e-14*math.Abs(c.want) {
			t.Errorf("eval %s at x = %g = %g, want %g", c.src, c.x, got, c.want)
		}
	}
	// Where the value is below float64's range (e^-800), it is an error
	// that says so: it printed 0.
	s := New()
	e, err := parser.ParseExpr("d(log(1 + exp(x)), x)", s.Context())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(-800)}); err == nil || !strings.Contains(err.Error(), "too small for a float64") {
		t.Errorf("eval d(log(1 + exp(x)), x) at x = -800 = %g, %v; want an error: too small for a float64", v, err)
	}
	// Where the derivative is undefined it stays an error.
	s = New()
	e, err = parser.ParseExpr("d(sqrt(x), x)", s.Context())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Eval(context.Background(), e, ast.Bindings{"x": ast.Scalar(0)}); err == nil {
		t.Errorf("eval d(sqrt(x), x) at x = 0 = %g, want an error", v)
	}
}
