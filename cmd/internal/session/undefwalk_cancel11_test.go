package session

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// randWideExpr is randUndefExpr with nodes of many parts: sums, products
// (some with a bracket) and max calls of up to 9 of its expressions, one
// in another, so that a node's parts are listed in several chunks.
func randWideExpr(r *rand.Rand, d int) ast.Expr {
	if d == 0 || r.IntN(3) == 0 {
		if r.IntN(3) > 0 { // most parts have a value: the walk goes on past them
			return []ast.Expr{ast.NewSym("x"), ast.NewSym("y"), ast.NewInt(3), ast.NewCall("sin", ast.NewSym("x"))}[r.IntN(4)]
		}
		return randUndefExpr(r, 1+r.IntN(3), nil)
	}
	parts := make([]ast.Expr, 2+r.IntN(8))
	for i := range parts {
		parts[i] = randWideExpr(r, d-1)
	}
	switch r.IntN(4) {
	case 0:
		return ast.NewAdd(parts...)
	case 1:
		return ast.NewMul(parts...)
	case 2: // a bracket among the factors: the others are reached under it
		parts[r.IntN(len(parts))] = ast.NewIverson(ast.NewInt(1), ast.NewSym("n"))
		return ast.NewMul(parts...)
	default:
		return ast.NewCall("max", parts...)
	}
}

// TestUndefinedWalkChunks: undefinedPartWith's walk, listing a node's
// parts walkChunk at a time (a sum of 100,000 terms was listed at once,
// 9 MB with no look at the context), says what the recursion said when it
// listed every part at once (walkRecursive, walkChunk unbounded), and
// visits the same nodes in the same order at the same depths, on
// thousands of random expressions with nodes of up to 9 parts, for chunks
// of 1, 2, 3 and the default.
func TestUndefinedWalkChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	count := 1500
	if testing.Short() {
		count = 150
	}
	defer func(c int) { walkChunk = c }(walkChunk)
	errs, chunked := 0, 0
	for i := range count {
		e := randWideExpr(r, 1+r.IntN(3))
		walkChunk = 1 << 30
		wantErr, wantTrace := undefinedTraced(context.Background(), e, true)
		for _, chunk := range []int{1, 2, 3, 64} {
			walkChunk = chunk
			gotErr, gotTrace := undefinedTraced(context.Background(), e, false)
			if gotErr != wantErr {
				t.Fatalf("%d, chunks of %d: %s: the walk says %q, the recursion %q", i, chunk, ast.String(e), gotErr, wantErr)
			}
			if fmt.Sprint(gotTrace) != fmt.Sprint(wantTrace) {
				t.Fatalf("%d, chunks of %d: %s: the walk visits\n%v\nthe recursion\n%v", i, chunk, ast.String(e), gotTrace, wantTrace)
			}
		}
		if wantErr != "<nil>" {
			errs++
		}
		if len(wantTrace) > 20 {
			chunked++
		}
	}
	t.Logf("%d of %d expressions have a part without a value, %d visit more than 20 nodes", errs, count, chunked)
	if errs < count/10 || errs > count*9/10 || chunked < count/10 {
		t.Errorf("%d of %d expressions have a part without a value, %d visit more than 20 nodes: the test compares too few of a kind", errs, count, chunked)
	}
}

// TestUndefinedWalkWideStops: on a sum of 100,000 terms cancelled at the
// walk's second look (the 33rd node, after the sum's visit has listed
// its terms), the walk allocates no list of the terms (the lists were
// 2 x 9 MB, grown a doubling at a time: 280 ms of the first walk, with no
// look at the context) and visits at most 32 nodes after that look.
func TestUndefinedWalkWideStops(t *testing.T) {
	terms := make([]ast.Expr, 100_000)
	for i := range terms {
		terms[i] = ast.NewPow(ast.NewSym(fmt.Sprintf("x%d", i+1)), ast.NewInt(2))
	}
	e := ast.NewAdd(terms...)
	ast.FreeNames(e) // (kept on the node: not the walk's)
	saved := walkBufPool.New
	defer func() { walkBufPool = sync.Pool{New: saved} }()
	walkBufPool = sync.Pool{New: saved} // no lists left by an earlier walk
	ctx := &countingCtx{Context: context.Background()}
	ctx.limit.Store(2)
	nodes, after := 0, -1
	walkTrace = func(ast.Expr, int) {
		nodes++
		if after >= 0 {
			after++
		} else if ctx.looks.Load() >= 2 {
			after = 0
		}
	}
	defer func() { walkTrace = nil }()
	var before, done runtime.MemStats
	runtime.ReadMemStats(&before)
	err := undefinedPart(ctx, e, nil, simplify.Options{Rules: load.Builtin()})
	runtime.ReadMemStats(&done)
	if err != nil {
		t.Errorf("cancelled: %v, want nil (a stop is said by the caller)", err)
	}
	if alloc := done.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("the cancelled walk allocated %d kB", alloc>>10)
	}
	if after > 32 || nodes > 64 {
		t.Errorf("%d nodes visited, %d after the look that saw the cancellation", nodes, after)
	}
}

// TestUndefinedAssumedStops: undefinedAssumed and undefinedResult look at
// the context every inspectLook steps of their walks, not at each node,
// and end at the look that sees it cancelled: on a sum of 100,000 terms
// the walks asked it at every node and went on through the rest of the
// terms after a Ctrl-C (100,000 looks more).
func TestUndefinedAssumedStops(t *testing.T) {
	terms := make([]ast.Expr, 100_000)
	for i := range terms {
		terms[i] = ast.NewSym(fmt.Sprintf("x%d", i+1))
	}
	e := ast.NewAdd(terms...)
	withRoot := ast.NewAdd(e, ast.NewPow(ast.NewInt(-1), ast.NewNum(ast.Frac(1, 2)))) // sqrt(-1): a part without names
	s := New()
	if err := s.AddAssumption("x1 > 0"); err != nil {
		t.Fatal(err)
	}
	for _, at := range []int64{1, 3} {
		for _, c := range []struct {
			name string
			run  func(ctx context.Context) error
		}{
			{"undefinedAssumed", func(ctx context.Context) error { return s.undefinedAssumed(ctx, e) }},
			{"undefinedResult", func(ctx context.Context) error {
				return s.undefinedResult(ctx, e, &simplify.Result{Expr: withRoot})
			}},
		} {
			ctx := &countingCtx{Context: context.Background()}
			ctx.limit.Store(at)
			if err := c.run(ctx); err != nil {
				t.Errorf("%s cancelled at look %d: %v, want nil (a stop is said by the caller)", c.name, at, err)
			}
			if looks := ctx.looks.Load(); looks != at {
				t.Errorf("%s cancelled at look %d: looked %d times", c.name, at, looks)
			}
		}
	}
}

// TestUndefinedAssumedAgrees: undefinedAssumed and undefinedResult, walking
// by inspectContext, say what they said walking by ast.InspectOnce (their
// copies below, as they were), on thousands of random expressions with
// logs, roots and fractional powers of arguments negative somewhere or
// everywhere, without assumptions and under two sets of them.
func TestUndefinedAssumedAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	g := parsetest.NewGen(rng)
	x, y := ast.NewSym("x"), ast.NewSym("y")
	half, mhalf := ast.NewNum(ast.Frac(1, 2)), ast.NewNum(ast.Frac(-1, 2))
	args := func() ast.Expr {
		switch rng.IntN(8) {
		case 0:
			return ast.NewNeg(x)
		case 6: // more than maxAssumedArg nodes, a polynomial
			terms := []ast.Expr{ast.NewNeg(x)}
			for k := range 40 + rng.IntN(40) {
				terms = append(terms, ast.NewNeg(ast.NewPow(ast.NewIndex("a", ast.NewInt(int64(k))), ast.NewInt(2))))
			}
			return ast.NewAdd(terms...)
		case 7: // a tree of hundreds of nodes, a few dozen distinct
			u := ast.Expr(ast.NewNeg(x))
			for range 2 + rng.IntN(6) {
				u = ast.NewAdd(ast.NewMul(u, ast.NewAdd(u, y)), ast.NewInt(-1))
			}
			return u
		case 1:
			return ast.NewAdd(ast.NewNeg(x), ast.NewNeg(ast.NewPow(y, ast.NewInt(2))))
		case 2:
			return ast.NewNeg(ast.NewCall("exp", y))
		case 3:
			return ast.NewAdd(ast.NewInt(-1), ast.NewNeg(ast.NewPow(x, ast.NewInt(2))))
		case 4:
			return ast.NewMul(x, y)
		default:
			return g.Expr(2)
		}
	}
	wrap := func(u ast.Expr) ast.Expr {
		switch rng.IntN(5) {
		case 0:
			return ast.NewCall("log", u)
		case 1:
			return ast.NewCall("sqrt", u)
		case 2:
			return ast.NewPow(u, half)
		case 3:
			return ast.NewPow(u, mhalf)
		default:
			return ast.NewPow(u, ast.NewNum(ast.Frac(3, 4)))
		}
	}
	sessions := [][]string{nil, {"x > 0"}, {"x > 0", "y < 0"}}
	count := 2000
	if testing.Short() {
		count = 200
	}
	found, foundResult := 0, 0
	for i := range count {
		parts := []ast.Expr{g.Expr(3)}
		for range 1 + rng.IntN(3) {
			p := wrap(args())
			if rng.IntN(3) == 0 {
				p = ast.NewMul(g.Expr(2), p)
			}
			parts = append(parts, p)
		}
		e := ast.Expr(ast.NewAdd(parts...))
		if rng.IntN(4) == 0 {
			e = ast.NewCall("sin", e)
		}
		s := New()
		for _, a := range sessions[i%len(sessions)] {
			if err := s.AddAssumption(a); err != nil {
				t.Fatal(err)
			}
		}
		ctx := context.Background()
		got, want := fmt.Sprint(s.undefinedAssumed(ctx, e)), fmt.Sprint(undefinedAssumedInspect(ctx, s, e))
		if got != want {
			t.Fatalf("%d: undefinedAssumed(%s) under %v: %s; by ast.InspectOnce %s", i, ast.String(e), s.Assume, got, want)
		}
		if want != "<nil>" {
			found++
		}
		r, err := simplify.Simplify(ctx, e, s.options())
		if err != nil {
			continue
		}
		got, want = fmt.Sprint(s.undefinedResult(ctx, e, r)), fmt.Sprint(undefinedResultInspect(ctx, s, e, r))
		if got != want {
			t.Fatalf("%d: undefinedResult(%s) (simplified to %s) under %v: %s; by ast.InspectOnce %s", i, ast.String(e), ast.String(r.Expr), s.Assume, got, want)
		}
		if want != "<nil>" {
			foundResult++
		}
	}
	if found < count/10 || found > count*9/10 || foundResult == 0 {
		t.Errorf("undefinedAssumed found a part in %d of %d, undefinedResult in %d: the test compares too few of a kind", found, count, foundResult)
	}
}

// undefinedResultInspect is undefinedResult as it was, by ast.InspectOnce.
func undefinedResultInspect(ctx context.Context, s *Session, e ast.Expr, r *simplify.Result) error {
	var in map[ast.Expr]bool
	var part ast.Expr
	var why string
	ast.InspectOnce(r.Expr, func(x ast.Expr) bool {
		if part != nil || ctx.Err() != nil {
			return false
		}
		switch x := x.(type) {
		case *ast.Num, *ast.If, *ast.Sum:
			return false
		case *ast.Mul:
			for _, f := range x.Factors {
				if _, ok := f.(*ast.Iverson); ok {
					return false
				}
			}
		}
		if len(ast.FreeNames(x)) > 0 {
			return true
		}
		if ast.HasSum(x) {
			return false
		}
		if in == nil {
			in = map[ast.Expr]bool{}
			ast.InspectOnce(s.Defs.Expand(e), func(y ast.Expr) bool { in[y] = true; return true })
		}
		if in[x] {
			return false
		}
		if w, undefined, _ := noValue(ctx, x, s.evalDefs()); undefined {
			part, why = x, w
		}
		return false
	})
	if part == nil {
		return nil
	}
	where := "for every value of its names"
	if len(s.Assume) > 0 {
		as := make([]string, len(s.Assume))
		for i, a := range s.Assume {
			as[i] = strings.TrimPrefix(ast.StmtString(a), "assume ")
		}
		where = "wherever the assumptions hold (" + strings.Join(as, ", ") + ")"
	}
	return &partError{x: e, msg: fmt.Sprintf("%s is undefined %s: it simplifies to %s, and %v", ast.String(e), where, ast.String(r.Expr), undefinedError(part, why))}
}

// undefinedAssumedInspect is undefinedAssumed as it was, by
// ast.InspectOnce.
func undefinedAssumedInspect(ctx context.Context, s *Session, e ast.Expr) error {
	where := "for every value"
	if len(s.Assume) > 0 {
		where = "wherever the assumptions hold (" + s.assumptionsText() + ")"
	}
	always := func(c ast.Expr) bool {
		r, err := simplify.Simplify(ctx, ast.NewIf(c, ast.One, ast.Zero), s.options())
		return err == nil && r.Expr == ast.One
	}
	larger := func(e ast.Expr, n int) bool {
		count := 0
		ast.InspectOnce(e, func(ast.Expr) bool {
			count++
			return count <= n
		})
		return count > n
	}
	var found error
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if found != nil || ctx.Err() != nil {
			return false
		}
		var u ast.Expr
		op, what := ast.CondLt, "negative"
		switch x := x.(type) {
		case *ast.If, *ast.Sum, *ast.Iverson, *ast.Condition:
			return false
		case *ast.Mul:
			for _, f := range x.Factors {
				if _, ok := f.(*ast.Iverson); ok {
					return false
				}
			}
		case *ast.Call:
			switch {
			case x.Fn == "sqrt" && len(x.Args) == 1:
				u = x.Args[0]
			case x.Fn == "log" && len(x.Args) == 1:
				u, op, what = x.Args[0], ast.CondLe, "not positive"
			}
		case *ast.Pow:
			if n, ok := x.Y.(*ast.Num); ok && !n.Value.IsInt() && evenDenominator(n.Value) {
				u = x.X
				if n.Value.Sign() < 0 {
					op, what = ast.CondLe, "not positive"
				}
			}
		}
		if u == nil || len(s.Assume) == 0 && !polynomial(u) && u.Size() > smallArg {
			return true
		}
		if len(ast.FreeNames(u)) == 0 || larger(u, maxAssumedArg) {
			return true
		}
		if len(s.Assume) == 0 && insideSomewhere(ctx, u, s.evalDefs()) {
			return true
		}
		if always(ast.NewCompare(op, u, ast.Zero)) {
			found = &partError{x: x, msg: fmt.Sprintf("%s is undefined %s: %s is %s there", ast.String(x), where, ast.String(u), what)}
		}
		return found == nil
	})
	return found
}
