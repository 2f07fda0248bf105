package ast

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestFuncTable: every function of the table evaluates in float64 and at
// high precision alike, and its values lie in its Image (increasing where
// it says so): the sign analysis trusts the table.
func TestFuncTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, f := range Funcs {
		if f.Float == nil || f.Big == nil {
			t.Errorf("%s: no float64 or no high-precision evaluation", f.Name)
			continue
		}
		im := f.Image
		prev, prevX := math.Inf(-1), math.Inf(-1)
		checked := 0
		for k := 0; k < 2000; k++ {
			x := (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(5)-2))
			if im.Increasing != nil {
				x = -30 + 60*float64(k)/2000 // increasing order, to check monotonicity
			}
			args := make([]float64, f.Arity)
			for i := range args {
				args[i] = x
			}
			v := f.Float(args)
			if math.IsNaN(v) {
				continue
			}
			checked++
			if im.Known && (v < im.Lo || v > im.Hi) {
				t.Errorf("%s(%g) = %g, outside its image [%g, %g]", f.Name, x, v, im.Lo, im.Hi)
			}
			if im.Increasing != nil {
				if v < prev && x > prevX {
					t.Errorf("%s is not increasing: %s(%g) = %g < %g", f.Name, f.Name, x, v, prev)
				}
				if w := im.Increasing(x); math.Abs(w-v) > 1e-12*math.Max(1, math.Abs(v)) {
					t.Errorf("%s: Image.Increasing(%g) = %g, Float = %g", f.Name, x, w, v)
				}
				prev, prevX = v, x
			}
			bargs := make([]*big.Float, f.Arity)
			for i := range bargs {
				bargs[i] = new(big.Float).SetPrec(128).SetFloat64(x)
			}
			b, err := f.Big(bargs, 128)
			if err != nil {
				t.Errorf("%s(%g): high precision fails: %v", f.Name, x, err)
				continue
			}
			if bf, _ := b.Float64(); math.Abs(bf-v) > 1e-13*math.Max(1, math.Abs(v)) {
				t.Errorf("%s(%g): float64 %g, high precision %g", f.Name, x, v, bf)
			}
			// An open end is never attained: seen at high precision, where
			// float64 would round (phi(40) underflows to 0).
			if math.Abs(x) <= 5 && (im.LoOpen && b.Cmp(big.NewFloat(im.Lo)) <= 0 || im.HiOpen && !math.IsInf(im.Hi, 1) && b.Cmp(big.NewFloat(im.Hi)) >= 0) {
				t.Errorf("%s(%g) = %s attains an open end of its image", f.Name, x, b.Text('g', 20))
			}
		}
		if checked < 100 {
			t.Errorf("%s: only %d points checked", f.Name, checked)
		}
	}
}
