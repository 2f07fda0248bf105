package session

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestEvalSilentRangeLoss: where float64 leaves its range on the way to a
// finite result, without an Inf or NaN at the end to say so, eval answers
// at high precision or says that the value is beyond float64: x^4/x at
// x = 1e-83 printed 0 for 1e-249 (x^4 underflows), 1/x^400 at x = 1e300
// printed 0 for 1e-120000 (x^400 overflows to Inf). The oracle is each
// expression's closed form, computed here in big.Float from its exponent
// (x^(a-b) is 2^((a-b)*log2 x), e^(p*x) is 2^(p*x/ln 2)): a value in
// float64's range must come out to 2^-30 relative (a subnormal to its
// nearest float64, not 0), one beyond it must be an error that says "too
// small" or "too large", never a number.
func TestEvalSilentRangeLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2026))
	type family struct {
		src  func(a, b int) string
		draw func() float64
		// log2 of the value's magnitude, and its sign, at x.
		log2 func(x float64, a, b int) float64
	}
	pow10 := func() float64 { return math.Pow(10, 600*rng.Float64()-300) }
	families := []family{
		{ // x^a underflows (x < 1), and 0/x is 0
			func(a, _ int) string { return fmt.Sprintf("x^%d/x", a) },
			pow10,
			func(x float64, a, _ int) float64 { return float64(a-1) * math.Log2(x) },
		},
		{ // x^a overflows (x > 1), and x/Inf is 0
			func(a, _ int) string { return fmt.Sprintf("x/x^%d", a) },
			pow10,
			func(x float64, a, _ int) float64 { return float64(1-a) * math.Log2(x) },
		},
		{ // one of the exps leaves the range, the product need not
			func(a, b int) string { return fmt.Sprintf("exp(%d*x)*exp(-%d*x)", a, b) },
			func() float64 { return 10*rng.Float64() - 5 },
			func(x float64, a, b int) float64 { return float64(a-b) * x / math.Ln2 },
		},
		{ // x*2^-a underflows, and 0/2^-a is 0; the value is x
			func(a, _ int) string { return fmt.Sprintf("(x*2^-%d)/2^-%d", a+400, a+400) },
			pow10,
			func(x float64, _, _ int) float64 { return math.Log2(x) },
		},
	}
	// ok reports whether v, err is the right outcome for a value of
	// magnitude 2^l2, and why not.
	ok := func(v float64, err error, l2 float64) (bool, string) {
		switch {
		case l2 < -1074:
			if err == nil || !strings.Contains(err.Error(), "too small for a float64") {
				return false, "an error: too small for a float64"
			}
		case l2 < -1022: // subnormal: the nearest float64, not 0
			if err != nil || v == 0 || math.Abs(math.Log2(math.Abs(v))-l2) > 0.01 {
				return false, fmt.Sprintf("about 2^%.2f (subnormal)", l2)
			}
		case l2 >= 1024:
			if err == nil || !strings.Contains(err.Error(), "too large for a float64") {
				return false, "an error: too large for a float64"
			}
		default:
			if err != nil || v == 0 || math.Abs(math.Log2(math.Abs(v))-l2) > 1e-9 {
				return false, fmt.Sprintf("2^%.6f", l2)
			}
		}
		return true, ""
	}
	silent, checked := 0, 0
	for _, f := range families {
		for range 150 {
			a, b := 2+rng.IntN(700), 1+rng.IntN(700)
			x := f.draw()
			src := f.src(a, b)
			e := mustParseSession(t, src)
			bind := ast.Bindings{"x": ast.Scalar(x)}
			l2 := f.log2(x, a, b)
			if fv, ferr := ast.Eval(e, nil, bind); ferr == nil {
				if good, _ := ok(fv, nil, l2); !good {
					silent++ // plain float64 gives a wrong number here
				}
			}
			checked++
			got, err := New().Eval(context.Background(), e, bind)
			if good, want := ok(got, err, l2); !good {
				t.Errorf("eval %s at x = %v: %v, %v; want %s", src, x, got, err, want)
			}
		}
	}
	if silent < checked/4 {
		t.Errorf("float64 alone gave a wrong number at only %d of %d points: the cases do not test the fix", silent, checked)
	}
}

// TestEvalRangeLossNamedCases are the cases of the report, as eval
// answers them.
func TestEvalRangeLossNamedCases(t *testing.T) {
	for _, c := range []struct {
		src  string
		x    string
		want string // a value, or the start of an error
	}{
		{"x^4/x", "1e-83", "1e-249"},
		{"x^400/x^399", "1e300", "1e+300"},
		{"exp(x)*exp(-x)", "800", "1"},
		{"(x*1e200)/1e200", "1e200", "1e+200"},
		{"1e-400*x", "1e300", "1e-100"},
		{"1/exp(x)", "800", "the result is about 3.66787e-348: too small for a float64"},
		{"1/x^400", "1e300", "the result is about 1e-120000: too small for a float64"},
		{"x^400", "1/10", "the result is about 1e-400: too small for a float64"},
		{"exp(-x) + 1", "800", "1"},
	} {
		e := mustParseSession(t, c.src)
		v, err := ast.ParseValue(c.x)
		if err != nil {
			t.Fatal(err)
		}
		got, err := New().Eval(context.Background(), e, ast.Bindings{"x": v})
		text := fmt.Sprint(got)
		if err != nil {
			text = err.Error()
		}
		if !strings.HasPrefix(text, c.want) {
			t.Errorf("eval %s at x = %s: %s, want %s", c.src, c.x, text, c.want)
		}
	}
}
