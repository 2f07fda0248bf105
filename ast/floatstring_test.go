package ast_test

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestFloatStringSubnormal: a subnormal prints no digits it does not
// have (4e-320 printed 3.99995546873073e-320): its text reads back as the
// same float64, and has at most the significant digits its bits carry
// plus one (b bits carry b*log10(2) digits). The oracle is the count of
// bits, from the float64's own representation, and ParseFloat. A normal
// float64 prints 15 digits, as before.
func TestFloatStringSubnormal(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 320))
	digits := func(s string) int {
		m, _, _ := strings.Cut(strings.TrimPrefix(s, "-"), "e")
		m = strings.TrimLeft(strings.ReplaceAll(m, ".", ""), "0")
		return len(m)
	}
	for range 2000 {
		mant := rng.Uint64N(1<<52-1) + 1 // a subnormal's significand
		mant >>= rng.UintN(52)
		if mant == 0 {
			mant = 1
		}
		f := math.Float64frombits(mant)
		if rng.IntN(2) == 0 {
			f = -f
		}
		s := ast.FloatString(f)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != f {
			t.Fatalf("%v prints %s, which reads back as %v", f, s, back)
		}
		have := bits.Len64(mant) // the bits of precision a subnormal has
		if max := int(math.Ceil(float64(have)*math.Log10(2))) + 1; digits(s) > max {
			t.Errorf("%v (%d bits) prints %s: %d digits, more than %d", f, have, s, digits(s), max)
		}
	}
	for range 2000 {
		// Normal: at most 15 digits, within half a unit of the 15th.
		f := math.Ldexp(1+rng.Float64(), rng.IntN(2045)-1022)
		s := ast.FloatString(f)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || digits(s) > 15 || math.Abs(back-f) > 5e-15*math.Abs(f) {
			t.Fatalf("%v prints %s", f, s)
		}
	}
	if got := ast.FloatString(0.1 + 0.2); got != "0.3" {
		t.Errorf("0.1 + 0.2 prints %s, want 0.3", got)
	}
}
