package main

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// machinPi returns π at prec bits from Machin's formula
// π = 16·atan(1/5) − 4·atan(1/239), the series summed in big.Float.
func machinPi(prec uint) *big.Float {
	atanInv := func(n int64) *big.Float {
		// atan(1/n) = Σ (−1)^k / ((2k+1)·n^(2k+1))
		sum := new(big.Float).SetPrec(prec)
		pow := new(big.Float).SetPrec(prec).Quo(big.NewFloat(1).SetPrec(prec), new(big.Float).SetPrec(prec).SetInt64(n))
		n2 := new(big.Float).SetPrec(prec).SetInt64(n * n)
		eps := new(big.Float).SetPrec(prec).SetMantExp(big.NewFloat(1), -int(prec)-8)
		for k := int64(0); ; k++ {
			term := new(big.Float).SetPrec(prec).Quo(pow, new(big.Float).SetPrec(prec).SetInt64(2*k+1))
			if k%2 == 0 {
				sum.Add(sum, term)
			} else {
				sum.Sub(sum, term)
			}
			if term.Cmp(eps) < 0 {
				return sum
			}
			pow.Quo(pow, n2)
		}
	}
	a := new(big.Float).SetPrec(prec).Mul(big.NewFloat(16).SetPrec(prec), atanInv(5))
	b := new(big.Float).SetPrec(prec).Mul(big.NewFloat(4).SetPrec(prec), atanInv(239))
	return a.Sub(a, b)
}

// sinCosBig returns sin a and cos a for a known to 400 bits, by reducing a
// modulo 2π (π from machinPi) and calling package math on the small
// remainder.
func sinCosBig(a *big.Float) (float64, float64) {
	const prec = 400
	twoPi := new(big.Float).SetPrec(prec).Mul(machinPi(prec), big.NewFloat(2).SetPrec(prec))
	q := new(big.Float).SetPrec(prec).Quo(a, twoPi)
	k, _ := q.Int(nil)
	r := new(big.Float).SetPrec(prec).Mul(new(big.Float).SetPrec(prec).SetInt(k), twoPi)
	r.Sub(a, r)
	f, _ := r.Float64()
	return math.Sin(f), math.Cos(f)
}

// ratFloat returns the fraction s at prec bits.
func ratFloat(s string, prec uint) *big.Float {
	r, _ := new(big.Rat).SetString(s)
	return new(big.Float).SetPrec(prec).SetRat(r)
}

// TestEvalTrigOfLargeArgument: sin and cos of an argument beyond 2^60 that
// is not a float64 exactly (10^20/3, 10^20 + 0.1, sqrt(2)·10^20, exp(42))
// printed float64's sine of the rounded argument, a number unrelated to the
// true value (sin(10^20/3) printed 0.877, it is −0.727), with status 0 and
// no warning: the high-precision evaluation that settles eval's value
// refuses sin and cos past 2^60 (bigmath.sinCos), and float64's value
// stood. An error that says why is acceptable; a wrong value is not. The
// expected values reduce the argument modulo 2π at 400 bits, with π from
// Machin's formula computed here.
func TestEvalTrigOfLargeArgument(t *testing.T) {
	const prec = 400
	third := ratFloat("100000000000000000000/3", prec)
	plus := ratFloat("1000000000000000000001/10", prec)
	sqrt2 := new(big.Float).SetPrec(prec).Sqrt(big.NewFloat(2).SetPrec(prec))
	root := new(big.Float).SetPrec(prec).Mul(sqrt2, new(big.Float).SetPrec(prec).SetFloat64(1e20))
	for _, c := range []struct {
		expr string
		args []string
		arg  *big.Float
		sin  bool
	}{
		{"sin(x/3)", []string{"x=1e20"}, third, true},
		{"cos(x/3)", []string{"x=1e20"}, third, false},
		{"sin(10^20/3)", nil, third, true},
		{"sin(x + y)", []string{"x=1e20", "y=0.1"}, plus, true},
		{"cos(sqrt(2)*x)", []string{"x=1e20"}, root, false},
		{"sin(sqrt(2)*x)", []string{"x=1e20"}, root, true},
	} {
		s, co := sinCosBig(c.arg)
		want := co
		if c.sin {
			want = s
		}
		stdout, stderr, status := runMain(t, append([]string{"eval", c.expr}, c.args...)...)
		if status != 0 {
			continue // an error that says why is not a wrong value
		}
		got, err := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
		if err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("eval %s %v: printed %q (stderr %q); the value is %.15g", c.expr, c.args, stdout, stderr, want)
		}
	}
}
