package session

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// randUndefExpr is a random expression of depth at most d with the parts
// undefinedPart looks at: quotients by parts that are 0 everywhere, logs
// and roots of constants, 0 to powers with names, ifs, sums and means
// (some over empty ranges), products with brackets; vars are the sums'
// indices in scope.
func randUndefExpr(r *rand.Rand, d int, vars []string) ast.Expr {
	x, y, n := ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("n")
	zero := ast.NewAdd(x, ast.NewNeg(x)) // x - x
	if d == 0 || r.IntN(5) == 0 {
		leaves := []ast.Expr{x, y, n, ast.Zero, ast.NewInt(1), ast.NewInt(2), ast.NewInt(-1), zero}
		if len(vars) > 0 {
			v := ast.NewSym(vars[r.IntN(len(vars))])
			leaves = append(leaves, v, ast.NewIndex("w", v))
		}
		return leaves[r.IntN(len(leaves))]
	}
	sub := func() ast.Expr { return randUndefExpr(r, d-1, vars) }
	switch r.IntN(17) {
	case 0:
		return ast.NewAdd(sub(), sub())
	case 1:
		return ast.NewMul(sub(), sub())
	case 2:
		return ast.NewDiv(sub(), sub())
	case 3:
		return ast.NewDiv(sub(), zero)
	case 4:
		return ast.NewPow(sub(), ast.NewInt(2))
	case 5:
		return ast.NewPow(sub(), ast.NewDiv(ast.NewInt(1), ast.NewInt(2)))
	case 6:
		return ast.NewPow(ast.NewAdd(zero, sub()), y)
	case 7:
		return ast.NewCall("log", sub())
	case 8:
		return ast.NewCall("log", ast.NewAdd(zero, ast.NewInt(int64(r.IntN(3)-1))))
	case 9:
		return ast.NewCall("sqrt", ast.NewAdd(zero, ast.NewInt(-1)))
	case 10:
		return ast.NewCall("sin", sub())
	case 11:
		return ast.NewIf(ast.NewCompare(ast.CondLt, ast.Zero, x), sub(), sub())
	case 12:
		return ast.NewIf(ast.NewCompare(ast.CondLt, sub(), ast.NewInt(1)), sub(), sub())
	case 13, 14:
		v := fmt.Sprintf("i%d", len(vars))
		op := ast.OpSum
		if r.IntN(2) == 0 {
			op = ast.OpMean
		}
		lo := ast.Expr(ast.NewInt(1))
		if len(vars) > 0 && r.IntN(2) == 0 {
			lo = ast.NewAdd(ast.NewSym(vars[len(vars)-1]), ast.NewInt(1)) // empty at the top
		}
		return ast.NewSum(op, v, lo, n, randUndefExpr(r, d-1, append(vars[:len(vars):len(vars)], v)))
	case 15:
		if len(vars) > 0 {
			return ast.NewMul(ast.NewIverson(ast.NewSym(vars[0]), ast.NewInt(2)), sub())
		}
		return ast.NewMul(ast.NewIverson(ast.NewInt(1), n), sub())
	default:
		return ast.NewNeg(sub())
	}
}

// undefinedTraced is undefinedPart's error and the nodes its walk
// visited, with their depths, walked by the recursion or by runWalk.
func undefinedTraced(ctx context.Context, e ast.Expr, recursive bool) (string, []string) {
	var trace []string
	walkTrace = func(x ast.Expr, depth int) { trace = append(trace, fmt.Sprintf("%d %p", depth, x)) }
	undefinedRecursive = recursive
	defer func() { walkTrace, undefinedRecursive = nil, false }()
	err := undefinedPart(ctx, e, nil, simplify.Options{Rules: load.Builtin()})
	return fmt.Sprint(err), trace
}

// TestUndefinedWalkOrder: undefinedPartWith's walk on its own stack
// (runWalk) visits the nodes of thousands of random expressions in the
// order, and at the depths, of the recursion it replaced (walkRecursive),
// and says the same. Parts of them have no value, some several, so an
// order changed finds another part first.
func TestUndefinedWalkOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	count := 3000
	if testing.Short() {
		count = 300
	}
	errs := 0
	for i := range count {
		e := randUndefExpr(r, 1+r.IntN(6), nil)
		wantErr, wantTrace := undefinedTraced(context.Background(), e, true)
		gotErr, gotTrace := undefinedTraced(context.Background(), e, false)
		if gotErr != wantErr {
			t.Fatalf("%d: %s: runWalk says %q, the recursion %q", i, ast.String(e), gotErr, wantErr)
		}
		if fmt.Sprint(gotTrace) != fmt.Sprint(wantTrace) {
			t.Fatalf("%d: %s: runWalk visits\n%v\nthe recursion\n%v", i, ast.String(e), gotTrace, wantTrace)
		}
		if wantErr != "<nil>" {
			errs++
		}
	}
	if errs < count/10 || errs > count*9/10 {
		t.Errorf("%d of %d expressions have a part without a value: the test compares too few of one kind", errs, count)
	}
}

// countingCtx is a context that cancels itself at its limit-th look and
// counts the looks.
type countingCtx struct {
	context.Context
	looks, limit atomic.Int64
}

func (c *countingCtx) Err() error {
	if c.looks.Add(1) >= c.limit.Load() {
		return context.Canceled
	}
	return nil
}

// TestUndefinedWalkDeepStops: on sin nested past maxUndefinedDepth (a
// where clause's parts, each naming the one before), the walk says it is
// too deep without growing the goroutine's stack (the recursion grew it
// by hundreds of MB, a doubling at a time, copies with no look at the
// context: Ctrl-C took seconds), and a cancellation is seen within 32
// nodes of the look that reports it, wherever in the depth it comes.
func TestUndefinedWalkDeepStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 200,000 nodes")
	}
	e := ast.Expr(ast.NewSym("x"))
	for range maxUndefinedDepth + 10 {
		e = ast.NewCall("sin", e)
	}
	var before, after runtime.MemStats
	var err error
	done := make(chan struct{})
	go func() { // a goroutine of its own, with a small stack
		defer close(done)
		runtime.ReadMemStats(&before)
		err = undefinedPart(context.Background(), e, nil, simplify.Options{Rules: load.Builtin()})
		runtime.ReadMemStats(&after)
	}()
	<-done
	if want := fmt.Sprintf("the expression is nested more than %d deep: too deep to check that every part has a value", maxUndefinedDepth); fmt.Sprint(err) != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if grown := int64(after.StackInuse) - int64(before.StackInuse); grown > 4<<20 {
		t.Errorf("the stacks grew by %d MB", grown>>20)
	}
	for _, at := range []int64{1, 2, 1000, 5000} {
		ctx := &countingCtx{Context: context.Background()}
		ctx.limit.Store(at)
		nodes, after := 0, -1
		walkTrace = func(ast.Expr, int) {
			nodes++
			if after < 0 && ctx.looks.Load() >= at {
				after = 0
			} else if after >= 0 {
				after++
			}
		}
		err := undefinedPart(ctx, e, nil, simplify.Options{Rules: load.Builtin()})
		walkTrace = nil
		if err != nil {
			t.Errorf("cancelled at look %d: %v, want nil (a stop is said by the caller)", at, err)
		}
		if after > 32 || nodes > int(at)*32+32 {
			t.Errorf("cancelled at look %d: %d nodes visited, %d after the look that saw it", at, nodes, after)
		}
	}
}
