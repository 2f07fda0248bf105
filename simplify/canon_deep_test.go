package simplify

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// withDeepCanon runs f with canonTallParts on from a height of 1 (every
// part with parts of its own done first, from the bottom up), or off.
func withDeepCanon(on bool, f func()) {
	savedH, savedP, savedOff := deepCanonHeight, prewarmHeight, deepCanonOff
	deepCanonHeight, prewarmHeight, deepCanonOff = 1, 1, !on
	defer func() { deepCanonHeight, prewarmHeight, deepCanonOff = savedH, savedP, savedOff }()
	f()
}

// TestCanonTallPartsAgree: canonicalising the parts of a tree from the
// bottom up first (canonTallParts, here on every tree taller than 1)
// gives what the recursion alone gives: the canonical form, the display,
// the stop reason and its detail, and the same steps (in an order of
// their own: the trace compared sorted), on random expressions (the
// soundness tests' generator), their derivatives and random sums of
// products of sums, some under assumptions.
func TestCanonTallPartsAgree(t *testing.T) {
	rs := load.Builtin()
	g := parsetest.NewGen(rand.New(rand.NewPCG(9, 27)))
	pg := &polyGen{rng: rand.New(rand.NewPCG(27, 9))}
	x, y := ast.NewSym("x"), ast.NewSym("y")
	assumptions := [][]*ast.AssumeStmt{nil, {{X: y, Ops: []string{">"}, Rest: []ast.Expr{ast.Zero}}}}
	n := 1000
	if testing.Short() {
		n = 200
	}
	prewarmed := 0
	for i := range n {
		var in ast.Expr
		switch i % 3 {
		case 0:
			in = g.Expr(5)
		case 1:
			in = ast.NewDeriv(g.Expr(4), x)
		default:
			in = ast.NewCall("log", ast.NewPow(pg.sum(), ast.NewDiv(ast.One, ast.NewAdd(pg.sum(), ast.NewCall("sin", pg.sum())))))
		}
		as := assumptions[i%len(assumptions)]
		run := func() *Result {
			s := New(Options{Rules: rs, Assume: as})
			res, err := s.Simplify(context.Background(), in)
			if err != nil {
				t.Fatalf("Simplify(%s): %v", ast.String(in), err)
			}
			return res
		}
		var on, off *Result
		withDeepCanon(true, func() { on = run() })
		withDeepCanon(false, func() { off = run() })
		if in.Height() > 2 {
			prewarmed++
		}
		if on.Canonical != off.Canonical || on.Expr != off.Expr || on.Stop != off.Stop || on.Detail != off.Detail {
			t.Fatalf("#%d Simplify(%s):\n bottom up %s | %s (%v %s)\n recursion %s | %s (%v %s)", i, ast.String(in),
				ast.String(on.Canonical), ast.String(on.Expr), on.Stop, on.Detail, ast.String(off.Canonical), ast.String(off.Expr), off.Stop, off.Detail)
		}
		a, b := traceText(off.Trace), traceText(on.Trace)
		slices.Sort(a)
		slices.Sort(b)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("#%d Simplify(%s): the steps differ (-recursion +bottom up):\n%s", i, ast.String(in), diff)
		}
	}
	if prewarmed < n/2 {
		t.Errorf("only %d of %d inputs had parts done first", prewarmed, n)
	}
}

// lookCtx is a context that is cancelled from its limit-th look, and
// notes when it first said so.
type lookCtx struct {
	context.Context
	looks, limit atomic.Int64
	at           atomic.Pointer[time.Time]
}

func (c *lookCtx) Err() error {
	if c.looks.Add(1) >= c.limit.Load() {
		now := time.Now()
		c.at.CompareAndSwap(nil, &now)
		return context.Canceled
	}
	return nil
}

// TestCanonDeepStops: sin nested 300,000 deep (a where clause's parts,
// each naming the one before) is simplified without the goroutine's stack
// growing (the recursion grew it by hundreds of MB, a doubling at a time,
// copies that looked at no context: Ctrl-C took seconds), and a
// cancellation seen early, midway or late returns within 100 ms.
func TestCanonDeepStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 300,000 nodes")
	}
	e := ast.Expr(ast.NewSym("x"))
	for range 300_000 {
		e = ast.NewCall("sin", e)
	}
	var before, after runtime.MemStats
	var res *Result
	var err error
	done := make(chan struct{})
	go func() { // a goroutine of its own, with a small stack
		defer close(done)
		runtime.ReadMemStats(&before)
		res, err = Simplify(context.Background(), e, Options{Rules: load.Builtin()})
		runtime.ReadMemStats(&after)
	}()
	<-done
	if err != nil || res.Canonical != e {
		t.Fatalf("Simplify: %v, canonical form changed: %v", err, res != nil && res.Canonical != e)
	}
	if grown := int64(after.StackInuse) - int64(before.StackInuse); grown > 8<<20 {
		t.Errorf("the stacks grew by %d MB", grown>>20)
	}
	for _, look := range []int64{1, 100, 3000, 9000} {
		ctx := &lookCtx{Context: context.Background()}
		ctx.limit.Store(look)
		res, err := Simplify(ctx, e, Options{Rules: load.Builtin()})
		end := time.Now()
		if at := ctx.at.Load(); at == nil {
			t.Errorf("cancelled at look %d: the context was looked at %d times", look, ctx.looks.Load())
		} else if took := end.Sub(*at); took > 100*time.Millisecond {
			t.Errorf("cancelled at look %d: returned %v after the look that saw it", look, took)
		}
		if err == nil && res.Stop != StopCanceled {
			t.Errorf("cancelled at look %d: stop %v, want %v", look, res.Stop, StopCanceled)
		}
	}
}
