package session

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestHasVerbAgrees: on thousands of random expressions past the size
// walked as a tree (sums and products of random parts, sharing some,
// a verb call put in at random or not at all), the walk with its own
// stack gives hasVerbTree's answer (the recursive walk, its oracle).
func TestHasVerbAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	g := parsetest.NewGen(rng)
	verbs := []string{"expand", "factor", "together"}
	for i := range 3000 {
		var parts []ast.Expr
		for len(parts) < 2 || ast.NewAdd(parts...).Size() <= 1000 {
			p := g.Expr(5)
			if rng.IntN(3) == 0 && len(parts) > 0 {
				p = ast.NewMul(p, parts[rng.IntN(len(parts))]) // shared
			}
			parts = append(parts, p)
		}
		if rng.IntN(2) == 0 { // a verb somewhere, as deep as a part goes
			j := rng.IntN(len(parts))
			p := parts[j]
			v := ast.Expr(ast.NewCall(verbs[rng.IntN(len(verbs))], ast.NewSym("x")))
			for range rng.IntN(4) {
				v = ast.NewCall("sin", v)
			}
			parts[j] = ast.NewMul(p, v)
		}
		e := ast.Expr(ast.NewAdd(parts...))
		for range rng.IntN(3) {
			e = ast.NewCall("exp", e)
		}
		got, err := hasVerb(context.Background(), e)
		if want := hasVerbTree(e); err != nil || got != want {
			t.Fatalf("case %d: hasVerb = %v, %v; the tree walk says %v (size %d)", i, got, err, want, e.Size())
		}
	}
}

// TestHasVerbDeepStops: on sin nested 700,000 deep (a where clause's
// parts, each naming the one before) hasVerb answers without recursion,
// and a cancellation seen at any look of its context is returned within
// 100 ms (a look every verbLook nodes).
func TestHasVerbDeepStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 700,000 nodes")
	}
	e := ast.Expr(ast.NewSym("x"))
	for range 700_000 {
		e = ast.NewCall("sin", e)
	}
	if has, err := hasVerb(context.Background(), e); has || err != nil {
		t.Fatalf("hasVerb = %v, %v; want false, nil", has, err)
	}
	if has, err := hasVerb(context.Background(), ast.NewCall("sin", ast.NewCall("expand", e))); !has || err != nil {
		t.Fatalf("a verb at the top: hasVerb = %v, %v; want true, nil", has, err)
	}
	for _, at := range []int64{1, 2, 50, 170} {
		ctx := &countingCtx{Context: context.Background()}
		ctx.limit.Store(at)
		start := time.Now()
		has, err := hasVerb(ctx, e)
		took := time.Since(start)
		if !errors.Is(err, context.Canceled) || has {
			t.Errorf("cancelled at look %d: %v, %v; want false, context.Canceled", at, has, err)
		}
		if ctx.looks.Load() != at {
			t.Errorf("cancelled at look %d: looked %d times", at, ctx.looks.Load())
		}
		// The whole call, not only the part after the look: at most
		// verbLook nodes a look, 170 looks are the whole walk.
		if per := took / time.Duration(at); per > 100*time.Millisecond {
			t.Errorf("cancelled at look %d: %v, %v a look", at, took, per)
		}
	}
}
