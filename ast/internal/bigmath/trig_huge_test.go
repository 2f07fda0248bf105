package bigmath_test

import (
	"bufio"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// Sin and Cos of arguments from 2^61 to 2^4000 (and exp(30000), whose
// reduction takes π from the AGM) that are not float64
// values (10^k/3, ±√2·10^k, exp(k), random ones, and two within 2^-300 of
// a multiple of π) against mpmath at 1000 digits (testdata/trig_huge.py).
// Until the reduction modulo π/2 took k as a big.Int, all of them were
// ErrRange, and eval printed float64's sine of the rounded argument.
func TestSinCosHugeMpmath(t *testing.T) {
	f, err := os.Open("testdata/trig_huge.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			t.Fatalf("bad line %q", sc.Text())
		}
		m, ok := new(big.Int).SetString(fs[1], 10)
		e, err := strconv.Atoi(fs[2])
		if !ok || err != nil {
			t.Fatalf("bad argument in %q", sc.Text())
		}
		x := new(big.Float).SetInt(m)
		x.SetMantExp(x, e)
		for _, p := range []uint{53, 190, 1000} {
			for i, fn := range []unaryFn{bigmath.Sin, bigmath.Cos} {
				got, err := fn(x, p)
				want := decAt(t, fs[3+i], 1200)
				if x.MantExp(nil) > bigmath.MaxReduceExp {
					// Past the bound on the reduction: an error, not noise.
					if err != bigmath.ErrRange {
						t.Errorf("%s of %s (2^%d) at %d bits: %v, want ErrRange", []string{"sin", "cos"}[i], fs[0], x.MantExp(nil), p, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s of %s at %d bits: %v", []string{"sin", "cos"}[i], fs[0], p, err)
					continue
				}
				if e := log2Rel(got, want); e > -float64(p-8) {
					t.Errorf("%s(%s) at %d bits = %s, want %s (rel err 2^%.1f)",
						[]string{"sin", "cos"}[i], fs[0], p, got.Text('g', 20), want.Text('g', 20), e)
				}
			}
		}
		n++
	}
	if n < 65 {
		t.Fatalf("%d references read, want the 65 of trig_huge.txt", n)
	}
}

// decAt parses a decimal reference at prec bits.
func decAt(t testing.TB, s string, prec uint) *big.Float {
	t.Helper()
	x, _, err := big.ParseFloat(s, 10, prec, big.ToNearestEven)
	if err != nil {
		t.Fatalf("bad reference %q: %v", s, err)
	}
	return x
}

// Random huge arguments, reduced here modulo 2π with π from Machin's
// formula (machinPiTest, not bigmath's) at the argument's exponent plus
// 200 bits beyond the precision: Sin and Cos of x must agree with Sin and
// Cos of the small remainder, which take no reduction beyond 2π.
func TestSinCosHugeReduction(t *testing.T) {
	rng := newRand(909)
	pi := machinPiTest(4700)
	for range 300 {
		bits := 54 + rng.IntN(300)
		m := new(big.Int)
		for m.BitLen() < bits {
			m.Lsh(m, 64)
			m.Or(m, new(big.Int).SetUint64(rng.Uint64()|1<<63))
		}
		m.Rsh(m, uint(m.BitLen()-bits))
		m.SetBit(m, bits-1, 1)
		m.SetBit(m, 0, 1) // more bits than a float64 has
		if rng.IntN(2) == 0 {
			m.Neg(m)
		}
		mag := 62 + rng.IntN(3939) // 2^61 <= |x| < 2^4000
		x := new(big.Float).SetInt(m)
		x.SetMantExp(x, mag-bits)
		p := []uint{53, 128, 300}[rng.IntN(3)]

		wp := uint(mag) + p + 200
		twoPi := new(big.Float).SetPrec(wp).SetMantExp(pi, 1)
		// k = floor(x/2π), so that r is in [0, 2π) whatever x's sign and
		// its reduction in Sin and Cos shares no negative quotient with x's.
		k, _ := new(big.Float).SetPrec(wp).Quo(x, twoPi).Int(nil)
		if x.Sign() < 0 {
			k.Sub(k, big.NewInt(1))
		}
		kt := new(big.Float).SetPrec(wp + uint(k.BitLen()) + 8).SetInt(k)
		kt.Mul(kt, twoPi) // exact
		r := new(big.Float).SetPrec(wp).Sub(x, kt)
		// r is within 2^-(p+190) of the true remainder, 0 <= r < 2π.
		for i, fn := range []unaryFn{bigmath.Sin, bigmath.Cos} {
			got, err := fn(x, p)
			if err != nil {
				t.Errorf("%s(%s) at %d bits: %v", []string{"sin", "cos"}[i], x.Text('g', 20), p, err)
				continue
			}
			want := mustEval(t, "small", fn, r, p+64)
			if e := log2Rel(got, want); e > -float64(p-8) {
				t.Errorf("%s(%s·2^%d) at %d bits = %s, want %s (rel err 2^%.1f)",
					[]string{"sin", "cos"}[i], m, mag-bits, p, got.Text('g', 20), want.Text('g', 20), e)
			}
		}
	}
}

// machinPiTest returns π at prec bits from π = 16·atan(1/5) − 4·atan(1/239),
// each atan(1/n) = Σ (−1)^j/((2j+1)·n^(2j+1)) summed in big.Float.
func machinPiTest(prec uint) *big.Float {
	w := prec + 32
	atanInv := func(n int64) *big.Float {
		sum := new(big.Float).SetPrec(w)
		pow := new(big.Float).SetPrec(w).Quo(big.NewFloat(1), big.NewFloat(float64(n)))
		n2 := new(big.Float).SetPrec(w).SetInt64(n * n)
		for j := int64(0); pow.MantExp(nil) > -int(w)-8; j++ {
			term := new(big.Float).SetPrec(w).Quo(pow, new(big.Float).SetInt64(2*j+1))
			if j%2 == 0 {
				sum.Add(sum, term)
			} else {
				sum.Sub(sum, term)
			}
			pow.Quo(pow, n2)
		}
		return sum
	}
	a := new(big.Float).SetPrec(w).Mul(big.NewFloat(16), atanInv(5))
	a.Sub(a, new(big.Float).SetPrec(w).Mul(big.NewFloat(4), atanInv(239)))
	return new(big.Float).SetPrec(prec).Set(a)
}
