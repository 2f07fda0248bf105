package ast

import (
	"math/big"
	"testing"
)

// TestLog10Text: a number is written from its log10 to 6 digits, and one
// whose exponent is itself huge as a power of ten with a short exponent
// (eval of sigma(x^3/sigma(x)) at x = -56789.25 printed an exponent of
// 24,677 digits).
func TestLog10Text(t *testing.T) {
	huge, _, err := big.ParseFloat("-1.440419973582759e24676", 10, 160, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		l    *big.Float
		neg  bool
		want string
	}{
		{big.NewFloat(-2171472409.917), false, "1.2106e-2171472410"},
		{big.NewFloat(5000.5), true, "-3.16228e+5000"},
		{exactly(t, "-21714724095162591392.955535"), false, "1.10781e-21714724095162591393"},
		{exactly(t, "1e39"), false, "1e+1000000000000000000000000000000000000000"},
		{big.NewFloat(1e40), false, "10^(1e+40)"},
		{huge, false, "10^(-1.44042e+24676)"},
		{huge, true, "-10^(-1.44042e+24676)"},
	} {
		if got := log10Text(tt.l, tt.neg); got != tt.want {
			t.Errorf("log10Text(%s, %v) = %q, want %q", tt.l.Text('g', 10), tt.neg, got, tt.want)
		}
	}
}

// exactly reads s at l's precision, 160 bits.
func exactly(t *testing.T, s string) *big.Float {
	t.Helper()
	f, _, err := big.ParseFloat(s, 10, 160, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
