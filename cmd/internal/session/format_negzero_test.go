package session

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestEvalNoNegativeZero: a scalar eval whose value is zero prints 0, as
// a matrix eval's entries do: eval 'x*y*pi' x=-1 y=0 printed -0 (the
// float64 product of -pi and +0), in plain text, --json and the REPL,
// which all print EvalValue's number. The expressions are products that
// float64 makes -0 at a negative x and y = 0 (checked with ast.Eval, so
// that the test keeps meaning something if the evaluation changes); the
// value must be a zero without a sign bit, and every nonzero value at
// random points must be what ast.Eval gives.
func TestEvalNoNegativeZero(t *testing.T) {
	s := New()
	ctx := context.Background()
	srcs := []string{"x*y*pi", "sin(x)*y", "tanh(x)*y", "y*x*exp(1)", "-(y*cos(x)^2)"}
	rng := rand.New(rand.NewPCG(3, 11))
	negative := 0
	for _, src := range srcs {
		e := mustParseSession(t, src)
		for range 40 {
			x := -0.5 - 3*rng.Float64()
			y := 0.0
			if rng.IntN(3) == 0 {
				y = rng.Float64() - 0.5
			}
			b := ast.Bindings{"x": ast.Scalar(x), "y": ast.Scalar(y)}
			raw, err := ast.Eval(e, nil, b)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			v, err := s.EvalValue(ctx, e, b)
			if err != nil {
				t.Fatalf("%s at x=%g y=%g: %v", src, x, y, err)
			}
			got := v.Data[0]
			if raw == 0 && math.Signbit(raw) {
				negative++
			}
			if got == 0 && math.Signbit(got) {
				t.Errorf("%s at x=%g y=%g is -0, want 0", src, x, y)
			}
			if math.Abs(got-raw) > 1e-12*math.Abs(raw) {
				t.Errorf("%s at x=%g y=%g = %g, want %g", src, x, y, got, raw)
			}
		}
	}
	if negative < 20 {
		t.Errorf("only %d points where float64 gives -0: the test checks too little", negative)
	}
}
