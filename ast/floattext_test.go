package ast

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestFloatText: FloatText prints what big.Float's Text('g', 6) prints, at
// random values with exponents up to 2^±20000 (where Text is still quick
// enough to be the oracle), and fast beyond.
func TestFloatText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 400 {
		m := new(big.Float).SetPrec(512).SetFloat64(0.5 + rng.Float64()/2)
		if rng.IntN(2) == 0 {
			m.Neg(m)
		}
		v := new(big.Float).SetMantExp(m, rng.IntN(40000)-20000)
		if got, want := FloatText(v), v.Text('g', 6); got != want {
			t.Errorf("FloatText(%s) = %s, want %s", v.Text('g', 20), got, want)
		}
	}
	v := new(big.Float).SetMantExp(big.NewFloat(0.5), -463000)
	if got := FloatText(v); got != "6.47109e-139378" { // 2^-463001 (mpmath: 6.47109210101e-139378)
		t.Errorf("FloatText(2^-463001) = %s", got)
	}
}
