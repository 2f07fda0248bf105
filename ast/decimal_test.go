package ast

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestSmallDecimal: the decimals of small fractions whose denominators
// are products of twos and fives, written in int64 arithmetic
// (smallDecimal), are what big.Rat writes with the digits the fraction
// needs: signs, leading zeros after the point (1/20 = 0.05), whole parts,
// and the longest that fit.
func TestSmallDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2))
	checked := 0
	for range 20000 {
		den := int64(1)
		for range rng.IntN(12) {
			den *= 2
		}
		for range rng.IntN(10) {
			den *= 5
		}
		num := rng.Int64N(1 << uint(1+rng.IntN(40)))
		if rng.IntN(2) == 0 {
			num = -num
		}
		a := big.NewRat(num, den)
		x := FromRat(a)
		if a.IsInt() || x.rat != nil {
			continue
		}
		s, ok := x.Decimal()
		digits := 0
		for p := new(big.Rat).Set(a); !p.IsInt(); p.Mul(p, big.NewRat(10, 1)) {
			digits++
		}
		if !ok {
			t.Fatalf("%s: no decimal", a.RatString())
		}
		if want := a.FloatString(digits); s != want {
			t.Fatalf("Decimal(%s) = %q, want %q", a.RatString(), s, want)
		}
		checked++
	}
	if checked < 10000 {
		t.Errorf("only %d decimals checked", checked)
	}
}
