package prove

import (
	"slices"
	"strconv"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// Multiple sums. Nested sums are one finite sum over several indices,
// over the tuples whose every index lies in its range, and any order of
// summation in which each index is enclosed by the indices its range
// mentions runs over the same tuples: sum(i, x[i]*sum(j, A[i,j]*y[j])) and
// sum(j, y[j]*sum(i, A[i,j]*x[i])) are both the sum over (i, j) of
// x[i]*A[i,j]*y[j], and sum(i=1..n, sum(j=1..i, f)) has one order only.
// The rational normal form writes such a sum with the sums in its body
// (and their whole powers) multiplied in, the body expanded, and one sum
// per term (a rational body stays whole), split into the sums over the
// parts of the indices that no factor or range links; each part's indices
// are named by depth in the order, of the k! orders, whose rendering is
// least, so sums equal up to the order of summation and the names of
// their indices are one atom. Every step is an identity of finite sums
// (distributivity, constants out, the order of summation), so no term is
// merged wrongly; a sum beyond the caps keeps the order it came in, and a
// claim about it may stay unknown, never wrong.

// maxMultiIndices bounds the indices of a multiple sum whose orders of
// summation are tried (5! = 120 renderings); beyond it the order found
// is kept.
const maxMultiIndices = 5

// maxMultiTerms bounds the terms a multiple sum's body expands to.
const maxMultiTerms = 64

// boundIndex is an index of a multiple sum, with its range.
type boundIndex struct {
	name   string
	lo, hi ast.Expr
}

// mfactor is base^exp in a multiple sum's term.
type mfactor struct {
	base ast.Expr
	exp  int64 // 1 for a base that is not an integer power
}

// multiTerm is c * sum over vars of the product of factors.
type multiTerm struct {
	c       ast.Number
	vars    []boundIndex
	factors []mfactor
}

// times multiplies the factor f into t, adding integer exponents of a
// base it already has.
func (t *multiTerm) times(f mfactor) {
	for i, g := range t.factors {
		if g.base == f.base {
			t.factors[i].exp += f.exp
			return
		}
	}
	t.factors = append(t.factors, f)
}

// splitPow writes f as base^k for an integer k (k is 1 otherwise).
func splitPow(f ast.Expr) mfactor {
	if p, ok := f.(*ast.Pow); ok {
		if n, ok := numOf(p.Y); ok && n.IsInt() {
			if k, ok := n.Int64(); ok && k > -64 && k < 64 {
				return mfactor{p.X, k}
			}
		}
	}
	return mfactor{f, 1}
}

// placeholder returns an index name no expression given mentions and no
// one can type ("#" starts a comment).
func (b *polyBuilder) placeholder(es ...ast.Expr) string {
	for {
		b.places++
		p := "ς#" + strconv.Itoa(b.places)
		if !slices.ContainsFunc(es, func(e ast.Expr) bool { return ast.HasFree(e, p) }) {
			return p
		}
	}
}

// expandSum writes s, a sum whose body is in rational normal form, as
// multiple-sum terms with placeholder indices. False: too many terms or
// indices (s is then an atom as it is).
func (b *polyBuilder) expandSum(s *ast.Sum) ([]multiTerm, bool) {
	p := b.placeholder(s)
	v := boundIndex{p, s.Lo, s.Hi}
	var out []multiTerm
	for _, t := range termsOf(ast.Rename(s.Body, s.Var, p)) {
		c, fs := flatFactors(t)
		acc := []multiTerm{{c: c, vars: []boundIndex{v}}}
		for _, f := range fs {
			if subs, ok := b.expandPower(splitPow(f)); ok {
				for _, sub := range subs {
					if acc = multiply(acc, sub); acc == nil {
						return nil, false
					}
				}
				continue
			}
			for i := range acc {
				acc[i].times(splitPow(f))
			}
		}
		if out = append(out, acc...); len(out) > maxMultiTerms {
			return nil, false
		}
	}
	return out, true
}

// flatFactors splits a term into its numeric coefficient and its factors,
// the factors of products in it included (a rational body is written
// num*den^-1 with num a product).
func flatFactors(t ast.Expr) (ast.Number, []ast.Expr) {
	c, m := simplify.SplitCoeff(t)
	var fs []ast.Expr
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		for _, f := range factorsOf(e) {
			switch x := f.(type) {
			case *ast.Mul:
				walk(x)
			case *ast.Num:
				c = c.Mul(x.Value)
			default:
				fs = append(fs, f)
			}
		}
	}
	walk(m)
	return c, fs
}

// maxSumPower bounds the power of a sum multiplied out as a multiple sum.
const maxSumPower = 4

// expandPower expands f = sum(...)^k, k >= 1, as k copies of the sum's
// terms, each with indices of its own ((sum(i, a[i]))^2 is
// sum(i, sum(j, a[i]*a[j]))). False: f is not such a power.
func (b *polyBuilder) expandPower(f mfactor) ([][]multiTerm, bool) {
	inner, ok := f.base.(*ast.Sum)
	if !ok || inner.Op != ast.OpSum || f.exp < 1 || f.exp > maxSumPower {
		return nil, false
	}
	var subs [][]multiTerm
	for range f.exp {
		sub, ok := b.expandSum(inner)
		if !ok {
			return nil, false
		}
		subs = append(subs, sub)
	}
	return subs, true
}

// multiply is the product of two lists of terms (nil when it has too many
// terms or a term too many indices). The indices are distinct
// placeholders, so no index of one captures a name of the other.
func multiply(as, bs []multiTerm) []multiTerm {
	if len(as)*len(bs) > maxMultiTerms {
		return nil
	}
	var out []multiTerm
	for _, a := range as {
		for _, s := range bs {
			if len(a.vars)+len(s.vars) > 2*maxMultiIndices {
				return nil
			}
			t := multiTerm{c: a.c.Mul(s.c), vars: append(slices.Clip(a.vars), s.vars...), factors: slices.Clone(a.factors)}
			for _, f := range s.factors {
				t.times(f)
			}
			out = append(out, t)
		}
	}
	return out
}

// multiSum returns the rational normal form of s (a sum whose body is in
// normal form) as a sum of multiple-sum atoms; false when s stays one atom.
func (b *polyBuilder) multiSum(s *ast.Sum) (rat, bool, error) {
	if s.Op != ast.OpSum {
		return rat{}, false, nil
	}
	terms, ok := b.expandSum(s)
	if !ok {
		return rat{}, false, nil
	}
	acc := rat{poly{}, constPoly(ast.Int(1))}
	for _, t := range terms {
		if t.c.IsZero() {
			continue
		}
		r := rat{constPoly(t.c), constPoly(ast.Int(1))}
		var dep []mfactor
		for _, f := range t.factors {
			switch {
			case f.exp == 0:
				// base^0 is 1 where base is defined, as monomial.mul has it.
				continue
			case slices.ContainsFunc(t.vars, func(v boundIndex) bool { return ast.HasFree(f.base, v.name) }):
				dep = append(dep, f)
				continue
			}
			fr, err := b.rat(f.expr())
			if err != nil {
				return rat{}, false, err
			}
			if r, err = r.mul(b.ctx, fr); err != nil {
				return rat{}, false, err
			}
		}
		var err error
		for _, part := range separate(t.vars, dep) {
			if r, err = r.mul(b.ctx, b.atom(canonicalMulti(part.vars, part.factors), ast.Int(1))); err != nil {
				return rat{}, false, err
			}
		}
		if acc, err = acc.add(b.ctx, r); err != nil {
			return rat{}, false, err
		}
	}
	return acc, true, nil
}

// separate splits a multiple sum into the product of the sums over the
// parts of its indices that no factor or range links (sum(i, sum(j,
// x[i]*y[j])) is sum(i, x[i])*sum(j, y[j])), so that a sum has one form
// whether it came factored or multiplied out.
func separate(vars []boundIndex, fs []mfactor) []multiTerm {
	part := make([]int, len(vars)) // a tree: the parent of each index
	for i := range part {
		part[i] = i
	}
	find := func(i int) int {
		for part[i] != i {
			i = part[i]
		}
		return i
	}
	link := func(l []int) {
		for _, i := range l[1:] {
			a, b := find(l[0]), find(i)
			part[max(a, b)] = min(a, b)
		}
	}
	for i, v := range vars {
		link(append([]int{i}, mentioned(vars, v.lo, v.hi)...))
	}
	var first []int // an index each factor mentions
	for _, f := range fs {
		l := mentioned(vars, f.base)
		link(l)
		first = append(first, l[0])
	}
	var out []multiTerm
	at := map[int]int{} // part → its place in out
	for i, v := range vars {
		p := find(i)
		if _, ok := at[p]; !ok {
			at[p] = len(out)
			out = append(out, multiTerm{})
		}
		out[at[p]].vars = append(out[at[p]].vars, v)
	}
	for k, f := range fs {
		t := &out[at[find(first[k])]]
		t.factors = append(t.factors, f)
	}
	return out
}

// mentioned lists the positions of the indices free in es.
func mentioned(vars []boundIndex, es ...ast.Expr) []int {
	var l []int
	for i, v := range vars {
		if slices.ContainsFunc(es, func(e ast.Expr) bool { return ast.HasFree(e, v.name) }) {
			l = append(l, i)
		}
	}
	return l
}

func (f mfactor) expr() ast.Expr {
	if f.exp == 1 {
		return f.base
	}
	return ast.NewPow(f.base, ast.NewInt(f.exp))
}

// canonicalMulti writes the sum over vars (in an order in which each
// index is enclosed by those its range mentions) of the product of fs as
// nested sums, the indices named i, j, k, ... (those not free in the sum)
// by depth, in the order of summation whose rendering is least among those
// in which each index is still enclosed by those its range mentions.
func canonicalMulti(vars []boundIndex, fs []mfactor) ast.Expr {
	var names []string
	taken := func(n string) bool {
		return slices.Contains(names, n) ||
			slices.ContainsFunc(fs, func(f mfactor) bool { return ast.HasFree(f.base, n) }) ||
			slices.ContainsFunc(vars, func(v boundIndex) bool { return ast.HasFree(v.lo, n) || ast.HasFree(v.hi, n) })
	}
	for range vars {
		names = append(names, ast.Fresh("i", taken))
	}
	needs := make([][]int, len(vars)) // the indices each range mentions
	for i, v := range vars {
		needs[i] = mentioned(vars, v.lo, v.hi)
	}
	build := func(order []int) ast.Expr {
		m := map[string]ast.Expr{}
		for depth, vi := range order {
			m[vars[vi].name] = ast.NewSym(names[depth])
		}
		body := make([]ast.Expr, len(fs))
		for i, f := range fs {
			body[i] = ast.Subst(f.expr(), m)
		}
		e := product(body)
		for depth := len(order) - 1; depth >= 0; depth-- {
			v := vars[order[depth]]
			e = ast.NewSum(ast.OpSum, names[depth], ast.Subst(v.lo, m), ast.Subst(v.hi, m), e)
		}
		return e
	}
	// enclosed reports whether order puts each index inside those its
	// range mentions.
	enclosed := func(order []int) bool {
		for depth, vi := range order {
			for _, w := range needs[vi] {
				if !slices.Contains(order[:depth], w) {
					return false
				}
			}
		}
		return true
	}
	order := make([]int, len(vars))
	for i := range order {
		order[i] = i
	}
	best := build(order)
	if len(vars) == 1 || len(vars) > maxMultiIndices {
		return best
	}
	key := ast.String(best)
	for nextPermutation(order) {
		if !enclosed(order) {
			continue
		}
		e := build(order)
		if k := ast.String(e); k < key {
			best, key = e, k
		}
	}
	return best
}

// nextPermutation steps p to the next permutation in lexicographic order;
// false after the last.
func nextPermutation(p []int) bool {
	i := len(p) - 2
	for i >= 0 && p[i] >= p[i+1] {
		i--
	}
	if i < 0 {
		return false
	}
	j := len(p) - 1
	for p[j] <= p[i] {
		j--
	}
	p[i], p[j] = p[j], p[i]
	slices.Reverse(p[i+1:])
	return true
}
