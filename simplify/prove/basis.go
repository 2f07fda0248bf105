package prove

import (
	"fmt"
	"math/big"
	"slices"
	"sort"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/once"
	"github.com/symdiff/symdiff/simplify"
)

// Rewrites that the rational normal form makes on the way in, each an
// identity wherever the expression is defined:
//
//   - logs of positive rational constants are written over primes:
//     log(12) = 2 log(2) + log(3), and exp(x log(6)) = exp(x log(2)) exp(x log(3));
//   - a positive number to a symbolic power is exp of a product:
//     b^y = exp(y log(b));
//   - sums over concrete ranges are written out (sum(i=1..3, x[i]) = x[1] +
//     x[2] + x[3]), and sums over symbolic ranges are written from 1:
//     sum(i=a..b, f) = S(b) - S(a-1) with S(h) = sum(i=1..h, f), the terms
//     past a size peeled off (S(n+2) = S(n) + f(n+1) + f(n+2)), when the
//     range is non-empty for every size >= 1 (sizes are positive in index
//     notation), so that S(b) and S(a-1) are sums as written;
//   - sines and cosines of multiples of a common angle are written in
//     that angle (sin(x) = 2 sin(x/2) cos(x/2)), and of sums of angles by the
//     addition formulas.

// maxExpand bounds the terms a concrete sum, a peel or a multiple angle
// may write out.
const maxExpand = 64

// smallPrimes returns the trial divisors of a log's argument; a cofactor
// with no factor below the last is kept whole. They are made on first use,
// beside a sync.Once (a sync.OnceValue is a call at every start).
func smallPrimes() []int64 {
	primesOnce.Do(func() { primes = makeSmallPrimes() })
	return primes
}

var (
	primesOnce once.Once
	primes     []int64
)

func makeSmallPrimes() []int64 {
	var ps []int64
	for n := int64(2); n < 1000; n++ {
		prime := true
		for _, p := range ps {
			if p*p > n {
				break
			}
			if n%p == 0 {
				prime = false
				break
			}
		}
		if prime {
			ps = append(ps, n)
		}
	}
	return ps
}

// factorInt adds the prime factorisation of n > 0, times k, to out.
func factorInt(n *big.Int, k ast.Number, out map[string]primePower) {
	n = new(big.Int).Set(n)
	q, r := new(big.Int), new(big.Int)
	for _, p := range smallPrimes() {
		bp := big.NewInt(p)
		if new(big.Int).Mul(bp, bp).Cmp(n) > 0 {
			break
		}
		for {
			q.QuoRem(n, bp, r)
			if r.Sign() != 0 {
				break
			}
			n.Set(q)
			addPrime(out, bp, k)
		}
	}
	if n.Cmp(big.NewInt(1)) > 0 {
		addPrime(out, n, k)
	}
}

type primePower struct {
	p   *big.Int
	exp ast.Number
}

func addPrime(out map[string]primePower, p *big.Int, k ast.Number) {
	key := p.String()
	pp, ok := out[key]
	if !ok {
		pp = primePower{p: new(big.Int).Set(p)}
	}
	pp.exp = pp.exp.Add(k)
	out[key] = pp
}

// logPrimes writes log(u), for u a product of positive numbers and
// powers of positive numbers to rational exponents, as a sum of
// exponents times logs of primes.
func logPrimes(u ast.Expr) ([]primePower, bool) {
	fs := []ast.Expr{u}
	if m, ok := u.(*ast.Mul); ok {
		fs = m.Factors
	}
	out := map[string]primePower{}
	for _, f := range fs {
		base, k := f, ast.Int(1)
		if p, ok := f.(*ast.Pow); ok {
			e, ok := numOf(p.Y)
			if !ok {
				return nil, false
			}
			base, k = p.X, e
		}
		n, ok := numOf(base)
		if !ok || n.Sign() <= 0 || n.Bits() > 256 {
			return nil, false
		}
		factorInt(n.Num(), k, out)
		factorInt(n.Denom(), k.Neg(), out)
	}
	list := make([]primePower, 0, len(out))
	for _, pp := range out {
		if !pp.exp.IsZero() {
			list = append(list, pp)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].p.Cmp(list[j].p) < 0 })
	return list, true
}

func logOf(p *big.Int) ast.Expr { return ast.NewCall("log", ast.NewNum(ast.FromBigInt(p))) }

// logConst is the rational form of log(u) for a positive numeric u.
func (b *polyBuilder) logConst(u ast.Expr) (rat, bool, error) {
	pps, ok := logPrimes(u)
	if !ok {
		return rat{}, false, nil
	}
	acc := rat{poly{}, constPoly(ast.Int(1))}
	for _, pp := range pps {
		a := b.atom(logOf(pp.p), ast.Int(1))
		a.num = scalePoly(a.num, pp.exp)
		var err error
		if acc, err = acc.add(b.ctx, a); err != nil {
			return rat{}, true, err
		}
	}
	return acc, true, nil
}

func scalePoly(p poly, k ast.Number) poly {
	out := make(poly, len(p))
	for key, t := range p {
		out[key] = pterm{t.m, t.c.Mul(k)}
	}
	return out
}

// factorsOf lists the factors of a monomial (One has none).
func factorsOf(m ast.Expr) []ast.Expr {
	switch x := m.(type) {
	case *ast.Mul:
		return x.Factors
	case *ast.Num:
		if x == ast.One {
			return nil
		}
	}
	return []ast.Expr{m}
}

// product builds the monomial of factors, sorted as the canonical form
// sorts them.
func product(fs []ast.Expr) ast.Expr {
	fs = slices.Clone(fs)
	sort.SliceStable(fs, func(i, j int) bool { return simplify.FactorOrder(fs[i], fs[j]) < 0 })
	return ast.NewMul(fs...)
}

// termsOf lists the terms of a sum (one term otherwise).
func termsOf(e ast.Expr) []ast.Expr {
	if a, ok := e.(*ast.Add); ok {
		return a.Terms
	}
	return []ast.Expr{e}
}

// timesEach multiplies every term of y by f: y*log(b) for b^y.
func timesEach(y, f ast.Expr) ast.Expr {
	var out []ast.Expr
	for _, t := range termsOf(y) {
		k, m := simplify.SplitCoeff(t)
		out = append(out, simplify.WithCoeff(k, product(append(slices.Clone(factorsOf(m)), f))))
	}
	return ast.NewAdd(out...)
}

// expPrimes splits exp(k*rest*log(q)) over the primes of q.
func (b *polyBuilder) expPrimes(k ast.Number, m ast.Expr) (rat, bool, error) {
	fs := factorsOf(m)
	for i, f := range fs {
		c, ok := f.(*ast.Call)
		if !ok || c.Fn != "log" {
			continue
		}
		pps, ok := logPrimes(c.Args[0])
		if !ok {
			continue
		}
		rest := append(slices.Clone(fs[:i]), fs[i+1:]...)
		acc := one()
		for _, pp := range pps {
			r := b.atom(ast.NewCall("exp", product(append(slices.Clone(rest), logOf(pp.p)))), k.Mul(pp.exp))
			var err error
			if acc, err = acc.mul(b.ctx, r); err != nil {
				return rat{}, true, err
			}
		}
		return acc, true, nil
	}
	return rat{}, false, nil
}

// bounds

// linear is c0 + sum of c*name over the sizes in a sum bound.
type linear struct {
	c0    int64
	terms map[string]int64
}

func linearOf(e ast.Expr) (linear, bool) {
	l := linear{terms: map[string]int64{}}
	for _, t := range termsOf(e) {
		k, m := simplify.SplitCoeff(t)
		c, ok := k.Int64()
		if !ok || !k.IsInt() || c > 1<<20 || c < -(1<<20) {
			return linear{}, false
		}
		switch x := m.(type) {
		case *ast.Num:
			if m != ast.One {
				return linear{}, false
			}
			l.c0 += c
		case *ast.Sym:
			l.terms[x.Name] += c
		default:
			return linear{}, false
		}
	}
	return l, true
}

// sub returns l - r.
func (l linear) sub(r linear) linear {
	out := linear{c0: l.c0 - r.c0, terms: map[string]int64{}}
	for n, c := range l.terms {
		out.terms[n] += c
	}
	for n, c := range r.terms {
		out.terms[n] -= c
	}
	return out
}

// least is the smallest value over sizes >= 1, and false if it has none
// (a negative coefficient).
func (l linear) least() (int64, bool) {
	v := l.c0
	for _, c := range l.terms {
		if c < 0 {
			return 0, false
		}
		v += c
	}
	return v, true
}

// expr writes the non-constant part as a canonical expression (nil if
// there is none).
func (l linear) expr() ast.Expr {
	var ts []ast.Expr
	for n, c := range l.terms {
		if c != 0 {
			ts = append(ts, simplify.WithCoeff(ast.Int(c), ast.NewSym(n)))
		}
	}
	if len(ts) == 0 {
		return nil
	}
	sort.SliceStable(ts, func(i, j int) bool { return simplify.TermOrder(ts[i], ts[j]) < 0 })
	return ast.NewAdd(ts...)
}

// at is the body of s at i = e.
func at(s *ast.Sum, e ast.Expr) ast.Expr {
	return ast.Subst(s.Body, map[string]ast.Expr{s.Var: e})
}

// offset is e + j as an expression.
func offset(e ast.Expr, j int64) ast.Expr {
	if j == 0 {
		return e
	}
	return ast.NewAdd(e, ast.NewInt(j))
}

// rewriteSum writes a sum over a concrete range out, and a sum over a
// symbolic range as sums from 1 to sizes plus peeled terms. It reports
// false when neither applies (the sum is then an atom).
func (b *polyBuilder) rewriteSum(s *ast.Sum) (ast.Expr, bool) {
	lo, okLo := linearOf(s.Lo)
	hi, okHi := linearOf(s.Hi)
	if !okLo || !okHi {
		return nil, false
	}
	// Names in the bounds are sizes (>= 1), unless an enclosing sum binds
	// them (sum(i=0..n, sum(j=1..i-1, f)) meets i = 0).
	for _, l := range []linear{lo, hi} {
		for n := range l.terms {
			if b.bound[n] > 0 {
				return nil, false
			}
		}
	}
	if lo.expr() == nil && hi.expr() == nil {
		// Concrete: write it out.
		n := hi.c0 - lo.c0 + 1
		if n < 0 || n > maxExpand {
			return nil, false
		}
		var ts []ast.Expr
		for i := lo.c0; i <= hi.c0; i++ {
			ts = append(ts, at(s, ast.NewInt(i)))
		}
		if n == 0 {
			if s.Op == ast.OpMean {
				return nil, false
			}
			return ast.Zero, true
		}
		sum := ast.NewAdd(ts...)
		if s.Op == ast.OpMean {
			inv, _ := ast.Int(n).Inv()
			return ast.NewMul(ast.NewNum(inv), sum), true
		}
		return sum, true
	}
	if s.Op != ast.OpSum {
		return nil, false
	}
	if lo.expr() == nil && lo.c0 == 1 && hi.c0 == 0 {
		return nil, false // sum(i=1..R, f): already the form
	}
	// The range a..b must be non-empty or just empty (b >= a - 1) for every
	// size >= 1, so that sum(a..b) = S(b) - S(a-1).
	if d, ok := hi.sub(lo).least(); !ok || d < -1 {
		return nil, false
	}
	upper, ok := prefix(s, hi)
	if !ok {
		return nil, false
	}
	lower, ok := prefix(s, lo.sub(linear{c0: 1}))
	if !ok {
		return nil, false
	}
	return ast.NewAdd(upper, ast.NewMul(ast.MinusOne, lower)), true
}

// prefix writes S(h) = sum(i=1..h, f) for a linear h: written out when h
// is a number >= 0, else S(R) plus or minus the terms between R and h =
// R + c (R >= -c for every size >= 1, so that S(h) is a sum as written).
func prefix(s *ast.Sum, h linear) (ast.Expr, bool) {
	r := h.expr()
	if r == nil {
		if h.c0 < 0 || h.c0 > maxExpand {
			return nil, false
		}
		ts := []ast.Expr{ast.Zero}
		for i := int64(1); i <= h.c0; i++ {
			ts = append(ts, at(s, ast.NewInt(i)))
		}
		return ast.NewAdd(ts...), true
	}
	c := h.c0
	if c > maxExpand || c < -maxExpand {
		return nil, false
	}
	// S(R + c) = S(R) + f(R+1) + ... needs R >= 0, and R + c >= 0 when
	// terms are taken off.
	if least, ok := (linear{terms: h.terms}).least(); !ok || least < 0 || least+c < 0 {
		return nil, false
	}
	ts := []ast.Expr{ast.NewSum(ast.OpSum, s.Var, ast.One, r, s.Body)}
	for j := int64(1); j <= c; j++ {
		ts = append(ts, at(s, offset(r, j)))
	}
	for j := int64(0); j < -c; j++ {
		ts = append(ts, ast.NewMul(ast.MinusOne, at(s, offset(r, -j))))
	}
	return ast.NewAdd(ts...), true
}

// Trigonometry. Every sine and cosine argument is a sum of terms k*m; for
// each monomial m, the unit g is the largest rational of which all its
// coefficients k are whole multiples, and sin/cos are rewritten over
// sin(g*m) and cos(g*m) by the addition formulas, so that sin(x/2)^2 and
// cos(x) meet as polynomials in sin(x/2), cos(x/2) (reduced modulo
// sin^2 + cos^2 = 1 afterwards).

// trigUnits collects the unit of every monomial in the trig arguments.
func trigUnits(units map[ast.Expr]ast.Number, es ...ast.Expr) {
	for _, e := range es {
		ast.InspectOnce(e, func(x ast.Expr) bool {
			c, ok := x.(*ast.Call)
			if !ok || c.Fn != "sin" && c.Fn != "cos" {
				return true
			}
			for _, t := range termsOf(c.Args[0]) {
				k, m := simplify.SplitCoeff(t)
				k = absNum(k)
				if g, ok := units[m]; ok {
					units[m] = gcdRat(g, k)
				} else {
					units[m] = k
				}
			}
			return true
		})
	}
}

func absNum(k ast.Number) ast.Number {
	if k.Sign() < 0 {
		return k.Neg()
	}
	return k
}

// gcdRat is the largest rational g with a/g and b/g whole: gcd of the
// numerators over the lcm of the denominators.
func gcdRat(a, b ast.Number) ast.Number {
	n := new(big.Int).GCD(nil, nil, a.Num(), b.Num())
	da, db := a.Denom(), b.Denom()
	l := new(big.Int).Mul(da, db)
	l.Quo(l, new(big.Int).GCD(nil, nil, da, db))
	if n.Sign() == 0 {
		return ast.Int(0)
	}
	return ast.FromRat(new(big.Rat).SetFrac(n, l))
}

// rewriteTrig writes every sin and cos of e over the units.
func rewriteTrig(e ast.Expr, units map[ast.Expr]ast.Number) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		c, ok := x.(*ast.Call)
		if !ok || c.Fn != "sin" && c.Fn != "cos" {
			return x
		}
		terms := termsOf(c.Args[0])
		if len(terms) == 1 {
			k, m := simplify.SplitCoeff(terms[0])
			if g, ok := units[m]; ok && absNum(k).Equal(g) {
				return x // already over its unit
			}
		}
		// sin and cos of the whole argument, built term by term.
		var s, co ast.Expr = ast.Zero, ast.One
		budget := maxExpand
		for _, t := range terms {
			k, m := simplify.SplitCoeff(t)
			g, ok := units[m]
			if !ok || g.IsZero() {
				return x
			}
			q, _ := k.Quo(g)
			n, ok := q.Int64()
			if !ok || !q.IsInt() || n > 12 || n < -12 {
				return x
			}
			if budget -= int(max(n, -n)); budget < 0 {
				return x
			}
			u := simplify.WithCoeff(g, m)
			ts, tc := multiple(ast.NewCall("sin", u), ast.NewCall("cos", u), n)
			s, co = ast.NewAdd(ast.NewMul(s, tc), ast.NewMul(co, ts)), ast.NewAdd(ast.NewMul(co, tc), ast.NewMul(ast.MinusOne, s, ts))
		}
		if c.Fn == "sin" {
			return s
		}
		return co
	})
}

// multiple returns sin(n t) and cos(n t) in s = sin(t) and c = cos(t).
func multiple(s, c ast.Expr, n int64) (ast.Expr, ast.Expr) {
	neg := n < 0
	if neg {
		n = -n
	}
	var sn, cn ast.Expr = ast.Zero, ast.One
	for i := int64(0); i < n; i++ {
		sn, cn = ast.NewAdd(ast.NewMul(sn, c), ast.NewMul(cn, s)), ast.NewAdd(ast.NewMul(cn, c), ast.NewMul(ast.MinusOne, sn, s))
	}
	if neg {
		sn = ast.NewMul(ast.MinusOne, sn)
	}
	return sn, cn
}

// logProduct writes log(K*rest) as log(K) + log(rest) for the factors K
// of u's normal form that are positive whatever the values: exp(w)^k
// gives k*w, a positive number the logs of its primes. (Wherever log(u) is
// defined, u > 0, so rest > 0 too.) It reports false when there is no
// such factor.
func (b *polyBuilder) logProduct(u ast.Expr) (rat, bool, error) {
	ne, err := b.normalExpr(u)
	if err != nil {
		return rat{}, false, nil
	}
	k, m := simplify.SplitCoeff(ne)
	var rest []ast.Expr
	acc := rat{poly{}, constPoly(ast.Int(1))}
	pulled := false
	add := func(r rat, err error) error {
		if err != nil {
			return err
		}
		acc, err = acc.add(b.ctx, r)
		return err
	}
	if k.Sign() > 0 && !k.IsOne() {
		r, _, err := b.logConst(ast.NewNum(k))
		if err := add(r, err); err != nil {
			return rat{}, true, err
		}
		pulled = true
	} else if k.Sign() < 0 {
		rest = append(rest, ast.NewNum(k))
	}
	for _, f := range factorsOf(m) {
		base, e := f, ast.Int(1)
		if p, ok := f.(*ast.Pow); ok {
			if n, ok := numOf(p.Y); ok {
				base, e = p.X, n
			}
		}
		if c, ok := base.(*ast.Call); ok && c.Fn == "exp" {
			r, err := b.rat(simplify.WithCoeff(e, c.Args[0]))
			if err := add(r, err); err != nil {
				return rat{}, true, err
			}
			pulled = true
			continue
		}
		rest = append(rest, f)
	}
	if !pulled && len(rest) == 1 && b.shifts < 4 {
		b.shifts++
		r, ok, err := b.logShift(rest[0])
		b.shifts--
		if ok || err != nil {
			return r, ok, err
		}
	}
	if !pulled {
		// The log of the normal form, so that equal arguments written
		// differently are one atom.
		return b.atom(ast.NewCall("log", ne), ast.Int(1)), true, nil
	}
	if len(rest) > 0 {
		if err := add(b.atom(ast.NewCall("log", product(rest)), ast.Int(1)), nil); err != nil {
			return rat{}, true, err
		}
	}
	return acc, true, nil
}

// logShift writes log(t1 exp(w1) + t2 exp(w2) + ...) as w + log(t1
// exp(w1 - w) + ...) for the w among the wi that makes the shifted
// exponents least in a fixed order: log(exp(x) + exp(y)) and x + log(1 +
// exp(y - x)) and y + log(1 + exp(x - y)) all become one form. (exp(w) >
// 0, so the two logs are defined together.)
func (b *polyBuilder) logShift(u ast.Expr) (rat, bool, error) {
	a, ok := u.(*ast.Add)
	if !ok || len(a.Terms) > 8 {
		return rat{}, false, nil
	}
	ws := make([]ast.Expr, len(a.Terms))
	any := false
	for i, t := range a.Terms {
		_, m := simplify.SplitCoeff(t)
		var parts []ast.Expr
		for _, f := range factorsOf(m) {
			base, e := f, ast.Int(1)
			if p, ok := f.(*ast.Pow); ok {
				if n, ok := numOf(p.Y); ok {
					base, e = p.X, n
				}
			}
			if c, ok := base.(*ast.Call); ok && c.Fn == "exp" {
				parts = append(parts, simplify.WithCoeff(e, c.Args[0]))
				any = true
			}
		}
		ws[i] = simplify.PlainCanonical(ast.NewAdd(append([]ast.Expr{ast.Zero}, parts...)...))
	}
	if !any {
		return rat{}, false, nil
	}
	best, bestKey := -1, ""
	for p := range ws {
		keys := make([]string, len(ws))
		for i, w := range ws {
			keys[i] = ast.String(simplify.PlainCanonical(ast.NewAdd(w, ast.NewMul(ast.MinusOne, ws[p]))))
		}
		sort.Strings(keys)
		key := fmt.Sprint(keys)
		// Ties go to the pivot already at 0, so that a shifted sum stays.
		if best < 0 || key < bestKey || key == bestKey && ws[p] == ast.Zero {
			best, bestKey = p, key
		}
	}
	w := ws[best]
	if w == ast.Zero {
		return rat{}, false, nil
	}
	shift := ast.NewCall("exp", simplify.PlainCanonical(ast.NewMul(ast.MinusOne, w)))
	inner, err := b.normalExpr(ast.NewMul(u, shift))
	if err != nil {
		return rat{}, false, nil
	}
	r, err := b.rat(w)
	if err != nil {
		return rat{}, true, err
	}
	l, err := b.rat(ast.NewCall("log", inner))
	if err != nil {
		return rat{}, true, err
	}
	sum, err := r.add(b.ctx, l)
	return sum, true, err
}
