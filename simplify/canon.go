package simplify

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Canonical form. A canonical expression has no Neg, Div or Deriv nodes;
// a difference is a sum with a coefficient -1, a quotient a power with a
// negative exponent. Sums and products are flattened; their operands are
// sorted (termOrder, factorOrder), like terms are collected (2*x + 3*x is
// 5*x) and equal bases combined (x*x^2 is x^3, σ(z)*σ(z)^-1 is 1); a
// product's numeric coefficient comes first; numbers are folded exactly.
// A sum that is a factor is primitive: its content is pulled into the
// coefficient and its leading term made positive, so that (2 - 2σ) and
// (σ - 1) meet (1 - σ) and cancel with it. Bound variables are renamed to
// canonical names, so alpha-equivalent sums are one node.
//
// Expansion (distributing products over sums) has three modes: none;
// smart, where a sum's terms are multiplied out only if terms then cancel
// (y*(1 - σ) - (1 - y)*σ becomes y - σ, but a lone product stays
// factored); and full, the normal form of polynomial arithmetic that the
// prover compares (powers of sums are kept in every mode).

// splitCoeff splits a canonical term into its numeric coefficient and the
// rest (1 for a number).
func splitCoeff(t ast.Expr) (ast.Number, ast.Expr) {
	switch x := t.(type) {
	case *ast.Num:
		return x.Value, ast.One
	case *ast.Mul:
		if n, ok := x.Factors[0].(*ast.Num); ok {
			return n.Value, ast.NewMul(x.Factors[1:]...)
		}
	}
	return ast.Int(1), t
}

// splitCoeffLazy is splitCoeff without interning the rest of a product
// with a number in front and two or more other factors: it returns those
// factors (fs) and a nil monomial instead; ast.NewMul(fs...) is
// splitCoeff's second result.
func splitCoeffLazy(t ast.Expr) (ast.Number, ast.Expr, []ast.Expr) {
	if x, ok := t.(*ast.Mul); ok {
		if n, ok := x.Factors[0].(*ast.Num); ok {
			if len(x.Factors) > 2 {
				return n.Value, nil, x.Factors[1:]
			}
			return n.Value, ast.NewMul(x.Factors[1:]...), nil
		}
	}
	k, m := splitCoeff(t)
	return k, m, nil
}

// monoEqual reports whether two monomials of collect are the same: each
// a node (am, bm), or, where the node is nil, the list of two or more
// factors whose product it is (afs, bfs). Products are hash-consed by
// their factor lists, so a list equals a node exactly when the node is
// the product of those factors.
func monoEqual(am ast.Expr, afs []ast.Expr, bm ast.Expr, bfs []ast.Expr) bool {
	switch {
	case am != nil && bm != nil:
		return am == bm
	case am != nil:
		am, afs, bm, bfs = bm, bfs, am, afs
	}
	// am is nil: afs are its factors.
	if bm != nil {
		p, ok := bm.(*ast.Mul)
		return ok && slices.Equal(afs, p.Factors)
	}
	return slices.Equal(afs, bfs)
}

// withCoeffList is withCoeff(k, ast.NewMul(fs...)) for two or more
// factors fs, without making their product first.
func withCoeffList(k ast.Number, fs []ast.Expr) ast.Expr {
	switch {
	case k.IsZero():
		return ast.Zero
	case k.IsOne():
		return ast.NewMul(fs...)
	}
	return ast.NewMul(append([]ast.Expr{ast.NewNum(k)}, fs...)...)
}

// coeffOf is the numeric coefficient of a canonical term (splitCoeff's
// first result, without building the rest).
func coeffOf(t ast.Expr) ast.Number {
	switch x := t.(type) {
	case *ast.Num:
		return x.Value
	case *ast.Mul:
		if n, ok := x.Factors[0].(*ast.Num); ok {
			return n.Value
		}
	}
	return ast.Int(1)
}

// splitPow splits a canonical factor into base and exponent.
func splitPow(f ast.Expr) (ast.Expr, ast.Expr) {
	if p, ok := f.(*ast.Pow); ok {
		return p.X, p.Y
	}
	return f, ast.One
}

func numOf(e ast.Expr) (ast.Number, bool) {
	if n, ok := e.(*ast.Num); ok {
		return n.Value, true
	}
	return ast.Number{}, false
}

func isInt(e ast.Expr) bool {
	n, ok := numOf(e)
	return ok && n.IsInt()
}

// canon builds canonical forms; it memoises by node.
type expandMode uint8

const (
	expandNone expandMode = iota
	expandSmart
	expandFull
)

type canon struct {
	s      *Simplifier
	expand expandMode
	rules  bool                 // apply rewrite rules (off while compiling patterns)
	memo   map[memoKey]ast.Expr // keys with a scope (see memoGet)
	fast   ast.NodeMap[memoVal] // keys without one
	active map[ast.Expr]bool    // nodes being rewritten: a repeat is a cycle
	// ordering is set while sum_order canonicalises a swapped nest, so it
	// does not compare orders again inside.
	ordering bool
	// scratch is a list for mul's entries, reused from one product to the
	// next (nil while a mul uses it); outBuf likewise for the factors
	// mulFinish collects (see outScratch).
	scratch []mulAcc
	outBuf  []ast.Expr
	accBuf  []collectAcc // likewise for collect's monomials
	sumOut  []ast.Expr   // and for the terms it collects
	// reference turns off mul's fast paths, for the tests that compare
	// them with the general path.
	reference bool
	// mulFixed holds products that mul, with no expansion or the smart
	// one, makes from their own factors, for reasons that do not depend
	// on the mode; it is shared by the canonicalisers of
	// one simplifier, so the pass after the first does not check a long
	// product again. A product is entered when mul took its fast path
	// (sortedDistinct) with every exponent 1 or a number on a name, so
	// that each pow call returned its factor at once, without looking at
	// the mode, the rules or the assumptions (pow's first cases, or its
	// last for a name); when nothing was rebased or merged and the sort
	// was skipped; when there were at least two factors besides the
	// number (so no lone sum was distributed by add); and when
	// cancelsByDistributing is false (smart mode's only other step). No
	// step of that path depends on the mode, so mul in the other mode
	// makes the same product from the same factors; and the product made
	// is entered, not only the factors' own node: its factors are the
	// same bases in the same order, with one number for the same
	// coefficient, so mul of them takes the same path to it. Full
	// expansion neither enters nor reads it.
	mulFixed     map[*ast.Mul]bool
	mulFixedHits int // for the tests
	// run is the last long product runMul canonicalised, and runSpare a
	// list for the next one's factors.
	run      factorRun
	runSpare []ast.Expr
	runHits  [2]int // products runMul made, from scratch and from the last (for the tests)
	// track: this is the simplifier's canonicaliser without expansion,
	// and it notes which of its results the smart expansion would give
	// too; dep says that the computation under way took a step that
	// depends on the mode (see share_pass.go).
	track, dep bool
	sharedHits int // results the second pass took from the first (for the tests)
	// leafRules says, for names and array elements [0] and numbers [1],
	// whether the compiled rules have none for their head (1), have some
	// (2), or that is not known yet (0); see leafFixed.
	leafRules [2]uint8
	fastHits  [3]int // leafFixed, knownFixed and powOf's orig taken (for the tests)
	depth     int    // the calls of expr under way
	divHits   int    // quotients divByNum made (for the tests)
}

// divFastOff turns divByNum off (for the test that compares it with mul).
var divFastOff bool

// divByNum is mul(a, pow(b, -1)) for canonical a and b where b is a number
// other than 0 and a a monomial c*f or f, f a name or a name to a number
// (W4's k*x^(k-1)/k): the product of c/b and f, made without mul. mul
// would take f from pow unchanged (a name's power is not looked at
// further, in any mode), with nothing to sort, collect or distribute.
// It reports false for every other a and b, and where c/b is too large.
func (c *canon) divByNum(a, b ast.Expr) (ast.Expr, bool) {
	y, ok := b.(*ast.Num)
	if !ok || y.Value.IsZero() || c.reference || divFastOff {
		return nil, false
	}
	coef, f := ast.Int(1), a
	if m, ok := a.(*ast.Mul); ok {
		n, isNum := m.Factors[0].(*ast.Num)
		if len(m.Factors) != 2 || !isNum {
			return nil, false
		}
		coef, f = n.Value, m.Factors[1]
	}
	switch x := f.(type) {
	case *ast.Sym:
	case *ast.Pow:
		_, name := x.X.(*ast.Sym)
		_, num := x.Y.(*ast.Num)
		if !name || !num {
			return nil, false
		}
	default:
		return nil, false
	}
	// c/b at once (k/k is 1 without a gcd); a quotient over the size
	// limit is left to mul, which says so.
	k, _ := coef.Quo(y.Value)
	if k.Bits() > ast.MaxNumberBits {
		return nil, false
	}
	c.divHits++
	if k.IsOne() {
		return f, true
	}
	return ast.NewMul(ast.NewNum(k), f), true
}

// minMulFixed is the fewest factors of a product entered in mulFixed: on
// a shorter one, checking it again costs less than the entry.
const minMulFixed = 8

// noRules is the empty rule set of every plain canonicaliser: a set is
// only read once made (rules.Set), and two new ones per canonicaliser were
// 3% of what W8's batch allocated (TestPlainCanonicalConcurrent).
var noRules = rules.Empty()

// plainCanon is a canonicaliser without rules, for display and for the
// rules written in Go when a checker applies them: pure arithmetic of the
// canonical form, no rule set, not counted among the simplifiers built.
func plainCanon(expand expandMode) *canon {
	s := &Simplifier{ctx: context.Background(), opt: Options{Rules: noRules, MaxSteps: 200_000, MaxSize: 50_000_000},
		rules: noRules, assume: map[ast.Expr]interval{}, signMemo: map[ast.Expr]signEntry{}, sizes: map[string]bool{},
		canons: map[expandMode]*canon{}}
	return newCanon(s, expand, false)
}

// PlainCanonical returns the canonical form of e without rules.
func PlainCanonical(e ast.Expr) ast.Expr { return plainCanon(expandNone).expr(e) }

// PlainCanonicalizer returns PlainCanonical with one memo for all its
// calls: parts of one expression share their subexpressions, which are
// then made canonical once. Not safe for concurrent use.
func PlainCanonicalizer() func(ast.Expr) ast.Expr { return plainCanon(expandNone).expr }

func newCanon(s *Simplifier, expand expandMode, rules bool) *canon {
	c := &canon{s: s, expand: expand, rules: rules} // memo and active are made on first use
	for _, o := range s.canons {
		c.mulFixed = o.mulFixed // shared with the simplifier's other canonicalisers
		break
	}
	if c.mulFixed == nil {
		c.mulFixed = map[*ast.Mul]bool{}
	}
	return c
}

// expr returns the canonical form of e.
func (c *canon) expr(e ast.Expr) ast.Expr {
	switch e.(type) {
	case *ast.Num, *ast.Sym, *ast.Index:
		if c.leafFixed(e) {
			return e
		}
	}
	key := c.s.key(e)
	if r, ok := c.memoGet(key); ok {
		return r
	}
	if r, ok := c.shared(key); ok {
		return r
	}
	if c.s.stopped() {
		c.dep = true
		return e
	}
	if c.depth == 0 && e.Height() > deepCanonHeight && !deepCanonOff {
		c.canonTallParts(e) // not a recursion as deep as the tree (canon_deep.go)
		if c.s.stop != StopFixpoint && c.s.stop != StopCycle {
			c.dep = true
			return e
		}
	}
	outer, steps := c.dep, c.s.steps
	c.dep = false
	top := c.depth == 0
	c.depth++
	var r ast.Expr
	switch x := e.(type) {
	case *ast.Num, *ast.Sym:
		r = e
	case *ast.Index:
		r = e
	case *ast.Neg:
		r = c.mul([]ast.Expr{ast.MinusOne, c.expr(x.X)})
	case *ast.Add:
		// Nested sums are flattened before their parts are canonicalised,
		// so that a chain of n of them costs n, not n^2.
		raw := flattenRaw(e, func(x ast.Expr) []ast.Expr {
			if a, ok := x.(*ast.Add); ok {
				return a.Terms
			}
			return nil
		})
		terms := make([]ast.Expr, len(raw))
		for i, t := range raw {
			if c.s.abandoned() {
				break
			}
			terms[i] = c.expr(t)
		}
		if c.s.abandoned() {
			// Cancelled or out of time: the answer is not used, and
			// the rest of the terms (a memo look-up each), collecting
			// them and interning the sum again were 300 ms of a sum of
			// 400,000 terms after a Ctrl-C. e is what c.expr gives
			// once stopped.
			r, c.dep = e, true
			break
		}
		r = c.add(terms)
	case *ast.Mul:
		if fast, ok := c.runMul(x); ok {
			r = fast
			break
		}
		raw := flattenRaw(e, func(x ast.Expr) []ast.Expr {
			if m, ok := x.(*ast.Mul); ok {
				return m.Factors
			}
			return nil
		})
		fs := c.exprs(raw)
		var orig *ast.Mul
		if len(fs) > 0 && len(fs) == len(x.Factors) && &fs[0] == &x.Factors[0] {
			orig = x // no factor changed
		}
		r = c.mulOf(fs, orig)
	case *ast.Div:
		a, b := c.expr(x.X), c.expr(x.Y)
		if q, ok := c.divByNum(a, b); ok {
			r = q
			break
		}
		r = c.mul([]ast.Expr{a, c.pow(b, ast.MinusOne)})
	case *ast.Pow:
		r = c.powOf(c.expr(x.X), c.expr(x.Y), x)
	case *ast.Call:
		args := c.exprs(x.Args)
		if !c.reference && x.Fn != "delta" && len(args) > 0 && &args[0] == &x.Args[0] {
			r = x // c.call would intern the same call again
		} else {
			r = c.call(x.Fn, args)
		}
	case *ast.Sum:
		c.dep = true // scopes, and the rules written in Go
		r = c.sum(x.Op, x.Var, c.expr(x.Lo), c.expr(x.Hi), x.Body)
	case *ast.Deriv:
		if y := c.expr(x.X); y != x.X || c.reference {
			r = ast.NewDeriv(y, x.Wrt)
		} else {
			r = x
		}
	case *ast.Iverson:
		c.dep = true
		args := make([]ast.Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = c.expr(a)
		}
		r = c.iverson(args)
	case *ast.Condition, *ast.If:
		c.dep = true // canonicalisers of their own, under the pieces' facts
		r = c.piecewise(x)
	case *ast.MatOp:
		r = x // opaque: matrix expressions are worked on in index form
	default:
		panic("simplify: unexpected node")
	}
	if !c.knownFixed(e, r) {
		r = c.rewrite(r)
	}
	if c.s.steps != steps {
		c.dep = true // a step recorded (an assumption used): the pass records its own
	}
	c.depth--
	epoch := c.shareEpoch()
	if r == e || !top || fastOff {
		// The node a call from outside asked for is not entered when
		// another is its result: the driver asks for the next pass's
		// input next, which is that result (entered below). (The first
		// pass's memo, sized for about a node per node of its input as a
		// tree, then holds what the MSE at 3x2 makes without growing.)
		c.memoPut(key, r, epoch)
	}
	if r != e {
		c.memoPutResult(r, epoch) // (for r == e, the entry just made says so)
	}
	c.dep = outer || epoch == 0
	return r
}

// exprs returns the canonical forms of xs, canonicalised in order: xs
// itself when each is its own canonical form (callers test &out[0] ==
// &xs[0] to know it and must not modify it), else a new slice.
func (c *canon) exprs(xs []ast.Expr) []ast.Expr {
	for i, x := range xs {
		r := c.expr(x)
		if r == x && !c.reference {
			continue
		}
		out := make([]ast.Expr, len(xs))
		copy(out, xs[:i])
		out[i] = r
		for j := i + 1; j < len(xs); j++ {
			if c.s.abandoned() {
				copy(out[j:], xs[j:]) // as in expr's sums
				c.dep = true
				break
			}
			out[j] = c.expr(xs[j])
		}
		return out
	}
	return xs
}

// A memoKey is a node and, for a node that mentions indices bound by the
// sums being canonicalised around it, the ranges of those indices: delta
// contraction inside depends on them.
type memoKey struct {
	e   ast.Expr
	ctx string
}

type scopeEntry struct {
	name   string
	lo, hi ast.Expr
}

func (s *Simplifier) key(e ast.Expr) memoKey {
	if len(s.scope) == 0 {
		return memoKey{e: e}
	}
	// The ranges of the indices free in e, and of the indices their
	// ranges mention (conditions are decided through them), innermost
	// first. Written "i:name:lo:hi;" per index into a buffer on the stack,
	// the names to follow kept in a short list: with fmt, a strings.Builder
	// and a map this was a quarter of W8's allocations (TestKeyAgrees).
	var kb [96]byte
	var nb [8]string
	b, names := kb[:0], nb[:0]
	for i := len(s.scope) - 1; i >= 0; i-- {
		sc := s.scope[i]
		if !slices.Contains(names, sc.name) && !ast.HasFree(e, sc.name) {
			continue
		}
		// an outer binding of the name is another index
		kept := names[:0]
		for _, n := range names {
			if n != sc.name {
				kept = append(kept, n)
			}
		}
		names = kept
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ':')
		b = append(b, sc.name...)
		b = append(b, ':')
		b = strconv.AppendUint(b, sc.lo.ID(), 10)
		b = append(b, ':')
		b = strconv.AppendUint(b, sc.hi.ID(), 10)
		b = append(b, ';')
		names = append(names, ast.FreeNames(sc.lo)...)
		names = append(names, ast.FreeNames(sc.hi)...)
	}
	return memoKey{e: e, ctx: string(b)}
}

// bound returns the range of an index bound by an enclosing sum.
func (s *Simplifier) bound(name string) (scopeEntry, bool) {
	for i := len(s.scope) - 1; i >= 0; i-- {
		if s.scope[i].name == name {
			return s.scope[i], true
		}
	}
	return scopeEntry{}, false
}

// add collects canonical terms into a canonical sum. In smart mode it
// multiplies out the terms that are products with sums, and keeps that
// only if some terms cancel.
func (c *canon) add(terms []ast.Expr) ast.Expr {
	if c.expand != expandSmart || len(terms) < 2 {
		if c.track && len(terms) >= 2 && !addModeFree(terms) {
			c.dep = true
		}
		return c.collect(terms)
	}
	flat := flattenTerms(make([]ast.Expr, 0, len(terms)), terms)
	if !c.reference && !apartOff && expandsApart(flat) {
		// Multiplied out, no two terms would be alike: what the loop
		// below makes is not kept (see expand_apart.go).
		kept := c.collect(flat)
		if r, ok := c.cancelByExpanding(flat, kept); ok {
			return r
		}
		return kept
	}
	ex := make([]ast.Expr, 0, len(flat))
	changed := false
	for _, t := range flat {
		if m, ok := t.(*ast.Mul); ok {
			k := coeffOf(t)
			fs := m.Factors
			if _, isNum := fs[0].(*ast.Num); isNum {
				fs = fs[1:]
			}
			if !smartExpandable(fs) {
				// A product of many sums stays factored: multiplying it out
				// to look for a cancellation costs more than it can gain
				// ((x+1)...(x+100) would become a polynomial of degree 100).
				ex = append(ex, t)
				continue
			}
			if r, ok := c.distribute(k, fs); ok {
				if a, isAdd := r.(*ast.Add); isAdd {
					ex = append(ex, a.Terms...)
				} else {
					ex = append(ex, r)
				}
				changed = true
				continue
			}
		}
		ex = append(ex, t)
	}
	if changed {
		r := c.collect(ex)
		n := 1
		if a, ok := r.(*ast.Add); ok {
			n = len(a.Terms)
		} else if r == ast.Zero {
			n = 0
		}
		if n < len(ex) {
			return r
		}
	}
	kept := c.collect(flat)
	if r, ok := c.cancelByExpanding(flat, kept); ok {
		return r
	}
	return kept
}

// flattenTerms appends the terms of ts to flat, those of nested sums in
// their place.
func flattenTerms(flat, ts []ast.Expr) []ast.Expr {
	for _, t := range ts {
		if a, ok := t.(*ast.Add); ok {
			flat = flattenTerms(flat, a.Terms)
		} else {
			flat = append(flat, t)
		}
	}
	return flat
}

// Limits of the wider search for a cancellation (cancelByExpanding): the
// sum factors (a power counted by its exponent) multiplied out over the
// whole sum, the terms one product may reach after collection, and the
// products of two terms computed in all.
const (
	maxCancelFactors = 48
	maxCancelTerms   = 4096
	maxCancelWork    = 150_000
)

// cancelByExpanding looks for a cancellation among products too large for
// the smart expansion (P - expand(P), (P+1)(P-1) - (P^2 - 1)): it
// multiplies out every term, sums to small integer powers included, under
// the limits above, and returns the collected result only if some
// monomials cancelled and it is smaller than kept, the factored form.
// When every coefficient is positive nothing can cancel, and it does not
// try (the derivative of (x+1)...(x+n) stays a sum of products).
func (c *canon) cancelByExpanding(flat []ast.Expr, kept ast.Expr) (ast.Expr, bool) {
	factors, large, negative := 0, false, false
	for _, t := range flat {
		k, m := splitCoeff(t)
		if k.Sign() < 0 {
			negative = true
		}
		parts := []ast.Expr{m}
		if mm, ok := m.(*ast.Mul); ok {
			parts = mm.Factors
		}
		var sums []*ast.Add
		for _, f := range parts {
			if a, n := sumPower(f); a != nil {
				factors += n
				for range n {
					sums = append(sums, a)
				}
			}
		}
		if factors > maxCancelFactors {
			return nil, false
		}
		if len(sums) > 0 && (!smartExpandable(parts) || hasPow(parts)) {
			large = true // beyond what add's own expansion multiplies out
		}
		for _, a := range sums {
			for _, u := range a.Terms {
				if coeffOf(u).Sign() < 0 {
					negative = true
				}
			}
		}
	}
	if !large || !negative {
		return nil, false
	}
	work := 0
	var ex []ast.Expr
	distinct := map[ast.Expr]bool{}
	for _, t := range flat {
		terms, ok := c.expandBounded(t, &work)
		if !ok {
			return nil, false
		}
		for _, u := range terms {
			_, m := splitCoeff(u)
			distinct[m] = true
		}
		ex = append(ex, terms...)
	}
	r := c.collect(ex)
	n := 1
	if a, ok := r.(*ast.Add); ok {
		n = len(a.Terms)
	} else if r == ast.Zero {
		n = 0
	}
	if n < len(distinct) && r.Size() < kept.Size() {
		return r, true
	}
	return nil, false
}

// sumPower returns a factor's base and exponent when it is a sum to a
// positive integer power of at most maxCancelFactors.
func sumPower(f ast.Expr) (*ast.Add, int) {
	b, e := splitPow(f)
	a, ok := b.(*ast.Add)
	if !ok {
		return nil, 0
	}
	n, ok := numOf(e)
	if !ok || !n.IsInt() || n.Sign() <= 0 {
		return nil, 0
	}
	v, ok := n.Int64()
	if !ok || v > maxCancelFactors {
		return nil, 0
	}
	return a, int(v)
}

func hasPow(fs []ast.Expr) bool {
	for _, f := range fs {
		if a, n := sumPower(f); a != nil && n > 1 {
			return true
		}
	}
	return false
}

// expandBounded multiplies out a canonical term's sum factors (powers of
// sums included), collecting after each one; it reports false when a
// limit of cancelByExpanding is passed or the simplifier is stopped. It
// does not stop the simplifier: the caller keeps the factored form.
func (c *canon) expandBounded(t ast.Expr, work *int) ([]ast.Expr, bool) {
	k, m := splitCoeff(t)
	parts := []ast.Expr{m}
	if mm, ok := m.(*ast.Mul); ok {
		parts = mm.Factors
	}
	var sums []*ast.Add
	others := []ast.Expr{ast.NewNum(k)}
	for _, f := range parts {
		if a, n := sumPower(f); a != nil {
			for range n {
				sums = append(sums, a)
			}
		} else {
			others = append(others, f)
		}
	}
	if len(sums) == 0 {
		return []ast.Expr{t}, true
	}
	terms := []ast.Expr{c.mul(others)}
	for _, a := range sums {
		if len(terms)*len(a.Terms) > maxCancelTerms*4 {
			return nil, false
		}
		next := make([]ast.Expr, 0, len(terms)*len(a.Terms))
		for _, t := range terms {
			for _, u := range a.Terms {
				if *work++; *work > maxCancelWork || *work%256 == 0 && c.s.stopped() {
					return nil, false
				}
				next = append(next, c.mul([]ast.Expr{t, u}))
			}
		}
		switch r := c.collect(next).(type) {
		case *ast.Add:
			terms = r.Terms
		default:
			terms = []ast.Expr{r}
		}
		if len(terms) > maxCancelTerms {
			return nil, false
		}
	}
	return terms, true
}

// collect adds up like terms.
func (c *canon) collect(terms []ast.Expr) ast.Expr {
	type acc = collectAcc
	var constant ast.Number
	// The monomials seen, found by a scan of list while it is short and
	// through index (made then) once it is long.
	var index ast.NodeMap[int32] // by node ID: no hashing through the interface
	indexed := false
	const scanMax = 16
	list := c.accBuf[:0] // the canonicaliser's own while it is free
	c.accBuf = nil
	if cap(list) < len(terms) {
		list = make([]acc, 0, len(terms))
	}
	defer func() {
		// Keep no nodes alive. Only list's used part: past it the buffer
		// is zero (each use clears what it used), and a list made for a
		// sum of 100,000 terms is 8 MB whose pages a stop after a few
		// terms never touched (clearing all of it faulted them in, up to
		// 150 ms after a Ctrl-C).
		clear(list)
		if cap(list) > cap(c.accBuf) {
			c.accBuf = list[:0]
		}
		if indexed {
			index.Release(&collectTables)
		}
	}()
	// A monomial is a node (mono), or, for a term k*f1*...*fn with a
	// number k in front and n >= 2, the list f1...fn (fs), interned as the
	// product NewMul(fs...) only when it is needed: a sum's terms are
	// mostly distinct monomials, and interning each was a third of the
	// nodes a small simplification made. Two monomials are the same when
	// their lists are (monoEqual): products are hash-consed by their
	// factor lists.
	find := func(m ast.Expr, fs []ast.Expr) (int, bool) {
		if indexed {
			i, ok := index.Get(m)
			return int(i), ok
		}
		for i := range list {
			if monoEqual(list[i].mono, list[i].fs, m, fs) {
				return i, true
			}
		}
		return 0, false
	}
	unevaluated := false
	var addTerm func(t ast.Expr)
	added := 0
	addTerm = func(t ast.Expr) {
		if unevaluated {
			return // the answer is the sum as written (a stop once skipped only one term in 256)
		}
		if added++; added%256 == 0 && c.s.stopped() {
			unevaluated = true // stopped: the sum is left as it is
			return
		}
		if a, ok := t.(*ast.Add); ok {
			for _, u := range a.Terms {
				addTerm(u)
			}
			return
		}
		k, m, fs := splitCoeffLazy(t)
		if c.reference && m == nil {
			m, fs = ast.NewMul(fs...), nil // the general path: every monomial a node
		}
		if m == ast.One {
			constant = c.addNum(constant, k, &unevaluated)
			return
		}
		if indexed && m == nil {
			m, fs = ast.NewMul(fs...), nil // the index is by node
		}
		if i, ok := find(m, fs); ok {
			list[i].coef = c.addNum(list[i].coef, k, &unevaluated)
			list[i].only = nil
			return
		}
		switch {
		case indexed:
			index.Put(m, int32(len(list)))
		case len(list) == scanMax:
			indexed = true
			index.ReserveFrom(&collectTables, len(terms))
			for i := range list {
				a := &list[i]
				if a.mono == nil {
					a.mono, a.fs = ast.NewMul(a.fs...), nil
				}
				index.Put(a.mono, int32(i))
			}
			if m == nil {
				m, fs = ast.NewMul(fs...), nil
			}
			index.Put(m, int32(len(list)))
		}
		var only ast.Expr
		if rebuildsTo(t, k) {
			only = t
		}
		list = append(list, acc{coef: k, mono: m, fs: fs, only: only})
	}
	for _, t := range terms {
		if unevaluated {
			break
		}
		addTerm(t)
	}
	if unevaluated {
		return ast.NewAdd(terms...) // left unevaluated, as 2^(10^10) is
	}
	out := c.sumOut[:0] // the canonicaliser's own while free; NewAdd interns a copy: out is not held
	c.sumOut = nil
	if cap(out) < len(list)+1 {
		out = make([]ast.Expr, 0, len(list)+1)
	}
	if !constant.IsZero() {
		out = append(out, ast.NewNum(constant))
	}
	for _, a := range list {
		if a.coef.IsZero() {
			continue
		}
		if a.only != nil {
			out = append(out, a.only)
			continue
		}
		if a.mono == nil {
			out = append(out, withCoeffList(a.coef, a.fs))
			continue
		}
		out = append(out, withCoeff(a.coef, a.mono))
	}
	slices.SortFunc(out, termOrder)
	r := ast.NewAdd(out...)
	clear(out) // its used part: past it the buffer is zero, as list's
	if cap(out) > cap(c.sumOut) {
		c.sumOut = out[:0]
	}
	return r
}

// collectTables are the tables of collect's indexes of monomials, for
// the next long sum (ast.TablePool).
var collectTables ast.TablePool[int32]

// A collectAcc is a monomial of a sum being collected, with its
// coefficient so far.
type collectAcc struct {
	coef ast.Number
	mono ast.Expr
	// fs, when mono is nil, are the monomial's factors (two or more),
	// not yet interned as their product (see collect).
	fs []ast.Expr
	// only is the term itself while it is the only one of its
	// monomial, when withCoeff(coef, mono) gives it back (see
	// sameTerm): it is kept rather than built again.
	only ast.Expr
}

// rebuildsTo reports that withCoeff(splitCoeff(t)) is t itself, whose
// coefficient is k: a term that is not a number or a product with a
// number in front (coefficient 1, monomial t), or a product of a number k
// other than 0 and 1 and at least two more factors (withCoeff puts k back in front of the same
// factors, and nodes are hash-consed).
func rebuildsTo(t ast.Expr, k ast.Number) bool {
	switch x := t.(type) {
	case *ast.Num:
		return false
	case *ast.Mul:
		if _, isNum := x.Factors[0].(*ast.Num); isNum {
			return len(x.Factors) >= 3 && !k.IsZero() && !k.IsOne()
		}
	}
	return t != ast.One
}

// mulNum and addNum fold constants within ast.MaxNumberBits: a result
// beyond it sets *tooLarge, stops the simplifier with the reason, and the
// caller leaves its expression unevaluated (as a power beyond the limit
// stays a power).
func (c *canon) mulNum(a, b ast.Number, tooLarge *bool) ast.Number {
	r, err := a.MulChecked(b)
	if err != nil {
		*tooLarge = true
		c.s.limit(StopSize, fmt.Sprintf("an exact number would exceed %d bits", ast.MaxNumberBits))
		return a
	}
	return r
}

func (c *canon) addNum(a, b ast.Number, tooLarge *bool) ast.Number {
	r, err := a.AddChecked(b)
	if err != nil {
		*tooLarge = true
		c.s.limit(StopSize, fmt.Sprintf("an exact number would exceed %d bits", ast.MaxNumberBits))
		return a
	}
	return r
}

// withCoeff multiplies a monomial (canonical, without coefficient) by k.
func withCoeff(k ast.Number, m ast.Expr) ast.Expr {
	switch {
	case k.IsZero():
		return ast.Zero
	case m == ast.One:
		return ast.NewNum(k)
	case k.IsOne():
		return m
	}
	if mm, ok := m.(*ast.Mul); ok {
		return ast.NewMul(append([]ast.Expr{ast.NewNum(k)}, mm.Factors...)...)
	}
	return ast.NewMul(ast.NewNum(k), m)
}

// A mulAcc is a base of a product being collected, with its exponents.
type mulAcc struct {
	base ast.Expr
	exp  ast.Expr
	more []ast.Expr // further exponents of the base, if any
	src  *ast.Pow   // the factor base^exp, when it was one (see powOf)
}

// sortedDistinct reports, without side effects, that collecting the
// canonical factors fs one by one (mul's addFactor) would only multiply
// their numbers into the coefficient and give each other factor an entry
// of its own, with the factor's own base and exponent: no factor is a
// product or an exp call (which are merged), no sum factor with an integer
// exponent has a content other than 1 (which is pulled out), and the bases
// of the factors that are not numbers strictly increase in baseOrder.
// Strictly increasing bases are distinct nodes (baseOrder(a, a) is 0), so
// no base meets an earlier one; and since factorOrder orders by base
// first, the factors are then already in factorOrder, strictly.
func sortedDistinct(fs []ast.Expr) bool { return sortedDistinctBy(fs, nil) }

// sortedDistinctBy is sortedDistinct with the pairs of bases already
// found in order remembered in o (nil: none).
func sortedDistinctBy(fs []ast.Expr, o *orderCache) bool {
	var prev ast.Expr
	for _, f := range fs {
		switch x := f.(type) {
		case *ast.Num:
			continue
		case *ast.Mul:
			return false
		case *ast.Call:
			if x.Fn == "exp" {
				return false
			}
		}
		b, e := splitPow(f)
		if a, ok := b.(*ast.Add); ok && isInt(e) {
			if k, _ := primitive(a); !k.IsOne() {
				return false
			}
		}
		if prev != nil && !o.less(prev, b, baseOrder) {
			return false
		}
		prev = b
	}
	return true
}

// mul collects canonical factors into a canonical product. It does not
// modify factors.
func (c *canon) mul(factors []ast.Expr) ast.Expr { return c.mulOf(factors, nil) }

// mulOf is mul of the factors of orig when orig is not nil: a result
// with the same factors is orig itself, not interned again.
func (c *canon) mulOf(factors []ast.Expr, orig *ast.Mul) ast.Expr {
	if orig != nil && len(factors) >= minMulFixed && !c.reference && c.expand != expandFull && c.mulFixed[orig] {
		c.mulFixedHits++
		return orig // see mulFixed
	}
	coef := ast.Int(1)
	tooLarge := false
	if !c.reference && sortedDistinctBy(factors, &c.s.baseOrder) {
		// The common case (a product already canonical, or built from
		// canonical parts in order): the entries addFactor would make,
		// without its index of bases; see sortedDistinct.
		list := c.mulScratch(len(factors))
		modeFree := true
		for _, f := range factors {
			if n, ok := f.(*ast.Num); ok {
				coef = c.mulNum(coef, n.Value, &tooLarge)
				continue
			}
			b, e := splitPow(f)
			if e != ast.One {
				_, sym := b.(*ast.Sym)
				_, num := e.(*ast.Num)
				modeFree = modeFree && sym && num
			}
			src, _ := f.(*ast.Pow)
			list = append(list, mulAcc{base: b, exp: e, src: src})
		}
		r := c.mulFinish(factors, orig, coef, list, tooLarge, true, modeFree)
		clear(list) // keep no nodes alive
		c.scratch = list[:0]
		return r
	}
	list := c.mulScratch(len(factors))
	// The bases seen: a map once there are many, a scan of list before.
	var index map[ast.Expr]int
	find := func(b ast.Expr) (int, bool) {
		if index != nil {
			i, ok := index[b]
			return i, ok
		}
		for i := len(list) - 1; i >= 0; i-- { // the latest, as the map keeps
			if list[i].base == b {
				return i, true
			}
		}
		return 0, false
	}
	note := func(b ast.Expr) {
		if index == nil && len(list) >= 16 {
			// Sized for every factor at once: growing it step by step
			// cost more than the rest of mul on long products.
			index = make(map[ast.Expr]int, len(factors))
			for i := range list {
				index[list[i].base] = i
			}
		}
		if index != nil {
			index[b] = len(list)
		}
	}
	var expArgs []ast.Expr // exp(a)*exp(b) is exp(a + b): one exp per product
	var addFactor func(f ast.Expr)
	addFactor = func(f ast.Expr) {
		switch x := f.(type) {
		case *ast.Num:
			coef = c.mulNum(coef, x.Value, &tooLarge)
			return
		case *ast.Mul:
			for _, g := range x.Factors {
				addFactor(g)
			}
			return
		case *ast.Call:
			if x.Fn == "exp" {
				expArgs = append(expArgs, x.Args[0])
				return
			}
		}
		b, e := splitPow(f)
		if a, ok := b.(*ast.Add); ok && isInt(e) {
			// A sum as a factor is kept primitive (see above).
			k, prim := primitive(a)
			if !k.IsOne() {
				n, _ := numOf(e)
				ke, err := k.PowInt(mustInt(n))
				if err == nil {
					coef = c.mulNum(coef, ke, &tooLarge)
					b = prim
				}
			}
		}
		if i, ok := find(b); ok {
			list[i].more = append(list[i].more, e)
			return
		}
		note(b)
		src, _ := f.(*ast.Pow)
		list = append(list, mulAcc{base: b, exp: e, src: src})
	}
	for _, f := range factors {
		addFactor(f)
	}
	for rounds := 0; len(expArgs) > 0; rounds++ {
		args := expArgs
		expArgs = nil
		var merged ast.Expr
		if len(args) == 1 {
			merged = ast.NewCall("exp", args[0])
		} else {
			merged = c.expr(ast.NewCall("exp", c.add(args)))
		}
		if call, ok := merged.(*ast.Call); ok && call.Fn == "exp" || rounds > 4 {
			note(merged)
			list = append(list, mulAcc{base: merged, exp: ast.One})
			continue
		}
		addFactor(merged) // a rule turned it into something else (exp(0) = 1)
	}
	r := c.mulFinish(factors, orig, coef, list, tooLarge, false, false)
	clear(list[:cap(list)]) // keep no nodes alive
	if cap(list) > cap(c.scratch) {
		c.scratch = list[:0]
	}
	return r
}

// mulScratch returns an empty list of capacity n for mul's entries: the
// canonicaliser's own when it is free (mul is re-entered through pow and
// add, and then each nested call makes its own).
func (c *canon) mulScratch(n int) []mulAcc {
	list := c.scratch
	c.scratch = nil
	if cap(list) < n {
		return make([]mulAcc, 0, n)
	}
	return list[:0]
}

// mulFinish is the rest of mul once the factors are collected into coef
// and the entries of list (one per distinct base, in the order met).
// basesSorted says that the bases in list strictly increase in baseOrder
// (see sortedDistinct); modeFree, that every entry's exponent is 1
// or a number on a name's base (see mulFixed).
func (c *canon) mulFinish(factors []ast.Expr, orig *ast.Mul, coef ast.Number, list []mulAcc, tooLarge, basesSorted, modeFree bool) ast.Expr {
	if coef.IsZero() {
		return ast.Zero
	}
	out := c.outScratch(len(list) + 1) // room for the number in front; nothing returned holds it (NewMul copies)
	defer c.giveOut(out)
	rebased := false // a power came back with another base: look for equal bases again
	// kept: every entry came back from pow as itself, base^exp with the
	// same base, so that out has list's bases in list's order.
	kept := true
	for _, a := range list {
		e := a.exp
		if len(a.more) > 0 {
			e = c.add(append([]ast.Expr{a.exp}, a.more...))
		}
		p := c.powOf(a.base, e, a.src)
		if kept && !isPowOf(p, a.base, e) {
			kept = false
		}
		if n, ok := numOf(p); ok {
			coef = c.mulNum(coef, n, &tooLarge)
			continue
		}
		if b, _ := splitPow(p); b != a.base {
			rebased = true
		}
		if pm, ok := p.(*ast.Mul); ok {
			// pow may return a product (a number times a root): merge it.
			for _, g := range pm.Factors {
				if n, ok := numOf(g); ok {
					coef = c.mulNum(coef, n, &tooLarge)
				} else {
					out = append(out, g)
				}
			}
			continue
		}
		out = append(out, p)
	}
	if tooLarge {
		return ast.NewMul(factors...) // left unevaluated, as 2^(10^10) is
	}
	if coef.IsZero() {
		return ast.Zero
	}
	// Equal bases can reappear after pow (x^(1/2) from two sources): collect
	// once more only if needed.
	if rebased && hasDuplicateBases(out) {
		return c.mul(append([]ast.Expr{ast.NewNum(coef)}, out...))
	}
	switch {
	case c.reference:
		slices.SortFunc(out, factorOrder)
	case basesSorted && kept:
		// Strictly increasing bases, each once: factorOrder, which orders
		// by base first, has out strictly sorted already.
	case !strictlySorted(out, factorOrder):
		// A strictly sorted list is the only order a sort can give it, so
		// skipping the sort then changes nothing.
		slices.SortFunc(out, factorOrder)
	}
	// A number times a single sum is distributed (2*(x + y) is 2*x + 2*y).
	if len(out) == 1 {
		if a, ok := out[0].(*ast.Add); ok && !coef.IsOne() {
			terms := make([]ast.Expr, len(a.Terms))
			for i, t := range a.Terms {
				k, m := splitCoeff(t)
				terms[i] = withCoeff(c.mulNum(k, coef, &tooLarge), m)
			}
			if tooLarge {
				return ast.NewMul(factors...)
			}
			return c.add(terms)
		}
	}
	if c.expand == expandFull {
		if r, ok := c.distribute(coef, out); ok {
			return r
		}
	}
	cancels := c.expand != expandFull && (c.expand == expandSmart || modeFree && basesSorted && kept) && cancelsByDistributing(out)
	if c.track && (cancels || cancelsByDistributing(out)) {
		c.dep = true // the smart expansion distributes here if that is smaller
	}
	if c.expand == expandSmart && cancels {
		// (φ^2 + x Φ φ)/φ^2 is better as 1 + x Φ/φ: distribute a
		// denominator over a sum whose terms share its base, if smaller.
		if r, ok := c.distribute(coef, out); ok {
			kept := ast.NewMul(out...)
			if !coef.IsOne() {
				kept = ast.NewMul(append([]ast.Expr{ast.NewNum(coef)}, out...)...)
			}
			if r.Size() < kept.Size() {
				return r
			}
		}
	}
	n := len(out)
	if !coef.IsOne() {
		out = append(out, nil) // (nodes clone their lists: out is not held)
		copy(out[1:], out)
		out[0] = ast.NewNum(coef)
	}
	var r ast.Expr
	if orig != nil && !c.reference && len(out) >= 2 && slices.Equal(out, orig.Factors) {
		r = orig // what NewMul(out...) gives: nodes are hash-consed
	} else {
		r = ast.NewMul(out...)
	}
	if modeFree && basesSorted && kept && !rebased && n >= 2 && !cancels && c.expand != expandFull && !c.reference {
		// mul of r's own factors (the same bases in the same order, one
		// number for the same coefficient) takes this same path to r.
		if m, ok := r.(*ast.Mul); ok && len(m.Factors) >= minMulFixed {
			c.mulFixed[m] = true
		}
	}
	return r
}

// isPowOf reports that p is the factor base^e: base itself when e is 1,
// else a power of base (its exponent is not looked at: only the base
// decides the order of bases that are all distinct).
func isPowOf(p, base, e ast.Expr) bool {
	if e == ast.One {
		return p == base
	}
	pw, ok := p.(*ast.Pow)
	return ok && pw.X == base
}

// strictlySorted reports that each element of xs comes strictly before
// the next in cmp's order.
func strictlySorted(xs []ast.Expr, cmp func(a, b ast.Expr) int) bool {
	for i := 1; i < len(xs); i++ {
		if cmp(xs[i-1], xs[i]) >= 0 {
			return false
		}
	}
	return true
}

func hasDuplicateBases(fs []ast.Expr) bool {
	seen := map[ast.Expr]bool{}
	for _, f := range fs {
		b, _ := splitPow(f)
		if seen[b] {
			return true
		}
		seen[b] = true
	}
	return false
}

func mustInt(n ast.Number) int64 {
	v, _ := n.Int64()
	return v
}

// maxSmartTerms bounds the terms that multiplying out one product may
// create (before like terms are collected) when the smart expansion looks
// for a cancellation: a product of more sums is kept factored.
const maxSmartTerms = 64

// smartExpandable reports whether the product of fs, multiplied out,
// has at most maxSmartTerms terms before collection.
func smartExpandable(fs []ast.Expr) bool {
	n := 1
	for _, f := range fs {
		if a, ok := f.(*ast.Add); ok {
			n *= len(a.Terms)
			if n > maxSmartTerms {
				return false
			}
		}
	}
	return true
}

// maxExpandTerms bounds the terms one distribution may create.
const maxExpandTerms = 100_000

// distribute multiplies out the factors that are sums (to the first
// power). It reports false when there is nothing to do or the result
// would be too large.
func (c *canon) distribute(coef ast.Number, fs []ast.Expr) (ast.Expr, bool) {
	var sums []*ast.Add
	var others []ast.Expr
	for _, f := range fs {
		if a, ok := f.(*ast.Add); ok {
			sums = append(sums, a)
		} else {
			others = append(others, f)
		}
	}
	if len(sums) == 0 {
		return nil, false
	}
	prefix := append([]ast.Expr{ast.NewNum(coef)}, others...)
	terms := []ast.Expr{c.mul(prefix)}
	// Multiply one sum at a time and collect in between: (a+...+f)^10 has
	// 3,003 terms, though the unreduced product of ten sums has 6^10.
	for _, a := range sums {
		if len(terms)*len(a.Terms) > maxExpandTerms {
			c.s.limit(StopSize, fmt.Sprintf("expanding a product would create more than %d terms", maxExpandTerms))
			return nil, false
		}
		next := make([]ast.Expr, 0, len(terms)*len(a.Terms))
		for _, t := range terms {
			for _, u := range a.Terms {
				// A large expansion answers a cancellation or deadline within
				// a few milliseconds (stopped reads the context).
				if len(next)%256 == 0 && c.s.stopped() {
					return nil, false
				}
				next = append(next, c.mul([]ast.Expr{t, u}))
			}
		}
		collected := c.collect(next)
		if sum, ok := collected.(*ast.Add); ok {
			terms = sum.Terms
		} else {
			terms = []ast.Expr{collected}
		}
	}
	return c.collect(terms), true
}

// primitive splits a canonical sum into content and primitive part: the
// content k makes the coefficients coprime integers with the leading term
// positive, so a = k * prim.
func primitive(a *ast.Add) (ast.Number, ast.Expr) {
	if smallPrimitive(a) {
		return ast.Int(1), a
	}
	return primitiveBig(a)
}

// primitiveBig is primitive in big arithmetic, for any coefficients
// (in int64 arithmetic while the content's parts fit).
func primitiveBig(a *ast.Add) (ast.Number, ast.Expr) {
	k, ok := contentSmall(a)
	if !ok {
		g := new(big.Int)
		l := big.NewInt(1)
		for _, t := range a.Terms {
			k := coeffOf(t)
			g.GCD(nil, nil, g, new(big.Int).Abs(k.Num()))
			d := k.Denom()
			l.Mul(l, new(big.Int).Quo(d, new(big.Int).GCD(nil, nil, l, d)))
		}
		if g.Sign() == 0 {
			return ast.Int(1), a
		}
		k = ast.FromRat(new(big.Rat).SetFrac(g, l))
	}
	if k.IsZero() {
		return ast.Int(1), a
	}
	lead := coeffOf(a.Terms[0])
	if lead.Sign() < 0 {
		k = k.Neg()
	}
	if k.IsOne() {
		return k, a
	}
	inv, _ := k.Inv()
	terms := make([]ast.Expr, len(a.Terms))
	for i, t := range a.Terms {
		kt, m := splitCoeff(t)
		terms[i] = withCoeff(kt.Mul(inv), m)
	}
	return k, ast.NewAdd(terms...)
}

// contentSmall is the content of a's coefficients, the gcd of their
// numerators over the lcm of their denominators (0 when every coefficient
// is 0), computed in int64 arithmetic; false where a part does not fit.
func contentSmall(a *ast.Add) (ast.Number, bool) {
	var g, l uint64 = 0, 1
	for _, t := range a.Terms {
		p, q := coeffOf(t).Parts()
		pv, ok1 := p.Int64()
		qv, ok2 := q.Int64()
		if !ok1 || !ok2 || pv == math.MinInt64 {
			return ast.Number{}, false
		}
		if pv < 0 {
			pv = -pv
		}
		g = gcdU64(g, uint64(pv))
		m := uint64(qv) / gcdU64(l, uint64(qv))
		hi, lo := bits.Mul64(l, m)
		if hi != 0 || lo > math.MaxInt64 {
			return ast.Number{}, false
		}
		l = lo
	}
	if g > math.MaxInt64 {
		return ast.Number{}, false
	}
	return ast.Frac(int64(g), int64(l)), true
}

func gcdU64(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// smallPrimitive reports, without allocating, that a sum whose
// coefficients are all small integers is already primitive: their gcd is
// 1 and the leading one is positive (the common case, x + 1).
func smallPrimitive(a *ast.Add) bool {
	var g uint64
	for i, t := range a.Terms {
		v, ok := coeffOf(t).Int64()
		if !ok || v == math.MinInt64 {
			return false
		}
		if i == 0 && v < 0 {
			return false
		}
		if v < 0 {
			v = -v
		}
		if g != 1 {
			u := uint64(v)
			for u != 0 {
				g, u = u, g%u
			}
		}
	}
	return g == 1 // every coefficient is an integer (a fraction makes the content 1/denominator)
}

// pow builds the canonical power b^e of canonical b and e.
func (c *canon) pow(b, e ast.Expr) ast.Expr { return c.powOf(b, e, nil) }

// powOf is pow, where orig, when not nil, is a power that may be b^e
// already: a result b^e is then orig itself, not interned again.
func (c *canon) powOf(b, e ast.Expr, orig *ast.Pow) ast.Expr {
	en, eNum := numOf(e)
	switch {
	case eNum && en.IsZero():
		return ast.One
	case eNum && en.IsOne():
		return b
	case b == ast.One:
		return ast.One
	}
	if bn, ok := numOf(b); ok && eNum {
		if r, ok := powNum(bn, en); ok {
			return r
		}
		return ast.NewPow(b, e)
	}
	switch x := b.(type) {
	case *ast.Pow:
		// (x^a)^e = x^(a e) when e is an integer, or x^a needs x >= 0
		// anyway (a is not an integer), or x is known to be non-negative;
		// otherwise (x^2)^(1/2) = |x| would become x.
		an, aNum := numOf(x.Y)
		if (eNum && en.IsInt()) || (aNum && !an.IsInt()) {
			return c.pow(x.X, c.mul([]ast.Expr{x.Y, e}))
		}
		c.s.factsUsed = nil
		if c.s.sign(x.X).nonneg() {
			return c.byAssumption(ast.NewPow(b, e), c.pow(x.X, c.mul([]ast.Expr{x.Y, e})))
		}
	case *ast.Mul:
		// (a b)^e = a^e b^e for integer e; otherwise only over factors
		// known to be positive.
		if eNum && en.IsInt() {
			fs := make([]ast.Expr, len(x.Factors))
			for i, f := range x.Factors {
				fs[i] = c.pow(f, e)
			}
			return c.mul(fs)
		}
		var pos, rest []ast.Expr
		// (a b)^e = a^e b^e where a > 0 (both sides are then defined for
		// the same b); factors that are only >= 0 may be split off when
		// all are, and e > 0.
		c.s.factsUsed = nil
		allNonneg := eNum && en.Sign() > 0
		for _, f := range x.Factors {
			if !c.s.sign(f).nonneg() {
				allNonneg = false
			}
		}
		for _, f := range x.Factors {
			if iv := c.s.sign(f); iv.positive() || allNonneg {
				pos = append(pos, c.pow(f, e))
			} else {
				rest = append(rest, f)
			}
		}
		if len(pos) > 0 {
			if len(rest) > 0 {
				pos = append(pos, ast.NewPow(ast.NewMul(rest...), e))
			}
			return c.byAssumption(ast.NewPow(b, e), c.mul(pos))
		}
	case *ast.Add:
		if c.expand == expandFull && eNum && en.IsInt() && en.Sign() > 0 && en.Cmp(ast.Int(16)) <= 0 {
			// The prover's normal form multiplies out powers of sums too.
			fs := make([]ast.Expr, mustInt(en))
			for i := range fs {
				fs[i] = x
			}
			if r, ok := c.distribute(ast.Int(1), fs); ok {
				return r
			}
		}
		k, prim := primitive(x)
		switch {
		case k.IsOne():
		case eNum && en.IsInt():
			if ke, err := k.PowInt(mustInt(en)); err == nil {
				return c.mul([]ast.Expr{ast.NewNum(ke), ast.NewPow(prim, e)})
			}
		case k.Sign() > 0:
			// (4 + 4x^2)^(1/2) = 2 (1 + x^2)^(1/2): a positive content
			// comes out of any power.
			return c.mul([]ast.Expr{c.pow(ast.NewNum(k), e), ast.NewPow(prim, e)})
		}
	case *ast.Call:
		switch {
		case x.Fn == "exp":
			// exp(u)^e = exp(e u): exp is positive, so for any e.
			return c.call("exp", []ast.Expr{c.mul([]ast.Expr{e, x.Args[0]})})
		case x.Fn == "delta" && eNum && en.IsInt() && en.Sign() > 0:
			return b // delta is 0 or 1
		}
	}
	if orig != nil && orig.X == b && orig.Y == e && !c.reference && !fastOff {
		c.fastHits[2]++
		return orig // what NewPow(b, e) gives: nodes are hash-consed
	}
	return ast.NewPow(b, e)
}

// powNum folds b^e for numbers when the result is rational and not huge.
func powNum(b, e ast.Number) (ast.Expr, bool) {
	if e.IsInt() {
		k, ok := e.Int64()
		if !ok {
			return nil, false
		}
		if b.IsZero() && k < 0 {
			return nil, false // division by zero stays visible
		}
		r, err := b.PowInt(k)
		if err != nil {
			return nil, false
		}
		return ast.NewNum(r), true
	}
	// b^(p/q): exact when b has a rational q-th root.
	q := e.Denom()
	p := e.Num()
	if !q.IsInt64() || !p.IsInt64() || b.Sign() < 0 {
		return nil, false
	}
	root, ok := b.Root(q.Int64())
	if !ok {
		return nil, false
	}
	r, err := root.PowInt(p.Int64())
	if err != nil {
		return nil, false
	}
	return ast.NewNum(r), true
}

// call builds a canonical call; the rules do the rest.
func (c *canon) call(fn string, args []ast.Expr) ast.Expr {
	if fn == "delta" && len(args) == 2 {
		return canonDelta(args[0], args[1])
	}
	return ast.NewCall(fn, args...)
}

// flattenRaw lists the operands of a chain of nested nodes of one kind
// (kids returns a node's operands, or nil for a node of another kind),
// iteratively: the chain from differentiating sin(sin(...)) is as deep as
// the input.
func flattenRaw(e ast.Expr, kids func(ast.Expr) []ast.Expr) []ast.Expr {
	if ks := kids(e); ks != nil && !slices.ContainsFunc(ks, func(k ast.Expr) bool { return kids(k) != nil }) {
		return ks // nothing nested (the common case): the operands as they are
	}
	var out []ast.Expr
	stack := []ast.Expr{e}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ks := kids(x)
		if ks == nil {
			out = append(out, x)
			continue
		}
		for i := len(ks) - 1; i >= 0; i-- {
			stack = append(stack, ks[i])
		}
	}
	return out
}

// cancelsByDistributing reports whether a product has a sum factor and a
// factor with a negative exponent whose base also occurs in the sum's
// terms, so that multiplying out can cancel.
func cancelsByDistributing(fs []ast.Expr) bool {
	nSums := 0
	for _, f := range fs {
		if _, ok := f.(*ast.Add); ok {
			if nSums++; nSums > 1 {
				return false // a product of several sums: see below
			}
		}
	}
	if nSums != 1 {
		return false
	}
	var sums []*ast.Add
	denoms := map[ast.Expr]bool{}
	for _, f := range fs {
		if a, ok := f.(*ast.Add); ok {
			sums = append(sums, a)
			continue
		}
		b, e := splitPow(f)
		if n, ok := numOf(e); ok && n.Sign() < 0 {
			denoms[b] = true
		}
	}
	if len(sums) != 1 || len(denoms) == 0 {
		return false
	}
	for _, t := range sums[0].Terms {
		_, m := splitCoeff(t)
		parts := []ast.Expr{m}
		if mm, ok := m.(*ast.Mul); ok {
			parts = mm.Factors
		}
		for _, p := range parts {
			b, _ := splitPow(p)
			if denoms[b] {
				return true
			}
		}
	}
	return false
}
