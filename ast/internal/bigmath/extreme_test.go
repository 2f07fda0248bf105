package bigmath_test

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// Arguments at the ends of big.Float's exponent range must neither panic
// nor take long: big.Float's Add costs time in proportion to the exponent
// gap of its operands, so 1 + 2^-(2^31) done naively takes seconds and a
// quarter gigabyte.
func TestExtremeArguments(t *testing.T) {
	exps := []int{big.MinExp + 2, -1 << 30, -1_000_000, -64, -1, 0, 1, 10, 40, 61, 1 << 30, big.MaxExp - 2}
	var xs []*big.Float
	for _, e := range exps {
		for _, m := range []float64{0.5, -0.75, 0.9999999} {
			x := big.NewFloat(m)
			xs = append(xs, x.SetMantExp(x, e))
		}
	}
	check := func(name string, x, y *big.Float, prec uint, r *big.Float, err error, d time.Duration) {
		t.Helper()
		// Text('g') of 2^(2^30) would itself take minutes: print in binary.
		desc := func() string {
			s := name + "(" + x.Text('p', 0)
			if y != nil {
				s += ", " + y.Text('p', 0)
			}
			return s + ")"
		}
		if d > time.Second {
			t.Errorf("%s at %d bits took %v", desc(), prec, d)
		}
		if err != nil {
			if !errors.Is(err, bigmath.ErrDomain) && !errors.Is(err, bigmath.ErrRange) {
				t.Errorf("%s: undocumented error %v", desc(), err)
			}
			return
		}
		if r.IsInf() || r.Prec() != prec {
			t.Errorf("%s at %d bits = %v (prec %d)", desc(), prec, r, r.Prec())
		}
	}
	for _, prec := range []uint{1, 53, 256} {
		for _, u := range unaries {
			for _, x := range xs {
				start := time.Now()
				r, err := u.fn(x, prec)
				check(u.name, x, nil, prec, r, err, time.Since(start))
			}
		}
		for i, x := range xs {
			for j, y := range xs {
				if (i+j)%3 != 0 && prec != 53 {
					continue
				}
				start := time.Now()
				r, err := bigmath.Pow(x, y, prec)
				check("Pow", x, y, prec, r, err, time.Since(start))
			}
		}
	}
	// Integer powers of negative bases, and a big odd integer exponent.
	odd := new(big.Float).SetMantExp(big.NewFloat(1), 4000)
	odd.SetPrec(4002).Add(odd, big.NewFloat(1))
	for _, y := range []*big.Float{big.NewFloat(3), big.NewFloat(-3), big.NewFloat(1 << 20), odd} {
		for _, x := range []float64{-1, -0.5, -2} {
			start := time.Now()
			r, err := bigmath.Pow(big.NewFloat(x), y, 64)
			check("Pow", big.NewFloat(x), y, 64, r, err, time.Since(start))
			if x == -1 && y == odd && (err != nil || r.Cmp(big.NewFloat(-1)) != 0) {
				t.Errorf("Pow(-1, 2^4000+1) = %v, %v; want -1", r, err)
			}
		}
	}
}
