package simplify

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// Sums. The canonical form of sum(i=lo..hi, body) splits the body into
// terms (linearity), pulls every factor that does not depend on i out of
// the sum, contracts Kronecker deltas (sum(j=1..d, a[j]*delta(j,k)) is
// a[k]), turns the sum of a constant into a multiple of the number of
// terms, and renames i to a canonical name. mean is a sum over the number
// of terms. A free index compared with a sum's index by delta is taken to
// lie in the sum's range: that is the convention of index notation (k in
// d(z[i], w[k]) = x[i,k] ranges over 1..d).

// freshOrder is the order in which canonical index names are chosen.
var freshOrder = []string{"i", "j", "k", "l", "m", "p", "q", "r", "s", "t", "u", "v"}

// canonicalVar picks the name a sum's bound variable gets: the first of
// freshOrder not free in the sum. It depends only on the free names, so
// alpha-equivalent sums get the same name.
func canonicalVar(v string, lo, hi, body ast.Expr) string {
	taken := func(n string) bool {
		if n == v {
			return false
		}
		return ast.HasFree(body, n) || ast.HasFree(lo, n) || ast.HasFree(hi, n)
	}
	for _, c := range freshOrder {
		if !taken(c) {
			return c
		}
	}
	return ast.Fresh("i", taken)
}

func (c *canon) count(lo, hi ast.Expr) ast.Expr {
	if a, ok := numOf(lo); ok {
		if b, ok := numOf(hi); ok && b.Cmp(a) < 0 {
			return ast.Zero // an empty range has no terms
		}
	}
	return c.add([]ast.Expr{hi, c.mul([]ast.Expr{ast.MinusOne, lo}), ast.One})
}

// sum builds the canonical form of sum/mean(v=lo..hi, body) for canonical
// bounds and a raw body.
func (c *canon) sum(op ast.SumOp, v string, lo, hi, rawBody ast.Expr) ast.Expr {
	c.s.scope = append(c.s.scope, scopeEntry{v, lo, hi})
	body := c.expr(rawBody)
	s := c.sumOf(v, lo, hi, body)
	c.s.scope = c.s.scope[:len(c.s.scope)-1]
	if op == ast.OpMean {
		return c.mul([]ast.Expr{c.pow(c.count(lo, hi), ast.MinusOne), s})
	}
	return s
}

// sumOf is the canonical sum of a canonical body.
func (c *canon) sumOf(v string, lo, hi, body ast.Expr) ast.Expr {
	if a, ok := numOf(lo); ok {
		if b, ok := numOf(hi); ok && b.Cmp(a) < 0 {
			return ast.Zero // an empty range
		}
	}
	if !ast.HasFree(body, v) {
		r := c.mul([]ast.Expr{c.count(lo, hi), body})
		c.s.record(RuleSumConstant, ast.NewSum(ast.OpSum, v, lo, hi, body), r)
		return r
	}
	switch b := body.(type) {
	case *ast.Add:
		// The prover's normal form splits every sum by linearity; for
		// display a sum is split only where a part then simplifies (a
		// delta contracts, a constant term counts), so that terms of one
		// body can still cancel.
		if c.expand == expandFull || slices.ContainsFunc(b.Terms, func(t ast.Expr) bool {
			return !ast.HasFree(t, v) || hasDeltaOf(t, v)
		}) {
			terms := make([]ast.Expr, len(b.Terms))
			for i, t := range b.Terms {
				terms[i] = c.sumOf(v, lo, hi, t)
			}
			return c.add(terms)
		}
	case *ast.Call:
		if k, ok := deltaPartner(b, v); ok {
			switch c.contracts(k, lo, hi) {
			case inRange:
				c.s.record(RuleDeltaContraction, ast.NewSum(ast.OpSum, v, lo, hi, body), ast.One)
				return ast.One
			case outOfRange:
				return ast.Zero
			}
		}
	case *ast.Mul:
		var in, out []ast.Expr
		for _, f := range b.Factors {
			if ast.HasFree(f, v) {
				in = append(in, f)
			} else {
				out = append(out, f)
			}
		}
		for i, f := range in {
			call, ok := f.(*ast.Call)
			if !ok {
				continue
			}
			k, ok := deltaPartner(call, v)
			if !ok {
				continue
			}
			switch c.contracts(k, lo, hi) {
			case outOfRange:
				return ast.Zero
			case undecided:
				continue
			}
			rest := slices.Delete(slices.Clone(in), i, i+1)
			r := c.expr(ast.Subst(ast.NewMul(rest...), map[string]ast.Expr{v: k}))
			c.s.record(RuleDeltaContraction, ast.NewSum(ast.OpSum, v, lo, hi, body), c.mul(append(slices.Clone(out), r)))
			return c.mul(append(out, r))
		}
		if len(out) > 0 {
			return c.mul(append(out, c.sumOf(v, lo, hi, c.mul(in))))
		}
	}
	// A delta deep inside the body (a factor of every term of a factor)
	// contracts once the body is multiplied out.
	if c.expand != expandFull && mentionsDelta(body, v) {
		if full := c.s.canon(expandFull).expr(body); full != body {
			return c.sumOf(v, lo, hi, full)
		}
	}
	name := canonicalVar(v, lo, hi, body)
	if name != v {
		// The renamed body is canonicalised with its index bound as before.
		c.s.scope = append(c.s.scope, scopeEntry{name, lo, hi})
		body = c.expr(ast.Rename(body, v, name))
		c.s.scope = c.s.scope[:len(c.s.scope)-1]
	}
	return ast.NewSum(ast.OpSum, name, lo, hi, body)
}

// deltaPartner returns k if call is delta(v, k) or delta(k, v) with k ≠ v.
func deltaPartner(call *ast.Call, v string) (ast.Expr, bool) {
	if call.Fn != "delta" || len(call.Args) != 2 {
		return nil, false
	}
	a, b := call.Args[0], call.Args[1]
	if s, ok := a.(*ast.Sym); ok && s.Name == v && !ast.HasFree(b, v) {
		return b, true
	}
	if s, ok := b.(*ast.Sym); ok && s.Name == v && !ast.HasFree(a, v) {
		return a, true
	}
	return nil, false
}

// canonDelta is the canonical Kronecker delta: decided when the indices
// are equal or both numbers (ast.Delta), otherwise with its arguments in
// order.
func canonDelta(a, b ast.Expr) ast.Expr {
	d := ast.Delta(a, b)
	if call, ok := d.(*ast.Call); ok && Compare(a, b) > 0 {
		return ast.NewCall(call.Fn, b, a)
	}
	return d
}

// hasDeltaOf reports whether a term is a product with a factor delta(v, k).
func hasDeltaOf(t ast.Expr, v string) bool {
	fs := []ast.Expr{t}
	if m, ok := t.(*ast.Mul); ok {
		fs = m.Factors
	}
	for _, f := range fs {
		if call, ok := f.(*ast.Call); ok {
			if _, ok := deltaPartner(call, v); ok {
				return true
			}
		}
	}
	return false
}

// mentionsDelta reports whether a delta of v occurs anywhere in e.
func mentionsDelta(e ast.Expr, v string) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if call, ok := x.(*ast.Call); ok {
			if _, ok := deltaPartner(call, v); ok {
				found = true
			}
		}
		return !found
	})
	return found
}

type rangeCheck uint8

const (
	inRange rangeCheck = iota
	outOfRange
	undecided
)

// contracts decides whether sum(v=lo..hi, f*delta(v,k)) may become
// f[v:=k]: k must lie in lo..hi. Numbers against numeric bounds are
// decided exactly; an index bound by an enclosing sum must range over the
// same lo..hi (or a numeric sub-range); a free index, or a number against
// a symbolic bound, is taken to lie in the range (the convention of index
// notation: w[k] exists, so k is at most d).
func (c *canon) contracts(k, lo, hi ast.Expr) rangeCheck {
	ln, loNum := numOf(lo)
	hn, hiNum := numOf(hi)
	if kn, ok := numOf(k); ok {
		switch {
		case loNum && kn.Cmp(ln) < 0:
			return outOfRange
		case hiNum && kn.Cmp(hn) > 0:
			return outOfRange
		}
		return inRange
	}
	sym, ok := k.(*ast.Sym)
	if !ok {
		return undecided
	}
	b, isBound := c.s.bound(sym.Name)
	if !isBound {
		return inRange
	}
	if b.lo == lo && b.hi == hi {
		return inRange
	}
	bl, ok1 := numOf(b.lo)
	bh, ok2 := numOf(b.hi)
	if ok1 && ok2 && loNum && hiNum && bl.Cmp(ln) >= 0 && bh.Cmp(hn) <= 0 {
		return inRange
	}
	return undecided
}

// sumTerm splits a canonical term c*K*sum(...) into its coefficient, its
// (first) sum factor and the other factors K; sum is nil when the term has
// no sum factor.
func sumTerm(t ast.Expr) (ast.Number, *ast.Sum, []ast.Expr) {
	k, m := splitCoeff(t)
	fs := []ast.Expr{m}
	if mm, ok := m.(*ast.Mul); ok {
		fs = mm.Factors
	}
	var sum *ast.Sum
	var others []ast.Expr
	for _, f := range fs {
		if s, ok := f.(*ast.Sum); ok && s.Op == ast.OpSum && sum == nil {
			sum = s
			continue
		}
		others = append(others, f)
	}
	return k, sum, others
}
