package bigmath

import (
	"math"
	"math/big"
	"testing"
)

// The continued fraction and the extra-precision series are independent
// ways to the tail; around the crossover, where both are used, they must
// agree to the working precision.
func TestTailMethodsAgree(t *testing.T) {
	for _, fl := range []flavor{erfFlavor, phiFlavor} {
		for _, prec := range []uint{53, 256, 700} {
			w := prec + guard
			qc := max(8, 0.22*float64(w))
			for _, f := range []float64{1, 1.3, 2, 4} {
				// x with q = qc·f.
				x := big.NewFloat(math.Sqrt(qc * f / math.Ldexp(1, fl.qShift)))
				q := fl.qOf(x, w)
				cf := fl.tailFraction(x, q, w)
				if cf == nil {
					t.Fatalf("fraction did not converge at q = %.1f, w = %d", qc*f, w)
				}
				qf, _ := q.Float64()
				wp := w + uint(0.7214*qf+math.Log2(math.Sqrt(qf/2)+1)) + 8
				ser := newF(w).Sub(one(wp), fl.centralSeries(x, fl.qOf(x, wp), wp))
				d := newF(w).Sub(cf, ser)
				d.Quo(d, ser)
				if d.Sign() != 0 && ilogb(d) > -int(w)+4 {
					t.Errorf("erf=%v prec %d x=%s: fraction and series differ by 2^%d", fl.erf, prec, x.Text('g', 10), ilogb(d))
				}
			}
		}
	}
}

// Below the crossover the fraction gives up (returns nil) instead of
// running long, and tail falls back to the series.
func TestFractionGivesUp(t *testing.T) {
	if f := millsFraction(big.NewFloat(0.5), -1, 320, 50); f != nil {
		t.Errorf("fraction at x=0.5 converged in 50 steps to %s", f.Text('g', 10))
	}
}

// The cache hands out rounded copies: mutating one must not affect the next.
func TestCacheCopies(t *testing.T) {
	a := Pi(100)
	a.SetInt64(3)
	if b := Pi(100); b.Cmp(a) == 0 {
		t.Error("Pi cache was modified through a returned value")
	}
}
