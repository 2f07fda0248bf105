package ast_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestParseValueDecimalRoundTrip: a written decimal binds exactly that
// decimal (big.Rat's reading of the text is the oracle), its Data is the
// float64 nearest it, and its String reads back as the same value, in
// vectors too.
func TestParseValueDecimalRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 400))
	for range 2000 {
		n := 1 + rng.IntN(3)
		texts := make([]string, n)
		for i := range texts {
			digits := strconv.FormatUint(rng.Uint64()>>rng.IntN(64), 10)
			if p := 1 + rng.IntN(len(digits)); p < len(digits) { // JSON lists want a digit first
				digits = digits[:p] + "." + digits[p:]
			}
			if rng.IntN(2) == 0 {
				digits = "-" + digits
			}
			if rng.IntN(2) == 0 {
				digits += fmt.Sprintf("e%d", rng.IntN(720)-420)
			}
			texts[i] = digits
		}
		src := texts[0]
		if n > 1 {
			src = "[" + strings.Join(texts, ",") + "]"
		}
		v, err := ast.ParseValue(src)
		if err != nil {
			if strings.Contains(err.Error(), "beyond the range of a float64") {
				continue
			}
			t.Fatalf("ParseValue(%q): %v", src, err)
		}
		for i, text := range texts {
			want, _ := new(big.Rat).SetString(text)
			f, _ := want.Float64()
			if v.Data[i] != f {
				t.Errorf("ParseValue(%q) entry %d: float64 %v, want %v", src, i, v.Data[i], f)
			}
			got := new(big.Rat).SetFloat64(v.Data[i])
			if v.Exact != nil {
				got = v.Exact[i]
			}
			if got == nil || got.Cmp(want) != 0 {
				t.Errorf("ParseValue(%q) entry %d is %v, want %s", src, i, got, want.RatString())
			}
		}
		back, err := ast.ParseValue(v.String())
		if err != nil {
			t.Fatalf("ParseValue(%q) prints %q, which does not read back: %v", src, v.String(), err)
		}
		if back.String() != v.String() || fmt.Sprint(back.Data) != fmt.Sprint(v.Data) || fmt.Sprint(back.Exact) != fmt.Sprint(v.Exact) {
			t.Errorf("ParseValue(%q) prints %q, which reads back as %q", src, v.String(), back.String())
		}
	}
}
