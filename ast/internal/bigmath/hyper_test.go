package bigmath_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// Cosh and Sinh against their definitions (e^x ± e^-x)/2, evaluated in the
// test with Exp at far more precision than asked: enough extra bits to
// absorb the cancellation of e^x − e^-x for small |x| (about log2(1/|x|)
// bits), so the reference is exact to well past the precision checked.
func TestCoshSinhFromExp(t *testing.T) {
	rng := newRand(77)
	var xs []float64
	for range 300 {
		switch rng.IntN(4) {
		case 0: // far from 0, up to overflow of float64 and past it
			xs = append(xs, (rng.Float64()-0.5)*2000)
		case 1:
			xs = append(xs, (rng.Float64()-0.5)*40)
		case 2: // near 0, where sinh x ≈ x
			xs = append(xs, math.Copysign(math.Pow(10, -30*rng.Float64()), rng.Float64()-0.5))
		default:
			xs = append(xs, (rng.Float64()-0.5)*2)
		}
	}
	xs = append(xs, 1, -1, 710, -710, 711.5, 1e-300, -1e-300, 0.5, 22, 23)
	for k, xf := range xs {
		x := bf(xf)
		prec := []uint{53, 113, 256, 1000}[k%4]
		extra := uint(100)
		if e := x.MantExp(nil); e < 0 {
			extra += uint(-e)
		}
		rp := prec + extra
		ep := mustEval(t, "Exp", bigmath.Exp, x, rp)
		em := mustEval(t, "Exp", bigmath.Exp, new(big.Float).Neg(x), rp)
		ch := new(big.Float).SetPrec(rp).Add(ep, em)
		ch.SetMantExp(ch, -1)
		sh := new(big.Float).SetPrec(rp).Sub(ep, em)
		sh.SetMantExp(sh, -1)
		for _, c := range []struct {
			name string
			fn   unaryFn
			want *big.Float
		}{
			{"Cosh", bigmath.Cosh, ch},
			{"Sinh", bigmath.Sinh, sh},
		} {
			got := mustEval(t, c.name, c.fn, x, prec)
			if got.Prec() != prec {
				t.Errorf("%s(%g) at %d bits has precision %d", c.name, xf, prec, got.Prec())
			}
			// Rounded to prec bits: within half an ulp, and a hair more
			// for the working precision's own error.
			if e := log2Rel(got, c.want); e > -float64(prec)+0.01 {
				t.Errorf("%s(%g) at %d bits: relative error 2^%.2f", c.name, xf, prec, e)
			}
		}
	}
}

// The hyperbolic identities hold to the precision asked, far from 0 too:
// cosh x + sinh x = e^x for x >= 0 (for x < 0 the sum cancels and says
// nothing), cosh is even and sinh odd, bit for bit.
func TestCoshSinhIdentities(t *testing.T) {
	const p = 200
	rng := newRand(78)
	for range 200 {
		xf := rng.Float64() * 60
		x := bf(xf)
		c := mustEval(t, "Cosh", bigmath.Cosh, x, p)
		s := mustEval(t, "Sinh", bigmath.Sinh, x, p)
		sum := new(big.Float).SetPrec(2*p).Add(c, s)
		if e := log2Rel(sum, mustEval(t, "Exp", bigmath.Exp, x, 2*p)); e > -p+2 {
			t.Errorf("cosh + sinh = exp at x=%g: relative error 2^%.2f", xf, e)
		}
		if neg := mustEval(t, "Cosh", bigmath.Cosh, new(big.Float).Neg(x), p); neg.Cmp(c) != 0 {
			t.Errorf("cosh(-x) = %s, cosh(x) = %s at x=%g", neg.Text('g', 30), c.Text('g', 30), xf)
		}
		if neg := mustEval(t, "Sinh", bigmath.Sinh, new(big.Float).Neg(x), p); neg.Neg(neg).Cmp(s) != 0 {
			t.Errorf("-sinh(-x) = %s, sinh(x) = %s at x=%g", neg.Text('g', 30), s.Text('g', 30), xf)
		}
	}
}
