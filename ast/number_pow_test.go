package ast

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"
)

// PowInt refuses a power beyond MaxNumberBits for every exponent, those
// near the int64 edge too: the bound (b-1)*k + 1 overflowed for k near
// 2^62 (3037000500^(2^62), 2^(2^63 - 1)), came out negative and let
// big.Int.Exp run without end (symdiff simplify '3037000500^(2^62)'
// ignored --timeout). The oracle is the size of the result: log2 of
// |base|^k is far past 65,536 bits for each case, so the answer must be
// ErrTooLarge, and promptly.
func TestPowIntHugeExponent(t *testing.T) {
	cases := []struct {
		base Number
		k    int64
	}{
		{Int(3037000500), 1 << 62},
		{Int(3037000500), 1<<62 - 1},
		{Int(3037000500), 1 << 61},
		{Int(2), math.MaxInt64},
		{Int(3), math.MaxInt64},
		{Int(-2), math.MaxInt64 - 1},
		{Frac(1, 3), -(1 << 62)},
		{Frac(7, 2), math.MaxInt64},
		{Int(math.MaxInt64), 1 << 62},
		{Int(1 << 40), 1 << 50},
	}
	for _, c := range cases {
		done := make(chan error, 1)
		go func() {
			_, err := c.base.PowInt(c.k)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("(%s)^%d: error %v, want ErrTooLarge", c.base, c.k, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("(%s)^%d: still computing after 5 s", c.base, c.k)
		}
	}
	// Just inside the limit still computes: 2^65535 has 65,536 bits.
	if v, err := Int(2).PowInt(MaxNumberBits - 1); err != nil || v.Bits() != MaxNumberBits {
		t.Errorf("2^%d: %v bits, %v", MaxNumberBits-1, v.Bits(), err)
	}
	// A negative base is bounded by its magnitude: (-3)^1100 was left
	// unevaluated while 3^1100 was computed (-3 counted as 64 bits).
	for _, k := range []int64{1100, 1101, 40000} {
		v, err := Int(-3).PowInt(k)
		want := new(big.Int).Exp(big.NewInt(-3), big.NewInt(k), nil)
		if err != nil || v.ratView().Num().Cmp(want) != 0 {
			t.Errorf("(-3)^%d: %v", k, err)
		}
	}
}
