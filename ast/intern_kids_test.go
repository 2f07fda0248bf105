package ast

import (
	"math/rand/v2"
	"testing"
)

// TestSameKidsOracle: sameKids, word by word for short lists and a block
// at a time for long ones, agrees with comparing the nodes one by one,
// on lists of every length up to past the block, equal or differing at
// one random place (by a node, or by a node of another type with the
// same pointer bits' neighbour).
func TestSameKidsOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 11))
	pool := []Expr{NewSym("a"), NewSym("b"), NewInt(7), NewNeg(NewSym("a")), NewCall("sin", NewSym("b")), One, Zero}
	oracle := func(a, b []Expr) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	equal, differ := 0, 0
	for range 20000 {
		n := r.IntN(80)
		a := make([]Expr, n)
		for i := range a {
			a[i] = pool[r.IntN(len(pool))]
		}
		b := append([]Expr(nil), a...)
		switch r.IntN(3) {
		case 0:
			if n > 0 {
				b[r.IntN(n)] = pool[r.IntN(len(pool))]
			}
		case 1:
			if n > 0 && r.IntN(2) == 0 {
				b = b[:n-1]
			} else {
				b = append(b, pool[r.IntN(len(pool))])
			}
		}
		got, want := sameKids(a, b), oracle(a, b)
		if got != want {
			t.Fatalf("sameKids(%v, %v) = %v, want %v", a, b, got, want)
		}
		if want {
			equal++
		} else {
			differ++
		}
	}
	if equal < 5000 || differ < 5000 {
		t.Errorf("%d equal and %d differing pairs: the generator should make more of each", equal, differ)
	}
}
