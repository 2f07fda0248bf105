package rules

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// Matching. Patterns and subjects are expected in the same canonical form
// (the simplifier canonicalises both), so most of matching is structural.
// Three things are not:
//
//   - Sums and products are matched modulo order: each pattern operand
//     takes a distinct subject operand, and a pattern variable standing as
//     the last operand takes all the operands left over (a + b against
//     x + y + z binds a = x, b = y + z). At the root, operands the pattern
//     does not mention are left over, so 1 - sigma(u) matches inside
//     x + 1 - sigma(z).
//   - A numeric factor c in a product pattern matches a coefficient d of the
//     same sign, leaving d/c to the product's pattern variable, so that
//     sigma(-u) matches sigma(-2*x) with u = 2*x.
//   - Bound variables match bound variables: sum(i=a..b, f) matches
//     sum(j=a..b, g) when f matches g with i standing for j.

// Bindings maps pattern variables to what they matched.
type Bindings map[string]ast.Expr

// A Match is the result of matching a pattern at the root of a subject.
type Match struct {
	Bindings Bindings
	// Rest holds the operands of a root sum or product that the pattern did
	// not cover; the rewrite keeps them beside the instantiated right side.
	Rest []ast.Expr
}

// MatchRoot matches pattern p against subject e at e's root.
func MatchRoot(p, e ast.Expr, vars []string) (Match, bool) {
	if !mayMatch(p, e, vars, maxQuickDepth) {
		return Match{}, false
	}
	return matchRoot(p, e, vars)
}

// matchRoot is MatchRoot without the quick check.
func matchRoot(p, e ast.Expr, vars []string) (Match, bool) {
	// The bindings map is made at the first binding, or on success: most
	// trials fail before binding anything (the simplifier tries every rule
	// of a head).
	m := &matcher{vars: vars}
	done := func(rest []ast.Expr, ok bool) (Match, bool) {
		if !ok {
			return Match{}, false
		}
		if m.b == nil {
			m.b = Bindings{}
		}
		return Match{Bindings: m.b, Rest: rest}, true
	}
	switch pp := p.(type) {
	case *ast.Add:
		if ee, ok := e.(*ast.Add); ok {
			return done(m.list(pp.Terms, ee.Terms, true, false))
		}
	case *ast.Mul:
		if ee, ok := e.(*ast.Mul); ok {
			return done(m.list(pp.Factors, ee.Factors, true, true))
		}
	}
	return done(nil, m.match(p, e))
}

// maxQuickDepth is how many levels of a pattern mayMatch looks at.
const maxQuickDepth = 3

// mayMatch reports false only when p cannot match e, checking without
// building a matcher the node types, functions, numbers and names of the
// top depth levels of p: most rules tried at a node fail there (the
// rules for cos tried on each of 10,000 calls cos(sin(...))), and a
// matcher costs a map and a list. It answers as match does: a pattern
// variable matches anything, a product a number as well (mulAgainstNum),
// a sum or a product is left to the list matcher, and the names under a
// pattern's binders to the matcher (it does not look into sums over an
// index).
func mayMatch(p, e ast.Expr, vars []string, depth int) bool {
	if depth == 0 {
		return true
	}
	switch pp := p.(type) {
	case *ast.Sym:
		if slices.Contains(vars, pp.Name) {
			return true // a variable, or a name matched as a name
		}
		_, ok := e.(*ast.Sym)
		return ok
	case *ast.Num:
		return p == e
	case *ast.Index:
		ee, ok := e.(*ast.Index)
		return ok && pp.Name == ee.Name && len(pp.Indices) == len(ee.Indices)
	case *ast.Neg:
		ee, ok := e.(*ast.Neg)
		return ok && mayMatch(pp.X, ee.X, vars, depth-1)
	case *ast.Div:
		ee, ok := e.(*ast.Div)
		return ok && mayMatch(pp.X, ee.X, vars, depth-1) && mayMatch(pp.Y, ee.Y, vars, depth-1)
	case *ast.Pow:
		ee, ok := e.(*ast.Pow)
		return ok && mayMatch(pp.X, ee.X, vars, depth-1) && mayMatch(pp.Y, ee.Y, vars, depth-1)
	case *ast.Call:
		ee, ok := e.(*ast.Call)
		if !ok || pp.Fn != ee.Fn || len(pp.Args) != len(ee.Args) {
			return false
		}
		for i, a := range pp.Args {
			if !mayMatch(a, ee.Args[i], vars, depth-1) {
				return false
			}
		}
		return true
	case *ast.Deriv:
		ee, ok := e.(*ast.Deriv)
		return ok && mayMatch(pp.X, ee.X, vars, depth-1) && mayMatch(pp.Wrt, ee.Wrt, vars, depth-1)
	case *ast.Iverson:
		ee, ok := e.(*ast.Iverson)
		return ok && len(pp.Args) == len(ee.Args)
	case *ast.Sum:
		ee, ok := e.(*ast.Sum)
		return ok && pp.Op == ee.Op
	case *ast.Add:
		_, ok := e.(*ast.Add)
		return ok
	case *ast.Mul:
		switch e.(type) {
		case *ast.Mul, *ast.Num:
			return true
		}
		return false
	}
	return true
}

// Instantiate replaces the pattern variables of e by their bindings.
func Instantiate(e ast.Expr, b Bindings) ast.Expr {
	if len(b) == 0 {
		return e
	}
	if out, ok := substSmall(e, b); ok {
		return out
	}
	return ast.Subst(e, b)
}

// substSmall is ast.Subst for a right side with no sum over an index in
// it (no bound name to keep from capture) and at most maxSmallSubst
// nodes: the same nodes rebuilt above each replacement, without Subst's
// memo. False means that it did not try.
func substSmall(e ast.Expr, b Bindings) (ast.Expr, bool) {
	if e.Size() > maxSmallSubst {
		return nil, false
	}
	return ast.SubstNoSums(e, func(name string) (ast.Expr, bool) {
		v, ok := b[name]
		return v, ok
	})
}

// maxSmallSubst is the size of the largest expression substSmall
// rebuilds (as a tree: it keeps no memo).
const maxSmallSubst = 64

type matcher struct {
	vars []string
	b    Bindings
	// bound pairs pattern binders with subject binders, innermost last.
	bound [][2]string
	// trail lists the variables in the order they were bound: a binding is
	// never changed once made, so undoing the bindings after a mark
	// restores b as it was there.
	trail []string
}

func (m *matcher) isVar(e ast.Expr) (string, bool) {
	s, ok := e.(*ast.Sym)
	if !ok || !slices.Contains(m.vars, s.Name) {
		return "", false
	}
	for _, b := range m.bound {
		if b[0] == s.Name {
			return "", false // shadowed by a binder of the pattern
		}
	}
	return s.Name, true
}

// bind binds v to e unless it is bound to something else, or e mentions a
// variable bound inside the matched region (it would escape its binder).
func (m *matcher) bind(v string, e ast.Expr) bool {
	for _, b := range m.bound {
		if ast.HasFree(e, b[1]) {
			return false
		}
	}
	if old, ok := m.b[v]; ok {
		return old == e
	}
	if m.b == nil {
		m.b = Bindings{}
	}
	m.b[v] = e
	m.trail = append(m.trail, v)
	return true
}

// mark is where undo returns the bindings to.
func (m *matcher) mark() int { return len(m.trail) }

// undo removes the bindings made since the mark.
func (m *matcher) undo(mark int) {
	for _, v := range m.trail[mark:] {
		delete(m.b, v)
	}
	m.trail = m.trail[:mark]
}

func (m *matcher) match(p, e ast.Expr) bool {
	if v, ok := m.isVar(p); ok {
		return m.bind(v, e)
	}
	switch pp := p.(type) {
	case *ast.Num:
		return p == e
	case *ast.Sym:
		ee, ok := e.(*ast.Sym)
		if !ok {
			return false
		}
		for i := len(m.bound) - 1; i >= 0; i-- {
			b := m.bound[i]
			if b[0] == pp.Name || b[1] == ee.Name {
				return b[0] == pp.Name && b[1] == ee.Name
			}
		}
		return pp.Name == ee.Name
	case *ast.Index:
		ee, ok := e.(*ast.Index)
		return ok && pp.Name == ee.Name && m.all(pp.Indices, ee.Indices)
	case *ast.Neg:
		ee, ok := e.(*ast.Neg)
		return ok && m.match(pp.X, ee.X)
	case *ast.Div:
		ee, ok := e.(*ast.Div)
		return ok && m.match(pp.X, ee.X) && m.match(pp.Y, ee.Y)
	case *ast.Pow:
		ee, ok := e.(*ast.Pow)
		return ok && m.match(pp.X, ee.X) && m.match(pp.Y, ee.Y)
	case *ast.Call:
		ee, ok := e.(*ast.Call)
		return ok && pp.Fn == ee.Fn && m.all(pp.Args, ee.Args)
	case *ast.Deriv:
		ee, ok := e.(*ast.Deriv)
		return ok && m.match(pp.X, ee.X) && m.match(pp.Wrt, ee.Wrt)
	case *ast.Iverson:
		ee, ok := e.(*ast.Iverson)
		return ok && m.all(pp.Args, ee.Args)
	case *ast.Sum:
		ee, ok := e.(*ast.Sum)
		if !ok || pp.Op != ee.Op || !m.match(pp.Lo, ee.Lo) || !m.match(pp.Hi, ee.Hi) {
			return false
		}
		m.bound = append(m.bound, [2]string{pp.Var, ee.Var})
		ok = m.match(pp.Body, ee.Body)
		m.bound = m.bound[:len(m.bound)-1]
		return ok
	case *ast.Add:
		switch ee := e.(type) {
		case *ast.Add:
			_, ok := m.list(pp.Terms, ee.Terms, false, false)
			return ok
		}
		return false
	case *ast.Mul:
		switch ee := e.(type) {
		case *ast.Mul:
			_, ok := m.list(pp.Factors, ee.Factors, false, true)
			return ok
		case *ast.Num:
			return m.mulAgainstNum(pp, ee)
		}
		return false
	}
	return false
}

func (m *matcher) all(ps, es []ast.Expr) bool {
	if len(ps) != len(es) {
		return false
	}
	for i := range ps {
		if !m.match(ps[i], es[i]) {
			return false
		}
	}
	return true
}

// mulAgainstNum matches c*u against the number d when d/c > 0, binding u to
// d/c: sigma(-u) then matches sigma(-3).
func (m *matcher) mulAgainstNum(p *ast.Mul, d *ast.Num) bool {
	if len(p.Factors) != 2 {
		return false
	}
	c, ok := p.Factors[0].(*ast.Num)
	v, isVar := m.isVar(p.Factors[1])
	if !ok || !isVar {
		return false
	}
	q, ok := d.Value.Quo(c.Value)
	if !ok || q.Sign() <= 0 {
		return false
	}
	return m.bind(v, ast.NewNum(q))
}

// list matches pattern operands ps against subject operands es of a sum or
// product, in any order. With partial, operands left over are returned
// instead of failing. With mul, numeric factors may divide (see above).
func (m *matcher) list(ps, es []ast.Expr, partial, mul bool) ([]ast.Expr, bool) {
	fixed := make([]ast.Expr, 0, len(ps))
	var vars []string
	for _, p := range ps {
		if v, ok := m.isVar(p); ok {
			if _, bound := m.b[v]; !bound {
				vars = append(vars, v)
				continue
			}
			fixed = append(fixed, m.b[v]) // a bound variable stands for its value
			continue
		}
		fixed = append(fixed, p)
	}
	used := make([]bool, len(es))
	var coefRest ast.Expr // what a numeric pattern factor left of the subject's coefficient
	var try func(k int) ([]ast.Expr, bool)
	try = func(k int) ([]ast.Expr, bool) {
		if k == len(fixed) {
			return m.assignVars(vars, es, used, coefRest, partial, mul)
		}
		p := fixed[k]
		for i, e := range es {
			if used[i] {
				continue
			}
			saved := m.mark()
			savedRest := coefRest
			ok := false
			if pn, isNum := p.(*ast.Num); isNum && mul && len(vars) > 0 {
				if en, isNum := e.(*ast.Num); isNum {
					if q, good := en.Value.Quo(pn.Value); good && q.Sign() > 0 {
						ok = true
						if !q.IsOne() {
							coefRest = ast.NewNum(q)
						}
					}
				}
			} else {
				ok = m.match(p, e)
			}
			if ok {
				used[i] = true
				if rest, done := try(k + 1); done {
					return rest, true
				}
				used[i] = false
			}
			m.undo(saved)
			coefRest = savedRest
		}
		return nil, false
	}
	return try(0)
}

// assignVars gives each unbound pattern variable of a sum or product one
// leftover operand, and the last variable all the rest.
func (m *matcher) assignVars(vars []string, es []ast.Expr, used []bool, coefRest ast.Expr, partial, mul bool) ([]ast.Expr, bool) {
	var left []ast.Expr
	if coefRest != nil {
		left = append(left, coefRest)
	}
	for i, e := range es {
		if !used[i] {
			left = append(left, e)
		}
	}
	// A variable bound while matching the other operands (u in u*sigma(u))
	// must find its value among the operands left: all its factors (or
	// terms), if it is itself a product (or sum).
	var free []string
	for _, v := range vars {
		val, bound := m.b[v]
		if !bound {
			free = append(free, v)
			continue
		}
		parts := []ast.Expr{val}
		if p, ok := val.(*ast.Mul); ok && mul {
			parts = p.Factors
		} else if s, ok := val.(*ast.Add); ok && !mul {
			parts = s.Terms
		}
		for _, part := range parts {
			i := slices.Index(left, part)
			if i < 0 {
				return nil, false
			}
			left = slices.Delete(left, i, i+1)
		}
	}
	vars = free
	if len(vars) == 0 {
		if len(left) > 0 && !partial {
			return nil, false
		}
		return left, true
	}
	if len(left) < len(vars) {
		return nil, false
	}
	for i, v := range vars[:len(vars)-1] {
		if !m.bind(v, left[i]) {
			return nil, false
		}
	}
	rest := left[len(vars)-1:]
	var val ast.Expr
	if mul {
		val = ast.NewMul(rest...)
	} else {
		val = ast.NewAdd(rest...)
	}
	if !m.bind(vars[len(vars)-1], val) {
		return nil, false
	}
	return nil, true
}
