package bigmath_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// newRand returns the fixed-seed generator every randomized test uses.
func newRand(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(20240611, stream)) }

// bf converts a float64 exactly.
func bf(v float64) *big.Float { return new(big.Float).SetFloat64(v) }

// dec parses a decimal reference string at 400 bits.
func dec(t testing.TB, s string) *big.Float {
	t.Helper()
	x, _, err := big.ParseFloat(s, 10, 400, big.ToNearestEven)
	if err != nil {
		t.Fatalf("bad reference %q: %v", s, err)
	}
	return x
}

// log2Err returns log2(|got − want| / |scale|), or -Inf if got == want.
// With scale = want it is the relative error in bits.
func log2Err(got, want, scale *big.Float) float64 {
	p := max(got.Prec(), want.Prec()) + 64
	d := new(big.Float).SetPrec(p).Sub(got, want)
	if d.Sign() == 0 {
		return math.Inf(-1)
	}
	if scale.Sign() == 0 {
		return math.Inf(1)
	}
	d.Quo(d, scale)
	m := new(big.Float)
	e := d.MantExp(m)
	mf, _ := m.Float64()
	return float64(e) + math.Log2(math.Abs(mf))
}

// log2Rel is the relative error of got with respect to want, in bits.
func log2Rel(got, want *big.Float) float64 { return log2Err(got, want, want) }

type unaryFn = func(*big.Float, uint) (*big.Float, error)

// unaries lists every one-argument function with a name.
var unaries = []struct {
	name string
	fn   unaryFn
}{
	{"Exp", bigmath.Exp},
	{"Log", bigmath.Log},
	{"Sqrt", bigmath.Sqrt},
	{"Sin", bigmath.Sin},
	{"Cos", bigmath.Cos},
	{"Tanh", bigmath.Tanh},
	{"Cosh", bigmath.Cosh},
	{"Sinh", bigmath.Sinh},
	{"Sigmoid", bigmath.Sigmoid},
	{"Softplus", bigmath.Softplus},
	{"Erf", bigmath.Erf},
	{"Erfc", bigmath.Erfc},
	{"NormCDF", bigmath.NormCDF},
	{"NormPDF", bigmath.NormPDF},
}

// mustEval calls fn and fails the test on an error.
func mustEval(t testing.TB, name string, fn unaryFn, x *big.Float, prec uint) *big.Float {
	t.Helper()
	r, err := fn(x, prec)
	if err != nil {
		t.Fatalf("%s(%s, %d): unexpected error %v", name, x.Text('g', 20), prec, err)
	}
	if r.Prec() != prec {
		t.Fatalf("%s(%s, %d): result precision %d", name, x.Text('g', 20), prec, r.Prec())
	}
	return r
}
