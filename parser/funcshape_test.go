package parser

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestLookupFuncShortcut: lookupFunc answers as ast.LookupFunc does for
// every built-in spelling, for each of them changed by a byte or cut or
// lengthened (the same first byte and length as a built-in, or nearly),
// and for random names, Unicode ones included.
func TestLookupFuncShortcut(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 33))
	names := []string{"", "x", "y12", "x_12_3", "w1", "a7727", "σ", "λ", "pi", "e"}
	for _, n := range ast.FuncNames() {
		names = append(names, n, n+"x", n[:len(n)-1], strings.ToUpper(n), "x"+n[1:], n+strings.Repeat("z", 70))
		b := []byte(n)
		b[r.IntN(len(b))] = "abcxyz_019"[r.IntN(10)]
		names = append(names, string(b))
	}
	letters := []rune("abcdefghijklmnopqrstuvwxyz_0123456789σλΦφ")
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteRune(letters[r.IntN(len(letters))])
		}
		names = append(names, b.String())
	}
	found := 0
	for _, n := range names {
		wf, wok := ast.LookupFunc(n)
		gf, gok := lookupFunc(n)
		if wf != gf || wok != gok {
			t.Fatalf("lookupFunc(%q) = %v, %v; ast.LookupFunc gives %v, %v", n, gf, gok, wf, wok)
		}
		if wok {
			found++
		}
	}
	if found < len(ast.FuncNames()) {
		t.Fatalf("only %d names found: the test does not test", found)
	}
}
