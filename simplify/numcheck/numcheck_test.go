package numcheck

import (
	"context"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

var bg = context.Background()

func parse(t *testing.T, src string) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, nil)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return e
}

// TestDomainSampling: the points must reach domains far from 0. Before,
// the sampler stayed in a box around 0, saw no point of log(w - 10^5), and
// a proof that was never checked stood.
func TestDomainSampling(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		valid bool
	}{
		{"sqrt(x - 7)", "sqrt(x - 7)", true},
		{"log(w - 10^5)", "log(w - 10^5)", true},
		{"log(10^5 - w) + sqrt(w + 2*10^6)", "1", true}, // an upper and a lower bound
		{"log(x^3 - 10^6)", "0", true},                  // not linear: wide magnitudes
		{"log(log(log(x - 3*10^4)))", "0", true},        // not linear either: the search
		{"sqrt(-x^2 - 1)", "0", false},                  // defined nowhere
		{"log(y - 10^7)*sqrt(x - 500)", "log(y - 10^7)*sqrt(x - 500)", true},
	} {
		rep, err := Check(bg, parse(t, c.a), parse(t, c.b))
		if err != nil {
			t.Fatal(err)
		}
		if (rep.Valid > 0) != c.valid {
			t.Errorf("%s vs %s: %d valid points (%s), want valid=%v", c.a, c.b, rep.Valid, rep.Tried, c.valid)
		}
		if !c.valid && !strings.Contains(rep.Tried, "no point was found") {
			t.Errorf("%s: tried %q should say no point was found", c.a, rep.Tried)
		}
	}
}

// TestFarCounterexamples: false identities whose counterexamples lie
// only far from 0, or at large or tiny magnitudes.
func TestFarCounterexamples(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"log(w - 10^5)", "log(w) - log(10^5)"},
		{"sqrt(x - 7)^3", "(x - 7)*sqrt(x - 7) + 1/(x - 6)^40"}, // the difference is tiny near 7
		{"log(1 + x)", "x - x^2/2 + x^3/3"},                     // differs at x = 1e3, agrees to ~x^4 near 0
	} {
		rep, err := Refute(bg, parse(t, c.a), parse(t, c.b))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counter == nil {
			t.Errorf("%s == %s: no counterexample (%s)", c.a, c.b, rep.Tried)
		}
	}
}

// TestRoundingBound: a difference smaller than what rounding may have
// produced is no evidence; one that stays clear of the bound is.
func TestRoundingBound(t *testing.T) {
	for _, c := range []struct {
		a, b   string
		differ bool
	}{
		// 512 bits lose exp(-500) next to exp(x) and return 0 for the
		// left side, while the right side is about 2^-721: a refutation
		// before the bound was tracked.
		{"log(exp(x) + exp(-500)) - x", "softplus(-x - 500)", false},
		{"softplus(u)", "log(1 + exp(u))", false},
		{"log(1 + exp(-700 + x)) ", "softplus(x - 700)", false},
		{"(x + 10^30)^2 - 10^60 - 2*10^30*x", "x^2", false},
		// Real differences far below 2^-512 of the terms' size.
		{"log(exp(x) + exp(-1000)) - x", "0", true},
		{"1 + 2^-1500", "1", true},
		{"(x + 10^30)^2 - 10^60 - 2*10^30*x", "x^2 + 10^-200", true},
	} {
		a, b := parse(t, c.a), parse(t, c.b)
		rep, err := Refute(bg, a, b)
		if err != nil {
			t.Fatal(err)
		}
		if (rep.Counter != nil) != c.differ {
			t.Errorf("%s == %s: counterexample %v, want %v (%s)", c.a, c.b, rep.Counter != nil, c.differ, rep.Tried)
		}
		if rep.Counter != nil {
			t.Logf("%s == %s: %s", c.a, c.b, rep.Counter.Summary())
		}
	}
}

// TestCompareAtPoint checks the precision ladder at one point.
func TestCompareAtPoint(t *testing.T) {
	pt := ast.Bindings{"x": ast.Scalar(1)}
	c, err := compare(bg, parse(t, "log(exp(x) + exp(-500)) - x"), parse(t, "softplus(-x - 500)"), pt, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if c.differ {
		t.Errorf("differ at x=1: %s vs %s at %d bits", c.left.Text('g', 20), c.right.Text('g', 20), c.prec)
	}
	if c.prec < 1024 {
		t.Errorf("decided at %d bits: exp(-500) needs more than 721", c.prec)
	}
	c, err = compare(bg, parse(t, "log(exp(x) + exp(-500)) - x"), parse(t, "0"), pt, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !c.differ {
		t.Errorf("log(exp(1) + exp(-500)) - 1 is not 0: not seen (at %d bits)", c.prec)
	}
}

// TestCompareNeverDiffersOnTrue: true identities with terms far below
// the others compared at points of every magnitude: never a difference.
func TestCompareNeverDiffersOnTrue(t *testing.T) {
	pairs := [][2]string{
		{"log(exp(x) + exp(-500)) - x", "softplus(-x - 500)"},
		{"log(exp(x) + exp(-500)) - x", "log(1 + exp(-x - 500))"},
		{"softplus(x)", "log(1 + exp(x))"},
		{"sigma(x)", "1/(1 + exp(-x))"},
		{"sigma(x)*(1 - sigma(x))", "exp(-x)/(1 + exp(-x))^2"},
		{"(x + 1)^2 - x^2", "2*x + 1"},
		{"tanh(x)", "2*sigma(2*x) - 1"},
		{"sqrt(x^2 + 1) - x", "1/(sqrt(x^2 + 1) + x)"},
		{"Phi(x) + Phi(-x)", "1"},
	}
	var xs []float64
	for e := -6; e <= 8; e++ {
		v := roundBits(math.Pow(10, float64(e)), 10)
		xs = append(xs, v, -v, v*3, -v*3)
	}
	xs = append(xs, 0.5, 1, 2, -700, 700, 1000, -1000)
	for _, p := range pairs {
		a, b := parse(t, p[0]), parse(t, p[1])
		for _, x := range xs {
			c, err := compare(bg, a, b, ast.Bindings{"x": ast.Scalar(x)}, time.Time{})
			if err != nil && !errors.Is(err, errUnsupported) {
				t.Fatal(err)
			}
			if c.differ {
				t.Errorf("%s == %s differs at x=%g: %s vs %s at %d bits", p[0], p[1], x, c.left.Text('g', 20), c.right.Text('g', 20), c.prec)
			}
		}
	}
}

// TestErrorBoundHolds: the bound computed at 256 bits covers the
// distance to the value at 4096 bits, at points of every magnitude, for
// expressions with cancellation, large and tiny values and every function.
func TestErrorBoundHolds(t *testing.T) {
	exprs := []string{
		"log(exp(x) + exp(-500)) - x",
		"(x + 10^30)^2 - 10^60 - 2*10^30*x",
		"sigma(x)*(1 - sigma(x)) - exp(-x)/(1 + exp(-x))^2",
		"softplus(x - 700) + tanh(x/3) - Phi(x) + phi(x)",
		"sqrt(x^2 + 1) - x + 1/(sqrt(x^2 + 1) + x)",
		"sin(x)^2 + cos(x)^2 - 1 + sin(3*x)/7",
		"(1 + 1/x)^x - exp(1)",
		"2^x*3^(x/2)/(6^x + 1)",
		"x*y - 1/3 + (x - y)^3/(1 + y^2)",
		"log(1 + x^2)/(x^2 + 10^-20) - 1",
		"sum(i=1..5, (x + i)^i)/(x^5 + 1)",
		"mean(i=1..3, exp(-i*x^2)) - 1/3",
	}
	var xs []float64
	for e := -6; e <= 6; e += 2 {
		v := roundBits(math.Pow(10, float64(e)), 10)
		xs = append(xs, v, -v, 3*v)
	}
	checked := 0
	defer func() {
		if checked < len(exprs)*len(xs)/2 {
			t.Errorf("only %d of %d comparisons made", checked, len(exprs)*len(xs))
		}
	}()
	for _, src := range exprs {
		e := parse(t, src)
		for _, x := range xs {
			pt := ast.Bindings{"x": ast.Scalar(x), "y": ast.Scalar(roundBits(x/3+0.7, 10))}
			lo, err1 := newBounded(bg, pt, 256).eval(e)
			hi, err2 := newBounded(bg, pt, 4096).eval(e)
			if err1 != nil || err2 != nil || lo.err == nil {
				continue // undefined there, beyond the range, or no bound
			}
			checked++
			gap := eabs(new(big.Float).SetPrec(8192).Sub(lo.v, hi.v), 0)
			// The 4096-bit value has its own (tiny) error.
			if hi.err != nil && gap.Cmp(eadd(lo.err, hi.err)) > 0 {
				t.Errorf("%s at x=%g: |v256 - v4096| = %s exceeds the bound %s", src, x, gap.Text('g', 5), lo.err.Text('g', 5))
			}
		}
	}
}

// TestBoundsBeyondFloat64: an argument of sigma, tanh, cosh, sinh or
// softplus beyond float64's range (sinh(sinh(x)) at x = 1000) with an
// error bound beyond it too (Inf - Inf in the float64 estimate) is
// compared, never a panic; d(tanh(sinh(x)), x) == itself once panicked in
// prove with "Float.SetFloat64(NaN)".
func TestBoundsBeyondFloat64(t *testing.T) {
	for _, src := range []string{
		"(1 - tanh(sinh(x))^2)*cosh(x)",
		"sigma(sinh(sinh(x)))",
		"tanh(-sinh(sinh(x)))",
		"cosh(x)*sinh(sinh(x))/cosh(sinh(x))",
		"softplus(-sinh(sinh(x)))",
	} {
		e := parse(t, src)
		for _, x := range []float64{800, -800, 1000, 5000, 1e5} {
			c, err := compare(bg, e, e, ast.Bindings{"x": ast.Scalar(x)}, time.Time{})
			if err != nil && !errors.Is(err, errUnsupported) {
				t.Fatalf("%s at x=%g: %v", src, x, err)
			}
			if c.differ {
				t.Errorf("%s differs from itself at x=%g", src, x)
			}
		}
	}
}
