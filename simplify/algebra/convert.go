package algebra

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// A ring is the list of atoms an expression is a rational function of:
// the subexpressions that are not sums, products, quotients or integer
// powers (names, function calls, sums over an index, powers with symbolic
// exponents); x^(p/q) is the atom x^(1/q) to the power p. Atoms are shown
// as they are written: the verbs take and give display forms.
type ring struct {
	atoms []ast.Expr       // sorted by atomOrder
	index map[ast.Expr]int // atom → variable
	shown []ast.Expr       // each atom as displayed
	sp    space
	one   poly // the polynomial 1 (polynomials are never modified in place)
	roots bool // some atom is a root b^(1/q) or sqrt(b) (see reduceRootPowers)
	// polys are the last polynomials polyExpr displayed: the factored,
	// one-fraction and expanded forms of a polynomial often show the
	// same one (its primitive part).
	polys []shownPoly
	vars  []poly // each atom as a polynomial, made once
}

type shownPoly struct {
	p poly
	e ast.Expr
}

// ratfn is a quotient of polynomials.
type ratfn struct{ num, den poly }

// ErrDivZero reports a division by zero found while reshaping.
var ErrDivZero = errors.New("division by zero")

// atomOf returns the atom a power or other leaf stands for, with its
// exponent; ok is false for the nodes the conversion takes apart.
func atomOf(e ast.Expr) (atom ast.Expr, exp int, ok bool) {
	switch x := e.(type) {
	case *ast.Num, *ast.Add, *ast.Mul, *ast.Neg, *ast.Div:
		return nil, 0, false
	case *ast.Call:
		// exp(-u) is exp(u)^-1, so that exp(u)*exp(-u) cancels.
		if x.Fn == "exp" {
			if n, ok := x.Args[0].(*ast.Neg); ok {
				return ast.NewCall("exp", n.X), -1, true
			}
			if m, ok := x.Args[0].(*ast.Mul); ok {
				if k, ok := m.Factors[0].(*ast.Num); ok && k.Value.Sign() < 0 {
					fs := append([]ast.Expr{ast.NewNum(k.Value.Neg())}, m.Factors[1:]...)
					return ast.NewCall("exp", ast.NewMul(fs...)), -1, true
				}
			}
		}
		return e, 1, true
	case *ast.Pow:
		n, isNum := numExp(x.Y)
		if !isNum {
			return e, 1, true
		}
		if n.IsInt() {
			if _, lit := x.Y.(*ast.Num); lit {
				return nil, 0, false
			}
			return e, 1, true // x^(4/2) as written
		}
		num, den := n.Num(), n.Denom()
		if !num.IsInt64() || !den.IsInt64() || num.BitLen() > 20 {
			return e, 1, true
		}
		if den.Int64() == 2 {
			// x^(3/2) is sqrt(x)^3: one atom with sqrt(x) as written.
			return ast.NewCall("sqrt", x.X), int(num.Int64()), true
		}
		return ast.NewPow(x.X, ast.NewNum(ast.Frac(1, den.Int64()))), int(num.Int64()), true
	}
	return e, 1, true
}

// numExp returns the value of an exponent that is a number, written as
// one (1/3) or as a quotient of two (the simplifier keeps x^(1/3) so).
func numExp(y ast.Expr) (ast.Number, bool) {
	switch y := y.(type) {
	case *ast.Num:
		return y.Value, true
	case *ast.Div:
		a, okA := y.X.(*ast.Num)
		b, okB := y.Y.(*ast.Num)
		if okA && okB {
			return a.Value.Quo(b.Value)
		}
	case *ast.Neg:
		if n, ok := numExp(y.X); ok {
			return n.Neg(), true
		}
	}
	return ast.Number{}, false
}

// intExp returns the exponent of an integer power small enough to expand.
func intExp(e *ast.Pow) (int, bool) {
	n, ok := e.Y.(*ast.Num)
	if !ok || !n.Value.IsInt() {
		return 0, false
	}
	k, ok := n.Value.Int64()
	if !ok || k > 1000 || k < -1000 {
		return 0, false
	}
	return int(k), true
}

// newRing collects the atoms of the expressions.
func newRing(w *work, es ...ast.Expr) *ring {
	seen := map[ast.Expr]bool{}
	var atoms []ast.Expr
	roots := false
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		if pw, ok := e.(*ast.Pow); ok {
			if _, small := intExp(pw); small {
				walk(pw.X)
				return
			}
		}
		a, _, ok := atomOf(e)
		if !ok {
			if pw, isPow := e.(*ast.Pow); isPow {
				walk(pw.X) // a huge integer exponent: kept as an atom below
				return
			}
			for _, k := range ast.Children(e) {
				walk(k)
			}
			return
		}
		if !seen[a] {
			seen[a] = true
			atoms = append(atoms, a)
			if x, _, ok := rootOf(a); ok {
				roots = true
				walk(x) // sqrt(x)^2 is reduced to x (see reduceRoots, reduceRootPowers)
			}
		}
	}
	for _, e := range es {
		walk(e)
	}
	sortAtoms(atoms)
	r := &ring{atoms: atoms, index: map[ast.Expr]int{}, sp: space{n: len(atoms), w: w}, roots: roots}
	for i, a := range atoms {
		r.index[a] = i
		if c, ok := a.(*ast.Call); ok && c.Fn == denFn {
			r.shown = append(r.shown, c.Args[0])
			continue
		}
		if p, ok := a.(*ast.Pow); ok && p.Y == ast.Half {
			a = ast.NewCall("sqrt", p.X)
		}
		r.shown = append(r.shown, a)
	}
	return r
}

// rat converts e to a quotient of polynomials with no common factor and
// a denominator with positive leading coefficient and integer content 1.
func (r *ring) rat(e ast.Expr) (ratfn, error) {
	f, err := r.ratRec(e)
	if err != nil {
		return f, err
	}
	f = reduce(f)
	if g, ok := r.reduceRoots(f); ok && !g.den.isZero() {
		f = reduce(g)
	}
	return f, nil
}

// sqrtArg returns x for an atom sqrt(x) or x^(1/2).
func sqrtArg(a ast.Expr) (ast.Expr, bool) {
	switch x := a.(type) {
	case *ast.Call:
		if x.Fn == "sqrt" {
			return x.Args[0], true
		}
	case *ast.Pow:
		if x.Y == ast.Half {
			return x.X, true
		}
	}
	return nil, false
}

// reduceRoots replaces sqrt(x)^k by x^(k div 2) * sqrt(x)^(k mod 2) in
// both parts of f, where x is a polynomial in the other atoms: the
// quotients cancel further (b/sqrt(s) - a/sqrt(s)^3 is (b*s - a)/sqrt(s)^3).
// Only where x >= 0, which sqrt(x) being defined implies.
func (r *ring) reduceRoots(f ratfn) (ratfn, bool) {
	changed := false
	for v, a := range r.atoms {
		x, ok := sqrtArg(a)
		if !ok || (f.num.deg(v) < 2 && f.den.deg(v) < 2) {
			continue
		}
		xf, err := r.ratRec(x)
		if err != nil || !xf.den.isConst() || xf.num.has(v) {
			continue
		}
		xp := xf.num.scale(new(big.Rat).Inv(xf.den.constant()))
		f = ratfn{rootReduce(f.num, v, xp), rootReduce(f.den, v, xp)}
		changed = true
	}
	return f, changed
}

func rootReduce(p poly, v int, x poly) poly {
	out := zeroPoly(p.space)
	for _, t := range p.terms {
		m := slices.Clone(t.m)
		k := m[v]
		m[v] = k % 2
		out = out.add(poly{space: p.space, terms: []term{{m: m, c: t.c}}}.mul(x.pow(k / 2)))
	}
	return out
}

func reduce(f ratfn) ratfn {
	if f.den.isConst() && !f.den.isZero() && len(f.num.terms) <= maxTerms {
		return reduceConst(f)
	}
	g := gcd(f.num, f.den)
	num, _ := exactDiv(f.num, g)
	den, _ := exactDiv(f.den, g)
	c := den.ratContent()
	if den.terms[0].c.Sign() < 0 {
		c.Neg(c)
	}
	inv := new(big.Rat).Inv(c)
	return ratfn{num.scale(inv), den.scale(inv)}
}

// reduceConst is reduce of a quotient by a constant: the gcd is 1, the
// numerator is divided by the constant and the denominator is 1. It
// spends the work and makes the checks of the general path (the exact
// divisions by the gcd 1), so that budgets give up exactly where they did.
func reduceConst(f ratfn) ratfn {
	n := int64(len(f.num.terms))
	f.num.w.spend(n * (n + 3)) // n + 3 for each term, at once: it gives up where the loop would
	for _, t := range f.num.terms {
		checkBits(t.c)
	}
	f.den.w.spend(4)
	d := f.den.constant()
	if isOneRat(d) {
		return f // the denominator is the polynomial 1 already
	}
	return ratfn{f.num.scale(new(big.Rat).Inv(d)), intPoly(f.den.space, 1)}
}

func (r *ring) ratRec(e ast.Expr) (f ratfn, err error) {
	n := r.sp
	if r.one.terms == nil {
		r.one = intPoly(n, 1)
	}
	one := r.one
	switch x := e.(type) {
	case *ast.Num:
		return ratfn{constPoly(n, x.Value.Rat()), one}, nil
	case *ast.Neg:
		f, err := r.ratRec(x.X)
		return ratfn{f.num.neg(), f.den}, err
	case *ast.Add:
		acc := ratfn{zeroPoly(n), one}
		owned := false // acc.num's list of terms is this loop's own
		for _, t := range x.Terms {
			g, err := r.ratRec(t)
			if err != nil {
				return f, err
			}
			if ratInPlace && addsTermInPlace(acc, g) {
				if !owned {
					// addRat checks every coefficient of acc each time;
					// in place, each is checked once, when it is made.
					for _, t := range acc.num.terms {
						checkBits(t.c)
					}
					acc.num.terms, owned = slices.Clone(acc.num.terms), true
				}
				acc = addTermRat(acc, g.num.terms[0])
				continue
			}
			acc, owned = addRat(acc, g), false
		}
		return acc, nil
	case *ast.Mul:
		acc := ratfn{one, one}
		for _, t := range x.Factors {
			g, err := r.ratRec(t)
			if err != nil {
				return f, err
			}
			acc = ratfn{acc.num.mul(g.num), acc.den.mul(g.den)}
			if len(acc.num.terms)+len(acc.den.terms) > maxTerms {
				return f, errTooLarge
			}
		}
		return reduce(acc), nil
	case *ast.Div:
		a, err := r.ratRec(x.X)
		if err != nil {
			return f, err
		}
		b, err := r.ratRec(x.Y)
		if err != nil {
			return f, err
		}
		if b.num.isZero() {
			return f, ErrDivZero
		}
		return reduce(ratfn{a.num.mul(b.den), a.den.mul(b.num)}), nil
	case *ast.Pow:
		if k, ok := intExp(x); ok {
			b, err := r.ratRec(x.X)
			if err != nil {
				return f, err
			}
			if k < 0 {
				if b.num.isZero() {
					return f, ErrDivZero
				}
				b, k = ratfn{b.den, b.num}, -k
			}
			if (len(b.num.terms) > 1 || len(b.den.terms) > 1) && k > 64 {
				return f, errTooLarge
			}
			return reduce(ratfn{b.num.pow(k), b.den.pow(k)}), nil
		}
	}
	a, k, ok := atomOf(e)
	if !ok {
		return f, fmt.Errorf("algebra: cannot convert %s", ast.String(e))
	}
	v := r.varPoly(r.index[a], abs(k))
	if k < 0 {
		return ratfn{one, v}, nil
	}
	return ratfn{v, one}, nil
}

// varPoly is varPoly(r.sp, v, k), the same polynomial for each occurrence
// of an atom to the power 1 (polynomials are never modified in place).
func (r *ring) varPoly(v, k int) poly {
	if k != 1 {
		return varPoly(r.sp, v, k)
	}
	if r.vars == nil {
		r.vars = make([]poly, len(r.atoms))
	}
	if r.vars[v].terms == nil {
		r.vars[v] = varPoly(r.sp, v, 1)
	}
	return r.vars[v]
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}

// addRat adds two quotients over the least common multiple of their
// denominators.
func addRat(a, b ratfn) ratfn {
	if a.num.isZero() {
		return b
	}
	if b.num.isZero() {
		return a
	}
	if len(a.den.terms) == 1 && len(b.den.terms) == 1 && isUnit(a.den.terms[0]) && isUnit(b.den.terms[0]) {
		// Both polynomials: the sum of the numerators, with the work the
		// general path spends (the divisions by the gcd 1: 4 each, the
		// products by 1 of the numerators and of the denominator).
		a.num.w.spend(4 + 4 + int64(len(a.num.terms)) + int64(len(b.num.terms)) + 1)
		for _, p := range []poly{a.num, b.num} {
			for _, t := range p.terms {
				checkBits(t.c) // as the products by 1 would
			}
		}
		return reduce(ratfn{a.num.add(b.num), a.den})
	}
	g := gcd(a.den, b.den)
	ca, _ := exactDiv(b.den, g) // lcm = a.den * ca = b.den * cb
	cb, _ := exactDiv(a.den, g)
	num := a.num.mul(ca).add(b.num.mul(cb))
	return reduce(ratfn{num, a.den.mul(ca)})
}

// ratInPlace turns on ratRec's accumulation of one-term polynomials in
// place (the tests compare it with addRat).
var ratInPlace = true

// addsTermInPlace reports whether addRat(a, b) is a sum of polynomials
// (both denominators 1) adding the one term of b to a's non-zero
// numerator, with a sum small enough for reduce's constant path.
func addsTermInPlace(a, b ratfn) bool {
	return !a.num.isZero() && len(b.num.terms) == 1 && len(a.num.terms) < maxTerms &&
		len(a.den.terms) == 1 && len(b.den.terms) == 1 && isUnit(a.den.terms[0]) && isUnit(b.den.terms[0])
}

// addTermRat is addRat(a, t) for addsTermInPlace, with t merged into a's
// list of terms (which belongs to the caller) instead of a new list being
// made: the same sum, the same work spent and the same coefficients
// checked (the caller checks a's once, when it takes a over;
// addTermInPlace checks t and the sum), so that budgets give up exactly where they did.
func addTermRat(a ratfn, t term) ratfn {
	a.num.w.spend(4 + 4 + int64(len(a.num.terms)) + 1 + 1) // addRat's polynomial case
	checkBits(t.c)
	a.num = a.num.addTermInPlace(t)
	nt := int64(len(a.num.terms))
	a.num.w.spend(nt*(nt+3) + 4) // reduceConst of the sum over 1
	return a
}

// polyExpr displays a polynomial (Laurent: negative exponents go to a
// denominator) as a sum of terms, highest first.
func (r *ring) polyExpr(p poly) ast.Expr {
	if p.isZero() {
		return ast.Zero
	}
	if len(p.terms) < 2 || !polyMemo {
		return r.polyExprNew(p)
	}
	for _, s := range r.polys {
		if s.p.equal(p) {
			return s.e
		}
	}
	e := r.polyExprNew(p)
	if len(r.polys) == 4 {
		r.polys = r.polys[1:]
	}
	r.polys = append(r.polys, shownPoly{p, e})
	return e
}

// polyMemo turns on polyExpr's memory of the polynomials it displayed
// (the tests compare it with displaying each anew).
var polyMemo = true

// polyExprNew is polyExpr without the memory.
func (r *ring) polyExprNew(p poly) ast.Expr {
	// Graded: the terms of highest total degree first, then by the order
	// of their atoms.
	ts := slices.Clone(p.terms)
	deg := degOf
	if w := r.rootWeights(); w != nil {
		deg = func(m mono) int { // x^(2/3) after x, before x^(1/3)
			d := 0
			for v, e := range m {
				d += e * w[v]
			}
			return d
		}
	}
	slices.SortStableFunc(ts, func(a, b term) int { return deg(b.m) - deg(a.m) })
	// Lead with a positive term when there is one: 1 - x^2, not -x^2 + 1.
	if ts[0].c.Sign() < 0 {
		if i := slices.IndexFunc(ts, func(t term) bool { return t.c.Sign() > 0 }); i > 0 {
			first := ts[i]
			copy(ts[1:i+1], ts[:i])
			ts[0] = first
		}
	}
	out := make([]ast.Expr, len(ts))
	for i, t := range ts {
		e, neg := r.termExpr(t.c, t.m)
		switch {
		case neg && i == 0:
			out[i] = negate(e)
		case neg:
			out[i] = ast.NewNeg(e)
		default:
			out[i] = e
		}
	}
	return ast.NewAdd(out...)
}

// joinRoots returns, for a monomial m, the atoms u whose power is
// written with those of their roots u^(1/q), q > 2, of the same sign in
// m, as one power: x*x^(2/3) is x^(5/3), x*x^(1/4)^2*x^(1/3) is
// x^(11/6). joined marks the roots so written; nil when there are none.
func (r *ring) joinRoots(m mono) (exps map[int]ast.Number, joined map[int]bool) {
	if !r.roots {
		return nil, nil
	}
	for t, a := range r.atoms {
		b, q, ok := rootOf(a)
		if !ok || q <= 2 || m[t] == 0 {
			continue
		}
		u, in := r.index[b]
		if !in || m[u]*m[t] <= 0 {
			continue
		}
		if exps == nil {
			exps, joined = map[int]ast.Number{}, map[int]bool{}
		}
		if _, ok := exps[u]; !ok {
			exps[u] = ast.Frac(int64(m[u]), 1)
		}
		exps[u] = exps[u].Add(ast.Frac(int64(m[t]), int64(q)))
		joined[t] = true
	}
	return exps, joined
}

// rootWeights gives each atom its degree in units of 1/L: L/q for a
// root b^(1/q) of an atom b of the ring, L for the others (L the lcm of
// the q); nil when there is no such root.
func (r *ring) rootWeights() []int {
	if !r.roots {
		return nil
	}
	qs := make([]int, len(r.atoms))
	l := 1
	for v, a := range r.atoms {
		qs[v] = 1
		if b, q, ok := rootOf(a); ok {
			if _, in := r.index[b]; in {
				qs[v] = q
				l = l / gcdInt(l, q) * q
			}
		}
	}
	if l == 1 || l > 1<<20 {
		return nil
	}
	for v := range qs {
		qs[v] = l / qs[v]
	}
	return qs
}

func gcdInt(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// termExpr displays |c|*m and says whether c is negative.
func (r *ring) termExpr(c *big.Rat, m mono) (ast.Expr, bool) {
	var num, den []ast.Expr
	// x*x^(2/3) is x^(5/3) (expand writes a term so, see
	// reduceRootPowers); sqrt(x) stays as the simplifier writes it.
	exps, joined := r.joinRoots(m)
	for v, e := range m {
		if joined[v] {
			continue // written with its base
		}
		if k, ok := exps[v]; ok {
			if k.Sign() > 0 {
				num = append(num, ast.NewPow(r.shown[v], ast.NewNum(k)))
			} else {
				den = append(den, ast.NewPow(r.shown[v], ast.NewNum(k.Neg())))
			}
			continue
		}
		switch {
		case e > 0:
			num = append(num, power(r.shown[v], e))
		case e < 0:
			den = append(den, power(r.shown[v], -e))
		}
	}
	return r.withCoeff(c, num, den)
}

func (r *ring) withCoeff(c *big.Rat, num, den []ast.Expr) (ast.Expr, bool) {
	neg := c.Sign() < 0
	a := numberOf(c)
	if neg {
		a = a.Neg()
	}
	p, q := a.Parts()
	switch {
	case ShowDecimal(a):
		num = append([]ast.Expr{ast.NewNum(a)}, num...)
	default:
		if !p.IsOne() || len(num) == 0 {
			num = append([]ast.Expr{ast.NewNum(p)}, num...)
		}
		if !q.IsOne() {
			den = append([]ast.Expr{ast.NewNum(q)}, den...)
		}
	}
	var out ast.Expr = ast.NewMul(num...)
	if len(den) > 0 {
		out = ast.NewDiv(out, ast.NewMul(den...))
	}
	return out, neg
}

// numberOf is c as a Number, without copying c where it fits the int64
// forms.
func numberOf(c *big.Rat) ast.Number {
	if c.IsInt() && c.Num().IsInt64() {
		return ast.Int(c.Num().Int64()) // without Denom, which makes a new 1 for an integer
	}
	if n, d := c.Num(), c.Denom(); n.IsInt64() && d.IsInt64() {
		return ast.Frac(n.Int64(), d.Int64())
	}
	return ast.FromRat(c)
}

func power(b ast.Expr, e int) ast.Expr {
	if e == 1 {
		return b
	}
	if p, ok := b.(*ast.Call); ok && p.Fn == "sqrt" && e%2 == 0 {
		return power(p.Args[0], e/2)
	}
	if x, q, ok := rootOf(b); ok && q > 2 {
		// x^(2/3), not (x^(1/3))^2; (x^(1/4))^2 is sqrt(x).
		k := ast.Frac(int64(e), int64(q))
		switch p, d := k.Parts(); {
		case d.IsOne():
			return ast.NewPow(x, ast.NewNum(p))
		case d.Cmp(ast.NewInt(2).Value) == 0:
			return power(ast.NewCall("sqrt", x), int(e*2/q))
		}
		return ast.NewPow(x, ast.NewNum(k))
	}
	return ast.NewPow(b, ast.NewInt(int64(e)))
}

// negate puts a minus sign where it reads best: on a leading number, on
// the first factor, on a numerator.
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
	case *ast.Neg:
		return x.X
	}
	return ast.NewNeg(e)
}

// factorsExpr displays c * prod f^e (the factors polynomials). Signs are
// moved to where they read best: a factor of σ or Φ with a negative
// constant term is written with it positive (1 - sigma(z), which is
// positive); a negative constant then goes into a sum without constant
// term (-2*(f - y) is 2*(y - f)), or into a factor with a negative
// constant term: 1 - x^2 is (1 - x)*(x + 1), x^2 - 1 is (x - 1)*(x + 1).
func (r *ring) factorsExpr(c *big.Rat, num, den []pfactor) ast.Expr {
	c = new(big.Rat).Set(c)
	num, den = slices.Clone(num), slices.Clone(den)
	type ref struct {
		fs []pfactor
		i  int
	}
	flip := func(f ref) {
		f.fs[f.i].p = f.fs[f.i].p.neg()
		c.Neg(c)
	}
	var flipped, unflipped []ref
	for _, fs := range [][]pfactor{num, den} {
		for i, f := range fs {
			if k := constTerm(f.p); k != nil && k.Sign() < 0 && f.e%2 == 1 {
				if r.unitBounded(f.p) {
					flip(ref{fs, i}) // 1 - sigma(z): positive, as written
					flipped = append(flipped, ref{fs, i})
				} else {
					unflipped = append(unflipped, ref{fs, i})
				}
			}
		}
	}
	// A residual beside x - 1 reads better as (y - f)*(1 - x) than as
	// (f - y)*(x - 1): flip such a pair (the sign is unchanged).
	var residuals []ref
	for _, fs := range [][]pfactor{num, den} {
		for i, f := range fs {
			if f.e%2 == 1 && len(f.p.terms) > 1 && constTerm(f.p) == nil {
				residuals = append(residuals, ref{fs, i})
			}
		}
	}
	if c.Sign() > 0 {
		for len(unflipped) > 0 && len(residuals) > 0 {
			flip(unflipped[0])
			flip(residuals[0])
			unflipped, residuals = unflipped[1:], residuals[1:]
		}
	}
	if c.Sign() < 0 {
	search:
		for _, fs := range [][]pfactor{num, den} {
			for i, f := range fs {
				if f.e%2 == 1 && len(f.p.terms) > 1 && constTerm(f.p) == nil {
					flip(ref{fs, i})
					break search
				}
			}
		}
	}
	if c.Sign() < 0 && len(unflipped) > 0 {
		flip(unflipped[0]) // (1 - x)*(x + 1), not -(x - 1)*(x + 1)
	} else if c.Sign() < 0 && len(flipped) > 0 {
		flip(flipped[0])
	}
	show := func(fs []pfactor) []ast.Expr {
		var out []ast.Expr
		for _, f := range fs {
			out = append(out, power(r.polyExpr(f.p), f.e))
		}
		return out
	}
	e, neg := r.withCoeff(c, show(num), show(den))
	if neg {
		return negate(e)
	}
	return e
}

// unitBounded reports whether every atom of p is a function with values
// between 0 and 1 (σ, Φ): then 1 - σ is positive and is written so.
func (r *ring) unitBounded(p poly) bool {
	vs := p.vars()
	for _, v := range vs {
		c, ok := r.atoms[v].(*ast.Call)
		if !ok || c.Fn != "sigma" && c.Fn != "Phi" {
			return false
		}
	}
	return len(vs) > 0
}

// constTerm is p's constant term, or nil if it has none.
func constTerm(p poly) *big.Rat {
	for _, t := range p.terms {
		if degOf(t.m) == 0 {
			zero := true
			for _, e := range t.m {
				zero = zero && e == 0
			}
			if zero {
				return t.c
			}
		}
	}
	return nil
}

func degOf(m mono) int {
	d := 0
	for _, e := range m {
		d += e
	}
	return d
}

// atomOrder orders atoms: names, then indexed names, then calls and the
// rest, each by how they print; it depends only on structure.
func atomOrder(a, b ast.Expr) int {
	if ra, rb := atomRank(a), atomRank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(ast.String(a), ast.String(b))
}

func atomRank(e ast.Expr) int {
	switch e.(type) {
	case *ast.Sym:
		return 0
	case *ast.Index:
		return 1
	case *ast.Call:
		return 2
	}
	return 3
}

// sortAtoms sorts atoms stably by atomOrder, printing each atom once
// (not at each comparison).
func sortAtoms(atoms []ast.Expr) {
	type keyed struct {
		rank int
		s    string
		e    ast.Expr
	}
	ks := make([]keyed, len(atoms))
	for i, a := range atoms {
		ks[i] = keyed{atomRank(a), ast.String(a), a}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.s, b.s)
	})
	for i, k := range ks {
		atoms[i] = k.e
	}
}

// ShowDecimal reports whether a coefficient is shown as a decimal rather
// than as p/q: when it is a terminating decimal at least 3 characters
// shorter than the fraction. 0.7978845608*x stays as it was typed, not
// 997355701*x/1250000000, while x/4 and 3*x/10 stay fractions. Only the
// display differs: the value is the same exact rational.
func ShowDecimal(v ast.Number) bool {
	if v.IsInt() {
		return false
	}
	d, ok := v.Decimal()
	if !ok || strings.ContainsAny(d, "eE") {
		return false
	}
	if v.Sign() < 0 {
		v = v.Neg()
	}
	p, q := v.Parts()
	return len(d)+3 <= len(p.String())+1+len(q.String())
}
