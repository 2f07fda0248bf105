package ast_test

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestSumBigBounds: sums whose bounds are whole numbers beyond 2^53 (and
// beyond int64) are evaluated, exactly at the index, or refused as too
// long with the number of terms; sum(i=1..2^70, 1) said "the bound 2^70
// of sum is not an integer", and an index near 2^70 was rounded, so
// sum(i=2^70..2^70+3, i - 2^70) was 0. The oracle: the sum of
// (i - b)^2 over b..b+k is k(k+1)(2k+1)/6, at random b up to 2^80, and a
// mean whose term divides by zero at one index in its range is undefined.
func TestSumBigBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(70, 80))
	for n := 0; n < 30; n++ {
		b := new(big.Int).Lsh(big.NewInt(1+rng.Int64N(1<<20)), uint(34+rng.IntN(40)))
		k := int64(rng.IntN(40))
		src := fmt.Sprintf("sum(i=%s..%s, (i - %s)^2)", b, new(big.Int).Add(b, big.NewInt(k)), b)
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := float64(k * (k + 1) * (2*k + 1) / 6)
		if got, err := ast.Eval(e, nil, nil); err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", src, got, err, want)
		}
		// Undefined at the index b + j only.
		j := rng.Int64N(k + 1)
		src = fmt.Sprintf("mean(i=%s..%s, 1/(i - %s))", b, new(big.Int).Add(b, big.NewInt(k)), new(big.Int).Add(b, big.NewInt(j)))
		e, err = parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		var de *ast.DomainError
		if got, err := ast.Eval(e, nil, nil); !errors.As(err, &de) {
			t.Errorf("%s = %v, %v; want division by zero", src, got, err)
		}
	}
	for _, c := range []struct {
		src   string
		terms string
	}{
		{"sum(i=1..2^70, 1)", "1180591620717411303424"},
		{"sum(i=-2^63..2^63, i)", "18446744073709551617"},
		{"sum(i=1..10^12, i)", "1000000000000"},
	} {
		e, err := parser.ParseExpr(c.src, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ast.Eval(e, nil, nil)
		var long *ast.LongSumError
		if !errors.As(err, &long) || long.Terms.String() != c.terms || !errors.Is(err, ast.ErrTooManySteps) {
			t.Errorf("%s: %v; want a LongSumError of %s terms", c.src, err, c.terms)
		}
	}
	// An empty range at big bounds is an empty sum.
	e, err := parser.ParseExpr("sum(i=2^70..2^70 - 1, 1/0) + 1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ast.Eval(e, nil, nil); err != nil || got != 1 {
		t.Errorf("an empty sum at 2^70: %v, %v; want 1", got, err)
	}
}
