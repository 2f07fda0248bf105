package algebra

import (
	"context"
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Multivariate polynomials over Q in a fixed list of variables (the atoms
// of an expression). A monomial is its exponent vector; exponents may be
// negative only in the Laurent polynomials that expand builds. Terms are
// kept sorted by lexicographic order, the first variable most significant,
// highest first, with no zero coefficient.

type mono []int

type term struct {
	m mono
	c *big.Rat
}

// A space is the number of variables and the work budget shared by the
// polynomials of one computation.
type space struct {
	n int
	w *work
}

// work counts the coefficient multiplications of a computation; past its
// limit the computation gives up (errTooLarge), so that reshaping an
// expression for display never takes long. It also carries the caller's
// context (checked every so often; a cancelled computation gives up with
// the context's error) and whether a factorisation stopped short.
type work struct {
	left       int64
	ctx        context.Context
	since      int64 // work spent since ctx was last checked
	incomplete bool  // a part was kept whole beyond the search limits
}

// errCanceled carries a cancelled context's error out of a computation.
type errCanceled struct{ err error }

func (w *work) spend(k int64) {
	if w == nil {
		return
	}
	w.left -= k
	if w.left < 0 {
		panic(errTooLarge)
	}
	w.poll(k)
}

// poll counts k operations towards the next check of the context, without
// spending budget: a long step that spent its work up front (a large
// product) polls as it goes, so that it stops soon after ctx is done.
func (w *work) poll(k int64) {
	if w == nil || w.ctx == nil {
		return
	}
	if w.since += k; w.since > 1<<14 {
		w.since = 0
		if err := w.ctx.Err(); err != nil {
			panic(errCanceled{err})
		}
	}
}

// exhausted reports whether the budget is spent (so that giving up on a
// part is not worth trying the next).
func (w *work) exhausted() bool { return w != nil && w.left < 0 }

func (w *work) markIncomplete() {
	if w != nil {
		w.incomplete = true
	}
}

// maxBits bounds the size of a coefficient.
const maxBits = 1 << 14

type poly struct {
	space
	terms []term
}

func (m mono) key() string {
	var b strings.Builder
	b.Grow(3 * len(m))
	for _, e := range m {
		b.WriteString(strconv.Itoa(e))
		b.WriteByte(',')
	}
	return b.String()
}

func cmpMono(a, b mono) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] > b[i] {
				return 1
			}
			return -1
		}
	}
	return 0
}

func zeroPoly(sp space) poly { return poly{space: sp} }

func constPoly(sp space, c *big.Rat) poly {
	if c.Sign() == 0 {
		return zeroPoly(sp)
	}
	return poly{space: sp, terms: []term{{m: make(mono, sp.n), c: ratCopy(c)}}}
}

func intPoly(sp space, c int64) poly {
	if c == 0 {
		return zeroPoly(sp)
	}
	return poly{space: sp, terms: []term{{m: make(mono, sp.n), c: intRat(c)}}}
}

// varPoly is the variable v to the power k.
func varPoly(sp space, v, k int) poly {
	m := make(mono, sp.n)
	m[v] = k
	return poly{space: sp, terms: []term{{m: m, c: ratOne}}}
}

// fromMap builds a sorted polynomial from accumulated terms.
func fromMap(sp space, acc map[string]*term) poly {
	p := poly{space: sp}
	for _, t := range acc {
		if t.c.Sign() != 0 {
			if t.c.Num().BitLen() > maxBits || t.c.Denom().BitLen() > maxBits {
				panic(errTooLarge)
			}
			p.terms = append(p.terms, *t)
		}
	}
	slices.SortFunc(p.terms, func(a, b term) int { return cmpMono(b.m, a.m) })
	return p
}

func (p poly) isZero() bool { return len(p.terms) == 0 }

// isConst reports whether p is a constant (zero included).
func (p poly) isConst() bool {
	if len(p.terms) == 0 {
		return true
	}
	if len(p.terms) > 1 {
		return false
	}
	for _, e := range p.terms[0].m {
		if e != 0 {
			return false
		}
	}
	return true
}

// constant returns p's value when it is a constant.
func (p poly) constant() *big.Rat {
	if len(p.terms) == 0 {
		return new(big.Rat)
	}
	return p.terms[0].c
}

func (p poly) equal(q poly) bool {
	if len(p.terms) != len(q.terms) {
		return false
	}
	for i := range p.terms {
		if cmpMono(p.terms[i].m, q.terms[i].m) != 0 || p.terms[i].c.Cmp(q.terms[i].c) != 0 {
			return false
		}
	}
	return true
}

func (p poly) add(q poly) poly {
	p.w.spend(int64(len(p.terms) + len(q.terms)))
	out := poly{space: p.space, terms: mergeTerms(p.terms, q.terms)}
	for _, t := range out.terms {
		checkBits(t.c)
	}
	return out
}

// addTermInPlace is p.add of the one-term polynomial t, for a p whose
// list of terms belongs to the caller (an accumulator): the term is
// merged into the list where it belongs instead of the list being copied.
// It spends the work add spends and checks the size of the coefficients
// add would check and that were not checked before (t's, or the sum).
func (p poly) addTermInPlace(t term) poly {
	p.w.spend(int64(len(p.terms) + 1))
	i, found := slices.BinarySearchFunc(p.terms, t.m, func(a term, m mono) int { return cmpMono(m, a.m) })
	switch {
	case found:
		c := ratAdd(p.terms[i].c, t.c)
		if c.Sign() == 0 {
			p.terms = slices.Delete(p.terms, i, i+1)
			break
		}
		checkBits(c)
		p.terms[i] = term{m: p.terms[i].m, c: c}
	case t.c.Sign() != 0:
		checkBits(t.c)
		p.terms = slices.Insert(p.terms, i, t)
	}
	return p
}

// lauInPlace turns on lau's accumulation of one-term polynomials in
// place (the tests compare it with add).
var lauInPlace = true

// Coefficients are never modified in place once in a polynomial, so they
// may be shared: ratOne is the coefficient 1 of every new monomial, and a
// product or quotient by 1 is the other operand itself.
var ratOne = big.NewRat(1, 1)

// isOneRat reports whether c is 1.
func isOneRat(c *big.Rat) bool {
	return c == ratOne || c.IsInt() && c.Num().IsInt64() && c.Num().Int64() == 1
}

// ratMul is a*b, without allocating when a factor is 1.
func ratMul(a, b *big.Rat) *big.Rat {
	switch {
	case isOneRat(b):
		return a
	case isOneRat(a):
		return b
	}
	if c, ok := mulFast(a, b); ok {
		return c
	}
	return new(big.Rat).Mul(a, b)
}

// ratQuo is a/b (b not 0), without allocating when b is 1.
func ratQuo(a, b *big.Rat) *big.Rat {
	if isOneRat(b) {
		return a
	}
	if c, ok := quoFast(a, b); ok {
		return c
	}
	return new(big.Rat).Quo(a, b)
}

// checkBits gives up on a coefficient too large to keep computing with.
func checkBits(c *big.Rat) {
	if c.Num().BitLen() > maxBits || c.Denom().BitLen() > maxBits {
		panic(errTooLarge)
	}
}

func (p poly) neg() poly {
	out := poly{space: p.space, terms: make([]term, len(p.terms))}
	for i, t := range p.terms {
		out.terms[i] = term{m: t.m, c: ratNeg(t.c)}
	}
	return out
}

func (p poly) sub(q poly) poly { return p.add(q.neg()) }

func (p poly) scale(c *big.Rat) poly {
	if c.Sign() == 0 {
		return zeroPoly(p.space)
	}
	if isOneRat(c) {
		return p // polynomials are never modified in place
	}
	out := poly{space: p.space, terms: make([]term, len(p.terms))}
	for i, t := range p.terms {
		out.terms[i] = term{m: t.m, c: ratMul(t.c, c)}
	}
	return out
}

func (m mono) mul(o mono) mono {
	out := make(mono, len(m))
	for i := range m {
		out[i] = m[i] + o[i]
	}
	return out
}

func (p poly) mul(q poly) poly {
	if p.isZero() || q.isZero() {
		return zeroPoly(p.space)
	}
	p.w.spend(int64(len(p.terms)) * int64(len(q.terms)))
	if len(q.terms) == 1 {
		return p.mulTerm(q.terms[0])
	}
	if len(p.terms) == 1 {
		return q.mulTerm(p.terms[0])
	}
	return p.mulMap(q)
}

// mulTerm is p times the single term t: multiplying by a monomial keeps
// the terms distinct, non-zero and in order, so they are taken over
// without mul's map and sort (with fromMap's check of their size).
func (p poly) mulTerm(t term) poly {
	if isUnit(t) {
		for _, a := range p.terms {
			checkBits(a.c) // as the products would be
		}
		return p
	}
	out := poly{space: p.space, terms: make([]term, 0, len(p.terms))}
	// A constant t keeps the monomials (shared: they are never modified
	// in place); else the products are cut from one block.
	var blk monoBlock
	if !t.m.isZero() {
		blk = newMonoBlock(len(p.terms), len(t.m))
	}
	for _, a := range p.terms {
		c := ratMul(a.c, t.c)
		if c.Sign() == 0 {
			continue
		}
		if c.Num().BitLen() > maxBits || c.Denom().BitLen() > maxBits {
			panic(errTooLarge)
		}
		m := a.m
		if blk.w > 0 {
			m = blk.next()
			for i := range m {
				m[i] = a.m[i] + t.m[i]
			}
		}
		out.terms = append(out.terms, term{m: m, c: c})
	}
	return out
}

// A monoBlock hands out monomials of width w cut from one allocation
// (each capped, so that none can grow into the next).
type monoBlock struct {
	buf []int
	w   int
}

func newMonoBlock(count, w int) monoBlock {
	return monoBlock{buf: make([]int, count*w), w: w}
}

func (b *monoBlock) next() mono {
	m := b.buf[:b.w:b.w]
	b.buf = b.buf[b.w:]
	return m
}

// isZero reports whether m is the monomial 1.
func (m mono) isZero() bool {
	for _, e := range m {
		if e != 0 {
			return false
		}
	}
	return true
}

// isUnit reports whether t is the term 1.
func isUnit(t term) bool {
	if !t.c.IsInt() || t.c.Num().Cmp(bigOne) != 0 {
		return false
	}
	for _, e := range t.m {
		if e != 0 {
			return false
		}
	}
	return true
}

var bigOne = big.NewInt(1)

// mulBlock is the number of term products mulMap lists and sorts at once
// when its computation can be cancelled.
const mulBlock = 1 << 13

// mulMap is mul by accumulating the products' terms: every product is
// listed, the list sorted, and the products of equal monomials added.
// A large product that can be cancelled is computed in blocks of p's
// terms, merged as it goes and polling the context between blocks: the
// terms are the same (sorted, exact sums, no zero), only the order of
// the additions differs.
func (p poly) mulMap(q poly) poly {
	if p.w != nil && p.w.ctx != nil && len(p.terms)*len(q.terms) > mulBlock {
		return p.mulBlocks(q)
	}
	ts := p.mulRaw(q)
	for _, t := range ts {
		checkBits(t.c)
	}
	return poly{space: p.space, terms: ts}
}

// mulBlocks is mulMap of a large product in blocks of p's rows, merged
// pairwise like a binary counter (a block of level i is merged with the
// previous one of level i), so that each product is added O(log n) times.
func (p poly) mulBlocks(q poly) poly {
	rows := max(1, mulBlock/len(q.terms))
	type level struct {
		ts []term
		n  int
	}
	var stack []level
	for i := 0; i < len(p.terms); i += rows {
		blk := poly{space: p.space, terms: p.terms[i:min(i+rows, len(p.terms))]}
		p.w.poll(int64(len(blk.terms) * len(q.terms)))
		cur := level{blk.mulRaw(q), 1}
		for len(stack) > 0 && stack[len(stack)-1].n == cur.n {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			p.w.poll(int64(len(top.ts) + len(cur.ts)))
			cur = level{mergeTerms(top.ts, cur.ts), cur.n * 2}
		}
		stack = append(stack, cur)
	}
	ts := stack[len(stack)-1].ts
	for j := len(stack) - 2; j >= 0; j-- {
		p.w.poll(int64(len(stack[j].ts) + len(ts)))
		ts = mergeTerms(stack[j].ts, ts)
	}
	for _, t := range ts {
		checkBits(t.c)
	}
	return poly{space: p.space, terms: ts}
}

// mulRaw is mulMap's products of p and q, sorted, with equal monomials
// added and zeros dropped, without the check of the coefficients' size
// (a partial sum may be larger than the total).
func (p poly) mulRaw(q poly) []term {
	prods := make([]term, 0, len(p.terms)*len(q.terms))
	blk := newMonoBlock(len(p.terms)*len(q.terms), p.n)
	for _, a := range p.terms {
		for _, b := range q.terms {
			m := blk.next()
			for i := range m {
				m[i] = a.m[i] + b.m[i]
			}
			prods = append(prods, term{m: m, c: ratMul(a.c, b.c)})
		}
	}
	slices.SortFunc(prods, func(a, b term) int { return cmpMono(b.m, a.m) })
	out := prods[:0]
	for i := 0; i < len(prods); {
		t := prods[i]
		j := i + 1
		owned := false // t.c is a copy of this loop's: add into it
		for ; j < len(prods) && cmpMono(prods[j].m, t.m) == 0; j++ {
			if !owned {
				if c, ok := addFast(t.c, prods[j].c); ok {
					t.c = c // small: a new (or shared) coefficient
					continue
				}
				t.c, owned = new(big.Rat).Set(t.c), true // a coefficient may be shared: add into a copy
			}
			t.c.Add(t.c, prods[j].c)
		}
		i = j
		if t.c.Sign() != 0 {
			out = append(out, t)
		}
	}
	return out
}

// mergeTerms adds two sorted term lists (highest first) into a new one,
// dropping zeros; the coefficients of a and b are not modified.
func mergeTerms(a, b []term) []term {
	out := make([]term, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		var t term
		switch {
		case len(b) == 0:
			t, a = a[0], a[1:]
		case len(a) == 0:
			t, b = b[0], b[1:]
		default:
			switch c := cmpMono(a[0].m, b[0].m); {
			case c > 0:
				t, a = a[0], a[1:]
			case c < 0:
				t, b = b[0], b[1:]
			default:
				t = term{m: a[0].m, c: ratAdd(a[0].c, b[0].c)}
				a, b = a[1:], b[1:]
			}
		}
		if t.c.Sign() != 0 {
			out = append(out, t)
		}
	}
	return out
}

func (p poly) pow(k int) poly {
	if len(p.terms) == 1 && k > 0 {
		return p.powTerm(k)
	}
	r := intPoly(p.space, 1)
	b := p
	for k > 0 {
		if k&1 == 1 {
			r = r.mul(b)
		}
		k >>= 1
		if k > 0 {
			b = b.mul(b)
		}
	}
	return r
}

// powTerm is pow of a single term: the exponents times k and the
// coefficient to the power k, with the work the squarings and products
// would spend (one per product of single terms) and the check of the
// coefficient's size (the last power is the largest).
func (p poly) powTerm(k int) poly {
	powSpend(p.w, k)
	t := p.terms[0]
	if isUnit(t) {
		return p // 1^k: polynomials are never modified in place
	}
	m := make(mono, len(t.m))
	for i, e := range t.m {
		m[i] = e * k
	}
	c := t.c
	if !isUnit(term{m: make(mono, 0), c: c}) {
		if int64(max(c.Num().BitLen(), c.Denom().BitLen())-1)*int64(k) >= maxBits {
			panic(errTooLarge) // a power on the way would be too large already
		}
		bk := big.NewInt(int64(k))
		num := new(big.Int).Exp(c.Num(), bk, nil)
		if num.BitLen() > maxBits {
			panic(errTooLarge)
		}
		den := new(big.Int).Exp(c.Denom(), bk, nil)
		c = new(big.Rat).SetFrac(num, den)
		checkBits(c)
	}
	return poly{space: p.space, terms: []term{{m: m, c: c}}}
}

// powSpend spends the work of pow's repeated squaring to the power k:
// one per product of single terms.
func powSpend(w *work, k int) {
	for kk := k; kk > 0; {
		if kk&1 == 1 {
			w.spend(1)
		}
		kk >>= 1
		if kk > 0 {
			w.spend(1)
		}
	}
}

// deg is the degree of p in the variable v (-1 for zero).
func (p poly) deg(v int) int {
	d := -1
	for _, t := range p.terms {
		d = max(d, t.m[v])
	}
	return d
}

// minDeg is the smallest exponent of v in p.
func (p poly) minDeg(v int) int {
	d := 0
	for i, t := range p.terms {
		if i == 0 || t.m[v] < d {
			d = t.m[v]
		}
	}
	return d
}

// coeff is the coefficient of v^k in p, a polynomial without v.
//
// The terms with v^k stay distinct and in order once v is taken out of
// them (they all had the same power of it), so they are taken over as
// they are, with fromMap's checks but without its map and sort.
func (p poly) coeff(v, k int) poly {
	out := poly{space: p.space}
	var blk monoBlock // for k != 0: v's exponent is taken out of a copy
	if k != 0 {
		count := 0
		for _, t := range p.terms {
			if t.m[v] == k {
				count++
			}
		}
		blk = newMonoBlock(count, p.n)
	}
	for _, t := range p.terms {
		if t.m[v] != k || t.c.Sign() == 0 {
			continue
		}
		if t.c.Num().BitLen() > maxBits || t.c.Denom().BitLen() > maxBits {
			panic(errTooLarge)
		}
		m := t.m // for k == 0, the monomial as it is (shared: never modified in place)
		if k != 0 {
			m = blk.next()
			copy(m, t.m)
			m[v] = 0
		}
		out.terms = append(out.terms, term{m: m, c: t.c})
	}
	return out
}

// lc is the leading coefficient of p in v.
func (p poly) lc(v int) poly { return p.coeff(v, p.deg(v)) }

// has reports whether the variable v occurs in p.
func (p poly) has(v int) bool {
	for _, t := range p.terms {
		if t.m[v] != 0 {
			return true
		}
	}
	return false
}

// vars lists the variables that occur in p.
func (p poly) vars() []int {
	var out []int
	for v := 0; v < p.n; v++ {
		if p.has(v) {
			out = append(out, v)
		}
	}
	return out
}

// diff is the derivative of p in v.
func (p poly) diff(v int) poly {
	// Lowering v's exponent by one in every term that has v keeps the
	// terms distinct, non-zero and in order.
	out := poly{space: p.space}
	for _, t := range p.terms {
		if t.m[v] == 0 {
			continue
		}
		m := slices.Clone(t.m)
		m[v]--
		c := new(big.Rat).Mul(t.c, big.NewRat(int64(t.m[v]), 1))
		checkBits(c)
		out.terms = append(out.terms, term{m: m, c: c})
	}
	return out
}

// divides reports whether monomial a divides b, and returns b/a.
func monoDiv(b, a mono) (mono, bool) {
	out := make(mono, len(a))
	for i := range a {
		out[i] = b[i] - a[i]
		if out[i] < 0 {
			return nil, false
		}
	}
	return out, true
}

// exactDiv returns a/b when b divides a in Q[vars].
func exactDiv(a, b poly) (poly, bool) {
	if b.isZero() {
		return poly{}, false
	}
	if len(b.terms) == 1 && len(a.terms) <= maxTerms {
		return divMono(a, b.terms[0])
	}
	if divShortcuts && len(a.terms) == len(b.terms) {
		if q, ok := divConst(a, b); ok {
			return q, true
		}
	}
	return divLoop(a, b)
}

// divShortcuts turns on exactDiv's shortcut for a constant quotient (the
// tests compare it with the loop).
var divShortcuts = true

// divConst is exactDiv of a by b when a is a constant multiple k of b
// (b of several terms): k, found by comparing the terms, with the work
// and the checks of the loop, which takes one step then (the quotient's
// addition, 1; the product k*b, n; the remainder's subtraction, 2n; the
// products k*b_i are a's coefficients). False when a is not such a
// multiple: the loop decides then.
func divConst(a, b poly) (poly, bool) {
	k := ratQuo(a.terms[0].c, b.terms[0].c)
	for i, t := range a.terms {
		if cmpMono(t.m, b.terms[i].m) != 0 || !isProduct(t.c, k, b.terms[i].c) {
			return poly{}, false
		}
	}
	// Spent and checked in the loop's order, so that the work left when
	// it gives up is the same too.
	n := int64(len(b.terms))
	a.w.spend(1)
	checkBits(k)
	a.w.spend(n)
	for _, t := range a.terms {
		checkBits(t.c)
	}
	a.w.spend(2 * n)
	return poly{space: a.space, terms: []term{{m: make(mono, a.n), c: k}}}, true
}

// isProduct reports whether c = k*b.
func isProduct(c, k, b *big.Rat) bool {
	if coefFast {
		if kn, kd, ok := frac64(k); ok {
			if bn, bd, ok := frac64(b); ok {
				if n, d, ok := mul64(kn, kd, bn, bd); ok {
					cn, cd, ok := frac64(c)
					return ok && cn == n && cd == d
				}
			}
		}
	}
	return new(big.Rat).Mul(k, b).Cmp(c) == 0
}

// divLoop is exactDiv by repeated subtraction of the leading term.
func divLoop(a, b poly) (poly, bool) {
	q := zeroPoly(a.space)
	r := a
	lt := b.terms[0]
	for !r.isZero() {
		m, ok := monoDiv(r.terms[0].m, lt.m)
		if !ok {
			return poly{}, false
		}
		c := ratQuo(r.terms[0].c, lt.c)
		t := poly{space: a.space, terms: []term{{m: m, c: c}}}
		q = q.add(t)
		r = r.sub(t.mul(b))
		if len(r.terms) > maxTerms {
			return poly{}, false
		}
	}
	return q, true
}

// divMono is exactDiv by the single term lt, term by term: the general
// loop's quotient (dividing by a monomial keeps the order of the terms, and
// each step removes exactly the leading term of the remainder), without its
// quadratic map building. It spends the work the loop would (n + 3 per
// step for n terms: the quotient's addition, the product, the remainder's
// subtraction), so that budgets give up exactly where they did.
func divMono(a poly, lt term) (poly, bool) {
	n := int64(len(a.terms))
	q := poly{space: a.space}
	one := lt.m.isZero() // a's monomials as they are (shared: never modified in place)
	var blk monoBlock
	if !one {
		blk = newMonoBlock(len(a.terms), len(lt.m))
	}
	for _, t := range a.terms {
		m := t.m
		if !one {
			m = blk.next()
			for i := range m {
				m[i] = t.m[i] - lt.m[i]
			}
		}
		for _, e := range m {
			if e < 0 {
				return poly{}, false // not divisible (or a Laurent polynomial)
			}
		}
		a.w.spend(n + 3)
		c := ratQuo(t.c, lt.c)
		if c.Num().BitLen() > maxBits || c.Denom().BitLen() > maxBits {
			panic(errTooLarge)
		}
		q.terms = append(q.terms, term{m: m, c: c})
	}
	return q, true
}

// maxTerms bounds the polynomials the algorithms build.
const maxTerms = 20_000

// ratContent is the positive rational c with p/c having coprime integer
// coefficients.
func (p poly) ratContent() *big.Rat {
	if c, ok := p.ratContent64(); ok {
		return c
	}
	num, den := new(big.Int), big.NewInt(1)
	for _, t := range p.terms {
		num.GCD(nil, nil, num, new(big.Int).Abs(t.c.Num()))
		d := t.c.Denom()
		g := new(big.Int).GCD(nil, nil, den, d)
		den.Mul(den, new(big.Int).Quo(d, g))
	}
	if num.Sign() == 0 {
		return big.NewRat(1, 1)
	}
	return new(big.Rat).SetFrac(num, den)
}

// ratContent64 is ratContent in int64 arithmetic, when every numerator
// and denominator fits and the lcm of the denominators does not overflow.
// It returns a new Rat (callers modify it).
func (p poly) ratContent64() (*big.Rat, bool) {
	var g, l uint64 = 0, 1
	for _, t := range p.terms {
		n, d := t.c.Num(), t.c.Denom()
		if !n.IsInt64() || !d.IsInt64() {
			return nil, false
		}
		nv := n.Int64()
		if nv == math.MinInt64 {
			return nil, false
		}
		if nv < 0 {
			nv = -nv
		}
		g = gcdU64(g, uint64(nv))
		dv := uint64(d.Int64())
		q := dv / gcdU64(l, dv)
		hi, lo := bits.Mul64(l, q)
		if hi != 0 || lo > math.MaxInt64 {
			return nil, false
		}
		l = lo
	}
	if g == 0 {
		return big.NewRat(1, 1), true
	}
	if g > math.MaxInt64 {
		return nil, false
	}
	return new(big.Rat).SetFrac64(int64(g), int64(l)), true
}

func gcdU64(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// normal is p with coprime integer coefficients and a positive leading
// coefficient: the representative of p up to a constant factor.
func (p poly) normal() poly {
	if p.isZero() {
		return p
	}
	c := p.ratContent()
	if p.terms[0].c.Sign() < 0 {
		c.Neg(c)
	}
	return p.scale(new(big.Rat).Inv(c))
}

// prem is the pseudo-remainder of a by b in the variable v.
func prem(a, b poly, v int) poly {
	db := b.deg(v)
	lb := b.lc(v)
	r := a
	for !r.isZero() && r.deg(v) >= db {
		dr := r.deg(v)
		lr := r.lc(v)
		r = lb.mul(r).sub(lr.mul(varPoly(a.space, v, dr-db)).mul(b))
		if len(r.terms) > maxTerms {
			panic(errTooLarge)
		}
	}
	return r
}

// content is the gcd of p's coefficients as a polynomial in v.
func content(p poly, v int) poly {
	g := zeroPoly(p.space)
	for k := p.deg(v); k >= 0; k-- {
		c := p.coeff(v, k)
		if c.isZero() {
			continue
		}
		g = gcd(g, c)
		if g.isConst() {
			return intPoly(p.space, 1)
		}
	}
	return g
}

// primitive returns p divided by its content in v.
func primitive(p poly, v int) poly {
	c := content(p, v)
	q, ok := exactDiv(p, c)
	if !ok {
		panic("algebra: content does not divide")
	}
	return q
}

// gcd is the greatest common divisor in Q[vars], normalised (integer,
// primitive, positive leading coefficient): recursive, with primitive
// polynomial remainder sequences in the most significant variable.
func gcd(a, b poly) poly {
	switch {
	case a.isZero():
		return b.normal()
	case b.isZero():
		return a.normal()
	case a.isConst() || b.isConst():
		return intPoly(a.space, 1)
	}
	if len(b.terms) == 1 && gcdShortcuts {
		if g, ok := monoGcd(a, b.terms[0].m); ok {
			return g
		}
	}
	if len(a.terms) == 1 && gcdShortcuts {
		if g, ok := monoGcd(b, a.terms[0].m); ok {
			return g
		}
	}
	v := -1
	for i := 0; i < a.n && v < 0; i++ {
		if a.has(i) || b.has(i) {
			v = i
		}
	}
	if !a.has(v) {
		return gcd(a, content(b, v))
	}
	if !b.has(v) {
		return gcd(content(a, v), b)
	}
	ca, cb := content(a, v), content(b, v)
	c := gcd(ca, cb)
	pa, _ := exactDiv(a, ca)
	pb, _ := exactDiv(b, cb)
	if gcdShortcuts && coprimeMod(pa, pb, v) {
		return c.mul(intPoly(a.space, 1)).normal() // what the remainder sequence ends with
	}
	if pa.deg(v) < pb.deg(v) {
		pa, pb = pb, pa
	}
	for !pb.isZero() {
		r := prem(pa, pb, v)
		pa = pb
		if r.isZero() || !r.has(v) {
			if !r.isZero() {
				pa = intPoly(a.space, 1) // a non-zero constant remainder: coprime
			}
			break
		}
		pb = primitive(r, v).normal() // a constant factor is a unit over Q: keep the integers small
	}
	g := pa
	if g.has(v) {
		g = primitive(g, v)
	} else {
		g = intPoly(a.space, 1)
	}
	return c.mul(g).normal()
}

// gcdShortcuts turns on gcd's monomial and modular shortcuts (the tests
// compare them with the remainder sequence alone).
var gcdShortcuts = true

// monoGcd is gcd(a, c*m) for a non-zero constant c: the divisors of a
// monomial are monomials, and m' divides a when it divides every term,
// so the gcd is the monomial of the smaller exponents of m and of a's
// monomial content, with coefficient 1 (normalised). False for Laurent
// polynomials (negative exponents).
func monoGcd(a poly, m mono) (poly, bool) {
	g := make(mono, len(m))
	for v := range g {
		d := a.minDeg(v)
		if m[v] < 0 || d < 0 {
			return poly{}, false
		}
		g[v] = min(m[v], d)
	}
	return poly{space: a.space, terms: []term{{m: g, c: ratOne}}}, true
}

// coprimeMod reports that a and b, primitive in v and both of positive
// degree in it, have a constant gcd, when an image of them is coprime: the
// other variables set to a random point modulo a prime, with both degrees
// in v kept. A common factor g of positive degree in v would leave an
// image of positive degree dividing both images (g's leading coefficient
// in v divides theirs, so its image does not vanish), so coprime images
// prove it. False means only that the test did not decide (the remainder
// sequence decides then).
func coprimeMod(a, b poly, v int) bool {
	da, db := a.deg(v), b.deg(v)
	if da <= 0 || db <= 0 {
		return false
	}
	rng := rand.New(rand.NewPCG(uint64(len(a.terms)), uint64(len(b.terms))))
	for range 2 {
		vals := randomPoint(rng, a.n)
		fa, ok1 := imageMod(a, v, vals)
		fb, ok2 := imageMod(b, v, vals)
		if !ok1 || !ok2 || len(fa) != da+1 || len(fb) != db+1 {
			continue
		}
		return len(gcdP(fa, fb, modQ)) == 1
	}
	return false
}

// monomialContent is the monomial dividing every term of p with the
// largest exponents (exponents may be negative in a Laurent polynomial).
func monomialContent(p poly) mono {
	m := make(mono, p.n)
	for v := range m {
		m[v] = p.minDeg(v)
	}
	return m
}

// shift multiplies p by the monomial m (exponents may be negative).
func (p poly) shift(m mono) poly {
	if m.isZero() {
		return p // polynomials are never modified in place
	}
	out := poly{space: p.space, terms: make([]term, len(p.terms))}
	blk := newMonoBlock(len(p.terms), len(m))
	for i, t := range p.terms {
		tm := blk.next()
		for j := range tm {
			tm[j] = t.m[j] + m[j]
		}
		out.terms[i] = term{m: tm, c: t.c}
	}
	return out
}

func (m mono) negate() mono {
	out := make(mono, len(m))
	for i, e := range m {
		out[i] = -e
	}
	return out
}
