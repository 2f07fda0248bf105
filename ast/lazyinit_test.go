package ast

import (
	"math/big"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// bigFloatEqual compares big.Floats by value and precision (go-cmp cannot
// look into their unexported fields).
var bigFloatEqual = cmp.Comparer(func(a, b *big.Float) bool {
	return a.Prec() == b.Prec() && a.Cmp(b) == 0
})

// TestLazyLog10of2 checks that log10of2, made on first use, is the value
// the package-level variable held when it was parsed at initialisation,
// and that goroutines racing to the first use all get that one value (go
// test -race; run alone, -run LazyLog10of2, the first use is here).
func TestLazyLog10of2(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*big.Float, 32)
	texts := make([]string, len(got))
	huge := new(big.Float).SetMantExp(big.NewFloat(1), -463000)
	for i := range got {
		wg.Go(func() {
			got[i] = log10of2()
			texts[i] = FloatText(huge)
		})
	}
	wg.Wait()
	eager, _ := new(big.Float).SetPrec(160).SetString("0.3010299956639811952137388947244930267682")
	for i := range got {
		if got[i] != got[0] {
			t.Fatalf("goroutine %d got another log10of2", i)
		}
		if texts[i] != texts[0] {
			t.Fatalf("FloatText(2^-463000) is %s and %s", texts[0], texts[i])
		}
	}
	if d := cmp.Diff(eager, got[0], bigFloatEqual); d != "" {
		t.Errorf("log10of2 differs from the eager parse (-eager +lazy):\n%s", d)
	}
}

// TestStaticSubLetters holds the array of subscript letters to the map it
// replaced, over every rune a name can hold (the BMP and beyond).
func TestStaticSubLetters(t *testing.T) {
	eager := map[rune]rune{
		'a': 'ₐ', 'e': 'ₑ', 'h': 'ₕ', 'i': 'ᵢ', 'j': 'ⱼ', 'k': 'ₖ', 'l': 'ₗ', 'm': 'ₘ', 'n': 'ₙ',
		'o': 'ₒ', 'p': 'ₚ', 'r': 'ᵣ', 's': 'ₛ', 't': 'ₜ', 'u': 'ᵤ', 'v': 'ᵥ', 'x': 'ₓ',
	}
	got := map[rune]rune{}
	for c := rune(-1); c <= 0x10ffff+1; c++ {
		if s := subLetter(c); s != 0 {
			got[c] = s
		}
	}
	if d := cmp.Diff(eager, got); d != "" {
		t.Errorf("subscript letters differ from the map (-map +array):\n%s", d)
	}
}

// TestStaticPrecomposed holds the array of accented letters to the map
// it replaced, over every rune.
func TestStaticPrecomposed(t *testing.T) {
	eager := map[rune][2]string{
		'ŷ': {"hat", "y"}, 'â': {"hat", "a"}, 'ê': {"hat", "e"}, 'ô': {"hat", "o"},
		'ȳ': {"bar", "y"}, 'ā': {"bar", "a"}, 'ē': {"bar", "e"}, 'ō': {"bar", "o"},
		'ñ': {"tilde", "n"}, 'ã': {"tilde", "a"}, 'õ': {"tilde", "o"},
	}
	got := map[rune][2]string{}
	for c := rune(-1); c <= 0x10ffff+1; c++ {
		if acc, base, ok := precomposedAccent(c); ok {
			got[c] = [2]string{acc, base}
		}
	}
	if d := cmp.Diff(eager, got); d != "" {
		t.Errorf("precomposed letters differ from the map (-map +array):\n%s", d)
	}
	for r, a := range eager {
		if got, want := latexBase(string(r)), `\`+a[0]+"{"+a[1]+"}"; got != want {
			t.Errorf("latexBase(%q) = %s, want %s", string(r), got, want)
		}
	}
}
