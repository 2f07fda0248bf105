package prove

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/symdiff/symdiff/simplify"

	"github.com/symdiff/symdiff/ast"
)

// Rational normal form: the prover's decision procedure for the algebra
// that is left once functions are written in a common basis. An expression
// becomes a quotient of two polynomials over Q whose variables are atoms
// (names, calls, sums, powers with symbolic exponents) with rational,
// possibly negative, exponents; exp(a + 3*b) becomes exp(a)*exp(b)^3. Two
// expressions are equal wherever both are defined if n1*d2 - n2*d1 expands
// to the zero polynomial. The test never claims equality wrongly: every
// step is an identity, and a zero polynomial is zero at any values of its
// atoms.

var errPolyTooLarge = errors.New("rational normal form too large")

// errZeroDenominator says that a side's denominator is the zero
// polynomial: the side is defined nowhere.
var errZeroDenominator = errors.New("a denominator is zero")

// maxPolyTerms bounds the terms of any polynomial built.
const maxPolyTerms = 200_000

type factor struct {
	atom int
	exp  ast.Number
}

type monomial []factor // sorted by atom

func (m monomial) key() string {
	var b strings.Builder
	for _, f := range m {
		b.WriteString(strconv.Itoa(f.atom))
		b.WriteByte('^')
		b.WriteString(f.exp.Key())
		b.WriteByte(';')
	}
	return b.String()
}

func (m monomial) mul(n monomial) monomial {
	out := make(monomial, 0, len(m)+len(n))
	i, j := 0, 0
	for i < len(m) && j < len(n) {
		switch {
		case m[i].atom < n[j].atom:
			out = append(out, m[i])
			i++
		case m[i].atom > n[j].atom:
			out = append(out, n[j])
			j++
		default:
			if e := m[i].exp.Add(n[j].exp); !e.IsZero() {
				out = append(out, factor{m[i].atom, e})
			}
			i++
			j++
		}
	}
	out = append(out, m[i:]...)
	return append(out, n[j:]...)
}

type pterm struct {
	m monomial
	c ast.Number
}

// poly is a polynomial: monomial key → term.
type poly map[string]pterm

func constPoly(c ast.Number) poly {
	if c.IsZero() {
		return poly{}
	}
	return poly{"": {nil, c}}
}

func (p poly) isZero() bool { return len(p) == 0 }

func (p poly) neg() poly {
	out := make(poly, len(p))
	for k, t := range p {
		out[k] = pterm{t.m, t.c.Neg()}
	}
	return out
}

// addInPlace adds q to p.
func (p poly) addInPlace(ctx context.Context, q poly) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for k, t := range q {
		c := t.c
		if old, ok := p[k]; ok {
			var err error
			if c, err = old.c.AddChecked(c); err != nil {
				return err
			}
			if c.IsZero() {
				delete(p, k)
				continue
			}
		}
		p[k] = pterm{t.m, c}
	}
	if len(p) > maxPolyTerms {
		return errPolyTooLarge
	}
	return nil
}

func (p poly) add(ctx context.Context, q poly, sign int) (poly, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(poly, len(p)+len(q))
	for k, t := range p {
		out[k] = t
	}
	n := 0
	for k, t := range q {
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		c := t.c
		if sign < 0 {
			c = c.Neg()
		}
		if old, ok := out[k]; ok {
			var err error
			if c, err = old.c.AddChecked(c); err != nil {
				return nil, err
			}
			if c.IsZero() {
				delete(out, k)
				continue
			}
		}
		out[k] = pterm{t.m, c}
	}
	if len(out) > maxPolyTerms {
		return nil, errPolyTooLarge
	}
	return out, nil
}

func (p poly) mul(ctx context.Context, q poly) (poly, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(p)*len(q) > 4*maxPolyTerms {
		return nil, errPolyTooLarge
	}
	out := make(poly)
	n := 0
	for _, a := range p {
		for _, b := range q {
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			m := a.m.mul(b.m)
			k := m.key()
			c, err := a.c.MulChecked(b.c)
			if err != nil {
				return nil, err
			}
			if old, ok := out[k]; ok {
				if c, err = old.c.AddChecked(c); err != nil {
					return nil, err
				}
				if c.IsZero() {
					delete(out, k)
					continue
				}
			}
			out[k] = pterm{m, c}
		}
	}
	if len(out) > maxPolyTerms {
		return nil, errPolyTooLarge
	}
	return out, nil
}

// rat is num/den.
type rat struct{ num, den poly }

func (r rat) add(ctx context.Context, s rat) (rat, error) {
	if sameKeys(r.den, s.den) {
		n, err := r.num.add(ctx, s.num, 1)
		return rat{n, r.den}, err
	}
	a, err := r.num.mul(ctx, s.den)
	if err != nil {
		return rat{}, err
	}
	b, err := s.num.mul(ctx, r.den)
	if err != nil {
		return rat{}, err
	}
	n, err := a.add(ctx, b, 1)
	if err != nil {
		return rat{}, err
	}
	d, err := r.den.mul(ctx, s.den)
	return rat{n, d}, err
}

func sameKeys(p, q poly) bool {
	if len(p) != len(q) {
		return false
	}
	for k, t := range p {
		u, ok := q[k]
		if !ok || !u.c.Equal(t.c) {
			return false
		}
	}
	return true
}

func (r rat) mul(ctx context.Context, s rat) (rat, error) {
	n, err := r.num.mul(ctx, s.num)
	if err != nil {
		return rat{}, err
	}
	d, err := r.den.mul(ctx, s.den)
	return rat{n, d}, err
}

func (r rat) pow(ctx context.Context, k int64) (rat, error) {
	if k < 0 {
		if r.num.isZero() {
			return rat{}, errors.New("division by zero")
		}
		r = rat{r.den, r.num}
		k = -k
	}
	out := rat{constPoly(ast.Int(1)), constPoly(ast.Int(1))}
	for ; k > 0; k-- {
		var err error
		if out, err = out.mul(ctx, r); err != nil {
			return rat{}, err
		}
	}
	return out, nil
}

// polyBuilder turns canonical expressions into rational normal form,
// numbering atoms as it meets them.
type polyBuilder struct {
	ctx   context.Context // every product and sum checks it
	atoms map[ast.Expr]int
	// shifts is the depth of logShift calls (a guard: each makes the
	// shifted form, which is not shifted again).
	shifts int
	// bound counts the sum variables bound around the body being built.
	bound map[string]int
	// places numbers the placeholder indices of multiple sums.
	places int
}

func newPolyBuilder(ctx context.Context) *polyBuilder {
	return &polyBuilder{ctx: ctx, atoms: map[ast.Expr]int{}, bound: map[string]int{}}
}

func (b *polyBuilder) atom(e ast.Expr, exp ast.Number) rat {
	i, ok := b.atoms[e]
	if !ok {
		i = len(b.atoms)
		b.atoms[e] = i
	}
	m := monomial{{i, exp}}
	return rat{poly{m.key(): {m, ast.Int(1)}}, constPoly(ast.Int(1))}
}

func one() rat { return rat{constPoly(ast.Int(1)), constPoly(ast.Int(1))} }

func (b *polyBuilder) rat(e ast.Expr) (rat, error) {
	switch x := e.(type) {
	case *ast.Num:
		return rat{constPoly(x.Value), constPoly(ast.Int(1))}, nil
	case *ast.Add:
		// Terms over the same denominator (1, mostly) are added into one
		// numerator in place: adding n terms one by one would copy the
		// growing sum n times.
		unit := constPoly(ast.Int(1))
		acc := rat{poly{}, unit}
		num := poly{} // the terms over 1
		for _, t := range mergeRanges(x.Terms) {
			r, err := b.rat(t)
			if err != nil {
				return rat{}, err
			}
			if sameKeys(r.den, unit) {
				if err := num.addInPlace(b.ctx, r.num); err != nil {
					return rat{}, err
				}
				continue
			}
			if acc, err = acc.add(b.ctx, r); err != nil {
				return rat{}, err
			}
		}
		return acc.add(b.ctx, rat{num, unit})
	case *ast.Mul:
		if slices.ContainsFunc(x.Factors, func(f ast.Expr) bool { s, ok := f.(*ast.Sum); return ok && s.Op == ast.OpSum }) {
			return b.rat(mergeRanges([]ast.Expr{e})[0]) // c*K*sum(f) is sum(c*K*f)
		}
		acc := one()
		for _, f := range x.Factors {
			r, err := b.rat(f)
			if err != nil {
				return rat{}, err
			}
			if acc, err = acc.mul(b.ctx, r); err != nil {
				return rat{}, err
			}
		}
		return acc, nil
	case *ast.Pow:
		n, ok := numOf(x.Y)
		if bn, isNum := numOf(x.X); !ok && isNum && bn.Sign() > 0 {
			// b^y = exp(y log(b)) for a positive number b.
			return b.exp(timesEach(x.Y, ast.NewCall("log", x.X)))
		}
		if !ok {
			return b.atom(e, ast.Int(1)), nil
		}
		if n.IsInt() {
			k, ok := n.Int64()
			if !ok || k > 64 || k < -64 {
				return b.atom(e, ast.Int(1)), nil
			}
			if call, ok := x.X.(*ast.Call); ok && call.Fn == "cos" {
				// cos^k = cos^(k mod 2) (1 - sin^2)^(k div 2): cos appears at
				// most to the first power, a normal form modulo sin^2 + cos^2 = 1.
				s := b.atom(ast.NewCall("sin", call.Args[0]), ast.Int(2))
				oneMinus, err := one().add(b.ctx, rat{s.num.neg(), s.den})
				if err != nil {
					return rat{}, err
				}
				r, err := oneMinus.pow(b.ctx, k/2)
				if err != nil {
					return rat{}, err
				}
				if k%2 != 0 {
					cr, err := b.atom(call, ast.Int(1)).pow(b.ctx, k%2)
					if err != nil {
						return rat{}, err
					}
					return r.mul(b.ctx, cr)
				}
				return r, nil
			}
			r, err := b.rat(x.X)
			if err != nil {
				return rat{}, err
			}
			return r.pow(b.ctx, k)
		}
		switch x.X.(type) {
		case *ast.Add, *ast.Mul, *ast.Pow, *ast.Num:
			// (a + b)^(p/q) = (a + b)^m ((a + b)^(1/q))^r with m the whole
			// part of p/q and 0 < r < q: the root is an atom, and the whole
			// part stays algebra, so (1 + x^2)^(3/2) meets
			// (1 + x^2)*sqrt(1 + x^2).
			q := ast.FromBigInt(x.Y.(*ast.Num).Value.Denom())
			inv, _ := q.Inv()
			p, _ := n.Mul(q).Int64()
			qi, _ := q.Int64()
			m := p / qi
			if p < 0 && p%qi != 0 {
				m--
			}
			root := b.atom(ast.NewPow(x.X, ast.NewNum(inv)), ast.Int(1))
			rr, err := root.pow(b.ctx, p-m*qi)
			if err != nil {
				return rat{}, err
			}
			if _, isNum := x.X.(*ast.Num); isNum || m == 0 {
				return rr, nil
			}
			base, err := b.rat(x.X)
			if err != nil {
				return rat{}, err
			}
			whole, err := base.pow(b.ctx, m)
			if err != nil {
				return rat{}, err
			}
			return whole.mul(b.ctx, rr)
		}
		return b.atom(x.X, n), nil
	case *ast.Call:
		if x.Fn == "exp" {
			return b.exp(x.Args[0])
		}
		if x.Fn == "log" {
			if r, ok, err := b.logConst(x.Args[0]); ok {
				return r, err
			}
			if r, ok, err := b.logProduct(x.Args[0]); ok {
				return r, err
			}
		}
	case *ast.Sum:
		if r, ok := b.rewriteSum(x); ok {
			return b.rat(r)
		}
		// A sum is an atom, but its body is put in rational normal form
		// first, so that two bodies equal as rational functions give one
		// atom.
		// The variable is renamed canonically, so that sums equal up to
		// the name of their index are one atom.
		b.bound[x.Var]++
		body, err := b.normalExpr(x.Body)
		b.bound[x.Var]--
		if err != nil {
			body = x.Body
		}
		// By linearity, what does not depend on the index comes out: the
		// numeric coefficient of the leading term, and the factors free of
		// the index when the body is one term (sum(i, exp(z[i])*exp(-c)) is
		// exp(-c)*sum(i, exp(z[i]))).
		out := ast.Expr(ast.One)
		if _, isAdd := body.(*ast.Add); !isAdd {
			k, m := simplify.SplitCoeff(body)
			var dep, free []ast.Expr
			for _, f := range factorsOf(m) {
				if slices.Contains(ast.FreeNames(f), x.Var) {
					dep = append(dep, f)
				} else {
					free = append(free, f)
				}
			}
			if len(free) > 0 && len(dep) > 0 || !k.IsOne() && !k.IsZero() {
				out = simplify.WithCoeff(k, product(free))
				body = product(dep)
			}
		} else if lead, _ := simplify.SplitCoeff(firstTerm(body)); !lead.IsOne() && !lead.IsZero() {
			inv, _ := lead.Inv()
			out, body = ast.NewNum(lead), scaleExpr(body, inv)
		}
		v := simplify.CanonicalVar(x.Var, x.Lo, x.Hi, body)
		if v != x.Var {
			body = ast.Rename(body, x.Var, v)
		}
		whole := ast.NewSum(x.Op, v, x.Lo, x.Hi, body)
		sum, multi, err := b.multiSum(whole)
		if err != nil {
			return rat{}, err
		}
		if !multi {
			sum = b.atom(whole, ast.Int(1))
		}
		if out == ast.One {
			return sum, nil
		}
		k, err := b.rat(out)
		if err != nil {
			return rat{}, err
		}
		return sum.mul(b.ctx, k)
	}
	return b.atom(e, ast.Int(1)), nil
}

// normalExpr returns e rebuilt from its rational normal form: numerator
// and denominator expanded, with negative powers cleared from the
// denominator and its leading coefficient 1, terms in canonical order.
func (b *polyBuilder) normalExpr(e ast.Expr) (ast.Expr, error) {
	r, err := b.rat(e)
	if err != nil {
		return nil, err
	}
	if r.num, err = b.reduceTrig(r.num); err != nil {
		return nil, err
	}
	if r.den, err = b.reduceTrig(r.den); err != nil {
		return nil, err
	}
	if r.den.isZero() {
		return nil, errors.New("a denominator is zero")
	}
	atoms := b.atomsByIndex()
	// Clear negative exponents from the denominator: multiply both by the
	// monomial that makes the smallest exponent of each atom zero.
	lowest := map[int]ast.Number{}
	for _, t := range r.den {
		for _, f := range t.m {
			if old, ok := lowest[f.atom]; !ok || f.exp.Cmp(old) < 0 {
				lowest[f.atom] = f.exp
			}
		}
	}
	for _, t := range r.den {
		present := map[int]bool{}
		for _, f := range t.m {
			present[f.atom] = true
		}
		for a, v := range lowest {
			if !present[a] && v.Sign() > 0 {
				lowest[a] = ast.Int(0) // an atom absent from a term has exponent 0
			}
		}
	}
	var shift monomial
	for a, v := range lowest {
		if !v.IsZero() {
			shift = append(shift, factor{a, v.Neg()})
		}
	}
	sort.Slice(shift, func(i, j int) bool { return shift[i].atom < shift[j].atom })
	sp := poly{shift.key(): {shift, ast.Int(1)}}
	if r.num, err = r.num.mul(b.ctx, sp); err != nil {
		return nil, err
	}
	if r.den, err = r.den.mul(b.ctx, sp); err != nil {
		return nil, err
	}
	num, den := polyExpr(r.num, atoms), polyExpr(r.den, atoms)
	// Make the denominator's leading coefficient 1.
	lead, _ := simplify.SplitCoeff(firstTerm(den))
	if !lead.IsOne() && !lead.IsZero() {
		inv, _ := lead.Inv()
		num = scaleExpr(num, inv)
		den = scaleExpr(den, inv)
	}
	if den == ast.One {
		return num, nil
	}
	return ast.NewMul(num, ast.NewPow(den, ast.MinusOne)), nil
}

func firstTerm(e ast.Expr) ast.Expr {
	if a, ok := e.(*ast.Add); ok {
		return a.Terms[0]
	}
	return e
}

func scaleExpr(e ast.Expr, k ast.Number) ast.Expr {
	terms := []ast.Expr{e}
	if a, ok := e.(*ast.Add); ok {
		terms = a.Terms
	}
	out := make([]ast.Expr, len(terms))
	for i, t := range terms {
		c, m := simplify.SplitCoeff(t)
		out[i] = simplify.WithCoeff(c.Mul(k), m)
	}
	return ast.NewAdd(out...)
}

func (b *polyBuilder) atomsByIndex() []ast.Expr {
	out := make([]ast.Expr, len(b.atoms))
	for e, i := range b.atoms {
		out[i] = e
	}
	return out
}

// polyExpr writes a polynomial as a canonical-shaped expression: terms
// and factors sorted by the structural order, not by atom numbering.
func polyExpr(p poly, atoms []ast.Expr) ast.Expr {
	var terms []ast.Expr
	for _, t := range p {
		var fs []ast.Expr
		for _, f := range t.m {
			a := atoms[f.atom]
			if f.exp.IsOne() {
				fs = append(fs, a)
			} else {
				fs = append(fs, ast.NewPow(a, ast.NewNum(f.exp)))
			}
		}
		sort.SliceStable(fs, func(i, j int) bool { return simplify.FactorOrder(fs[i], fs[j]) < 0 })
		terms = append(terms, simplify.WithCoeff(t.c, ast.NewMul(fs...)))
	}
	sort.SliceStable(terms, func(i, j int) bool { return simplify.TermOrder(terms[i], terms[j]) < 0 })
	return ast.NewAdd(terms...)
}

// exp writes exp(c1*m1 + c2*m2 + ...) as exp(m1)^c1 * exp(m2)^c2 ...
func (b *polyBuilder) exp(arg ast.Expr) (rat, error) {
	terms := []ast.Expr{arg}
	if a, ok := arg.(*ast.Add); ok {
		terms = a.Terms
	}
	acc := one()
	for _, t := range terms {
		k, m := simplify.SplitCoeff(t)
		if call, ok := m.(*ast.Call); ok && call.Fn == "log" {
			// exp(k log u) = u^k (where log u is defined, u > 0).
			r, err := b.rat(ast.NewPow(call.Args[0], ast.NewNum(k)))
			if err != nil {
				return rat{}, err
			}
			if acc, err = acc.mul(b.ctx, r); err != nil {
				return rat{}, err
			}
			continue
		}
		r, ok, err := b.expPrimes(k, m)
		if err != nil {
			return rat{}, err
		}
		if !ok {
			r = b.atom(ast.NewCall("exp", m), k)
		}
		if acc, err = acc.mul(b.ctx, r); err != nil {
			return rat{}, err
		}
	}
	return acc, nil
}

// sameRational reports whether a and b have equal rational normal forms.
func sameRational(ctx context.Context, a, b ast.Expr) (bool, error) {
	pb := newPolyBuilder(ctx)
	units := map[ast.Expr]ast.Number{}
	trigUnits(units, a, b)
	a, b = rewriteTrig(a, units), rewriteTrig(b, units)
	ra, err := pb.rat(a)
	if err != nil {
		return false, err
	}
	rb, err := pb.rat(b)
	if err != nil {
		return false, err
	}
	if ra.den.isZero() || rb.den.isZero() {
		return false, errZeroDenominator
	}
	for _, r := range []*rat{&ra, &rb} {
		if r.num, err = pb.reduceTrig(r.num); err != nil {
			return false, err
		}
		if r.den, err = pb.reduceTrig(r.den); err != nil {
			return false, err
		}
	}
	l, err := ra.num.mul(pb.ctx, rb.den)
	if err != nil {
		return false, err
	}
	r, err := rb.num.mul(pb.ctx, ra.den)
	if err != nil {
		return false, err
	}
	d, err := l.add(pb.ctx, r, -1)
	if err != nil {
		return false, err
	}
	return d.isZero(), nil
}

// reduceTrig rewrites cos(u)^k, k >= 2, in every monomial as
// cos(u)^(k mod 2) (1 - sin(u)^2)^(k div 2), so that polynomials in sin and
// cos have one form modulo sin^2 + cos^2 = 1.
func (b *polyBuilder) reduceTrig(p poly) (poly, error) {
	sinOf := map[int]int{} // cos atom → sin atom
	for e, i := range b.atoms {
		if c, ok := e.(*ast.Call); ok && c.Fn == "cos" {
			s := ast.NewCall("sin", c.Args[0])
			j, ok := b.atoms[s]
			if !ok {
				j = len(b.atoms)
				b.atoms[s] = j
			}
			sinOf[i] = j
		}
	}
	if len(sinOf) == 0 {
		return p, nil
	}
	out := poly{}
	for _, t := range p {
		acc := poly{"": {nil, t.c}}
		var keep monomial
		for _, f := range t.m {
			j, isCos := sinOf[f.atom]
			k, isInt := f.exp.Int64()
			if !isCos || !isInt || k < 2 || !f.exp.IsInt() {
				keep = append(keep, f)
				continue
			}
			if k%2 == 1 {
				keep = append(keep, factor{f.atom, ast.Int(1)})
			}
			s2 := monomial{{j, ast.Int(2)}}
			oneMinus := poly{"": {nil, ast.Int(1)}, s2.key(): {s2, ast.Int(-1)}}
			for n := int64(0); n < k/2; n++ {
				var err error
				if acc, err = acc.mul(b.ctx, oneMinus); err != nil {
					return nil, err
				}
			}
		}
		km := poly{keep.key(): {keep, ast.Int(1)}}
		prod, err := acc.mul(b.ctx, km)
		if err != nil {
			return nil, err
		}
		if out, err = out.add(b.ctx, prod, 1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// mergeRanges undoes linearity for the prover's rational normal form: the
// terms c*K*sum(i=a..b, f) of a sum that range over the same a..b become
// one sum(i=a..b, c*K*f + ...), whose body is then normalised as a whole.
// Linearity splits bodies that are polynomial; bodies that are rational
// functions (σ written with exp) are equal only as a whole.
func mergeRanges(terms []ast.Expr) []ast.Expr {
	type group struct {
		lo, hi ast.Expr
		parts  []ast.Expr // c*K*f with f renamed to the group's variable
		at     int
		n      int
	}
	var groups []*group
	var out []ast.Expr
	// The merged index is a name no term mentions: "ι#" cannot be typed (#
	// starts a comment), but an enclosing sum merged here before has made
	// it free in the inner terms, and renaming onto it would capture it.
	iota := "ι#"
	for slices.ContainsFunc(terms, func(t ast.Expr) bool { return ast.HasFree(t, iota) }) {
		iota += "#"
	}
	for _, t := range terms {
		k, sum, others := simplify.SumTerm(t)
		if sum == nil {
			out = append(out, t)
			continue
		}
		var g *group
		for _, h := range groups {
			if h.lo == sum.Lo && h.hi == sum.Hi {
				g = h
			}
		}
		if g == nil {
			g = &group{lo: sum.Lo, hi: sum.Hi, at: len(out)}
			groups = append(groups, g)
			out = append(out, nil)
		}
		body := ast.Rename(sum.Body, sum.Var, iota)
		g.parts = append(g.parts, simplify.WithCoeff(k, ast.NewMul(append(others, body)...)))
		g.n++
	}
	for _, g := range groups {
		if g.n == 1 {
			out[g.at] = ast.NewSum(ast.OpSum, iota, g.lo, g.hi, g.parts[0])
			continue
		}
		out[g.at] = ast.NewSum(ast.OpSum, iota, g.lo, g.hi, ast.NewAdd(g.parts...))
	}
	return out
}

func numOf(e ast.Expr) (ast.Number, bool) {
	if n, ok := e.(*ast.Num); ok {
		return n.Value, true
	}
	return ast.Number{}, false
}
