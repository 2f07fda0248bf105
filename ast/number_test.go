package ast

import (
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestNumberLimit checks that sums and products refuse results beyond
// MaxNumberBits, as PowInt does for powers.
func TestNumberLimit(t *testing.T) {
	big30000, err := Int(2).PowInt(30000)
	if err != nil {
		t.Fatal(err)
	}
	p, err := big30000.MulChecked(big30000)
	if err != nil || p.Bits() != 60001 {
		t.Fatalf("2^30000 * 2^30000: %d bits, %v; want 60001 bits", p.Bits(), err)
	}
	if _, err := p.MulChecked(big30000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("2^60000 * 2^30000: err = %v, want ErrTooLarge", err)
	}
	if _, err := Int(2).PowInt(90000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("2^90000: err = %v, want ErrTooLarge (the limit MulChecked follows)", err)
	}
	// A sum of fractions whose denominators multiply beyond the limit.
	a, _ := Int(1).Quo(p.Add(Int(1)))
	b, _ := Int(1).Quo(p.Add(Int(3)))
	if _, err := a.AddChecked(b); !errors.Is(err, ErrTooLarge) {
		t.Errorf("1/(2^60000+1) + 1/(2^60000+3): err = %v, want ErrTooLarge", err)
	}
	if s, err := big30000.AddChecked(Int(1)); err != nil || s.Bits() != 30001 {
		t.Errorf("2^30000 + 1: %d bits, %v", s.Bits(), err)
	}
	if z, err := p.MulChecked(Int(0)); err != nil || !z.IsZero() {
		t.Errorf("2^60000 * 0 = %v, %v; want 0", z, err)
	}
}

// TestPowIntLimit: the limit is on the result's size, measured exactly.
func TestPowIntLimit(t *testing.T) {
	for _, c := range []struct {
		x    Number
		k    int64
		fits bool
	}{
		{Int(2), 65535, true},
		{Int(2), 65536, false},
		{Int(3), 41000, true},
		{Int(3), 41400, false},
		{Frac(1, 2), -65535, true},
		{Frac(2, 3), 41400, false},
	} {
		_, err := c.x.PowInt(c.k)
		if fits := err == nil; fits != c.fits {
			t.Errorf("%v^%d: err = %v, want fits = %v", c.x, c.k, err, c.fits)
		}
	}
}

// TestEvalBigNegOfError: the negation of an undefined value is an error
// at high precision too, not a crash.
func TestEvalBigNegOfError(t *testing.T) {
	e := NewNeg(NewCall("log", NewNeg(NewSym("x"))))
	if _, err := EvalBig(context.Background(), e, nil, Bindings{"x": Scalar(1)}, 256); err == nil {
		t.Error("-log(-1): no error")
	}
}

// TestParseShort: the literals read without math/big have the value
// big.Rat gives them, and the one the general reader gives.
func TestParseShort(t *testing.T) {
	lits := []string{"0", "1", "007", "2.5", "0.25", ".5", "10.0", "123456789012345678", "999999999999999999",
		"0.00000000000000001", "12345678.87654321", "3.14159", "1000000", "2."}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(18)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		lit := string(b)
		if k := r.IntN(n + 1); k < n {
			lit = lit[:k] + "." + lit[k:]
		}
		lits = append(lits, lit)
	}
	for _, lit := range lits {
		got, ok := parseShort(lit)
		if !ok {
			t.Errorf("parseShort(%q) declined", lit)
			continue
		}
		want, err := parseLong(lit)
		if err != nil {
			t.Fatalf("parseLong(%q): %v", lit, err)
		}
		oracle, ok := new(big.Rat).SetString(lit)
		if !ok {
			t.Fatalf("big.Rat cannot read %q", lit)
		}
		if !got.same(want) || got.Rat().Cmp(oracle) != 0 {
			t.Errorf("parseShort(%q) = %v, want %v (big.Rat: %v)", lit, got, want, oracle.RatString())
		}
	}
	for _, lit := range []string{"", ".", "1e3", "1234567890123456789", "1.2.3", "-1", "0x10"} {
		if _, ok := parseShort(lit); ok {
			t.Errorf("parseShort(%q) accepted it", lit)
		}
	}
}
