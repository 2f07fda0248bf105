package bigmath_test

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// fuzzPrecs are the precisions a fuzz input selects from.
var fuzzPrecs = []uint{0, 1, 2, 24, 53, 64, 128, 200, 256, 512}

// fuzzFloat builds mant·2^exp; exp = MaxInt32 and MinInt32 select ±Inf.
func fuzzFloat(mant int64, exp int32) *big.Float {
	switch exp {
	case math.MaxInt32:
		return new(big.Float).SetInf(false)
	case math.MinInt32:
		return new(big.Float).SetInf(true)
	}
	x := new(big.Float).SetInt64(mant)
	return x.SetMantExp(x, int(exp))
}

// FuzzFunctions checks that no input panics and that every result is either
// finite at the requested precision or one of the documented errors.
func FuzzFunctions(f *testing.F) {
	f.Add(uint8(0), int64(1), int32(0), int64(1), int32(0), uint8(4))
	f.Add(uint8(3), int64(-7), int32(-3), int64(5), int32(1), uint8(8))
	f.Add(uint8(9), int64(30), int32(0), int64(0), int32(0), uint8(6))
	f.Add(uint8(12), int64(-3), int32(0), int64(1), int32(-1), uint8(3))
	f.Fuzz(func(t *testing.T, fn uint8, xm int64, xe int32, ym int64, ye int32, ps uint8) {
		x, y := fuzzFloat(xm, xe), fuzzFloat(ym, ye)
		prec := fuzzPrecs[int(ps)%len(fuzzPrecs)]
		want := prec
		if want == 0 {
			want = 53
		}
		var r *big.Float
		var err error
		name := "Pow"
		if i := int(fn) % (len(unaries) + 1); i < len(unaries) {
			name = unaries[i].name
			r, err = unaries[i].fn(x, prec)
		} else {
			r, err = bigmath.Pow(x, y, prec)
		}
		switch {
		case err != nil:
			if !errors.Is(err, bigmath.ErrDomain) && !errors.Is(err, bigmath.ErrRange) {
				t.Fatalf("%s(%s, %s): undocumented error %v", name, x.Text('g', 10), y.Text('g', 10), err)
			}
		case r == nil || r.IsInf():
			t.Fatalf("%s(%s, %s): nil error but result %v", name, x.Text('g', 10), y.Text('g', 10), r)
		case r.Prec() != want:
			t.Fatalf("%s(%s): precision %d, want %d", name, x.Text('g', 10), r.Prec(), want)
		}
	})
}
