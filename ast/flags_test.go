package ast

import (
	"math/rand/v2"
	"testing"
)

// TestSubtreeFlags: HasSum and HasZeroInverse, read from the flags each
// node is made with, agree with a walk of the whole tree looking for a
// sum, and for 0 to a negative number, on random trees of every kind of
// node (0 and negative and positive exponents among the numbers, so that
// 0^-1, 0^2 and 2^-1 all occur).
func TestSubtreeFlags(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 15))
	x, y := NewSym("x"), NewSym("y")
	nums := []Expr{Zero, One, NewInt(-1), NewInt(-2), NewInt(2), NewNum(Frac(-1, 2))}
	var gen func(depth int) Expr
	gen = func(depth int) Expr {
		if depth == 0 || rng.IntN(4) == 0 {
			if rng.IntN(2) == 0 {
				return nums[rng.IntN(len(nums))]
			}
			return []Expr{x, y}[rng.IntN(2)]
		}
		switch rng.IntN(9) {
		case 0:
			return NewAdd(gen(depth-1), gen(depth-1))
		case 1:
			return NewMul(gen(depth-1), gen(depth-1), gen(depth-1))
		case 2, 3:
			return NewPow(gen(depth-1), nums[rng.IntN(len(nums))])
		case 4:
			return NewSum(OpSum, "i", One, NewSym("n"), gen(depth-1))
		case 5:
			return NewCall("sin", gen(depth-1))
		case 6:
			return NewDiv(gen(depth-1), gen(depth-1))
		case 7:
			return NewNeg(gen(depth - 1))
		default:
			return NewDeriv(gen(depth-1), x)
		}
	}
	walkFinds := func(e Expr, found func(Expr) bool) bool {
		hit := false
		Inspect(e, func(n Expr) bool {
			if found(n) {
				hit = true
			}
			return !hit
		})
		return hit
	}
	isSum := func(n Expr) bool { _, ok := n.(*Sum); return ok }
	isZeroInverse := func(n Expr) bool {
		p, ok := n.(*Pow)
		if !ok {
			return false
		}
		b, okB := p.X.(*Num)
		e, okE := p.Y.(*Num)
		return okB && okE && b.Value.Sign() == 0 && e.Value.Sign() < 0
	}
	count := map[[2]bool]int{}
	for range 3000 {
		e := gen(5)
		sum, zi := walkFinds(e, isSum), walkFinds(e, isZeroInverse)
		if HasSum(e) != sum {
			t.Fatalf("HasSum(%s) = %v, the walk finds %v", String(e), HasSum(e), sum)
		}
		if HasZeroInverse(e) != zi {
			t.Fatalf("HasZeroInverse(%s) = %v, the walk finds %v", String(e), HasZeroInverse(e), zi)
		}
		count[[2]bool{sum, zi}]++
	}
	if len(count) != 4 {
		t.Errorf("trees by (sum, zero inverse): %v: not every case was met", count)
	}
}
