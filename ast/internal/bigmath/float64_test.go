package bigmath_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// Against the math package: on ranges where math.X is itself accurate to an
// ulp or two, the result rounded to float64 must agree to 1e-14 relative.
func TestAgainstMath(t *testing.T) {
	const n = 2000
	const tol = 1e-14
	uni := func(a, b float64) func(*rand.Rand) float64 {
		return func(r *rand.Rand) float64 { return a + (b-a)*r.Float64() }
	}
	// logUni draws |x| log-uniformly in [10^lo, 10^hi] with a random sign.
	logUni := func(lo, hi float64, signed bool) func(*rand.Rand) float64 {
		return func(r *rand.Rand) float64 {
			v := math.Pow(10, lo+(hi-lo)*r.Float64())
			if signed && r.IntN(2) == 0 {
				v = -v
			}
			return v
		}
	}
	mix := func(gs ...func(*rand.Rand) float64) func(*rand.Rand) float64 {
		return func(r *rand.Rand) float64 { return gs[r.IntN(len(gs))](r) }
	}
	sigmoid := func(x float64) float64 {
		if x >= 0 {
			return 1 / (1 + math.Exp(-x))
		}
		e := math.Exp(x)
		return e / (1 + e)
	}
	softplus := func(x float64) float64 {
		if x > 0 {
			return x + math.Log1p(math.Exp(-x))
		}
		return math.Log1p(math.Exp(x))
	}
	cases := []struct {
		name string
		fn   unaryFn
		ref  func(float64) float64
		gen  func(*rand.Rand) float64
	}{
		{"Exp", bigmath.Exp, math.Exp, mix(uni(-700, 700), uni(-2, 2), logUni(-300, 0, true))},
		{"Log", bigmath.Log, math.Log, mix(logUni(-300, 300, false), uni(0.5, 2))},
		{"Sqrt", bigmath.Sqrt, math.Sqrt, logUni(-300, 300, false)},
		// Away from zeros of sin/cos math.Sin and math.Cos are accurate; a
		// uniform draw lands within 1e-4 of one with probability ~1e-4.
		{"Sin", bigmath.Sin, math.Sin, mix(uni(-100, 100), logUni(-300, 0, true))},
		{"Cos", bigmath.Cos, math.Cos, mix(uni(-100, 100), logUni(-300, 0, true))},
		{"Tanh", bigmath.Tanh, math.Tanh, mix(uni(-25, 25), logUni(-300, 0, true))},
		{"Cosh", bigmath.Cosh, math.Cosh, mix(uni(-700, 700), uni(-3, 3), logUni(-300, 0, true))},
		{"Sinh", bigmath.Sinh, math.Sinh, mix(uni(-700, 700), uni(-3, 3), logUni(-300, 0, true))},
		{"Sigmoid", bigmath.Sigmoid, sigmoid, mix(uni(-700, 700), uni(-5, 5))},
		{"Softplus", bigmath.Softplus, softplus, mix(uni(-700, 700), uni(-5, 5))},
		{"Erf", bigmath.Erf, math.Erf, mix(uni(-6, 6), logUni(-300, 0, true))},
		{"Erfc", bigmath.Erfc, math.Erfc, mix(uni(-6, 26), uni(-1, 3))},
		// Φ(x) = erfc(−x/√2)/2 in float64 loses ~x² ulps to the rounding of
		// x/√2, so keep |x| <= 6 (error < 4e-15).
		{"NormCDF", bigmath.NormCDF, func(x float64) float64 { return math.Erfc(-x/math.Sqrt2) / 2 }, uni(-6, 6)},
		{"NormPDF", bigmath.NormPDF, func(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }, uni(-6, 6)},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := newRand(uint64(i))
			worst, worstX := 0.0, 0.0
			for k := range n {
				x := c.gen(rng)
				prec := uint(53)
				if k%2 == 1 {
					prec = 128
				}
				got, _ := mustEval(t, c.name, c.fn, bf(x), prec).Float64()
				want := c.ref(x)
				rel := math.Abs(got-want) / math.Abs(want)
				if want == 0 {
					rel = math.Abs(got)
				}
				if rel > worst {
					worst, worstX = rel, x
				}
				if rel > tol {
					t.Errorf("%s(%v) = %v, math gives %v (rel err %.3g)", c.name, x, got, want, rel)
				}
			}
			t.Logf("%s: worst relative difference from math over %d args: %.3g at x=%v", c.name, n, worst, worstX)
		})
	}
}

func TestPowAgainstMath(t *testing.T) {
	rng := newRand(100)
	worst := 0.0
	for k := range 2000 {
		var x, y float64
		switch k % 3 {
		case 0: // general real powers of moderate size
			x, y = math.Exp(-3+6*rng.Float64()), -20+40*rng.Float64()
		case 1: // negative base, integer exponent
			x, y = -math.Exp(-3+6*rng.Float64()), float64(rng.IntN(101)-50)
		default: // integer exponents, where math.Pow multiplies exactly-ish
			x, y = 0.5+1.5*rng.Float64(), float64(rng.IntN(61)-30)
		}
		prec := uint(53 + 75*(k%2))
		r, err := bigmath.Pow(bf(x), bf(y), prec)
		if err != nil {
			t.Fatalf("Pow(%v, %v): %v", x, y, err)
		}
		got, _ := r.Float64()
		want := math.Pow(x, y)
		rel := math.Abs(got-want) / math.Abs(want)
		worst = max(worst, rel)
		// Only on these ranges is math.Pow reliable: for a base near 1 and a
		// large y it errs by up to 1e-12 (checked against mpmath), which
		// is why the high-precision tests cover that case instead.
		if rel > 1e-14 {
			t.Errorf("Pow(%v, %v) = %v, math gives %v (rel err %.3g)", x, y, got, want, rel)
		}
	}
	t.Logf("Pow: worst relative difference from math: %.3g", worst)
}

// The constants are exactly float64-rounded values when asked for 53 bits.
func TestConstantsFloat64(t *testing.T) {
	if f, _ := bigmath.Pi(53).Float64(); f != math.Pi {
		t.Errorf("Pi(53) = %v", f)
	}
	if f, _ := bigmath.Ln2(53).Float64(); f != math.Ln2 {
		t.Errorf("Ln2(53) = %v", f)
	}
	if f, _ := bigmath.Pi(0).Float64(); f != math.Pi {
		t.Errorf("Pi(0) = %v, want the 53-bit value", f)
	}
	_ = big.MaxPrec
}
