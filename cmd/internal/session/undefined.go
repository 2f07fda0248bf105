package session

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// undefinedPrec is the precision at which a part with no names is
// evaluated to see whether it has a value.
const undefinedPrec = 256

// undefinedPart finds a part of e that has no value: 0/0, log(0),
// sin(0)/0 after subs(sin(x)/x, x = 0), a mean over an empty range. The
// canonical form takes 0*u to 0 and u - u to 0 whatever u is, which
// extends a domain where u has names (x*log(x) is 0 at x = 0 only in the
// limit), but turns a part that is undefined at every point into a number:
// simplify 0/0 printed 0, and subs(sin(x)/x, x = 0) printed 0. A part
// counts as undefined when neither float64 nor high-precision evaluation
// gives it a value for a reason of domain (1/10^400 is defined: float64
// alone fails there). The pieces of an if and a product with a condition
// ([k <= 2]*u is 0 where the condition fails, even where u is undefined)
// are not looked into. The body of a sum is looked into where the sum's
// range holds a point for every value of the sizes (an empty sum is 0
// whatever its body), the body of a mean always (a mean over no terms has
// no value either): a part of it is undefined when it is so at every point
// of the ranges in scope, and a mean when its range is empty at one point
// of them (mean(j=i+1..n, ...) inside sum(i=1..n, ...) at i = n). The
// error says which part and why.
func undefinedPart(ctx context.Context, e ast.Expr, defs *ast.Defs, opt simplify.Options) error {
	return undefinedPartWith(ctx, e, defs, opt, nil)
}

// undefinedPartWith is undefinedPart with canon, if not nil, for the
// canonical forms of parts: a caller that canonicalises e or its parts
// itself shares its memo.
func undefinedPartWith(ctx context.Context, e ast.Expr, defs *ast.Defs, opt simplify.Options, canon func(ast.Expr) ast.Expr) error {
	var found error
	canonical := func(e ast.Expr) ast.Expr {
		if canon == nil {
			canon = simplify.PlainCanonicalizer() // made on first use, shared by the parts
		}
		return canon(e)
	}
	// constant returns the canonical form of e when it has no names left
	// (x - x - 1 is -1): the value of a log's or a root's argument that is
	// the same at every point.
	constant := func(e ast.Expr) (ast.Expr, bool) {
		if c, ok := e.(*ast.Call); ok && positiveFunc(c.Fn) {
			return nil, false // sigma(z) in log(sigma(z)): never 0
		}
		if undefinedShortcuts && oneMinusUnit(e) {
			return nil, false // 1 - sigma(z) in log(1 - sigma(z)): never 0 either
		}
		c := canonical(e)
		if !ast.HasFreeNames(c) && !hasLongSum(ctx, c, defs) {
			return c, true
		}
		return nil, false
	}
	zeroEverywhere := func(e ast.Expr) bool {
		c, ok := constant(e)
		if !ok {
			return false
		}
		if c == ast.Zero {
			return true
		}
		// 1 - exp(x - x): the canonical form without rules leaves exp(0);
		// with no names left, its value decides, as for a divisor
		// without names below.
		return zeroAtPrecisions(ctx, c, defs)
	}
	// outsideEverywhere says why f(u) has no value at any point where u
	// has the same value c at every point and f(c) has none (log(x - x -
	// 1) is log(-1); the canonical form keeps it as a number).
	outsideEverywhere := func(f func(ast.Expr) ast.Expr, u, c ast.Expr) (string, bool) {
		if _, _, valued := noValue(ctx, c, defs); !valued {
			return "", false // (-3)^(2/3) in c: the walk finds it there
		}
		at := f(c)
		if _, undefined, _ := noValue(ctx, at, defs); !undefined {
			return "", false
		}
		return fmt.Sprintf("%s is undefined (%s is %s for every value)", ast.String(at), ast.String(u), ast.String(c)), true
	}
	// where is report's error under conditions (made here, not in each
	// visit's closure: capturing e and opt there cost W1 a tenth more
	// walk).
	where := func(x ast.Expr, why string, frames []frame) error {
		err := undefinedWhere(ctx, x, why, frames, defs, newReachLimits(e, opt))
		if pe, ok := err.(*partError); ok {
			pe.occ, pe.n = occurrence(e, x, frames)
		}
		return err
	}
	// negativeWhere is where's error for 0^u, u with names, under the
	// further condition u < 0 (nil where no point reached has u < 0).
	negativeWhere := func(x *ast.Pow, why string, frames []frame) error {
		cond := ast.NewCompare(ast.CondLt, x.Y, ast.Zero)
		inner := append(slices.Clip(frames), frame{at: ast.NewIf(cond, x, ast.Zero), what: "where the exponent is negative"})
		err := undefinedWhere(ctx, x, why, inner, defs, newReachLimits(e, opt))
		if pe, ok := err.(*partError); ok {
			pe.occ, pe.n = occurrence(e, x, frames) // (the condition is no place in e)
		}
		return err
	}
	// The walk keeps its own stack of tasks, not the goroutine's: a part
	// nested 700,000 deep (a where clause naming each part by the one
	// before) grew the stack by recursion to hundreds of MB, a doubling
	// at a time, each copy seconds of page faults with no look at the
	// context (and past 1 GB a fatal overflow). A node's visit lists what
	// comes next in the order the recursion did it (its parts, and for an
	// if or a sum the rest of its visit once a part is done); runWalk
	// does the list last-in first-out, so the order, the polls and the
	// result are the recursion's (TestUndefinedWalkOrder compares them).
	polls, cancelled, tooDeep := 0, false, false
	// report says that x is undefined, for every value of the names it
	// has, where it is reached.
	report := func(x ast.Expr, scope []binding, frames []frame, why string) {
		if !guarded(frames) {
			if len(scope) == 0 {
				found = undefinedError(x, why)
				return
			} else if _, ok := witness(scope, nil, canonical); ok {
				found = undefinedError(x, why)
				return
			}
		}
		// Reached only where a condition holds: said with it, if exact
		// arithmetic finds a point where it does.
		found = where(x, why, frames)
	}
	// visit does task t and appends what follows it to next, in order.
	visit := func(t walkTask, next []walkTask) []walkTask {
		x, scope, frames := t.x, t.scope, t.frames
		part := func(y ast.Expr, frames []frame) walkTask {
			return walkTask{x: y, scope: scope, frames: frames, depth: t.depth + 1}
		}
		// partsFrom lists x's parts from the from-th, at most walkChunk
		// of them, then the rest of x's visit if parts are left: a sum of
		// 100,000 terms listed all at once was two lists of 9 MB, grown a
		// doubling at a time with no look at the context (280 ms of the
		// first walk, most of it after a Ctrl-C).
		partsFrom := func(x ast.Expr, from int, frames []frame, next []walkTask) []walkTask {
			kids := ast.Children(x)
			end := min(len(kids), from+walkChunk)
			for _, c := range kids[from:end] {
				next = append(next, part(c, frames))
			}
			if end < len(kids) {
				next = append(next, walkTask{kind: walkParts, x: x, scope: scope, frames: frames, depth: t.depth, next: end})
			}
			return next
		}
		// factorsFrom is partsFrom for the product x with brackets, under
		// inner (frames and the product's frame, whose guards are the
		// factors reached under frames alone).
		factorsFrom := func(x *ast.Mul, from int, inner []frame, next []walkTask) []walkTask {
			outer := slices.Clip(inner[:len(inner)-1])
			guards := inner[len(inner)-1].prod.guards
			end := min(len(x.Factors), from+walkChunk)
			for i := from; i < end; i++ {
				if guards[i] {
					next = append(next, part(x.Factors[i], outer))
				} else {
					next = append(next, part(x.Factors[i], inner))
				}
			}
			if end < len(x.Factors) {
				next = append(next, walkTask{kind: walkFactors, x: x, scope: scope, frames: inner, depth: t.depth, next: end})
			}
			return next
		}
		switch t.kind {
		case walkParts, walkFactors:
			// The rest of a node's parts: none once the walk is to stop
			// (each would return at once).
			if found != nil || cancelled || tooDeep {
				return next
			}
			if t.kind == walkFactors {
				return factorsFrom(x.(*ast.Mul), t.next, frames, next)
			}
			return partsFrom(x, t.next, frames, next)
		case walkIfThen:
			x := x.(*ast.If)
			if found != nil {
				return next
			}
			then := append(slices.Clip(frames), frame{at: x})
			return append(next, part(x.Then, then), walkTask{kind: walkIfElse, x: x, scope: scope, frames: frames, depth: t.depth})
		case walkIfElse:
			x := x.(*ast.If)
			elseFrames := func() []frame { return append(slices.Clip(frames), frame{at: x, not: true}) }
			first, ok := found.(*partError)
			if !ok || cancelled {
				if found == nil {
					next = append(next, part(x.Else, elseFrames()))
				}
				return next
			}
			// The first piece is undefined where conditions hold; the
			// second may be too, elsewhere: both are said, or the error
			// would read as if the if had a value wherever the first
			// piece's conditions fail (if(x > 0, if(y > 0, 1/(z - z),
			// 1), if(y < 0, log(w - w), 2)) is undefined at x = -1,
			// y = -1 too).
			found = nil
			return append(next, part(x.Else, elseFrames()), walkTask{kind: walkIfJoin, first: first})
		case walkIfJoin:
			if second, ok := found.(*partError); ok && second.msg != t.first.msg {
				joined := *t.first
				joined.msg = t.first.msg + "; and " + second.msg
				found = &joined
			} else {
				found = t.first // (also where the walk was stopped in the second)
			}
			return next
		case walkSumBody:
			x := x.(*ast.Sum)
			if found != nil {
				return next
			}
			if x.Op == ast.OpMean && !guarded(frames) {
				// (Under a condition, the points where the range is
				// empty may be those where the condition fails:
				// [i <= n - 1]*mean(j=i+1..n, ...) in a sum over i.)
				if why, empty := emptyRange(ctx, x.Lo, x.Hi, defs, scope, canonical); empty {
					// A mean over no terms has no value whatever its body
					// (the canonical form's empty sum is 0, and 0 times the
					// inverse of a count of 0 would be taken to 0).
					found = undefinedError(x, why)
					return next
				}
			}
			b := binding{x.Var, x.Lo, x.Hi, x.Op == ast.OpMean}
			body := walkTask{x: x.Body, scope: append(slices.Clip(scope), b), frames: append(slices.Clip(frames), frame{at: x, sum: &b}), depth: t.depth + 1}
			return append(next, body)
		}
		if found != nil || cancelled || tooDeep {
			return next
		}
		// (The recursion overflowed the stack past this depth; the bound
		// is kept, so that what is said of such a part is the same.)
		if t.depth > maxUndefinedDepth {
			tooDeep = true
			return next
		}
		// The context is asked once in 32 nodes (once per node, it was a
		// tenth of the walk over W4's hundred x^k/k).
		if polls++; polls&31 == 1 && ctx.Err() != nil {
			cancelled = true
			return next
		}
		if walkTrace != nil {
			walkTrace(x, t.depth)
		}
		// A small part made of numbers and names by sums, products,
		// positive integer powers and quotients by a number other than 0
		// has a value wherever its names do: nothing in it is looked at
		// (W4's x^k/k, W2's (y_i - z_i)^2, and 1/n, which was evaluated
		// twice, in float64 and at high precision).
		if undefinedSafeSkip && mayBeAlwaysDefined(x) && x.Size() <= maxSafeTree && alwaysDefined(x) {
			return next
		}
		if _, isNum := x.(*ast.Num); !isNum && !ast.HasFreeNames(x) {
			undecidedLong := false
			if s, ok := x.(*ast.Sum); ok {
				if lo, hi, long := longRange(ctx, s, defs); long {
					err, decided := longSumDefined(ctx, s, lo, hi, defs, canonical)
					if decided {
						if err != nil {
							report(x, scope, frames, err.(*partError).msg)
						}
						return next
					}
					undecidedLong = true
				}
			}
			if !undecidedLong && hasLongSum(ctx, x, defs) {
				// Not evaluated as a whole: its parts are looked at.
			} else if why, undefined, valued := noValue(ctx, x, defs); undefined {
				report(x, scope, frames, why)
				return next
			} else if valued {
				return next // nothing inside a value is undefined
			}
		}
		switch x := x.(type) {
		case *ast.If:
			return append(next, part(x.Cond, frames), walkTask{kind: walkIfThen, x: x, scope: scope, frames: frames, depth: t.depth})
		case *ast.Sum:
			return append(next, part(x.Lo, frames), part(x.Hi, frames), walkTask{kind: walkSumBody, x: x, scope: scope, frames: frames, depth: t.depth})
		case *ast.Div:
			// u/0 with u not a number: x*(1 - 1)/(2 - 2).
			if n, ok := x.Y.(*ast.Num); ok {
				// x^k/k: a number is not evaluated (this was 6% of
				// simplify's time on a sum of 100 such terms).
				if n.Value.Sign() == 0 {
					report(x, scope, frames, "division by zero")
					return next
				}
			} else if !ast.HasFreeNames(x.Y) && !hasLongSum(ctx, x.Y, defs) {
				if zeroAtPrecisions(ctx, x.Y, defs) {
					report(x, scope, frames, "division by zero")
					return next
				}
			} else if zeroEverywhere(x.Y) {
				// 0/(x - x): the canonical form takes 0 times anything to
				// 0, so the result would be 0 for a division by zero.
				report(x, scope, frames, fmt.Sprintf("division by zero (%s is 0 for every value)", ast.String(x.Y)))
				return next
			}
		case *ast.Pow:
			if n, ok := x.Y.(*ast.Num); ok && n.Value.Sign() < 0 && ast.HasFreeNames(x.X) && zeroEverywhere(x.X) {
				report(x, scope, frames, fmt.Sprintf("division by zero (%s is 0 for every value)", ast.String(x.X)))
				return next
			}
			if _, ok := x.Y.(*ast.Num); !ok && ast.HasFreeNames(x.Y) && zeroEverywhere(x.X) {
				// 0 to a power with names: (x - x)^(z - z - 1) is 1/0 as
				// 1/(x - x) is, and (x - x)^z wherever z < 0; the
				// canonical form keeps 0^(-1) and 0^z, and a sum of them
				// that cancels (y + 0^z - 0^z) was proved y.
				why := fmt.Sprintf("division by zero (%s is 0 for every value)", ast.String(x.X))
				if neg, known := negativeConstant(ctx, x.Y, constant, defs); known {
					if neg {
						report(x, scope, frames, why)
						return next
					}
				} else if found = negativeWhere(x, why, frames); found != nil {
					return next
				}
			}
			y := x.Y
			if _, ok := y.(*ast.Num); !ok && !ast.HasFreeNames(y) && ast.HasFreeNames(x.X) {
				y = canonical(y) // (x - x - 1)^(1/2) as written: 1 divided by 2
			}
			if n, ok := y.(*ast.Num); ok && !n.Value.IsInt() && evenDenominator(n.Value) && ast.HasFreeNames(x.X) {
				// (x - x - 1)^(1/2): the canonical form keeps (-1)^(1/2).
				if c, ok := constant(x.X); ok {
					if why, ok := outsideEverywhere(func(c ast.Expr) ast.Expr { return ast.NewPow(c, x.Y) }, x.X, c); ok {
						report(x, scope, frames, why)
						return next
					}
				}
			}
		case *ast.Call:
			if (x.Fn == "log" || x.Fn == "sqrt") && len(x.Args) == 1 && ast.HasFreeNames(x.Args[0]) {
				// (One canonical form for both questions: asking
				// zeroEverywhere first cost W1 a tenth more walk.)
				if c, ok := constant(x.Args[0]); ok {
					if x.Fn == "log" && (c == ast.Zero || zeroAtPrecisions(ctx, c, defs)) {
						report(x, scope, frames, fmt.Sprintf("log(0) is undefined (%s is 0 for every value)", ast.String(x.Args[0])))
						return next
					}
					// log(x - x - 1), sqrt(x - x - 1): the canonical
					// form keeps log(-1) and sqrt(-1) as they are.
					if why, ok := outsideEverywhere(func(c ast.Expr) ast.Expr { return ast.NewCall(x.Fn, c) }, x.Args[0], c); ok {
						report(x, scope, frames, why)
						return next
					}
				}
			}
		case *ast.Mul:
			// [k <= 2]*u is 0 where the bracket is, even where u has no
			// value, and so is sum(i=2..n, x)*u where the sum is empty
			// (n = 1): u is looked into where the brackets are 1 and
			// the sums have terms.
			var brackets []ast.Expr
			var guards map[int]bool // the factors that are brackets or such sums
			for i, f := range x.Factors {
				c := f
				if _, ok := f.(*ast.Iverson); !ok {
					sf := sumFactorOf(f)
					if sf == nil || sf.Op != ast.OpSum || nonEmptyIn(sf, scope) {
						continue
					}
					c = ast.NewIverson(sf.Lo, sf.Hi)
				}
				if guards == nil {
					guards = map[int]bool{}
				}
				guards[i] = true
				brackets = append(brackets, c)
			}
			if len(brackets) > 0 {
				inner := append(slices.Clip(frames), frame{at: x, prod: &bracketed{brackets, guards}})
				return factorsFrom(x, 0, inner, next)
			}
		}
		switch x := x.(type) {
		case *ast.Num, *ast.Sym:
		case *ast.Pow: // without ast.Children's list of two (half of the walk's time)
			next = append(next, part(x.X, frames), part(x.Y, frames))
		case *ast.Div:
			next = append(next, part(x.X, frames), part(x.Y, frames))
		case *ast.Neg:
			next = append(next, part(x.X, frames))
		default:
			return partsFrom(x, 0, frames, next)
		}
		return next
	}
	if undefinedRecursive {
		walkRecursive(visit, walkTask{x: e, depth: 1})
	} else {
		runWalk(visit, walkTask{x: e, depth: 1})
	}
	if tooDeep && found == nil && !cancelled {
		return fmt.Errorf("the expression is nested more than %d deep: too deep to check that every part has a value", maxUndefinedDepth)
	}
	return found
}

// A walkTask is a step of undefinedPartWith's walk: the visit of a part
// x, with the sums (scope) and the conditions (frames) it is reached
// under, depth nodes down from the top; or the rest of the visit of the
// if or the sum x once a part of it is done.
type walkTask struct {
	kind   walkKind
	x      ast.Expr
	scope  []binding
	frames []frame
	depth  int
	first  *partError // walkIfJoin: the first piece's error
	next   int        // walkParts, walkFactors: x's next part
}

type walkKind uint8

const (
	walkNode    walkKind = iota // visit x
	walkIfThen                  // x's condition is done: its first piece next
	walkIfElse                  // x's first piece is done: its second next
	walkIfJoin                  // both pieces are done: join their errors
	walkSumBody                 // x's bounds are done: its body next
	walkParts                   // x's parts from the next-th (ast.Children)
	walkFactors                 // the product x's factors from the next-th, x with brackets (frames end with its frame)
)

// walkChunk is the most parts of a node that a task of undefinedPartWith's
// walk lists at once; a task for the rest follows them. A variable for
// the test that compares the walk with a chunk of any size
// (TestUndefinedWalkChunks).
var walkChunk = 64

// runWalk does the task top and those that follow it, each task's list
// of what follows done in order before what came after the task: the
// recursion's order, kept on a stack of its own (a part's list is pushed
// in reverse, so its first item is done first).
func runWalk(visit func(walkTask, []walkTask) []walkTask, top walkTask) {
	// The lists of the last walk, reused: a walk per proof, and growing
	// them from nothing was 0.6 MB of W8's batch.
	bufs := walkBufPool.Get().(*walkBufs)
	defer func() {
		clear(bufs.stack[:cap(bufs.stack)]) // nothing kept alive
		clear(bufs.next[:cap(bufs.next)])
		walkBufPool.Put(bufs)
	}()
	stack := append(bufs.stack[:0], top)
	next := bufs.next[:0]
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack[len(stack)-1] = walkTask{} // (for the collector)
		stack = stack[:len(stack)-1]
		next = visit(t, next[:0])
		for i := len(next) - 1; i >= 0; i-- {
			stack = append(stack, next[i])
		}
	}
	bufs.stack, bufs.next = stack, next
}

// walkBufs are runWalk's stack and list of what follows a task.
type walkBufs struct{ stack, next []walkTask }

var walkBufPool = sync.Pool{New: func() any { return new(walkBufs) }}

// walkTrace, if not nil, is told of each node undefinedPartWith's walk
// visits (for the tests).
var walkTrace func(x ast.Expr, depth int)

// undefinedRecursive makes undefinedPartWith walk by walkRecursive, for
// the test that compares runWalk's order with it.
var undefinedRecursive bool

// walkRecursive is runWalk by recursion, as deep as the tree: the
// reference for runWalk's order.
func walkRecursive(visit func(walkTask, []walkTask) []walkTask, t walkTask) {
	for _, u := range visit(t, nil) {
		walkRecursive(visit, u)
	}
}

// negativeConstant says whether u, with names, is a negative number for
// every value of them (z - z - 1); known is false where its canonical
// form has names left or no value.
func negativeConstant(ctx context.Context, u ast.Expr, constant func(ast.Expr) (ast.Expr, bool), defs *ast.Defs) (neg, known bool) {
	c, ok := constant(u)
	if !ok {
		return false, false
	}
	if n, ok := c.(*ast.Num); ok {
		return n.Value.Sign() < 0, true
	}
	v, err := ast.EvalBig(ctx, c, defs, nil, undefinedPrec)
	if err != nil {
		return false, false
	}
	return v.Sign() < 0, true
}

// maxUndefinedDepth bounds undefinedPart's walk: past it the part is said
// to be nested too deep to check (the walk recursed once, and each level
// took about 1.5 KB of the 1 GB stack).
const maxUndefinedDepth = 200_000

// noValue evaluates a part with no names: undefined says that it has no
// value for a reason of domain in float64 (not an overflow to Inf, which
// is not a reason) and none at high precision either (where a number like
// 1/10^400 that float64 rounds to 0 is defined; an exponent beyond the
// high-precision range is no reason either); valued that it has one.
func noValue(ctx context.Context, x ast.Expr, defs *ast.Defs) (why string, undefined, valued bool) {
	vF, errF := ast.EvalContext(ctx, x, defs, nil)
	_, errB := ast.EvalBig(ctx, x, defs, nil, undefinedPrec)
	var dF, dB *ast.DomainError
	if errors.As(errF, &dF) && !math.IsInf(vF, 0) && !math.IsNaN(vF) &&
		errors.As(errB, &dB) && !strings.HasSuffix(dB.Msg, "out of range here") {
		// 1/(1 - sigma(400)): 1 - σ(400) = σ(-400) ≈ 1.9e-174 rounds to 0
		// at undefinedPrec; a value the higher precision finds is one.
		for _, prec := range confirmPrecs {
			if _, err := ast.EvalBig(ctx, x, defs, nil, prec); err == nil {
				return "", false, true
			}
		}
		if !ast.ExactlyUndefined(ctx, x, defs, nil) && !failsAwayFromZero(ctx, x, defs) {
			noteDoubt(ctx, x, fmt.Sprintf("%s has no value at %d bits nor at %d, but exact arithmetic cannot tell whether it fails on an exact 0 or on a value too small to tell from 0", ast.String(x), undefinedPrec, confirmPrecs[len(confirmPrecs)-1]))
		}
		return dF.Msg, true, false
	}
	return "", false, errF == nil || errB == nil
}

// failsAwayFromZero reports whether x, with no names, fails on an
// argument that is not 0 and the same at two precisions (log(log(1/2)),
// of -0.69; sqrt(sin(4))), as ast.EvalBigSettled decides it: no value too
// small to tell from 0 is in question there, so there is nothing to doubt.
func failsAwayFromZero(ctx context.Context, x ast.Expr, defs *ast.Defs) bool {
	_, _, err := ast.EvalBigSettled(ctx, x, defs, nil, undefinedPrec)
	var de *ast.DomainError
	var ue *ast.UndecidedError
	var re *ast.RangeError
	return errors.As(err, &de) && !errors.As(err, &ue) && !errors.As(err, &re) && ctx.Err() == nil
}

// confirmPrecs are the precisions that confirm a zero found at
// undefinedPrec, tried in turn: a value that is not 0 but rounds to 0 at
// 256 bits, such as 1 - σ(400) or 1 - σ(3000), is found (down to about
// e^-22000 relative). Below that a nonzero value is still taken for 0;
// an exact 0 (1 - exp(0)) is 0 at every precision.
var confirmPrecs = []uint{4096, 32768}

// zeroAtPrecisions reports whether e, with no names, evaluates to 0 at
// undefinedPrec and at each of confirmPrecs. Where exact arithmetic does
// not find it exactly 0 (1 - sigma(30000) is about e^-30000, below what
// 32768 bits tell from 0), the zero is noted as a doubt (see doubts.go).
func zeroAtPrecisions(ctx context.Context, e ast.Expr, defs *ast.Defs) bool {
	for _, prec := range append([]uint{undefinedPrec}, confirmPrecs...) {
		if v, err := ast.EvalBig(ctx, e, defs, nil, prec); err != nil || v.Sign() != 0 {
			return false
		}
	}
	if !ast.ExactlyZero(ctx, e, defs, nil) {
		noteDoubt(ctx, e, fmt.Sprintf("%s is 0 at %d bits and at %d, but exact arithmetic cannot tell whether it is exactly 0", ast.String(e), undefinedPrec, confirmPrecs[len(confirmPrecs)-1]))
	}
	return true
}

// undefinedError says that part x has no value, and why; its Expr is x,
// so that a script's error points at the part (At).
func undefinedError(x ast.Expr, why string) error {
	s := ast.String(x)
	if strings.HasPrefix(why, s+" ") {
		return &partError{x: x, msg: why} // log(0) is undefined
	}
	return &partError{x: x, msg: fmt.Sprintf("%s is undefined: %s", s, why)}
}

// A partError is an error about a part of the input.
type partError struct {
	x   ast.Expr
	msg string
	// occ is the occurrence of x the error is about, in the order they
	// are written, of n (0: the first).
	occ, n int
}

// Occurrence returns which occurrence of the part the error is about, of
// how many (n 0: not known).
func (e *partError) Occurrence() (k, n int) { return e.occ, e.n }

func (e *partError) Error() string  { return e.msg }
func (e *partError) Expr() ast.Expr { return e.x }

// emptyRange reports whether the range lo..hi of a mean is empty, and
// says so: hi < lo for bounds without names, or, with names, at some point
// of the ranges in scope for every value of the sizes (n..n - 1, 2*n..n,
// i + 1..i: a mean over them is undefined everywhere, as one over 3..2 is,
// and printed 0 as that one did).
func emptyRange(ctx context.Context, lo, hi ast.Expr, defs *ast.Defs, scope []binding, canonical func(ast.Expr) ast.Expr) (string, bool) {
	if ast.HasFreeNames(lo) || ast.HasFreeNames(hi) {
		return emptySomewhere(lo, hi, scope, canonical)
	}
	l, errL := ast.EvalBig(ctx, lo, defs, nil, undefinedPrec)
	h, errH := ast.EvalBig(ctx, hi, defs, nil, undefinedPrec)
	if errL == nil && errH == nil && h.Cmp(l) < 0 {
		if _, reached := witness(scope, nil, canonical); reached {
			return fmt.Sprintf("mean over an empty range %s..%s", ast.String(lo), ast.String(hi)), true
		}
	}
	return "", false
}

// zeroEverywhere (in undefinedPart) reports whether a part with names is
// 0 wherever it is defined: its canonical form is the number 0 (x - x,
// x/x - 1). positiveFunc names the calls that are never 0, which it does
// not canonicalise: the logs of a cross-entropy are of sigma(z).
func positiveFunc(fn string) bool {
	switch fn {
	case "sigma", "exp", "softplus", "cosh", "Phi":
		return true
	}
	return false
}

// unitFunc names the calls whose values lie strictly between 0 and 1.
func unitFunc(fn string) bool { return fn == "sigma" || fn == "Phi" }

// oneMinusUnit reports whether e is 1 - f(u) (the two terms in either
// order) with f a unitFunc: it lies strictly between 0 and 1 where
// it is defined, so it is 0 nowhere, and its canonical form is not the
// number 0 (the canonicaliser keeps values). The logs of the
// cross-entropy, log(1 - sigma(z_i)), were each canonicalised for that
// answer: a tenth of W1's simplification.
func oneMinusUnit(e ast.Expr) bool {
	a, ok := e.(*ast.Add)
	if !ok || len(a.Terms) != 2 || ast.HasShadow(e) {
		return false
	}
	for i, t := range a.Terms {
		if n, ok := t.(*ast.Neg); ok && ast.IsNum(a.Terms[1-i], 1) {
			c, ok := n.X.(*ast.Call)
			return ok && unitFunc(c.Fn) && len(c.Args) == 1
		}
	}
	return false
}

// undefinedShortcuts turns on oneMinusUnit in undefinedPart (the tests
// compare the answers with and without it).
var undefinedShortcuts = true

// undefinedSafeSkip turns on undefinedPart's skipping of the parts that
// alwaysDefined vouches for (the tests compare the answers with and
// without it).
var undefinedSafeSkip = true

// maxSafeTree is the largest part (Size, as a tree) that undefinedPart
// asks alwaysDefined about: each node is then walked by it for at most
// the few small parts above it, not for every part above it.
const maxSafeTree = 64

// mayBeAlwaysDefined reports whether x is of a kind alwaysDefined can
// vouch for with parts: a call or a sum over an index is not, and W3's
// ten thousand nested sines are not asked for their size.
func mayBeAlwaysDefined(x ast.Expr) bool {
	switch x.(type) {
	case *ast.Add, *ast.Mul, *ast.Pow, *ast.Div, *ast.Neg, *ast.Index:
		return true
	}
	return false
}

// alwaysDefined reports whether x is built of numbers and names (an
// indexed name with such indices) by negation, sums, products, powers
// with a positive integer exponent and quotients by a number other than
// 0: such an x has a value at every point, exactly, and so has each of
// its parts, so undefinedPart finds nothing in it (a Sym reaches none of
// its reports, which are of quotients, powers, logs, sums over an index
// and parts without names that do not evaluate).
func alwaysDefined(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Num, *ast.Sym:
		return true
	case *ast.Index:
		for _, i := range x.Indices {
			if !alwaysDefined(i) {
				return false
			}
		}
		return true
	case *ast.Neg:
		return alwaysDefined(x.X)
	case *ast.Add:
		for _, t := range x.Terms {
			if !alwaysDefined(t) {
				return false
			}
		}
		return true
	case *ast.Mul:
		for _, f := range x.Factors {
			if !alwaysDefined(f) {
				return false
			}
		}
		return true
	case *ast.Pow:
		n, ok := x.Y.(*ast.Num)
		return ok && n.Value.IsInt() && n.Value.Sign() > 0 && alwaysDefined(x.X)
	case *ast.Div:
		n, ok := x.Y.(*ast.Num)
		return ok && n.Value.Sign() != 0 && alwaysDefined(x.X)
	}
	return false
}
