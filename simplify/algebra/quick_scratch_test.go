package algebra

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// randManyAtoms writes a random polynomial in up to 40 names and calls
// (W2's and W1's gradients have 9 to 43 atoms): a sum of products of a
// name or call and a small sum, some negated, over a number, or squared.
func randManyAtoms(rng *rand.Rand) string {
	atom := func() string {
		switch k := rng.IntN(40); {
		case k < 30:
			return fmt.Sprintf("x_%d_%d", k/3, k%3)
		case k < 36:
			return fmt.Sprintf("w%d", k-30)
		default:
			return fmt.Sprintf("sigma(w1*x_%d_1)", k-36)
		}
	}
	var terms []string
	for range 1 + rng.IntN(12) {
		var inner []string
		for range 1 + rng.IntN(4) {
			inner = append(inner, fmt.Sprintf("%d*%s*%s", rng.IntN(5)-2, atom(), atom()))
		}
		t := atom() + "*(" + strings.Join(inner, " + ") + ")"
		switch rng.IntN(6) {
		case 0:
			t = "-" + t
		case 1:
			t = "(" + t + ")/3"
		case 2:
			t = "(" + atom() + " - " + atom() + ")^2"
		}
		terms = append(terms, t)
	}
	return strings.Join(terms, " + ")
}

// TestQuickScratchAgrees: quickPoly with its pooled scratch and its index
// of atoms by ID gives exactly what it gives allocating each list and
// scanning its atoms (quickPlain): the same atoms in the same order, the
// same terms (exponents, sign, unit coefficient) in the same order, the
// same monoSum and ok. Calls follow one another, so each takes a scratch
// that the last left as it was (its lists not zeroed). The inputs have
// from 1 to 40 atoms (past linearAtoms, the index is used), sums of
// monomials (W4's shape) and declined ones. And the terms are the ring
// conversion's (the independent oracle), as in TestQuickPoly.
func TestQuickScratchAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 41))
	indexed := 0
	for i := range 600 {
		var src string
		switch i % 4 {
		case 0:
			src = randMonoSum(rng)
		case 1:
			src = randNamesPoly(rng, 1+rng.IntN(5), 1+rng.IntN(4)) + "*(" + randNamesPoly(rng, 2, 2) + ")"
		default:
			src = randManyAtoms(rng)
		}
		if rng.IntN(10) == 0 {
			src += " + sin(x)/y" // declined
		}
		e := parsetest.MustParse(t, src, nil)
		for _, calls := range []bool{true, false} {
			atoms, ts, monoSum, ok := quickPolyOf(e, calls)
			quickPlain = true
			wAtoms, wTs, wMonoSum, wOK := quickPolyOf(e, calls)
			quickPlain = false
			if ok != wOK || monoSum != wMonoSum || !slices.Equal(atoms, wAtoms) || !slices.EqualFunc(ts, wTs, func(a, b signedMono) bool {
				return slices.Equal(a.m, b.m) && a.neg == b.neg && a.unit == b.unit
			}) {
				t.Fatalf("%d: quickPolyOf(%s, %v):\n pooled %v %v %v %v\n plain  %v %v %v %v", i, src, calls, ok, monoSum, atoms, ts, wOK, wMonoSum, wAtoms, wTs)
			}
			if !ok {
				continue
			}
			if len(atoms) > linearAtoms {
				indexed++
			}
			if calls {
				continue
			}
			r := newRing(&work{left: 1 << 40}, e)
			f, err := r.rat(e)
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != len(f.num.terms) {
				t.Fatalf("%d: %s: %d terms, the ring has %d", i, src, len(ts), len(f.num.terms))
			}
			for _, rt := range f.num.terms {
				m := make(mono, len(atoms))
				for v, k := range rt.m {
					if k != 0 {
						m[slices.Index(atoms, r.atoms[v])] = k
					}
				}
				neg := (rt.c.Sign() < 0) != (f.den.constant().Sign() < 0)
				if !slices.ContainsFunc(ts, func(s signedMono) bool { return slices.Equal(s.m, m) && s.neg == neg }) {
					t.Fatalf("%d: %s: the ring's term %v (negative %v) is not among quickPoly's %v", i, src, m, neg, ts)
				}
			}
		}
	}
	if indexed < 100 {
		t.Errorf("only %d polynomials with more than %d atoms", indexed, linearAtoms)
	}
}

// TestQuickScratchIndex: the index of atoms finds each atom of a
// polynomial in many names at its first index, however many there are
// (the index grows), and tells a node from another of equal hash slot.
func TestQuickScratchIndex(t *testing.T) {
	for _, n := range []int{linearAtoms, linearAtoms + 1, 40, 60} {
		var names []string
		for k := range n {
			names = append(names, fmt.Sprintf("a%d", k))
		}
		e := parsetest.MustParse(t, strings.Join(names, " + ")+" + "+strings.Join(names, "*2 + ")+"*2", nil)
		atoms, ts, monoSum, ok := quickPolyOf(e, false)
		if !ok || monoSum || len(atoms) != n || len(ts) != n {
			t.Fatalf("%d names: ok %v, monoSum %v, %d atoms, %d terms", n, ok, monoSum, len(atoms), len(ts))
		}
		for k, a := range atoms {
			if a != ast.Expr(ast.NewSym(names[k])) || ts[k].m[k] != 1 || ts[k].unit {
				t.Fatalf("%d names: atom %d is %s, term %v", n, k, ast.String(a), ts[k])
			}
		}
	}
}
