package simplify

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// Sums. The canonical form of sum(i=lo..hi, body) splits the body into
// terms (linearity), pulls every factor that does not depend on i out of
// the sum, contracts Kronecker deltas (sum(j=lo..hi, a[j]*delta(j,k)) is
// a[k]*[lo <= k <= hi], the condition dropped where the ranges in scope
// imply it: see iverson.go), moves conditions on i into its range, turns
// the sum of a constant into a multiple of the number of terms (none for
// an empty range), and renames i to a canonical name. mean is a sum over
// the number of terms. The range of a sum is part of its meaning: it may
// depend on the indices of enclosing sums (sum(j=i..n, ...)), and an
// index that shadows an enclosing one is renamed first, so that its range
// (which sees the enclosing binding) and its body are told apart.

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

// count is the number of terms of a sum over lo..hi: hi - lo + 1, and 0
// for an empty range (hi < lo - 1 would make it negative).
func (c *canon) count(lo, hi ast.Expr) ast.Expr {
	n := c.add([]ast.Expr{hi, c.mul([]ast.Expr{ast.MinusOne, lo}), ast.One})
	// (hi - lo + 1)*[lo <= hi]: the bracket is 0 for an empty range, also
	// where hi - lo + 1 is 0, because a bracket is strongly zero: the sum
	// of f over an empty range is 0 even where f is undefined, and so must
	// be what it becomes (sum(j=3..n+1, x[i]) at n = 1, with i = 0).
	return c.mul([]ast.Expr{n, c.cond(lo, hi)})
}

// meanCount is the number of terms of a mean, which is defined only over
// a range that is not empty.
func (c *canon) meanCount(lo, hi ast.Expr) ast.Expr {
	return c.add([]ast.Expr{hi, c.mul([]ast.Expr{ast.MinusOne, lo}), ast.One})
}

// sum builds the canonical form of sum/mean(v=lo..hi, body) for canonical
// bounds and a raw body.
func (c *canon) sum(op ast.SumOp, v string, lo, hi, rawBody ast.Expr) ast.Expr {
	if ast.HasFree(lo, v) || ast.HasFree(hi, v) {
		// sum(i=i..n, f(i)): the range's i is an enclosing index, the
		// body's is this sum's; rename this one.
		nv := ast.Fresh(v, func(n string) bool {
			return ast.HasFree(rawBody, n) || ast.HasFree(lo, n) || ast.HasFree(hi, n) || c.boundName(n)
		})
		rawBody, v = ast.Rename(rawBody, v, nv), nv
	}
	c.s.scope = append(c.s.scope, scopeEntry{v, lo, hi})
	body := c.expr(rawBody)
	s := c.sumOf(v, lo, hi, body)
	c.s.scope = c.s.scope[:len(c.s.scope)-1]
	if op == ast.OpMean {
		return c.mul([]ast.Expr{c.pow(c.meanCount(lo, hi), ast.MinusOne), s})
	}
	return s
}

// boundName reports whether an enclosing sum binds name.
func (c *canon) boundName(name string) bool {
	_, ok := c.s.bound(name)
	return ok
}

// sumIn canonicalises a sum whose body is canonical for another range of
// its index: the body is canonicalised again with the new range in scope.
func (c *canon) sumIn(v string, lo, hi, body ast.Expr) ast.Expr {
	c.s.scope = append(c.s.scope, scopeEntry{v, lo, hi})
	body = c.expr(body)
	s := c.sumOf(v, lo, hi, body)
	c.s.scope = c.s.scope[:len(c.s.scope)-1]
	return s
}

// sumOf is the canonical sum of a canonical body.
func (c *canon) sumOf(v string, lo, hi, body ast.Expr) ast.Expr {
	if c.le(lo, hi) == fails {
		return ast.Zero // an empty range
	}
	if !ast.HasFree(body, v) {
		r := c.mul([]ast.Expr{c.count(lo, hi), body})
		c.s.record(RuleSumConstant, ast.NewSum(ast.OpSum, v, lo, hi, body), r)
		return r
	}
	if lo == hi {
		return c.expr(ast.Subst(body, map[string]ast.Expr{v: lo}))
	}
	switch b := body.(type) {
	case *ast.Add:
		// The prover's normal form splits every sum by linearity; for
		// display a sum is split only where a part then simplifies (a
		// delta contracts, a constant term counts), so that terms of one
		// body can still cancel.
		if c.expand == expandFull || slices.ContainsFunc(b.Terms, func(t ast.Expr) bool {
			return !ast.HasFree(t, v) || hasDeltaOf(t, v) || mentionsCondOf(t, v)
		}) {
			terms := make([]ast.Expr, len(b.Terms))
			for i, t := range b.Terms {
				terms[i] = c.sumOf(v, lo, hi, t)
			}
			return c.add(terms)
		}
	case *ast.Call:
		if k, ok := deltaPartner(b, v); ok {
			r := c.cond(lo, k, hi)
			c.s.record(RuleDeltaContraction, ast.NewSum(ast.OpSum, v, lo, hi, body), r)
			return r
		}
	case *ast.Iverson:
		if nlo, nhi, left, ok := c.narrow(v, lo, hi, []ast.Expr{b}); ok {
			return c.sumIn(v, nlo, nhi, c.mul(left))
		}
	case *ast.Sum:
		// The terms where the inner range is empty are 0: the body is
		// b*[b.Lo <= b.Hi], and that condition narrows v's range, so that
		// sum(j=1..n, sum(i=1..j-1, f)) and sum(j=2..n, sum(i=1..j-1, f))
		// meet.
		if ast.HasFree(b.Lo, v) || ast.HasFree(b.Hi, v) {
			nonEmpty := ast.NewIverson(b.Lo, b.Hi)
			if nlo, nhi, _, ok := c.narrow(v, lo, hi, []ast.Expr{nonEmpty}); ok && (nlo != lo || nhi != hi) {
				return c.sumIn(v, nlo, nhi, body)
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
			// sum(v=lo..hi, f*delta(v,k)) = f[v:=k]*[lo <= k <= hi]
			cond := c.cond(lo, k, hi)
			if cond == ast.Zero {
				return ast.Zero
			}
			rest := slices.Delete(slices.Clone(in), i, i+1)
			r := c.expr(ast.Subst(ast.NewMul(rest...), map[string]ast.Expr{v: k}))
			res := c.mul(append(slices.Clone(out), r, cond))
			c.s.record(RuleDeltaContraction, ast.NewSum(ast.OpSum, v, lo, hi, body), res)
			return res
		}
		if nlo, nhi, left, ok := c.narrow(v, lo, hi, in); ok {
			return c.mul(append(out, c.sumIn(v, nlo, nhi, c.mul(left))))
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
