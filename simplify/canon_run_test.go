package simplify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
)

// TestRunMulAgrees: canonicalising long products one after another, each
// made from the last by leaving factors out, putting them back, swapping
// or replacing them (runMul then starts from the last product's canonical
// factors), gives the node the general path gives (canon.reference, which
// turns runMul off), run by a canonicaliser of its own; with no expansion
// and the smart one (full expansion, which runMul declines, multiplies
// these products out: too slow to test here), with and without the rules. Among the factors are ones runMul
// must decline: numbers, powers, exp, a nested product, a sum with a
// content, a duplicate, and factors out of order. And the sum of the
// products, canonicalised whole (W5's shape), agrees too.
func TestRunMulAgrees(t *testing.T) {
	x := ast.NewSym("x")
	var plain []ast.Expr // factors runMul takes, in their input forms
	for k := 1; k <= 40; k++ {
		plain = append(plain, ast.NewAdd(x, ast.NewInt(int64(k))))
	}
	// Named constants go before the other bases (baseOrder), whatever
	// Compare says.
	plain = append(plain, ast.NewCall("pi"))
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		v := ast.NewSym(name)
		plain = append(plain, v, ast.NewCall("sin", v), ast.NewAdd(ast.NewMul(ast.NewInt(2), v), ast.NewInt(1)))
	}
	odd := []ast.Expr{ // factors runMul declines, or that break the order
		ast.NewInt(3), ast.NewNum(ast.Frac(-1, 2)), ast.NewPow(x, ast.NewInt(2)), ast.NewPow(ast.NewAdd(x, ast.NewInt(1)), ast.NewInt(-1)),
		ast.NewCall("exp", x), ast.NewCall("exp", ast.NewSym("y")), ast.NewMul(ast.NewSym("a"), ast.NewSym("b")), ast.NewAdd(ast.NewMul(ast.NewInt(2), x), ast.NewInt(2)),
		ast.NewNeg(ast.NewSym("a")), ast.NewDiv(ast.One, x), ast.NewSym("x"), ast.NewCall("sqrt", ast.NewInt(2)),
	}
	for _, withRules := range []bool{false, true} {
		for _, mode := range []expandMode{expandNone, expandSmart} {
			name := fmt.Sprintf("rules=%v/mode=%d", withRules, mode)
			mk := func(reference bool) *canon {
				var c *canon
				if withRules {
					c = New(Options{Rules: load.Builtin()}).canon(mode)
				} else {
					c = plainCanon(mode)
				}
				c.reference = reference
				return c
			}
			fast, ref := mk(false), mk(true)
			rng := rand.New(rand.NewPCG(uint64(mode), 21))
			for trial := range 60 {
				// A random choice of the plain factors, in the order of their
				// canonical forms (which runMul needs) or, one time in four,
				// in no order.
				base := slices.Clone(plain)
				rng.Shuffle(len(base), func(i, j int) { base[i], base[j] = base[j], base[i] })
				base = base[:minRun+rng.IntN(len(base)-minRun)]
				if trial%4 > 0 {
					slices.SortFunc(base, func(a, b ast.Expr) int { return baseOrder(ref.expr(a), ref.expr(b)) })
				}
				var products []ast.Expr
				cur := slices.Clone(base)
				for step := range 40 {
					next := slices.Clone(cur)
					switch rng.IntN(10) {
					case 0: // W5: base with one factor left out
						next = slices.Delete(slices.Clone(base), step%len(base), step%len(base)+1)
					case 1: // a factor left out
						i := rng.IntN(len(next))
						next = slices.Delete(next, i, i+1)
					case 2: // a factor put back
						i := rng.IntN(len(next) + 1)
						next = slices.Insert(next, i, plain[rng.IntN(len(plain))])
					case 3: // two swapped
						i, j := rng.IntN(len(next)), rng.IntN(len(next))
						next[i], next[j] = next[j], next[i]
					case 4: // an odd factor somewhere
						next[rng.IntN(len(next))] = odd[rng.IntN(len(odd))]
					case 5: // odd factors where their canonical forms are in order
						for range 1 + rng.IntN(2) {
							o := odd[rng.IntN(len(odd))]
							i, _ := slices.BinarySearchFunc(next, o, func(a, b ast.Expr) int { return baseOrder(ref.expr(a), ref.expr(b)) })
							next = slices.Insert(next, i, o)
						}
					case 6: // the same again
					default: // back to the base
						next = slices.Clone(base)
					}
					if len(next) < minRun {
						next = slices.Clone(base)
					}
					cur = next
					products = append(products, ast.NewMul(cur...))
				}
				for i, e := range products {
					if i%16 == 0 {
						fast.run = factorRun{} // as a canonicaliser that has made none
					}
					if got, want := fast.expr(e), ref.expr(e); got != want {
						t.Fatalf("%s: canonical form of %s:\nrunMul  %s\ngeneral %s", name, ast.String(e), ast.String(got), ast.String(want))
					}
				}
				sum := ast.NewAdd(products[:10]...)
				if got, want := fast.expr(sum), ref.expr(sum); got != want {
					t.Fatalf("%s: canonical form of a sum of long products differs:\nrunMul  %s\ngeneral %s", name, ast.String(got), ast.String(want))
				}
			}
			t.Logf("%s: runMul made %d products from scratch, %d from the last", name, fast.runHits[0], fast.runHits[1])
			if fast.runHits[0] < 50 || fast.runHits[1] < 150 {
				t.Errorf("%s: runMul made %d products from scratch and %d from the last: too few to test it", name, fast.runHits[0], fast.runHits[1])
			}
		}
	}
}
