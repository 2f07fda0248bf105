package simplify_test

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// simplifyShown simplifies src with the built-in rules and requires the
// printed result to be want and to read back as the same node. It
// returns the input, the result and the printed text.
func simplifyShown(t *testing.T, src, want string) (in, res ast.Expr, got string) {
	t.Helper()
	in = mustParse(t, src, nil)
	r, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
	if err != nil {
		t.Fatal(err)
	}
	got = ast.String(r.Expr)
	if got != want {
		t.Errorf("%s = %s, want %s", src, got, want)
	}
	if back := mustParse(t, got, nil); back != r.Expr {
		t.Errorf("%s = %s reads back as %s", src, got, ast.Sexpr(back))
	}
	return in, r.Expr, got
}

// agreesWithInput compares a printed result, read back, with its input at
// n points drawn by draw: the input's value, or for a derivative d(f, v)
// five-point differences of f by v, evaluated without the engine's
// simplifier. It compares in float64 and, with big, in big.Float at 200
// bits, within 1e-6 relative to max(1, |value|).
func agreesWithInput(t *testing.T, in ast.Expr, got, wrt string, n int, draw func(i int) ast.Bindings, big bool) {
	t.Helper()
	back := mustParse(t, got, nil)
	for i := range n {
		pt := draw(i)
		var want float64
		if d, ok := in.(*ast.Deriv); ok {
			want = fivePoint(t, d.X, wrt, pt)
		} else {
			var err error
			if want, err = ast.Eval(in, nil, pt); err != nil {
				t.Fatal(err)
			}
		}
		tol := 1e-6 * math.Max(1, math.Abs(want))
		v, err := ast.Eval(back, nil, pt)
		if err != nil || math.Abs(v-want) > tol {
			t.Errorf("%s = %s is %v (%v) at %v, want %v", ast.String(in), got, v, err, pt, want)
			return
		}
		if !big {
			continue
		}
		bv, err := ast.EvalBig(context.Background(), back, nil, pt, 200)
		if err != nil {
			t.Errorf("%s = %s at %v in big.Float: %v", ast.String(in), got, pt, err)
			return
		}
		if f, _ := bv.Float64(); math.Abs(f-want) > tol {
			t.Errorf("%s = %s is %v in big.Float at %v, want %v", ast.String(in), got, f, pt, want)
			return
		}
	}
}

// fivePoint is the five-point central difference of f by the scalar v at
// pt; the step shrinks near the edge of a domain v > 0.
func fivePoint(t *testing.T, f ast.Expr, v string, pt ast.Bindings) float64 {
	t.Helper()
	x := pt[v].Data[0]
	h := 1e-4 * math.Max(1, math.Abs(x))
	if x > 0 && h > x/100 {
		h = x / 100
	}
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
