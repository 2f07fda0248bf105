package algebra

import (
	"context"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestMulBlocksSameAsMulMap: a product computed in blocks (as it is when
// it can be cancelled) has the terms of the product computed at once,
// and both agree with the product of the factors' values at random
// rational points. The factors have terms that cancel (p*(q - p) etc.),
// and sizes on both sides of mulBlock.
func TestMulBlocksSameAsMulMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(30, 11))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 16 {
		w := &work{left: 1 << 40, ctx: ctx}
		sp := space{n: 3, w: w}
		n1, n2 := 20+rng.IntN(180), 20+rng.IntN(180)
		p := randFactorPoly(rng, sp, 3, n1, 8)
		q := randFactorPoly(rng, sp, 3, n2, 8)
		if i%3 == 0 {
			q = q.sub(p) // products of p*q and p*p cancel in part
		}
		if p.isZero() || q.isZero() {
			continue
		}
		once := poly{space: space{n: 3}, terms: p.terms}.mulMap(poly{space: space{n: 3}, terms: q.terms})
		blocks := p.mulMap(q)
		if len(p.terms)*len(q.terms) > mulBlock && !once.equal(blocks) {
			t.Fatalf("case %d (%d×%d terms): blocks give %d terms, at once %d", i, len(p.terms), len(q.terms), len(blocks.terms), len(once.terms))
		}
		for range 3 {
			xs := make([]*big.Rat, 3)
			for j := range xs {
				xs[j] = big.NewRat(rng.Int64N(41)-20, 1+rng.Int64N(7))
			}
			want := new(big.Rat).Mul(evalAt(p, xs), evalAt(q, xs))
			if got := evalAt(blocks, xs); got.Cmp(want) != 0 {
				t.Fatalf("case %d at %v: product is %v, want %v", i, xs, got, want)
			}
		}
	}
}

// TestMulStopsWhenCancelled: a product of 3060×4845 terms (the largest
// step of (x + y + z + w + 1)^30) stops soon after its context is done,
// with the context's error.
func TestMulStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w := &work{left: 1 << 40, ctx: ctx}
	sp := space{n: 4, w: w}
	s := intPoly(sp, 1)
	for v := range 4 {
		s = s.add(varPoly(sp, v, 1))
	}
	a, b := s.pow(14), s.pow(16)
	cancel()
	var err error
	func() {
		defer catch(&err)
		a.mul(b)
	}()
	if err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
