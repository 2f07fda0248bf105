// Package algebra reshapes expressions without changing their value: the
// verbs expand, factor, together, apart, collect and subs.
//
// An expression is read as a rational function over Q of its atoms (names,
// function calls, sums over an index, powers with symbolic or fractional
// exponents; see ring), reshaped with exact polynomial arithmetic in
// several variables (gcd by primitive remainder sequences, factorisation
// as described in factor.go) and written back in display form. Arguments
// of functions are left as they are: factor(sigma(x^2 - 1)) does not look
// inside sigma.
package algebra

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// denFn marks a sum in a denominator that expand keeps whole: its one
// argument is the sum, already expanded.
const denFn = "\x00den"

// Expand multiplies out products and integer powers of sums. A sum in a
// denominator is expanded but kept whole: expand(x*(x + 1) + 1/(x + 1)^2)
// is x^2 + x + 1/(x^2 + 2*x + 1).
func Expand(e ast.Expr) (ast.Expr, error) { return ExpandContext(context.Background(), e) }

// ExpandContext is Expand that gives up with ctx's error soon after ctx
// is done.
func ExpandContext(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	return expand(e, newWorkCtx(ctx))
}

func expand(e ast.Expr, w *work) (out ast.Expr, err error) {
	defer catch(&err)
	r, p, err := laurent(e, w)
	if err != nil {
		return nil, err
	}
	return r.polyExpr(r.reduceRootPowers(p)), nil
}

// reduceRootPowers writes t^k, for an atom t = b^(1/q) and |k| >= q, as
// b^(k/q) * t^(k%q) (Go's truncated division: the parts have k's sign),
// b multiplied out: (x^(-1/2) + x)^3 has the term 3*x*sqrt(x)^-2, which
// is 3, and (x^(1/3) + 1)^3 the term (x^(1/3))^3, which is x. This holds
// wherever t is defined, for a real t needs b >= 0 (and b > 0 where
// t^-1 occurs in the input); so the result has the input's values on its
// domain, and is defined at least there. A negative power is reduced
// only when b is one term, which has an inverse; b itself is an atom or
// a polynomial in the atoms (newRing adds the atoms of a root's base).
func (r *ring) reduceRootPowers(p poly) poly {
	if !r.roots {
		return p
	}
	for v, a := range r.atoms {
		b, q, ok := rootOf(a)
		if !ok || !slices.ContainsFunc(p.terms, func(t term) bool { return t.m[v] != 0 }) {
			continue
		}
		bp, err := r.lau(b)
		if err != nil || bp.isZero() || bp.has(v) {
			continue
		}
		if u, ok := atomVar(bp); ok {
			// b is the atom u: a term's powers of u and t make one power
			// of u, written as u^(e/q) * t^(e%q): x^2/sqrt(x) is
			// x*sqrt(x). Terms without t stay as they are (they do not
			// need b >= 0).
			out := zeroPoly(p.space)
			for _, t := range p.terms {
				if t.m[v] != 0 {
					m := slices.Clone(t.m)
					e := m[u]*q + m[v]
					m[u], m[v] = e/q, e%q
					t = term{m: m, c: t.c}
				}
				out = out.add(poly{space: p.space, terms: []term{t}})
			}
			p = out
			continue
		}
		inv, err := invTerm(bp)
		hasInv := err == nil
		out := zeroPoly(p.space)
		for _, t := range p.terms {
			k := t.m[v]
			if k > -q && k < q || k < 0 && !hasInv {
				out = out.add(poly{space: p.space, terms: []term{t}})
				continue
			}
			m := slices.Clone(t.m)
			m[v] = k % q
			f, n := bp, k/q
			if n < 0 {
				f, n = inv, -n
			}
			out = out.add(poly{space: p.space, terms: []term{{m: m, c: t.c}}}.mul(f.pow(n)))
		}
		p = out
	}
	return p
}

// atomVar returns u when p is the atom u alone.
func atomVar(p poly) (int, bool) {
	if len(p.terms) != 1 || p.terms[0].c.Cmp(big.NewRat(1, 1)) != 0 {
		return 0, false
	}
	u := -1
	for i, e := range p.terms[0].m {
		switch {
		case e == 0:
		case e == 1 && u < 0:
			u = i
		default:
			return 0, false
		}
	}
	return u, u >= 0
}

// rootOf returns b and q for an atom b^(1/q), q >= 2, or sqrt(b).
func rootOf(a ast.Expr) (b ast.Expr, q int, ok bool) {
	if b, ok := sqrtArg(a); ok {
		return b, 2, true
	}
	if pw, ok := a.(*ast.Pow); ok {
		if n, ok := numExp(pw.Y); ok && !n.IsInt() {
			num, den := n.Num(), n.Denom()
			if num.IsInt64() && num.Int64() == 1 && den.IsInt64() && den.Int64() <= maxRoot {
				return pw.X, int(den.Int64()), true
			}
		}
	}
	return nil, 0, false
}

// maxRoot is the largest q of a root b^(1/q) whose powers are reduced.
const maxRoot = 64

// laurent reads e as a Laurent polynomial in its atoms and in the sums
// of its denominators.
func laurent(e ast.Expr, w *work) (*ring, poly, error) {
	x := e
	if hasDen(e) {
		var err error
		if x, err = prepDen(e, w, map[ast.Expr]ast.Expr{}); err != nil {
			return nil, poly{}, err
		}
	}
	r := newRing(w, x)
	p, err := r.lau(x)
	return r, p, err
}

// prepDen replaces each sum raised to a negative power by the expanded sum
// wrapped in denFn.
func prepDen(e ast.Expr, w *work, memo map[ast.Expr]ast.Expr) (ast.Expr, error) {
	if r, ok := memo[e]; ok {
		return r, nil
	}
	var err error
	out := e
	switch x := e.(type) {
	case *ast.Div:
		var a, b ast.Expr
		if a, err = prepDen(x.X, w, memo); err != nil {
			return nil, err
		}
		if b, err = denAtom(x.Y, 1, w, memo); err != nil {
			return nil, err
		}
		out = ast.NewMul(a, b)
	default:
		if pw, ok := e.(*ast.Pow); ok {
			if k, ok := intExp(pw); ok && k < 0 {
				if out, err = denAtom(pw.X, -k, w, memo); err != nil {
					return nil, err
				}
				break
			}
		}
		if _, _, isAtom := atomOf(e); isAtom {
			break
		}
		kids := ast.Children(e)
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			if nk[i], err = prepDen(k, w, memo); err != nil {
				return nil, err
			}
		}
		if len(kids) > 0 {
			out = ast.WithChildren(e, nk)
		}
	}
	memo[e] = out
	return out, nil
}

// hasDen reports whether prepDen could change e: a quotient or a power
// with a negative integer exponent occurs in it outside the atoms.
// (prepDen of anything else is e itself, and spends nothing.)
func hasDen(e ast.Expr) bool {
	if e.Size() > 1000 {
		return true // walking the tree could take long: let prepDen walk the DAG
	}
	switch x := e.(type) {
	case *ast.Div:
		return true
	case *ast.Pow:
		if k, ok := intExp(x); ok {
			return k < 0 || hasDen(x.X)
		}
	}
	if _, _, isAtom := atomOf(e); isAtom {
		return false
	}
	for _, k := range ast.Children(e) {
		if hasDen(k) {
			return true
		}
	}
	return false
}

// denAtom is y^-k with y a monomial, or the expanded sum y wrapped.
func denAtom(y ast.Expr, k int, w *work, memo map[ast.Expr]ast.Expr) (ast.Expr, error) {
	r, p, err := laurent(y, w)
	if err != nil {
		return nil, err
	}
	switch len(p.terms) {
	case 0:
		return nil, ErrDivZero
	case 1:
		yp, err := prepDen(y, w, memo)
		if err != nil {
			return nil, err
		}
		return ast.NewPow(yp, ast.NewInt(int64(-k))), nil
	}
	return ast.NewPow(ast.NewCall(denFn, r.polyExpr(p)), ast.NewInt(int64(-k))), nil
}

// lau converts a prepared expression to a Laurent polynomial.
func (r *ring) lau(e ast.Expr) (poly, error) {
	n := r.sp
	switch x := e.(type) {
	case *ast.Num:
		return constPoly(n, x.Value.Rat()), nil
	case *ast.Neg:
		p, err := r.lau(x.X)
		return p.neg(), err
	case *ast.Add:
		acc := zeroPoly(n) // its terms are its own: add makes a new list
		for _, t := range x.Terms {
			p, err := r.lau(t)
			if err != nil {
				return acc, err
			}
			if len(p.terms) == 1 && lauInPlace {
				acc = acc.addTermInPlace(p.terms[0])
			} else {
				acc = acc.add(p)
			}
		}
		return acc, nil
	case *ast.Mul:
		acc := intPoly(n, 1)
		for _, t := range x.Factors {
			p, err := r.lau(t)
			if err != nil {
				return acc, err
			}
			acc = acc.mul(p)
			if len(acc.terms) > maxTerms {
				return acc, errTooLarge
			}
		}
		return acc, nil
	case *ast.Div:
		a, err := r.lau(x.X)
		if err != nil {
			return a, err
		}
		b, err := r.lau(x.Y)
		if err != nil {
			return b, err
		}
		inv, err := invTerm(b)
		return a.mul(inv), err
	case *ast.Pow:
		if k, ok := intExp(x); ok {
			b, err := r.lau(x.X)
			if err != nil {
				return b, err
			}
			if k < 0 {
				if b, err = invTerm(b); err != nil {
					return b, err
				}
				k = -k
			}
			if len(b.terms) > 1 && k > 64 {
				return b, errTooLarge
			}
			return b.pow(k), nil
		}
	}
	a, k, ok := atomOf(e)
	if !ok {
		return poly{}, fmt.Errorf("algebra: cannot convert %s", ast.String(e))
	}
	m := make(mono, n.n)
	m[r.index[a]] = k
	return poly{space: n, terms: []term{{m: m, c: ratOne}}}, nil
}

// invTerm inverts a one-term Laurent polynomial.
func invTerm(p poly) (poly, error) {
	switch len(p.terms) {
	case 0:
		return p, ErrDivZero
	case 1:
		t := p.terms[0]
		return poly{space: p.space, terms: []term{{m: t.m.negate(), c: new(big.Rat).Inv(t.c)}}}, nil
	}
	return p, errors.New("algebra: a sum left in a denominator")
}

// Collect expands e and groups its terms by the powers of x, highest
// first: collect(a*x + b*x + x^2, x) is x^2 + (a + b)*x. x must be a name,
// an indexed name or another atom of e (a call such as sigma(z)).
func Collect(e, x ast.Expr) (out ast.Expr, err error) {
	return CollectContext(context.Background(), e, x)
}

// CollectContext is Collect that gives up with ctx's error soon after ctx
// is done.
func CollectContext(ctx context.Context, e, x ast.Expr) (out ast.Expr, err error) {
	defer catch(&err)
	r, p, err := laurent(e, newWorkCtx(ctx))
	if err != nil {
		return nil, err
	}
	return collectIn(r, p, x)
}

// CollectEach is Collect(e, x) for each x of xs, with e read as a Laurent
// polynomial once: each grouping then has the budget it would have had
// after reading e itself (the work counter is restored to what it was
// then), so the results and errors are Collect's one by one.
func CollectEach(e ast.Expr, xs []ast.Expr) ([]ast.Expr, []error) {
	return CollectEachContext(context.Background(), e, xs)
}

// CollectEachContext is CollectEach that gives up with ctx's error soon
// after ctx is done.
func CollectEachContext(ctx context.Context, e ast.Expr, xs []ast.Expr) ([]ast.Expr, []error) {
	outs, errs := make([]ast.Expr, len(xs)), make([]error, len(xs))
	w := newWorkCtx(ctx)
	var r *ring
	var p poly
	err := func() (err error) {
		defer catch(&err)
		r, p, err = laurent(e, w)
		return err
	}()
	saved := *w
	for i, x := range xs {
		if err != nil {
			errs[i] = err
			continue
		}
		*w = saved
		outs[i], errs[i] = collectIn(r, p, x)
	}
	return outs, errs
}

// collectIn is Collect of the Laurent polynomial p of r's atoms.
func collectIn(r *ring, p poly, x ast.Expr) (out ast.Expr, err error) {
	defer catch(&err)
	v, ok := r.index[x]
	if !ok {
		return r.polyExpr(p), nil // x does not occur: nothing to group
	}
	var groups []ast.Expr
	hi, lo := p.deg(v), p.minDeg(v)
	for k := hi; k >= lo; k-- {
		c := p.coeff(v, k)
		if c.isZero() {
			continue
		}
		var t ast.Expr
		neg := false
		if len(c.terms) == 1 {
			m := c.terms[0].m
			m[v] = k
			t, neg = r.termExpr(c.terms[0].c, m)
			m[v] = 0
		} else {
			cs := r.polyExpr(c)
			switch {
			case k > 0:
				t = ast.NewMul(cs, power(r.shown[v], k))
			case k < 0:
				t = ast.NewDiv(cs, power(r.shown[v], -k))
			default:
				t = cs
			}
		}
		switch {
		case neg && len(groups) == 0:
			t = negate(t)
		case neg:
			t = ast.NewNeg(t)
		}
		if a, ok := t.(*ast.Add); ok && k == 0 {
			groups = append(groups, a.Terms...) // the terms free of x, as terms
			continue
		}
		groups = append(groups, t)
	}
	if len(groups) == 0 {
		return ast.Zero, nil
	}
	return ast.NewAdd(groups...), nil
}

// Factor writes e as a constant times a product of powers of irreducible
// polynomials over Q, over a product of the same: factor(x^2 - y^2) is
// (x - y)*(x + y). See factor.go for what is searched.
func Factor(e ast.Expr) (ast.Expr, error) {
	r, err := FactorContext(context.Background(), e)
	return r.Expr, err
}

// A FactorResult is factor's answer and what is known of it.
type FactorResult struct {
	Expr ast.Expr
	// Irreducible: e is a polynomial irreducible over Q with no
	// constant factor to take out (its content is ±1); Expr is then e
	// itself, unchanged.
	Irreducible bool
	// Complete: every factor shown is irreducible over Q. False when a
	// part was beyond the search limits and is shown whole.
	Complete bool
}

// Note is what a user is told besides the result: that it is
// irreducible, or that it may factor further; empty otherwise.
func (r FactorResult) Note() string {
	switch {
	case r.Irreducible:
		return "irreducible over the rationals"
	case !r.Complete:
		return fmt.Sprintf("may factor further: a factor is shown whole because the search for its factors "+
			"went beyond its limits (degree %d after substitution, %d combinations, or the work budget)", maxKronDeg, maxRecombine)
	}
	return ""
}

// FactorContext is Factor with cancellation, and says whether the input
// is irreducible and whether the factorisation is complete.
func FactorContext(ctx context.Context, e ast.Expr) (FactorResult, error) {
	w := newWorkCtx(ctx)
	out, irr, err := factor(e, w)
	if err != nil {
		return FactorResult{}, err
	}
	if irr && !w.incomplete {
		return FactorResult{Expr: e, Irreducible: true, Complete: true}, nil
	}
	return FactorResult{Expr: out, Complete: !w.incomplete}, nil
}

func factor(e ast.Expr, w *work) (out ast.Expr, irreducible bool, err error) {
	defer catch(&err)
	r := newRing(w, e)
	f, err := r.rat(e)
	if err != nil {
		return nil, false, err
	}
	return factorRat(r, f)
}

// factorRat is factor of the rational function f of r's atoms.
func factorRat(r *ring, f ratfn) (out ast.Expr, irreducible bool, err error) {
	defer catch(&err)
	fn, err := factorPoly(f.num)
	if err != nil {
		return nil, false, err
	}
	fd, err := factorPoly(f.den)
	if err != nil {
		return nil, false, err
	}
	if fn.c.Sign() == 0 {
		return ast.Zero, false, nil
	}
	c := new(big.Rat).Quo(fn.c, fd.c)
	irreducible = len(fd.fs) == 0 && len(fn.fs) == 1 && fn.fs[0].e == 1 && new(big.Rat).Abs(c).Cmp(big.NewRat(1, 1)) == 0 &&
		namesOnly(r.atoms)
	return r.factorsExpr(c, fn.fs, fd.fs), irreducible, nil
}

// namesOnly reports whether every atom is a name (x, w[k]): only then is
// "irreducible over the rationals" a statement about the expression. Other
// atoms are not independent of one another or of the powers of
// something else: exp(2*x) - exp(x) is exp(x)*(exp(x) - 1), exp(2*x) - 1
// is (exp(x) - 1)*(exp(x) + 1), x^(2*n) - 1 and sin(2*x) - 1 =
// -(sin(x) - cos(x))^2 factor too, though each is irreducible as a
// polynomial in its atoms.
func namesOnly(atoms []ast.Expr) bool {
	for _, a := range atoms {
		switch a.(type) {
		case *ast.Sym, *ast.Index:
		default:
			return false
		}
	}
	return true
}

// Together writes e as one fraction p/q with no common factor: p is
// expanded (with its constant and monomial factors taken out), q is
// factored. together(1/x + 1/y) is (x + y)/(x*y).
func Together(e ast.Expr) (ast.Expr, error) { return TogetherContext(context.Background(), e) }

// TogetherContext is Together that gives up with ctx's error soon after
// ctx is done.
func TogetherContext(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	return together(e, newWorkCtx(ctx))
}

func together(e ast.Expr, w *work) (out ast.Expr, err error) {
	defer catch(&err)
	r := newRing(w, e)
	f, err := r.rat(e)
	if err != nil {
		return nil, err
	}
	return togetherRat(r, f)
}

// togetherRat is together of the rational function f of r's atoms.
func togetherRat(r *ring, f ratfn) (out ast.Expr, err error) {
	defer catch(&err)
	if f.num.isZero() {
		return ast.Zero, nil
	}
	fd, err := factorPoly(f.den)
	if err != nil {
		return nil, err
	}
	c := f.num.ratContent()
	if f.num.terms[0].c.Sign() < 0 {
		c.Neg(c)
	}
	num := f.num.scale(new(big.Rat).Inv(c))
	var nfs []pfactor
	m := monomialContent(num)
	for v, k := range m {
		if k > 0 {
			nfs = append(nfs, pfactor{varPoly(num.space, v, 1), k})
		}
	}
	num = num.shift(m.negate())
	if !num.isConst() {
		nfs = append(nfs, pfactor{num, 1})
	} else {
		c.Mul(c, num.constant())
	}
	return r.factorsExpr(new(big.Rat).Quo(c, fd.c), nfs, fd.fs), nil
}

// Subs replaces every free occurrence of the name x (a Sym or an Index)
// in e by v. The caller simplifies the result.
func Subs(e, x, v ast.Expr) ast.Expr {
	if s, ok := x.(*ast.Sym); ok {
		return ast.Subst(e, map[string]ast.Expr{s.Name: v})
	}
	return ast.Map(e, func(y ast.Expr) ast.Expr {
		if y == x {
			return v
		}
		return y
	})
}

// SubsAll replaces the names xs[i] (Syms or Indexes, all distinct) by
// vs[i] at once, as one substitution: subs(E, x = y, y = x) swaps x and
// y. An indexed name is first replaced by a fresh placeholder, so that a
// value is never substituted into again. The caller simplifies the result.
func SubsAll(e ast.Expr, xs, vs []ast.Expr) ast.Expr {
	if len(xs) == 1 {
		return Subs(e, xs[0], vs[0])
	}
	m := make(map[string]ast.Expr, len(xs))
	idx := map[ast.Expr]ast.Expr{}
	taken := func(n string) bool {
		if _, ok := m[n]; ok || ast.HasFree(e, n) {
			return true
		}
		for _, v := range vs {
			if ast.HasFree(v, n) {
				return true
			}
		}
		return false
	}
	for i, x := range xs {
		switch x := x.(type) {
		case *ast.Sym:
			m[x.Name] = vs[i]
		default:
			ph := ast.Fresh("subs", taken)
			m[ph] = vs[i]
			idx[x] = ast.NewSym(ph)
		}
	}
	if len(idx) > 0 {
		e = ast.Map(e, func(y ast.Expr) ast.Expr {
			if p, ok := idx[y]; ok {
				return p
			}
			return y
		})
	}
	return ast.Subst(e, m)
}

// defaultWork bounds the work of one verb: enough for the polynomials a
// person types, and a clear error rather than minutes for the rest.
const defaultWork = 20_000_000

func newWork() *work { return &work{left: defaultWork} }

// newWorkCtx is newWork checking ctx: a computation on it gives up with
// ctx's error (through catch) soon after ctx is done. A context that is
// never done (Background) is not checked.
func newWorkCtx(ctx context.Context) *work {
	w := newWork()
	if ctx.Done() != nil {
		w.ctx = ctx
	}
	return w
}

// catch turns giving up on a too large computation into its error.
func catch(err *error) {
	if r := recover(); r != nil {
		if r == errTooLarge {
			*err = errTooLarge
			return
		}
		if c, ok := r.(errCanceled); ok {
			*err = c.err
			return
		}
		panic(r)
	}
}

// Forms returns the factored, one-fraction and expanded forms of e, each
// nil where it could not be computed within work coefficient operations.
// The simplifier picks among them the form it shows.
//
// The factored and the one-fraction form start from the same rational
// function of e's atoms: it is computed once, and each verb then has the
// budget it would have had after computing it itself (the work counter is
// restored to what it was then), so that the forms are those of the verbs
// run one by one. The polynomials are never modified in place, so the
// second verb reads what the first one read.
func Forms(e ast.Expr, budget int64) (factored, together1, expanded ast.Expr) {
	return FormsBelow(e, budget, 0)
}

// FormsBelow is Forms for a caller that keeps a form only if it costs
// less than below, by a measure that counts at least one for each name
// written and one for each operation joining two terms or two factors
// (simplify.Cost does): when e is a polynomial in names, its expanded
// form writes its terms in full, and when it is irreducible, so do the
// other two; a form whose lower bound by that count (minWritten) is at
// or above below cannot be kept, is not built, and is nil. below <= 0
// builds them all.
func FormsBelow(e ast.Expr, budget int64, below int) (factored, together1, expanded ast.Expr) {
	return FormsBelowCost(e, budget, below, nil)
}

// FormsBelowCost is FormsBelow for a measure that counts cost(c) for
// each call c written (cost(c) >= 1, and no less inside a fraction), as
// simplify.Cost does: a polynomial in names and calls (other than exp
// and sqrt, which the forms do not keep as written) is then bounded as
// one in names, each call counted cost(c), with the number no form of it
// can do without (minWrittenBy), and its irreducibility decided by
// either test (irreducibleLinear, irreducibleSplit). cost nil is
// FormsBelow.
func FormsBelowCost(e ast.Expr, budget int64, below int, cost func(ast.Expr) int) (factored, together1, expanded ast.Expr) {
	quickOK, skipExpanded, tooLarge := false, false, false
	if below > 0 {
		// The polynomial of a small e in names, without the ring. Its
		// expanded form writes its terms in full, irreducible or not.
		var monoSum bool
		var nTerms int
		if !sparseBound {
			quickOK, skipExpanded, monoSum, nTerms = denseBound(e, below, cost)
			if quickOK && skipExpanded && nTerms < 0 {
				return nil, nil, nil
			}
		} else {
			var b quickBound
			b, quickOK = quickBoundOf(e, below, cost)
			if quickOK && b.least >= below {
				if b.irreducible {
					return nil, nil, nil
				}
				skipExpanded = true
			}
			monoSum, nTerms = b.monoSum, b.terms
		}
		// A sum of many distinct monomials (W4's 1 + x + … + x^99) whose
		// conversion is sure to run out of the budget: it is not begun.
		tooLarge = sumWorkBound && quickOK && monoSum && nTerms <= maxTerms && monoSumWork(nTerms) > budget
	}
	try := func(f func() (ast.Expr, error)) (out ast.Expr) {
		defer func() {
			if recover() != nil {
				out = nil // display falls back to the form it has
			}
		}()
		out, _ = f()
		return out
	}
	w := newWorkN(budget)
	var r *ring
	var f ratfn
	ok := !tooLarge && try(func() (out ast.Expr, err error) {
		defer catch(&err)
		r = newRing(w, e)
		if f, err = r.rat(e); err != nil {
			return nil, err
		}
		return e, nil
	}) != nil
	if ok && below > 0 && !quickOK && polynomialIn(r, f, e) && namesOnly(r.atoms) {
		if ts := signedMonos(f.num); minWritten(ts) >= below && irreducibleLinear(ts) {
			return nil, nil, nil
		}
	}
	if ok {
		saved := *w
		factored = try(func() (ast.Expr, error) {
			*w = saved
			out, _, err := factorRat(r, f)
			return out, err
		})
		together1 = try(func() (ast.Expr, error) {
			*w = saved
			return togetherRat(r, f)
		})
	}
	if skipExpanded {
		return factored, together1, nil
	}
	if ok && polynomialIn(r, f, e) {
		// e is a polynomial in its atoms: its Laurent polynomial (what
		// expand computes) is the numerator over the constant denominator,
		// already at hand.
		expanded = try(func() (out ast.Expr, err error) {
			defer catch(&err)
			return r.polyExpr(r.reduceRootPowers(f.num.scale(new(big.Rat).Inv(f.den.constant())))), nil
		})
		return factored, together1, expanded
	}
	expanded = try(func() (ast.Expr, error) { return expand(e, newWorkN(budget)) })
	return factored, together1, expanded
}

// denseBound is the bound of FormsBelowCost through quickPolyOf's dense
// terms and the tests on them, as it was before quickBoundOf (the tests
// compare the two): nTerms < 0 with skip says that e is irreducible and
// no form of it can be cheaper.
func denseBound(e ast.Expr, below int, cost func(ast.Expr) int) (ok, skip, monoSum bool, nTerms int) {
	atoms, ts, monoSum, ok := quickPolyOf(e, cost != nil)
	if !ok {
		return false, false, false, 0
	}
	least := 0
	if cost == nil {
		least = minWritten(ts)
	} else {
		weight := make([]int, len(atoms))
		for v, a := range atoms {
			weight[v] = 1
			if !isName(a) {
				weight[v] = max(1, cost(a))
			}
		}
		least = minWrittenBy(ts, weight)
	}
	if least >= below {
		if irreducibleLinear(ts) || cost != nil && irreducibleSplit(ts) {
			return true, true, monoSum, -1
		}
		return true, true, monoSum, len(ts)
	}
	return true, false, monoSum, len(ts)
}

// sparseBound turns on quickBoundOf in FormsBelowCost (the tests compare
// it with denseBound).
var sparseBound = true

// sumWorkBound turns on FormsBelow's skipping of a conversion sure to
// run out of its budget (the tests compare it with converting).
var sumWorkBound = true

// polynomialIn reports whether expand would read e as the polynomial f
// of r's atoms: f's denominator is a constant, no sum stands in a
// denominator of e (expand keeps such a sum whole, where f may have
// cancelled it), and no atom is a square root (f has its squares reduced,
// expand does not). Then the Laurent polynomial of e is f's numerator
// over the constant: both are the unique polynomial equal to e.
func polynomialIn(r *ring, f ratfn, e ast.Expr) bool {
	if !f.den.isConst() || f.den.isZero() {
		return false
	}
	for _, a := range r.atoms {
		if _, ok := sqrtArg(a); ok {
			return false
		}
	}
	return !sumBelow(e)
}

// sumBelow reports whether a sum occurs in a denominator of e: below a
// quotient's divisor or a power with a negative (or symbolic) exponent.
// It walks the tree, which allocates nothing; a large e is walked as a
// DAG.
func sumBelow(e ast.Expr) bool {
	if e.Size() > 1000 {
		found := false
		ast.InspectOnce(e, func(x ast.Expr) bool {
			found = found || denominatorOf(x) != nil && hasSum(denominatorOf(x))
			return !found
		})
		return found
	}
	if d := denominatorOf(e); d != nil && hasSum(d) {
		return true
	}
	for _, k := range ast.Children(e) {
		if sumBelow(k) {
			return true
		}
	}
	return false
}

// denominatorOf is the divisor of a quotient or the base of a power with
// a negative or symbolic exponent, else nil.
func denominatorOf(x ast.Expr) ast.Expr {
	switch y := x.(type) {
	case *ast.Div:
		return y.Y
	case *ast.Pow:
		if n, ok := y.Y.(*ast.Num); !ok || n.Value.Sign() < 0 {
			return y.X
		}
	}
	return nil
}

// hasSum reports whether a sum occurs in x.
func hasSum(x ast.Expr) bool {
	if _, ok := x.(*ast.Add); ok {
		return true
	}
	if x.Size() > 1000 {
		in := false
		ast.InspectOnce(x, func(y ast.Expr) bool {
			if _, ok := y.(*ast.Add); ok {
				in = true
			}
			return !in
		})
		return in
	}
	for _, k := range ast.Children(x) {
		if hasSum(k) {
			return true
		}
	}
	return false
}

func newWorkN(n int64) *work { return &work{left: n} }
