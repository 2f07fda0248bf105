package simplify

import (
	"context"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// Tidy turns a canonical expression into the form a person would write:
// sums over the same range merged back into one sum, common factors taken
// out (x*p - x*y is x*(p - y)), a sum divided by its number of terms shown
// as mean, negative coefficients as subtraction, negative powers as
// quotients, square roots as sqrt. Tidy changes how an expression is
// written, never its value.
func Tidy(e ast.Expr) ast.Expr {
	out, _ := TidyContext(context.Background(), e)
	return out
}

// TidyContext is Tidy that stops when ctx is done: it then returns e as it
// is (the same value, not yet in display form) with ctx's error.
func TidyContext(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	return tidyContext(ctx, e, false)
}

// tidyContext is TidyContext; canonical says that e is a canonical form
// as Normalize returns it, whose sums and products are in display order
// already (TestCanonicalInDisplayOrder), so that order, which would
// compare each operand with the next to find nothing to do (a twentieth
// of W2's simplification), is not run.
func tidyContext(ctx context.Context, e ast.Expr, canonical bool) (ast.Expr, error) {
	if err := ctx.Err(); err != nil {
		return e, err // stopped before: a huge sum left as it was is not walked
	}
	t := &tidier{ctx: ctx, inOrder: canonical && displayShortcuts}
	if e.Size() > maxTidyTree {
		t.memo = newDagMemo()
	}
	return t.tidy(e)
}

// maxTidyTree is the largest expression (Size, as a tree) that tidy walks
// as a tree: each node's display computed where it occurs, without the
// memo by node, whose table (grown by doubling, two of them) cost a small
// expression more than the few subexpressions it has twice.
const maxTidyTree = 1000

func (t *tidier) tidy(e ast.Expr) (ast.Expr, error) {
	ctx := t.ctx
	if !t.inOrder {
		e = t.order(e)
	}
	if t.memo != nil && e.Height() > deepCanonHeight && !deepCanonOff {
		// Parts first, by a loop: not a recursion as deep as the tree
		// (canon_deep.go).
		bottomUp(e, prewarmHeight, func(x ast.Expr) bool { t.display(x); return !t.cancelled() },
			func() bool { t.done = t.done || t.ctx.Err() != nil; return t.done })
	}
	out := t.display(e)
	if t.cancelled() {
		return e, ctx.Err()
	}
	if !ast.HasSum(out) {
		return out, nil
	}
	// A bound index never takes the name of a free one: in
	// -A[i,l]*sum(l=1..d, X[k,l]) the l of the sum is not the free l.
	return unshadow(out, slices.Clone(ast.FreeNames(out))), nil
}

// unshadow renames the index of a sum nested in a sum over the same name,
// or over a name free in the whole expression (in scope from the start),
// which is correct but hard to read.
func unshadow(e ast.Expr, scope []string) ast.Expr {
	if !ast.HasSum(e) {
		return e
	}
	if s, ok := e.(*ast.Sum); ok {
		v, body := s.Var, s.Body
		if slices.Contains(scope, v) {
			nv := ast.Fresh(v, func(n string) bool { return slices.Contains(scope, n) || ast.HasFree(body, n) })
			body, v = ast.Rename(body, v, nv), nv
		}
		inner := append(slices.Clone(scope), v)
		return ast.NewSum(s.Op, v, unshadow(s.Lo, scope), unshadow(s.Hi, scope), unshadow(body, inner))
	}
	kids := ast.Children(e)
	nk := make([]ast.Expr, len(kids))
	for i, k := range kids {
		nk[i] = unshadow(k, scope)
	}
	return ast.WithChildren(e, nk)
}

type tidier struct {
	memo *dagMemo // by node; nil for an expression walked as a tree (maxTidyTree)
	// factorOrder remembers the pairs of factors found in display order
	// (see orderCache).
	factorOrder orderCache
	// buf is a list of factors that mulDisplay reuses (nil while in use).
	buf []ast.Expr
	run ast.ChildRun // for the displays of plain products
	// reference turns off the fast paths (the order cache, plainProduct),
	// for the test that compares them with the general path.
	reference bool
	inOrder   bool // e is in display order: order has nothing to do
	ctx       context.Context
	tick      int  // nodes since ctx was last asked
	done      bool // ctx was found done: the rest is left as it is
}

// cancelled says whether ctx is done, asking it once in 64 calls; a
// display of a product of a thousand sums must stop within the time
// limit too.
func (t *tidier) cancelled() bool {
	if t.done {
		return true
	}
	if t.tick++; t.tick >= 64 {
		t.tick = 0
		t.done = t.ctx.Err() != nil
	}
	return t.done
}

// order re-sorts sums and products after folding changed their operands.
// Each distinct node is visited once, bottom-up (as ast.Map does), and
// rebuilt only when an operand changed or it is out of order.
func (t *tidier) order(e ast.Expr) ast.Expr {
	var memo *dagMemo
	if t.memo != nil {
		memo = newDagMemo()
	}
	var run ast.ChildRun
	var walk func(x ast.Expr) ast.Expr
	walk = func(x ast.Expr) ast.Expr {
		switch y := x.(type) {
		case *ast.Num, *ast.Sym:
			return x
		case *ast.Pow:
			if isLeaf(y.X) && isLeaf(y.Y) {
				return t.ordered(x) // x^2: nothing below to order, nothing to remember
			}
		}
		if t.cancelled() {
			return x // stopped: tidy returns its input, and the rest is not walked
		}
		switch y := x.(type) {
		case *ast.Pow:
			if memo == nil { // without ast.Children's list of two
				if a, b := walk(y.X), walk(y.Y); a != y.X || b != y.Y {
					x = ast.NewPow(a, b)
				}
				return t.ordered(x)
			}
		}
		if memo == nil {
			return t.ordered(run.MapChildren(x, walk))
		}
		if r, ok := memo.get(x); ok {
			return r
		}
		r := t.ordered(run.MapChildren(x, walk))
		memo.put(x, r)
		return r
	}
	return walk(e)
}

// isLeaf reports whether x is a number or a name without indices.
func isLeaf(x ast.Expr) bool {
	switch x.(type) {
	case *ast.Num, *ast.Sym:
		return true
	}
	return false
}

// ordered sorts the operands of a sum or a product (x's own, not deeper).
func (t *tidier) ordered(x ast.Expr) ast.Expr {
	if t.cancelled() {
		return x
	}
	switch x := x.(type) {
	case *ast.Add:
		// Most sums and products are in order already (folding changed
		// few of them): checking costs a comparison per operand, sorting
		// a copy and interning it again much more.
		if slices.IsSortedFunc(x.Terms, termOrder) {
			return x
		}
		ts := slices.Clone(x.Terms)
		slices.SortStableFunc(ts, termOrder)
		return ast.NewAdd(ts...)
	case *ast.Mul:
		if !t.reference && t.factorOrder.sorted(x.Factors, displayFactorOrder) ||
			t.reference && slices.IsSortedFunc(x.Factors, displayFactorOrder) {
			return x
		}
		fs := slices.Clone(x.Factors)
		slices.SortStableFunc(fs, displayFactorOrder)
		return ast.NewMul(fs...)
	}
	return x
}

// displayFactorOrder is factorOrder with numbers first.
func displayFactorOrder(a, b ast.Expr) int {
	_, an := a.(*ast.Num)
	_, bn := b.(*ast.Num)
	switch {
	case an && !bn:
		return -1
	case bn && !an:
		return 1
	}
	return factorOrder(a, b)
}

// display converts a (canonical-shaped) expression to display form.
func (t *tidier) display(e ast.Expr) ast.Expr {
	if p, ok := e.(*ast.Pow); ok && !t.reference && namePower(p) {
		return e // as signed shows it, without the memo's lookup and entry
	}
	if t.memo != nil {
		if r, ok := t.memo.get(e); ok {
			return r
		}
	}
	if t.cancelled() {
		return e
	}
	abs, neg := t.signed(e)
	r := abs
	if neg {
		r = negate(abs)
	}
	if t.memo != nil {
		t.memo.put(e, r)
	}
	return r
}

// negate puts a minus sign on a display expression where it reads best:
// on a leading number (-2*x), on the first factor (-x*y), on the
// numerator of a quotient (-x/n).
func negate(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Num:
		return ast.NewNum(x.Value.Neg())
	case *ast.Mul:
		fs := slices.Clone(x.Factors)
		fs[0] = negate(fs[0])
		return ast.NewMul(fs...)
	case *ast.Div:
		return ast.NewDiv(negate(x.X), x.Y)
	case *ast.Add:
		return ast.NewNeg(e)
	}
	return ast.NewNeg(e)
}

// signed returns the display form of |e| and whether e is negative (has a
// negative coefficient).
func (t *tidier) signed(e ast.Expr) (ast.Expr, bool) {
	if t.cancelled() {
		return e, false
	}
	switch x := e.(type) {
	case *ast.Num:
		v := x.Value
		neg := v.Sign() < 0
		if neg {
			v = v.Neg()
		}
		if _, ok := v.Decimal(); ok {
			return ast.NewNum(v), neg
		}
		p, q := v.Parts()
		return ast.NewDiv(ast.NewNum(p), ast.NewNum(q)), neg
	case *ast.Sym, *ast.Index:
		return e, false
	case *ast.Call:
		var args []ast.Expr // made when an argument's display differs
		for i, a := range x.Args {
			if d := t.display(a); d != a && args == nil {
				args = slices.Clone(x.Args)
				args[i] = d
			} else if args != nil {
				args[i] = d
			}
		}
		if args == nil {
			return e, false // sin(sin(...)) 10,000 deep is not interned again
		}
		return ast.NewCall(x.Fn, args...), false
	case *ast.Sum:
		return ast.NewSum(x.Op, x.Var, t.display(x.Lo), t.display(x.Hi), t.display(x.Body)), false
	case *ast.Pow:
		if !t.reference && namePower(x) {
			return e, false // x^2 is shown as it is (mulDisplay would build it again)
		}
		return t.mulDisplay([]ast.Expr{e}, nil)
	case *ast.Mul:
		if !t.reference && plainFactors(x.Factors) {
			// plainProduct's product, through a run (see ast.ChildRun): the
			// products of d/dx Π(x+k) share most factors with the last.
			return t.run.MapChildren(x, t.display), false
		}
		return t.mulDisplay(x.Factors, nil)
	case *ast.Add:
		return t.addDisplay(x), false
	case *ast.Deriv:
		return ast.NewDeriv(t.display(x.X), x.Wrt), false
	case *ast.Iverson:
		args := make([]ast.Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = t.display(a)
		}
		return ast.NewIverson(args...), false
	case *ast.Condition, *ast.If:
		kids := ast.Children(x)
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			nk[i] = t.display(k)
		}
		return ast.WithChildren(x, nk), false
	case *ast.Neg:
		a, neg := t.signed(x.X)
		return a, !neg
	case *ast.Div:
		return ast.NewDiv(t.display(x.X), t.display(x.Y)), false
	}
	return e, false
}

// namePower reports whether x is a name to an integer power of at least
// 2: x^2, w[1]^10 (1 + x + … + x^99 has 98 of them).
func namePower(x *ast.Pow) bool {
	switch x.X.(type) {
	case *ast.Sym, *ast.Index:
	default:
		return false
	}
	n, ok := x.Y.(*ast.Num)
	return ok && n.Value.IsInt() && n.Value.Sign() > 0 && !n.Value.IsOne()
}

// mulDisplay writes a product as coefficient, numerator and denominator,
// with mean for a sum times the inverse of its number of terms. extra are
// further numerator factors, already in display form.
func (t *tidier) mulDisplay(factors, extra []ast.Expr) (ast.Expr, bool) {
	if !t.reference && plainFactors(factors) {
		return t.plainProduct(factors, extra), false
	}
	coef := ast.Int(1)
	var den []ast.Expr
	num := make([]ast.Expr, 0, len(factors)+len(extra)+1)
	fs := make([]ast.Expr, 0, len(factors))
	for _, f := range factors {
		if n, ok := numOf(f); ok {
			if c, err := coef.MulChecked(n); err == nil { // else left unevaluated, as canon left it
				coef = c
				continue
			}
		}
		fs = append(fs, f)
	}
	// A factor that is a sum of sums over one range is one sum for display.
	for i := 0; i < len(fs); i++ {
		if a, ok := fs[i].(*ast.Add); ok {
			if m := mergeSums(a.Terms); len(m) == 1 {
				k, rest := splitCoeff(m[0])
				coef = coef.Mul(k)
				var parts []ast.Expr
				if rm, ok := rest.(*ast.Mul); ok {
					parts = rm.Factors
				} else {
					parts = []ast.Expr{rest}
				}
				fs = append(append(append([]ast.Expr{}, fs[:i]...), parts...), fs[i+1:]...)
				i += len(parts) - 1
			}
		}
	}
	fs = meanFactors(fs)
	coef, fs = distributeDecimal(coef, fs)
	// A negative product reads better with the sign absorbed by a sum in
	// it: (p - y)/n rather than -(y - p)/n, mean(x*(p - y)) rather than
	// -mean(x*(y - p)).
	if coef.Sign() < 0 {
		if i, nf, ok := negateOneFactor(fs); ok {
			fs = slices.Clone(fs)
			fs[i] = nf
			coef = coef.Neg()
		}
	}
	for _, f := range fs {
		b, e := splitPow(f)
		n, isNum := numOf(e)
		switch {
		case isNum && n.Sign() < 0:
			den = append(den, t.power(b, ast.NewNum(n.Neg())))
		default:
			num = append(num, t.power(b, e))
		}
	}
	num = append(num, extra...)
	neg := coef.Sign() < 0
	if neg {
		coef = coef.Neg()
	}
	if algebra.ShowDecimal(coef) {
		num = append([]ast.Expr{ast.NewNum(coef)}, num...)
		coef = ast.Int(1)
	}
	p, q := coef.Parts() // Numbers: no math/big for the small ones
	if !p.IsOne() || len(num) == 0 {
		num = append([]ast.Expr{ast.NewNum(p)}, num...)
	}
	if !q.IsOne() {
		den = append([]ast.Expr{ast.NewNum(q)}, den...)
	}
	var out ast.Expr = ast.NewMul(num...)
	if len(den) > 0 {
		out = ast.NewDiv(out, ast.NewMul(den...))
	}
	return out, neg
}

// plainFactors reports whether mulDisplay has nothing to do with factors
// but show each: there is at least one, and none is a number (the
// coefficient is 1), a power (no denominator, no root), a sum over an
// index (no mean), or a sum with such sums among its terms (nothing to
// merge). The factors of each product of d/dx Π(x+k) are such.
func plainFactors(factors []ast.Expr) bool {
	if len(factors) == 0 {
		return false
	}
	for _, f := range factors {
		switch x := f.(type) {
		case *ast.Num, *ast.Pow, *ast.Sum:
			return false
		case *ast.Add:
			if len(x.Terms) < 2 || ast.HasSum(x) && slices.ContainsFunc(x.Terms, hasSumFactor) {
				return false
			}
		}
	}
	return true
}

// plainProduct is mulDisplay for plainFactors: the product of the
// factors' displays and extra, in a list reused from one product to the
// next (display may come back here for a factor's own terms: that call
// finds the list taken and makes its own).
func (t *tidier) plainProduct(factors, extra []ast.Expr) ast.Expr {
	num := t.buf
	t.buf = nil
	if n := len(factors) + len(extra); cap(num) < n {
		num = make([]ast.Expr, 0, n)
	}
	for _, f := range factors {
		num = append(num, t.display(f))
	}
	num = append(num, extra...)
	r := ast.NewMul(num...) // interned with a copy of its own
	clear(num)              // keep no nodes alive
	t.buf = num[:0]
	return r
}

// power displays b^e for a non-negative exponent e.
func (t *tidier) power(b, e ast.Expr) ast.Expr {
	db := t.display(b)
	if n, ok := numOf(e); ok {
		switch {
		case n.IsOne():
			return db
		case n.Equal(ast.Frac(1, 2)):
			return ast.NewCall("sqrt", db)
		}
	}
	return ast.NewPow(db, t.display(e))
}

// meanFactors turns c^-1 * sum(i=lo..hi, body), where c is the number of
// terms of the sum, into mean(i=lo..hi, body).
func meanFactors(fs []ast.Expr) []ast.Expr {
	for i, f := range fs {
		s, ok := f.(*ast.Sum)
		if !ok || s.Op != ast.OpSum {
			continue
		}
		n := countOf(s.Lo, s.Hi)
		for j, g := range fs {
			b, e := splitPow(g)
			if j != i && b == n && ast.IsNum(e, -1) {
				out := slices.Clone(fs)
				out[i] = ast.NewSum(ast.OpMean, s.Var, s.Lo, s.Hi, s.Body)
				return slices.Delete(out, j, j+1)
			}
		}
	}
	return fs
}

// countOf is the canonical number of terms hi - lo + 1.
func countOf(lo, hi ast.Expr) ast.Expr {
	if ast.IsNum(lo, 1) {
		return hi // the common case, without building a canonicaliser
	}
	return plainCanon(expandNone).count(lo, hi)
}

// addDisplay merges sums over one range, takes out common factors and
// writes negative terms as subtractions.
func (t *tidier) addDisplay(a *ast.Add) ast.Expr {
	if t.cancelled() {
		return a // stopped: not scanned (tidy returns its input)
	}
	terms := mergeSums(a.Terms)
	if len(terms) == 1 {
		return t.display(terms[0])
	}
	if q, ok := commonDenominator(terms); ok {
		// x/100 + y/100 reads (x + y)/100.
		scaled := make([]ast.Expr, len(terms))
		for i, x := range terms {
			k, m := splitCoeff(x)
			scaled[i] = withCoeff(k.Mul(q), m)
		}
		inner := t.addDisplay(ast.NewAdd(scaled...).(*ast.Add))
		return ast.NewDiv(inner, ast.NewNum(q))
	}
	if common, rest, ok := commonFactor(terms); ok {
		inner := t.addDisplay(ast.NewAdd(rest...).(*ast.Add))
		r, neg := t.mulDisplay(common, []ast.Expr{inner})
		if neg {
			return negate(r)
		}
		return r
	}
	type signedTerm struct {
		e   ast.Expr
		neg bool
	}
	// Constants go last (x - 1); a positive term then leads (1 - x).
	terms = append(slices.DeleteFunc(slices.Clone(terms), isNumber), numbersOf(terms)...)
	ts := make([]signedTerm, len(terms))
	for i, x := range terms {
		e, neg := t.signed(x)
		ts[i] = signedTerm{e, neg}
	}
	// Lead with a positive term when there is one: y - p, not -p + y.
	if ts[0].neg {
		for i := 1; i < len(ts); i++ {
			if !ts[i].neg {
				first := ts[i]
				copy(ts[1:i+1], ts[0:i])
				ts[0] = first
				break
			}
		}
	}
	out := make([]ast.Expr, len(ts))
	for i, st := range ts {
		switch {
		case st.neg && i == 0:
			out[i] = negate(st.e)
		case st.neg:
			out[i] = ast.NewNeg(st.e)
		default:
			out[i] = st.e
		}
	}
	return ast.NewAdd(out...)
}

// mergeSums rewrites c1*K*sum(i=a..b, f) + c2*K*sum(j=a..b, g), where K is
// the same, as c*K*sum(i=a..b, (c1/c)*f + (c2/c)*g): one sum where the
// canonical form has split it by linearity.
func mergeSums(terms []ast.Expr) []ast.Expr {
	if !slices.ContainsFunc(terms, hasSumFactor) {
		// Nothing to merge: the terms as they are, without the copies
		// (every factor (x + k) of a product of a thousand passes here).
		return terms
	}
	type item struct {
		coef ast.Number
		sum  *ast.Sum
	}
	type group struct {
		key    ast.Expr // the other factors
		lo, hi ast.Expr
		items  []item
		at     int
	}
	var groups []*group
	var out []ast.Expr
	for _, t := range terms {
		k, sum, others := sumTerm(t)
		if sum == nil {
			out = append(out, t)
			continue
		}
		key := ast.NewMul(others...)
		var g *group
		for _, h := range groups {
			if h.key == key && h.lo == sum.Lo && h.hi == sum.Hi {
				g = h
				break
			}
		}
		if g == nil {
			g = &group{key: key, lo: sum.Lo, hi: sum.Hi, at: len(out)}
			groups = append(groups, g)
			out = append(out, nil) // placeholder
		}
		g.items = append(g.items, item{k, sum})
	}
	for _, g := range groups {
		if len(g.items) == 1 {
			it := g.items[0]
			out[g.at] = withCoeff(it.coef, keyTimes(g.key, it.sum))
			continue
		}
		c := g.items[0].coef
		for _, it := range g.items {
			if it.coef.Sign() > 0 {
				c = it.coef
				break
			}
		}
		v := g.items[0].sum.Var
		clash := false
		for _, it := range g.items[1:] {
			if it.sum.Var != v && ast.HasFree(it.sum.Body, v) {
				clash = true
			}
		}
		if clash {
			v = ast.Fresh(v, func(n string) bool {
				for _, it := range g.items {
					if ast.HasFree(it.sum.Body, n) {
						return true
					}
				}
				return false
			})
		}
		var body []ast.Expr
		for _, it := range g.items {
			b := it.sum.Body
			if it.sum.Var != v {
				b = ast.Rename(b, it.sum.Var, v)
			}
			q, _ := it.coef.Quo(c)
			bk, bm := splitCoeff(b)
			body = append(body, withCoeff(q.Mul(bk), bm))
		}
		// The parts of the merged body may cancel: sum(a + b) - sum(b).
		merged := ast.NewSum(ast.OpSum, v, g.lo, g.hi, plainCanon(expandSmart).add(body))
		out[g.at] = withCoeff(c, keyTimes(g.key, merged))
	}
	var res []ast.Expr
	for _, t := range out {
		if t != nil {
			res = append(res, t)
		}
	}
	return res
}

// keyTimes is the product of the other factors of a term (one factor, a
// product of several, or 1) and its sum, written as one flat product: a
// product nested in a product prints in parentheses, (a*b)*s.
func keyTimes(key ast.Expr, s ast.Expr) ast.Expr {
	if m, ok := key.(*ast.Mul); ok {
		return ast.NewMul(append(slices.Clone(m.Factors), s)...)
	}
	return ast.NewMul(key, s)
}

// hasSumFactor reports whether t is a sum over an index or a product
// with one among its factors (what sumTerm finds).
func hasSumFactor(t ast.Expr) bool {
	if !ast.HasSum(t) {
		return false // no sum anywhere in it (the products of d/dx Π(x+k), their factors)
	}
	if m, ok := t.(*ast.Mul); ok {
		for _, f := range m.Factors {
			if s, ok := f.(*ast.Sum); ok && s.Op == ast.OpSum {
				return true
			}
		}
		return false
	}
	s, ok := t.(*ast.Sum)
	return ok && s.Op == ast.OpSum
}

// commonFactor finds the factors every term shares (a base with the
// smallest exponent of the same sign) and returns them with the terms
// divided by them.
func commonFactor(terms []ast.Expr) ([]ast.Expr, []ast.Expr, bool) {
	type fac = baseExp
	split := func(t ast.Expr) (ast.Number, []fac) {
		k, m := splitCoeff(t)
		fs := []ast.Expr{m}
		if mm, ok := m.(*ast.Mul); ok {
			fs = mm.Factors
		}
		out := make([]fac, 0, len(fs))
		for _, f := range fs {
			if f == ast.One {
				continue
			}
			b, e := splitPow(f)
			n, ok := numOf(e)
			if !ok {
				n = ast.Int(1)
				b = f
			}
			out = append(out, fac{b, n})
		}
		return k, mergeFacs(out)
	}
	if !shareABase(terms) {
		return nil, nil, false
	}
	// Each term is split once, and one pass counts the terms each base
	// occurs in (with an exponent of each sign): a sum of n products of n
	// factors costs n^2, not n^3.
	coefs := make([]ast.Number, len(terms))
	splits := make([][]fac, len(terms))
	type key struct {
		base ast.Expr
		sign int
	}
	type seen struct {
		terms int        // how many terms have the base
		last  int        // the last term counted, plus one
		exp   ast.Number // the exponent nearest 0 among them
	}
	count := map[key]*seen{}
	for i, t := range terms {
		coefs[i], splits[i] = split(t)
		for _, g := range splits[i] {
			k := key{g.base, g.exp.Sign()}
			st := count[k]
			if st == nil {
				st = &seen{exp: g.exp}
				count[k] = st
			}
			if st.last != i+1 {
				st.terms++
				st.last = i + 1
			}
			if (k.sign > 0 && g.exp.Cmp(st.exp) < 0) || (k.sign < 0 && g.exp.Cmp(st.exp) > 0) {
				st.exp = g.exp
			}
		}
	}
	var common []fac
	for _, f := range splits[0] {
		if st := count[key{f.base, f.exp.Sign()}]; st.terms == len(terms) {
			common = append(common, fac{f.base, st.exp})
		}
	}
	// Take out only factors that do not occur in what remains: x*p - x*y is
	// x*(p - y), but 2*x + x^3 stays as it is.
	common = slices.DeleteFunc(common, func(c fac) bool {
		for _, fs := range splits {
			for _, f := range fs {
				if f.base != c.base && contains(f.base, c.base) {
					return true
				}
				if f.base == c.base && !f.exp.Equal(c.exp) {
					return true
				}
			}
		}
		return false
	})
	if len(common) == 0 {
		return nil, nil, false
	}
	rest := make([]ast.Expr, len(terms))
	for i := range terms {
		k, fs := coefs[i], splits[i]
		var keep []ast.Expr
		for _, f := range fs {
			e := f.exp
			for _, c := range common {
				if c.base == f.base {
					e = e.Sub(c.exp)
				}
			}
			switch {
			case e.IsZero():
			case e.IsOne():
				keep = append(keep, f.base)
			default:
				keep = append(keep, ast.NewPow(f.base, ast.NewNum(e)))
			}
		}
		rest[i] = withCoeff(k, ast.NewMul(keep...))
	}
	cs := make([]ast.Expr, len(common))
	for i, c := range common {
		if c.exp.IsOne() {
			cs[i] = c.base
		} else {
			cs[i] = ast.NewPow(c.base, ast.NewNum(c.exp))
		}
	}
	return cs, rest, true
}

// mergeFacs joins the factors of one term that have the same base, adding
// their exponents (x*x*a is x^2*a): a product that is not canonical, such
// as a derivation step's exp(x)*exp(x), may repeat a base, and commonFactor
// must see each base of a term once. With a base listed twice it took the
// base out twice and subtracted both from each occurrence, so that
// x*x*a + x*b became x*x*(x^-1*x^-1*a + x^-1*b), whose display took the
// same factors out again without end (a stack overflow: diff --json of
// exp(x)*exp(x)).
func mergeFacs(fs []baseExp) []baseExp {
	dup := false
	if len(fs) <= 16 {
		for i := 1; i < len(fs) && !dup; i++ {
			for j := 0; j < i; j++ {
				if fs[i].base == fs[j].base {
					dup = true
					break
				}
			}
		}
	} else {
		seen := make(map[ast.Expr]bool, len(fs))
		for _, f := range fs {
			if seen[f.base] {
				dup = true
				break
			}
			seen[f.base] = true
		}
	}
	if !dup {
		return fs
	}
	at := map[ast.Expr]int{}
	out := make([]baseExp, 0, len(fs))
	for _, f := range fs {
		if i, ok := at[f.base]; ok {
			out[i].exp = out[i].exp.Add(f.exp)
			continue
		}
		at[f.base] = len(out)
		out = append(out, f)
	}
	return slices.DeleteFunc(out, func(f baseExp) bool { return f.exp.IsZero() })
}

// baseExp is a factor of a term as commonFactor sees it: base^exp.
type baseExp struct {
	base ast.Expr
	exp  ast.Number
}

// shareABase reports whether some base (a factor without its exponent)
// occurs in every term: what commonFactor needs to find anything. It
// allocates nothing per factor, so the sum of a thousand products of a
// thousand different factors is answered in one quick pass.
func shareABase(terms []ast.Expr) bool {
	if shared, ok := shareABaseByRuns(terms); ok {
		return shared
	}
	bc := baseCounter{}
	for i, t := range terms {
		m := t
		if mm, ok := t.(*ast.Mul); ok {
			fs := mm.Factors
			if _, isNum := fs[0].(*ast.Num); isNum {
				fs = fs[1:]
			}
			alive := false
			for _, f := range fs {
				if bc.count(f, i) {
					alive = true
				}
			}
			if !alive {
				return false
			}
			continue
		}
		if _, isNum := m.(*ast.Num); isNum || !bc.count(m, i) {
			return false
		}
	}
	return true
}

// A baseCounter counts, for each base of the first term, how many terms
// from the first on have it: only those bases can be in every term, so a
// base first met in a later term is not entered.
type baseCounter struct {
	index  ast.NodeMap[int32] // base → its entry in counts
	counts []baseCount
}

// A baseCount is how many terms from the first on have a base, and the
// last term (plus one) that was counted.
type baseCount struct{ terms, last int }

// count counts term i for f's base, and reports whether every term
// before it had the base too.
func (bc *baseCounter) count(f ast.Expr, i int) bool {
	b, e := splitPow(f)
	if _, ok := numOf(e); !ok {
		b = f // as commonFactor splits it
	}
	k, ok := bc.index.Get(b)
	if !ok {
		if i > 0 {
			return false // not in the first term
		}
		k = int32(len(bc.counts))
		bc.index.Put(b, k)
		bc.counts = append(bc.counts, baseCount{})
	}
	c := &bc.counts[k]
	if c.last != i+1 && c.terms == i {
		c.terms++
	}
	c.last = i + 1
	return c.terms == i+1
}

// contains reports whether sub occurs in e.
func contains(e, sub ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if x == sub {
			found = true
		}
		return !found
	})
	return found
}

func isNumber(e ast.Expr) bool { _, ok := e.(*ast.Num); return ok }

func numbersOf(es []ast.Expr) []ast.Expr {
	var out []ast.Expr
	for _, e := range es {
		if isNumber(e) {
			out = append(out, e)
		}
	}
	return out
}

// negateOneFactor negates one factor of a product that can take a sign
// without a minus: a sum without a constant term, or a sum over an index
// whose body can.
func negateOneFactor(fs []ast.Expr) (int, ast.Expr, bool) {
	// A sum with a constant term keeps its form: y*(1 - p) stays, rather
	// than becoming -y*(p - 1).
	for _, pass := range []func(ast.Expr) bool{
		func(f ast.Expr) bool { a, ok := f.(*ast.Add); return ok && !slices.ContainsFunc(a.Terms, isNumber) },
		func(f ast.Expr) bool { _, ok := f.(*ast.Sum); return ok },
	} {
		for i, f := range fs {
			if !pass(f) {
				continue
			}
			if nf, ok := negated(f); ok {
				return i, nf, true
			}
		}
	}
	return 0, nil, false
}

// negated returns -e when a sum in e can take the sign.
func negated(e ast.Expr) (ast.Expr, bool) {
	switch x := e.(type) {
	case *ast.Add:
		neg := make([]ast.Expr, len(x.Terms))
		for i, t := range x.Terms {
			k, m := splitCoeff(t)
			neg[i] = withCoeff(k.Neg(), m)
		}
		return ast.NewAdd(neg...), true
	case *ast.Sum:
		if b, ok := negated(x.Body); ok {
			return ast.NewSum(x.Op, x.Var, x.Lo, x.Hi, b), true
		}
	case *ast.Mul:
		k, _ := splitCoeff(e)
		if k.Sign() < 0 {
			return withCoeff(k.Neg(), ast.NewMul(x.Factors[1:]...)), true
		}
		if i, nf, ok := negateOneFactor(x.Factors); ok {
			fs := slices.Clone(x.Factors)
			fs[i] = nf
			return ast.NewMul(fs...), true
		}
	}
	return nil, false
}

// commonDenominator returns q > 1 when every term's coefficient has
// denominator q.
func commonDenominator(terms []ast.Expr) (ast.Number, bool) {
	var q ast.Number
	for i, t := range terms {
		k, _ := splitCoeff(t)
		if algebra.ShowDecimal(k.Neg()) || algebra.ShowDecimal(k) {
			return ast.Number{}, false // 0.044715*x^3 + x keeps its decimal
		}
		_, d := k.Parts()
		if i == 0 {
			q = d
		} else if !d.Equal(q) {
			return ast.Number{}, false
		}
	}
	return q, len(terms) > 1 && !q.IsOne()
}

// distributeDecimal multiplies a long decimal coefficient into a sum
// among the factors when the sum's coefficients then read as decimals no
// longer in all than before: 0.000001994711402*(26829*x^2 + 200000) is
// 0.053516112204258*x^2 + 0.3989422804, as the input had it.
func distributeDecimal(coef ast.Number, fs []ast.Expr) (ast.Number, []ast.Expr) {
	if coef.IsInt() || !algebra.ShowDecimal(absNum(coef)) {
		return coef, fs
	}
	for at, f := range fs {
		add, ok := f.(*ast.Add)
		if !ok {
			continue
		}
		before, after := len(coef.String()), 0
		terms := make([]ast.Expr, len(add.Terms))
		nice := true
		for i, t := range add.Terms {
			k, m := splitCoeff(t)
			nk := k.Mul(coef)
			if !nk.IsInt() && !algebra.ShowDecimal(absNum(nk)) {
				nice = false
				break
			}
			before += len(k.String())
			after += len(nk.String())
			terms[i] = withCoeff(nk, m)
		}
		if !nice || after > before+3 {
			continue
		}
		out := slices.Clone(fs)
		out[at] = ast.NewAdd(terms...)
		return ast.Int(1), out
	}
	return coef, fs
}

func absNum(v ast.Number) ast.Number {
	if v.Sign() < 0 {
		return v.Neg()
	}
	return v
}
