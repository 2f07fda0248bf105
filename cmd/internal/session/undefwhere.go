package session

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// Parts that have no value where a condition holds. undefinedPart walks
// into the places that are not evaluated at every point: the body of a sum
// whose range may be empty, the pieces of an if, the other factors of a
// product with a bracket. A part there that has no value for any value of
// its names (log(x - x)) makes the input undefined wherever it is reached:
// sum(i=2..n, log(x - x)) wherever 2 <= n. simplify printed
// log(0)*[2 <= n]*(n - 1) for it, with exit status 0, while it says that
// sum(i=2..n, 1/(x - x)) divides by zero wherever 2 <= n. It is said only
// where exact arithmetic finds a point that reaches the part (a condition
// that holds nowhere, x > x, or that exact arithmetic cannot decide, says
// nothing): the error is then true and not empty.

// A frame is one place on the way from the input down to a part that is
// not evaluated at every point.
type frame struct {
	at   ast.Expr   // the if, sum or product
	sum  *binding   // the body of a sum or a mean
	not  bool       // the second piece of an if (not where its condition holds)
	prod *bracketed // the factors of a product other than its brackets
	what string     // for an if made for a condition of its own (0^z: z < 0), what it is
}

// bracketed is a product's brackets (and sums that may be empty, as
// brackets) and the factors that are they.
type bracketed struct {
	brackets []ast.Expr
	guards   map[int]bool
}

// cond is the condition of an if frame.
func (f *frame) cond() ast.Expr { return f.at.(*ast.If).Cond }

// occurrenceLimit is the number of nodes occurrence walks (as a tree,
// each shared part as often as it is written).
const occurrenceLimit = 1 << 16

// occurrence returns which occurrence of x in e, in the order they are
// written, frames lead to, of n; n is 0 where it is not found within
// occurrenceLimit nodes. A part written twice is one node, and the
// statement's first place of it may be in a piece that is never taken:
// if(x > x, log(y - y), 1) + if(x > 0, log(y - y), 2) pointed at the
// first log(y - y) for an error about the second.
func occurrence(e, x ast.Expr, frames []frame) (k, n int) {
	type step struct {
		node ast.Expr
		kid  int
	}
	var path []step
	k, walked := -1, 0
	// leadsTo reports whether the places on path are those of frames:
	// each piece of an if and body of a sum made one, in order, and a
	// product one where it is the frame's (not from its brackets).
	leadsTo := func() bool {
		j := 0
		for _, st := range path {
			var next *frame
			if j < len(frames) {
				next = &frames[j]
			}
			switch st.node.(type) {
			case *ast.If:
				if st.kid == 0 {
					continue
				}
				if next == nil || next.at != st.node || next.not != (st.kid == 2) {
					return false
				}
			case *ast.Sum:
				if st.kid != 2 {
					continue
				}
				if next == nil || next.at != st.node {
					return false
				}
			case *ast.Mul:
				if next == nil || next.at != st.node || next.prod == nil || next.prod.guards[st.kid] {
					continue
				}
			default:
				continue
			}
			j++
		}
		return j == len(frames)
	}
	var walk func(e ast.Expr) bool
	walk = func(e ast.Expr) bool {
		if walked++; walked > occurrenceLimit {
			return false
		}
		if e == x {
			if k < 0 && leadsTo() {
				k = n
			}
			n++
			return true
		}
		for i, c := range ast.Children(e) {
			path = append(path, step{e, i})
			ok := walk(c)
			path = path[:len(path)-1]
			if !ok {
				return false
			}
		}
		return true
	}
	if !walk(e) || k < 0 {
		return 0, 0
	}
	return k, n
}

// guarded reports whether frames hold a condition of an if or a bracket.
func guarded(frames []frame) bool {
	for _, f := range frames {
		if f.sum == nil {
			return true
		}
	}
	return false
}

// reachedIndicator is 1 (or more) where the place frames lead to is
// evaluated and 0 where it is not: the conditions on the way, each sum's
// range a sum of them.
func reachedIndicator(frames []frame) ast.Expr {
	acc := ast.Expr(ast.One)
	for i := len(frames) - 1; i >= 0; i-- {
		f := frames[i]
		switch {
		case f.sum != nil:
			acc = ast.NewSum(ast.OpSum, f.sum.v, f.sum.lo, f.sum.hi, acc)
		case f.prod != nil:
			acc = ast.NewMul(append(append([]ast.Expr(nil), f.prod.brackets...), acc)...)
		case f.not:
			acc = ast.NewIf(f.cond(), ast.Zero, acc)
		default:
			acc = ast.NewIf(f.cond(), acc, ast.Zero)
		}
	}
	return acc
}

// reachCandidates are the values tried for each name: sizes are whole
// numbers from 1, other names any number.
// (Made on use: a package-level list cost start-up 20 allocations.)
func reachCandidates() []*big.Rat {
	return []*big.Rat{
		big.NewRat(1, 1), big.NewRat(2, 1), big.NewRat(3, 1), big.NewRat(5, 1), big.NewRat(10, 1),
		big.NewRat(0, 1), big.NewRat(-1, 1), big.NewRat(1, 2), big.NewRat(-3, 2), big.NewRat(7, 3),
	}
}

// wholeCandidates is the number of reachCandidates that are whole
// numbers from 1.
const wholeCandidates = 5

// reachPoints is the number of points tried.
const reachPoints = 256

// reachLimits are what the rest of symdiff takes to hold at every point
// of an input: a witness point must satisfy them, or the error would be
// about a point that is not the input's. The free names of sums' bounds
// and the free indices of indexed names are sizes and indices, whole
// numbers from 1 (undefranges.go; README, "What proved, refuted and
// unknown mean"); assume statements hold (x > 0, 0 < p < 1, y in {0, 1}),
// and an index range k in 1..d makes k a whole number between its bounds.
// sum(i=1..n, x) + if(n < 1, log(y - y), 0) and, after assume x > 0,
// if(x <= 0, log(y - y), 1) were said undefined wherever n < 1 and x <= 0.
type reachLimits struct {
	whole map[string]bool  // whole numbers from 1
	conds []ast.Expr       // conditions that hold (1 where they do)
	opt   simplify.Options // for the rules' sign analysis under the assumptions
}

// newReachLimits gathers the limits of input e under the options opt.
func newReachLimits(e ast.Expr, opt simplify.Options) *reachLimits {
	l := &reachLimits{whole: map[string]bool{}, opt: opt}
	markWhole := func(xs ...ast.Expr) {
		for _, x := range xs {
			for _, n := range ast.FreeNames(x) {
				l.whole[n] = true
			}
		}
	}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Sum:
			markWhole(x.Lo, x.Hi)
		case *ast.Index:
			markWhole(x.Indices...)
		}
		return true
	})
	for name, r := range simplify.AssumedRanges(opt) {
		k := ast.NewSym(name)
		l.whole[name] = true
		markWhole(r.Lo, r.Hi)
		l.conds = append(l.conds, ast.NewAnd(ast.NewCompare(ast.CondLe, r.Lo, k), ast.NewCompare(ast.CondLe, k, r.Hi)))
	}
	for _, a := range opt.Assume {
		switch {
		case a.In && a.Set == nil: // a range, above
		case a.In:
			var eqs []ast.Expr
			for _, v := range a.Set {
				eqs = append(eqs, ast.NewCompare(ast.CondEq, a.X, v))
			}
			if len(eqs) > 0 {
				l.conds = append(l.conds, ast.NewOr(eqs...))
			}
		default:
			operands := append([]ast.Expr{a.X}, a.Rest...)
			for i, op := range a.Ops {
				if c, ok := ast.ComparisonOp(op); ok && i+1 < len(operands) {
					l.conds = append(l.conds, ast.NewCompare(c, operands[i], operands[i+1]))
				}
			}
		}
	}
	return l
}

// reached reports whether exact arithmetic finds a point where indicator
// is above 0 and the limits hold (reachFound, with no text). Where it
// finds none and a condition is not linear in its names, the points of
// reachedNonlinear are searched: it returns the point it finds, as text,
// or says why the search is undecided.
func reached(ctx context.Context, indicator ast.Expr, defs *ast.Defs, limits *reachLimits) (string, reachOutcome) {
	if hasLongSum(ctx, indicator, defs) {
		return "", reachNone // not counted term by term
	}
	names := ast.FreeNames(indicator)
	// The names in a bracket or a sum's bounds are whole numbers from 1
	// (sizes and indices): [k <= 0] holds for none.
	whole := wholeNames(indicator)
	// The limits that bear on the names (an assumption about them, and
	// about the names it ties them to) are checked at each point; their
	// names are drawn too.
	var conds []ast.Expr
	if limits != nil {
		for n := range limits.whole {
			whole[n] = true
		}
		used := make([]bool, len(limits.conds))
		for grown := true; grown; {
			grown = false
			for i, c := range limits.conds {
				cn := ast.FreeNames(c)
				if used[i] || !slices.ContainsFunc(cn, func(n string) bool { return slices.Contains(names, n) }) {
					continue
				}
				used[i], grown = true, true
				conds = append(conds, c)
				for _, n := range cn {
					if !slices.Contains(names, n) {
						names = append(names, n)
					}
				}
			}
		}
	}
	holds := func(e ast.Expr, b ast.Bindings) bool {
		r, _, err := ast.EvalExact(ctx, e, defs, b)
		return err == nil && r != nil && r.Sign() > 0
	}
	rng := rand.New(rand.NewPCG(4, 4))
	candidates := reachCandidates()
	for p := range reachPoints {
		if ctx.Err() != nil {
			return "", reachNone
		}
		b := ast.Bindings{}
		for _, n := range names {
			c := p // all names alike first, then drawn
			if p >= len(candidates) {
				c = rng.IntN(len(candidates))
			}
			cands := candidates
			if whole[n] {
				cands = cands[:wholeCandidates]
			}
			b[n] = ast.RatScalar(cands[c%len(cands)])
		}
		if holds(indicator, b) && !slices.ContainsFunc(conds, func(c ast.Expr) bool { return !holds(c, b) }) {
			return "", reachFound
		}
		if len(names) == 0 {
			break
		}
	}
	if !nonlinearSearch || ctx.Err() != nil || !nonlinearIn(indicator) {
		return "", reachNone
	}
	var opt simplify.Options
	if limits != nil {
		opt = limits.opt
	}
	return reachedNonlinear(ctx, indicator, names, whole, conds, defs, opt)
}

// undefinedWhere says that the part x, which has no value (why) wherever
// it is reached, is undefined wherever the conditions of frames hold, if
// exact arithmetic finds a point where they do; nil otherwise.
func undefinedWhere(ctx context.Context, x ast.Expr, why string, frames []frame, defs *ast.Defs, limits *reachLimits) error {
	at, outcome := reached(ctx, reachedIndicator(frames), defs, limits)
	if outcome == reachNone {
		return nil
	}
	bound := map[string]bool{}
	for _, f := range frames {
		if f.sum != nil {
			if bound[f.sum.v] {
				// An index that hides another of the same name: the
				// conditions could not say which one they are about.
				if outcome == reachUndecided {
					return &UndecidedError{x: x, msg: fmt.Sprintf("cannot decide whether %s has a value: it has none (%s) where conditions hold, and %s", ast.String(x), why, at)}
				}
				return nil
			}
			bound[f.sum.v] = true
		}
	}
	// Each condition on the way, with the free names it depends on. The
	// conditions that name an index of a sum around them hold together
	// for some value of the indices, not each for a value of its own:
	// sum(i=1..n, if(i == k, if(i == m, log(y - y), 1), 1)) is undefined
	// wherever (i == k and i == m) for some i = 1..n, which fails at k = 1,
	// m = 2 where "i == k for some i and i == m for some i" holds. They are
	// said as one clause, where the first of them is.
	var conds, whats, joint []string
	jointAt := -1
	named := map[string]bool{} // the indices the joint clause names
	var sums []*binding        // the sums on the way, outermost first
	for _, f := range frames {
		var c, what string
		var names []string
		switch {
		case f.sum != nil:
			sums = append(sums, f.sum)
			if f.sum.mean || alwaysNonEmpty(f.sum, bound) {
				continue
			}
			c = fmt.Sprintf("%s <= %s", ast.String(f.sum.lo), ast.String(f.sum.hi))
			names = append(ast.FreeNames(f.sum.lo), ast.FreeNames(f.sum.hi)...)
			what = fmt.Sprintf("where the sum over %s = %s..%s has terms; where it has none, the sum is 0", f.sum.v, ast.String(f.sum.lo), ast.String(f.sum.hi))
		case f.prod != nil:
			var bs []string
			for _, b := range f.prod.brackets {
				bs = append(bs, strings.Trim(ast.String(b), "[]"))
				names = append(names, ast.FreeNames(b)...)
			}
			c = strings.Join(bs, " and ")
			// (Not "elsewhere the product is 0": with a sum that may be
			// empty also in a divisor, it is 0/0 there.)
			what = "where the product's brackets are 1 and its sums have terms"
		case f.not:
			c = condText(ast.NewNot(f.cond()))
			names = ast.FreeNames(f.cond())
			what = "where the if takes its second piece"
		default:
			c = condText(f.cond())
			names = ast.FreeNames(f.cond())
			what = "where the if takes its first piece"
			if f.what != "" {
				what = f.what
			}
		}
		if !slices.Contains(whats, what) {
			whats = append(whats, what)
		}
		// The indices of the sums around that the condition names (its
		// free names, not its text: 2*i > n names i).
		isJoint := false
		for _, a := range sums {
			if a != f.sum && slices.Contains(names, a.v) {
				named[a.v], isJoint = true, true
			}
		}
		if !isJoint {
			conds = append(conds, c)
			continue
		}
		if jointAt < 0 {
			jointAt = len(conds)
			conds = append(conds, "")
		}
		joint = append(joint, c)
	}
	if jointAt >= 0 {
		// The range of an index names the indices further out
		// (j = 1..i): they are said too.
		for i := len(sums) - 1; i >= 0; i-- {
			if named[sums[i].v] {
				for _, n := range append(ast.FreeNames(sums[i].lo), ast.FreeNames(sums[i].hi)...) {
					if bound[n] {
						named[n] = true
					}
				}
			}
		}
		var idx []string
		for _, a := range sums {
			if named[a.v] {
				idx = append(idx, fmt.Sprintf("%s = %s..%s", a.v, ast.String(a.lo), ast.String(a.hi)))
			}
		}
		c := strings.Join(joint, " and ")
		if len(joint) > 1 || len(idx) > 1 {
			c = "(" + c + ")"
		}
		conds[jointAt] = c + " for some " + strings.Join(idx, ", ")
	}
	if outcome == reachUndecided {
		where := "wherever " + strings.Join(conds, " and ")
		if len(conds) == 0 {
			where = "where it is reached"
		}
		return &UndecidedError{x: x, msg: fmt.Sprintf("cannot decide whether %s has a value: it is undefined %s (%s): %s; but %s", ast.String(x), where, strings.Join(whats, "; "), why, at)}
	}
	if len(conds) == 0 {
		return undefinedError(x, why) // reached, and wherever the names are
	}
	if at != "" {
		// Found by the search beyond exact arithmetic: the point says
		// where, as the condition alone may not show it (sin(z) < 0).
		whats = append(whats, "as at "+at)
	}
	return &partError{x: x, msg: fmt.Sprintf("%s is undefined wherever %s (%s): %s", ast.String(x), strings.Join(conds, " and "), strings.Join(whats, "; "), why)}
}

// alwaysNonEmpty reports whether the range of b holds a number for every
// value of the names in its bounds, as nonEmpty does for a sum.
func alwaysNonEmpty(b *binding, bound map[string]bool) bool {
	if b.lo == b.hi {
		return true
	}
	if n, isSym := b.hi.(*ast.Sym); isSym && !bound[n.Name] && ast.IsNum(b.lo, 1) {
		return true
	}
	d, ok := simplify.PlainCanonical(ast.NewAdd(b.hi, ast.NewNeg(b.lo))).(*ast.Num)
	return ok && d.Value.Sign() >= 0
}

// nonEmptyIn is nonEmpty with the indices of the sums in scope bound.
func nonEmptyIn(s *ast.Sum, scope []binding) bool {
	bound := map[string]bool{}
	for _, b := range scope {
		bound[b.v] = true
	}
	return nonEmpty(s, bound)
}
