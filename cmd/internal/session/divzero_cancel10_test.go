package session

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestMayDivideByZeroAgrees: on random expressions past maxTreeWalk
// (100 sums of random parts, some shared, a division put in at random or
// not), the walk on its own stack gives the tree walk's answer.
func TestMayDivideByZeroAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2))
	g := parsetest.NewGen(rng)
	yes := 0
	for i := range 100 {
		var parts []ast.Expr
		size := int64(0)
		for size <= maxTreeWalk {
			p := g.Expr(4)
			if rng.IntN(3) == 0 && len(parts) > 0 {
				p = ast.NewMul(p, parts[rng.IntN(len(parts))])
			}
			if !mayDivideByZeroTree(p) {
				parts = append(parts, p)
				size += p.Size()
			}
		}
		if rng.IntN(2) == 0 { // one part that may divide by zero, anywhere
			for {
				if p := g.Expr(4); mayDivideByZeroTree(p) {
					j := rng.IntN(len(parts))
					parts[j] = ast.NewMul(parts[j], p)
					break
				}
			}
		}
		e := ast.NewAdd(parts...)
		got, err := mayDivideByZeroCtx(context.Background(), e)
		want := mayDivideByZeroTree(e)
		if err != nil || got != want {
			t.Fatalf("case %d: mayDivideByZeroCtx = %v, %v; the tree walk says %v", i, got, err, want)
		}
		if got {
			yes++
		}
	}
	if yes < 20 || yes > 80 {
		t.Errorf("%d of 100 may divide by zero: the cases do not test both answers", yes)
	}
}

// TestMayDivideByZeroStops: on a sum of 200,000 squares, a cancellation
// seen at any look is returned at once (a look every divLook nodes).
func TestMayDivideByZeroStops(t *testing.T) {
	terms := make([]ast.Expr, 200_000)
	for i := range terms {
		terms[i] = ast.NewPow(ast.NewIndex("x", ast.NewInt(int64(i+1))), ast.NewInt(2))
	}
	e := ast.NewAdd(terms...)
	if may, err := mayDivideByZeroCtx(context.Background(), e); may || err != nil {
		t.Fatalf("mayDivideByZeroCtx = %v, %v; want false, nil", may, err)
	}
	for _, at := range []int64{1, 3, 40} {
		ctx := &countingCtx{Context: context.Background()}
		ctx.limit.Store(at)
		may, err := mayDivideByZeroCtx(ctx, e)
		if may || !errors.Is(err, context.Canceled) || ctx.looks.Load() != at {
			t.Errorf("cancelled at look %d: %v, %v after %d looks; want false, context.Canceled", at, may, err, ctx.looks.Load())
		}
	}
}
