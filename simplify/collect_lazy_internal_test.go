package simplify

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestCollectLazyMonomialsAgree: collect, which keeps the monomial of a
// term k*f1*...*fn as the list f1...fn until it needs the product (and
// compares lists with nodes, monoEqual), gives the very node that the
// general path gives, where every monomial is interned at once
// (canon.reference), on random sums of canonical terms: like terms with
// several factors met as products with and without a coefficient, in
// any order, short sums (scanned) and long ones (indexed, with the
// switch in between), terms that cancel, constants and nested sums. The
// oracle is the general path, run by a canonicaliser of its own.
func TestCollectLazyMonomialsAgree(t *testing.T) {
	x, y, z, w := ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("z"), ast.NewSym("w")
	sig := ast.NewCall("sigma", x)
	atoms := []ast.Expr{x, y, z, w, sig, ast.NewPow(x, ast.NewInt(2)), ast.NewPow(y, ast.NewInt(-1)), ast.NewAdd(x, ast.One)}
	coefs := []ast.Number{ast.Int(1), ast.Int(-1), ast.Int(2), ast.Int(-3), ast.Frac(1, 2), ast.Frac(-2, 3)}
	ref := plainCanon(expandNone)
	ref.reference = true
	rng := rand.New(rand.NewPCG(15, 9))
	// Monomials: products of one to three distinct atoms, canonical.
	var monos []ast.Expr
	for range 40 {
		n := 1 + rng.IntN(3)
		var fs []ast.Expr
		for _, i := range rng.Perm(len(atoms))[:n] {
			fs = append(fs, atoms[i])
		}
		monos = append(monos, ref.mul(fs))
	}
	lazy, indexed := 0, 0
	for round := range 3000 {
		fast := plainCanon(expandNone)
		n := 1 + rng.IntN(8)
		if round%4 == 0 {
			n = 14 + rng.IntN(20) // across the switch to the index
		}
		var terms []ast.Expr
		for range n {
			var term ast.Expr
			switch rng.IntN(12) {
			case 0:
				term = ast.NewNum(coefs[rng.IntN(len(coefs))])
			case 1:
				term = ast.NewAdd(monos[rng.IntN(len(monos))], ast.NewInt(int64(rng.IntN(3)))) // nested
			default:
				term = ref.mul([]ast.Expr{ast.NewNum(coefs[rng.IntN(len(coefs))]), monos[rng.IntN(len(monos))]})
			}
			if a, ok := term.(*ast.Mul); ok && len(a.Factors) > 2 {
				if _, num := a.Factors[0].(*ast.Num); num {
					lazy++
				}
			}
			terms = append(terms, term)
			if rng.IntN(4) == 0 { // the same monomial again, cancelling or not
				k, m := splitCoeff(term)
				terms = append(terms, withCoeff(k.Neg(), m))
			}
		}
		if len(terms) > 16 {
			indexed++
		}
		got, want := fast.collect(slices.Clone(terms)), ref.collect(slices.Clone(terms))
		if got != want {
			t.Fatalf("collect of %v:\nlazy    %s\ngeneral %s", exprStrings(terms), ast.String(got), ast.String(want))
		}
	}
	if lazy < 1000 || indexed < 300 {
		t.Errorf("too few cases: %d terms with lazy monomials, %d long sums", lazy, indexed)
	}
}
