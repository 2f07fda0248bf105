package ast

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// smallNumberCases are values at the edges of the int64 forms: near ±2^63
// (MinInt64 included), small fractions with denominators near 2^63, and
// rationals beyond int64 on either side of the bar.
func smallNumberCases(rng *rand.Rand) []*big.Rat {
	edges := []int64{0, 1, -1, 2, -2, 3, 6, 10, 1 << 31, 1<<32 + 1, 1 << 53, 1<<53 + 1, 1 << 62, math.MaxInt64,
		math.MaxInt64 - 1, math.MinInt64, math.MinInt64 + 1, -(1 << 62), 3037000499, 3037000500, 999999999999999989}
	var out []*big.Rat
	for _, a := range edges {
		out = append(out, big.NewRat(a, 1))
		for _, b := range edges {
			if b != 0 && rng.IntN(3) == 0 {
				out = append(out, big.NewRat(a, b))
			}
		}
	}
	huge, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
	out = append(out, new(big.Rat).SetFrac(huge, big.NewInt(3)), new(big.Rat).SetFrac(big.NewInt(5), huge),
		new(big.Rat).SetInt(huge), new(big.Rat).SetFrac(new(big.Int).Neg(huge), new(big.Int).Add(huge, big.NewInt(2))),
		new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 63)), new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 63)))
	for range 150 {
		// Denominators of twos and fives: decimals, short and long
		// (up to 22 digits, beyond maxDecimalDigits).
		den := int64(1) << rng.IntN(17)
		for range rng.IntN(21) {
			den *= 5
		}
		out = append(out, big.NewRat(rng.Int64()>>rng.IntN(64)-1<<62, den))
	}
	for range 150 {
		a := rng.Int64() >> rng.IntN(64)
		b := rng.Int64()>>rng.IntN(64) | 1
		if rng.IntN(2) == 0 {
			a = -a
		}
		out = append(out, big.NewRat(a, b))
	}
	return out
}

// TestSmallFractions: every operation on Numbers (MulChecked and PowInt
// included, which skip their size checks for int64 fractions), which take the int64
// forms (integers and fractions) where they can, gives what big.Rat gives
// on the same values, exactly, on pairs drawn from values near ±2^63,
// fractions with large denominators and rationals beyond int64; and every
// result is in its one normal form (the form FromRat gives its value).
func TestSmallFractions(t *testing.T) {
	rng := rand.New(rand.NewPCG(63, 64))
	cases := smallNumberCases(rng)
	sample := 7
	if testing.Short() {
		sample = 50
	}
	normal := func(op string, n Number, want *big.Rat) {
		t.Helper()
		if got := n.Rat(); got.Cmp(want) != 0 {
			t.Fatalf("%s = %s, want %s", op, got.RatString(), want.RatString())
		}
		if f := FromRat(want); !f.same(n) || f.den != n.den || f.small != n.small || (f.rat == nil) != (n.rat == nil) {
			t.Fatalf("%s = %s is not in normal form (%+v, want %+v)", op, want.RatString(), n, f)
		}
		if n.rat == nil && n.den != 0 && (n.den < 2 || gcd64(absU64(n.small), uint64(n.den)) != 1) {
			t.Fatalf("%s: small fraction %d/%d not in lowest terms", op, n.small, n.den)
		}
		if n.Key() != FromRat(want).Rat().RatString() && n.Key() != want.String() {
			t.Fatalf("%s: key %q, want %q", op, n.Key(), want.String())
		}
		if n.IsInt() != want.IsInt() {
			t.Fatalf("%s: IsInt %v", op, n.IsInt())
		}
		if v, ok := n.Int64(); ok != (want.IsInt() && want.Num().IsInt64()) || ok && v != want.Num().Int64() {
			t.Fatalf("%s: Int64 = %d, %v", op, v, ok)
		}
		if n.Sign() != want.Sign() || n.IsZero() != (want.Sign() == 0) || n.IsOne() != (want.Cmp(big.NewRat(1, 1)) == 0) {
			t.Fatalf("%s: sign %d", op, n.Sign())
		}
		if f, _ := want.Float64(); n.Float64() != f {
			t.Fatalf("%s: Float64 = %v, want %v", op, n.Float64(), f)
		}
		if got, b := n.Bits(), max(want.Num().BitLen(), want.Denom().BitLen()); got != b {
			t.Fatalf("%s: Bits = %d, want %d", op, got, b)
		}
	}
	for i, a := range cases {
		x := FromRat(a)
		normal("x", x, a)
		normal("-x", x.Neg(), new(big.Rat).Neg(a))
		if s, ok := x.Decimal(); ok && !a.IsInt() && !strings.ContainsAny(s, "e") {
			// What big.Rat writes with the digits the fraction needs.
			digits := 0
			for p := new(big.Rat).Set(a); !p.IsInt(); p.Mul(p, big.NewRat(10, 1)) {
				digits++
			}
			if want := a.FloatString(digits); s != want {
				t.Fatalf("Decimal(%s) = %q, want %q", a.RatString(), s, want)
			}
		}
		if s, ok := x.Decimal(); ok {
			back, err := ParseNumber(trimSign(s))
			if err != nil || back.Rat().Cmp(new(big.Rat).Abs(a)) != 0 {
				t.Fatalf("Decimal(%s) = %q, reads back as %v, %v", a.RatString(), s, back, err)
			}
		} else if onlyTwosFivesBig(a.Denom()) {
			t.Fatalf("Decimal(%s): no decimal for a denominator of twos and fives", a.RatString())
		}
		for _, k := range []int64{0, 1, 2, 3, -1, -2, 5, -7, 31, 62, 63, -63, 64, 70} {
			want := new(big.Rat).SetInt64(1)
			base := a
			if k < 0 {
				if a.Sign() == 0 {
					if _, err := x.PowInt(k); err == nil {
						t.Fatalf("0^%d: no error", k)
					}
					continue
				}
				base = new(big.Rat).Inv(a)
			}
			for range max(k, -k) {
				want.Mul(want, base)
			}
			got, err := x.PowInt(k)
			if max(want.Num().BitLen(), want.Denom().BitLen()) > MaxNumberBits {
				continue
			}
			if err != nil {
				t.Fatalf("(%s)^%d: %v", a.RatString(), k, err)
			}
			normal(fmt.Sprintf("(%s)^%d", a.RatString(), k), got, want)
		}
		for j, b := range cases {
			if (i*len(cases)+j)%sample != 0 && j > 40 { // all pairs of the edges, a sample of the rest
				continue
			}
			y := FromRat(b)
			normal("x+y", x.Add(y), new(big.Rat).Add(a, b))
			normal("x-y", x.Sub(y), new(big.Rat).Sub(a, b))
			normal("x*y", x.Mul(y), new(big.Rat).Mul(a, b))
			if p, err := x.MulChecked(y); err != nil {
				t.Fatalf("%s * %s checked: %v", a.RatString(), b.RatString(), err)
			} else {
				normal("x*y checked", p, new(big.Rat).Mul(a, b))
			}
			if q, ok := x.Quo(y); ok != (b.Sign() != 0) {
				t.Fatalf("%s / %s: ok = %v", a.RatString(), b.RatString(), ok)
			} else if ok {
				normal("x/y", q, new(big.Rat).Quo(a, b))
			}
			if got, want := x.Cmp(y), a.Cmp(b); got != want {
				t.Fatalf("cmp(%s, %s) = %d, want %d", a.RatString(), b.RatString(), got, want)
			}
			if x.same(y) != (a.Cmp(b) == 0) || a.Cmp(b) == 0 && hashNumber(x) != hashNumber(y) {
				t.Fatalf("same(%s, %s) = %v", a.RatString(), b.RatString(), x.same(y))
			}
		}
	}
}

func trimSign(s string) string {
	if len(s) > 0 && s[0] == '-' {
		return s[1:]
	}
	return s
}

func onlyTwosFivesBig(d *big.Int) bool {
	d = new(big.Int).Set(d)
	d.Rsh(d, d.TrailingZeroBits())
	five, m := big.NewInt(5), new(big.Int)
	for {
		q, r := new(big.Int).QuoRem(d, five, m)
		if r.Sign() != 0 {
			break
		}
		d = q
	}
	return d.Cmp(big.NewInt(1)) == 0
}

// TestSmallFractionInterning: a fraction is one node whichever way it was
// made (parsed, from big.Rat, by arithmetic), and distinct values are
// distinct nodes: 1/3 is not 1, -2/3 is not -2.
func TestSmallFractionInterning(t *testing.T) {
	third, _ := Int(1).Quo(Int(3))
	if NewNum(third) != NewNum(Frac(2, 6)) || NewNum(third) != NewNum(FromRat(big.NewRat(1, 3))) {
		t.Error("1/3 made three ways: not one node")
	}
	p, _ := ParseNumber("0.25")
	if NewNum(p) != NewNum(Frac(1, 4)) {
		t.Error("0.25 and 1/4: not one node")
	}
	for _, pair := range [][2]Number{{Frac(1, 3), Int(1)}, {Frac(-2, 3), Int(-2)}, {Frac(1, 3), Frac(1, 6)}, {Frac(1, 3), Frac(-1, 3)}} {
		if NewNum(pair[0]) == NewNum(pair[1]) {
			t.Errorf("%v and %v: one node", pair[0], pair[1])
		}
	}
}
