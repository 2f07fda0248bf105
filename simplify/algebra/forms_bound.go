package algebra

import (
	"slices"
	"sync"

	"github.com/symdiff/symdiff/ast"
)

// The bound that lets a caller of FormsBelow skip the forms of a
// polynomial that cannot be cheaper than what it has (issue 15: the
// gradient of a least-squares loss written out is such a polynomial, and
// factoring it was a third of its display search).

// A signedMono is a term of a polynomial as the bound sees it: its
// exponents (none negative) and whether its coefficient is negative.
type signedMono struct {
	m    mono
	neg  bool
	unit bool // the coefficient is 1 or -1
}

// signedMonos lists the terms of p.
func signedMonos(p poly) []signedMono {
	out := make([]signedMono, len(p.terms))
	for i, t := range p.terms {
		out[i] = signedMono{t.m, t.c.Sign() < 0, t.c.IsInt() && t.c.Num().IsInt64() && abs64(t.c.Num().Int64()) == 1}
	}
	return out
}

// minWritten is a lower bound on the names, numbers and operations
// written in any of the forms Forms makes of the polynomial with the
// terms ts (with no negative exponent) when it is irreducible and its
// atoms are names: each form writes its terms in full, expanded (times a
// number, maybe negated, maybe over a number). A sum of n terms is n - 1
// operations; a term with k names is at least the k names and k - 1
// products, a name raised to a power x^2 two more (the power and its
// exponent); a term without a name is a number, at least 1; and a term
// written with a minus sign one more, for the minus: the terms of one
// sign or the other, whichever are fewer (a form may write -p). A
// coefficient or a denominator only adds to it.
func minWritten(ts []signedMono) int { return minWrittenBy(ts, nil) }

// minWrittenBy is minWritten with the atom at v counted weight[v] (at
// least 1) where it is written instead of 1 (nil: 1 each): an atom is
// written as itself in every form (the ring shows it so), and weight[v]
// is what the caller's measure counts for it (simplify.Cost of a call;
// no less inside a fraction). It also counts the number no form can do
// without when no coefficient is 1 or -1 and some term has an atom: 2,
// for a number and the product or quotient that writes it. (The
// expanded form writes a coefficient with every such term; the factored
// and one-fraction forms a constant c times a primitive polynomial, and
// where c is 1 or -1 the coefficients of the polynomial are those of ts
// up to the sign.)
func minWrittenBy(ts []signedMono, weight []int) int {
	if len(ts) == 0 {
		return 0
	}
	n := len(ts) - 1
	neg := 0
	anyUnit, anyAtom := false, false
	for _, t := range ts {
		k, c := 0, 0
		for v, e := range t.m {
			w := 1
			if weight != nil {
				w = weight[v]
			}
			switch {
			case e < 0:
				return 0 // not a polynomial: no bound
			case e == 1:
				k, c = k+1, c+w
			case e > 1:
				k, c = k+1, c+w+2
			}
		}
		if k == 0 {
			c = 1
		} else {
			c += k - 1
			anyAtom = true
		}
		n += c
		if t.neg {
			neg++
		}
		anyUnit = anyUnit || t.unit
	}
	if weight != nil && !anyUnit && anyAtom {
		n += 2
	}
	return n + min(neg, len(ts)-neg)
}

// irreducibleLinear reports that the polynomial with the terms ts (no
// negative exponent, all of one length) is irreducible over the
// rationals by a sufficient test: some variable v has degree 1 in it,
// its coefficient is one term a, and no variable of a divides the rest
// b = p - a*v (some term of b lacks it), with b not zero. Then
// gcd(a, b) = 1, so p = a*v + b is primitive in v and of degree 1 in
// it, and a factor of p without v would divide the content (Gauss's
// lemma): p is irreducible, with no monomial factor. False says only that
// the test did not decide.
func irreducibleLinear(ts []signedMono) bool {
	if len(ts) < 2 {
		return false
	}
	for _, t := range ts {
		for _, e := range t.m {
			if e < 0 {
				return false
			}
		}
	}
	for v := range ts[0].m {
		at, ok := -1, true
		for i, t := range ts {
			switch {
			case t.m[v] > 1:
				ok = false
			case t.m[v] == 1 && at >= 0:
				ok = false
			case t.m[v] == 1:
				at = i
			}
			if !ok {
				break
			}
		}
		if !ok || at < 0 {
			continue
		}
		coprime := true
		for u, e := range ts[at].m {
			if u == v || e == 0 {
				continue
			}
			lacks := false
			for j, t := range ts {
				if j != at && t.m[u] == 0 {
					lacks = true
					break
				}
			}
			if !lacks {
				coprime = false
				break
			}
		}
		if coprime {
			return true
		}
	}
	return false
}

// irreducibleSplit reports that the polynomial with the terms ts (no
// negative exponent, all of one length) is irreducible over the
// rationals by another sufficient test: some variable v has degree 1 in
// it, and p = a*v + b with a and b not zero and without a variable in
// common. A common factor of a and b would have only variables of both:
// none, so gcd(a, b) = 1, p is primitive in v and of degree 1 in it, and
// irreducible with no monomial factor (Gauss's lemma, as for
// irreducibleLinear). It decides W6's Σ x_i1 x_i2 (σ_i − σ_i²), where
// each x_i1 is in two terms.
func irreducibleSplit(ts []signedMono) bool {
	if len(ts) < 2 {
		return false
	}
	n := len(ts[0].m)
	for _, t := range ts {
		for _, e := range t.m {
			if e < 0 {
				return false
			}
		}
	}
	inA := make([]bool, n) // the variables of a
	inB := make([]bool, n) // the variables of b
	for v := range n {
		clear(inA)
		clear(inB)
		ok, hasA, hasB := true, false, false
		for _, t := range ts {
			switch t.m[v] {
			case 0:
				hasB = true
				for u, e := range t.m {
					inB[u] = inB[u] || e > 0
				}
			case 1:
				hasA = true
				for u, e := range t.m {
					inA[u] = inA[u] || e > 0 && u != v
				}
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if !ok || !hasA || !hasB {
			continue
		}
		disjoint := true
		for u := range n {
			if inA[u] && inB[u] {
				disjoint = false
				break
			}
		}
		if disjoint {
			return true
		}
	}
	return false
}

// Limits of quickPoly: the terms of any intermediate polynomial, the
// exponent of a sum or a product, and that of a name.
const (
	maxQuickTerms   = 128
	maxQuickExp     = 8
	maxQuickNameExp = 1000
	// maxQuickWork bounds the term products and comparisons of one
	// quickPoly: a small expression is multiplied out in a few
	// thousand; past it the ring conversion, with its own budget, decides.
	maxQuickWork = 20_000
)

func isName(e ast.Expr) bool {
	switch e.(type) {
	case *ast.Sym, *ast.Index:
		return true
	}
	return false
}

// isCallAtom reports whether e is a call the ring takes as one atom, shown
// as written, in every form: not exp (exp(-u) is a negative power of
// exp(u)), not sqrt (its square is reduced), not the denominators expand
// wraps.
func isCallAtom(e ast.Expr) bool {
	c, ok := e.(*ast.Call)
	return ok && c.Fn != "exp" && c.Fn != "sqrt" && c.Fn != denFn
}

// quickPoly multiplies out e when it is a polynomial in names (Sym and
// Index) written with sums, products, negations, numbers, quotients by a
// number and positive integer powers (small ones of sums), and returns its
// terms with their atoms in order of first appearance. It is the
// polynomial the ring conversion (ring.rat) makes of such an e, without
// the ring: exact numbers, the terms in a slice, no atom table to build.
// ok is false for any other e, or past its limits.
func quickPoly(e ast.Expr) (atoms []ast.Expr, ts []signedMono, ok bool) {
	atoms, ts, _, ok = quickPolySum(e)
	return atoms, ts, ok
}

// quickPolySum is quickPoly that also reports whether e is a sum of
// monomials, all distinct: each of its terms is one term of the
// polynomial, none merged with another (so none cancelled).
func quickPolySum(e ast.Expr) (atoms []ast.Expr, ts []signedMono, monoSum bool, ok bool) {
	return quickPolyOf(e, false)
}

// quickPolyOf is quickPolySum; with calls, calls (isCallAtom) are atoms
// too.
func quickPolyOf(e ast.Expr, calls bool) (atoms []ast.Expr, ts []signedMono, monoSum bool, ok bool) {
	sc := new(quickScratch)
	if !quickPlain {
		sc = getQuickScratch()
		defer putQuickScratch(sc)
	}
	q := quick{left: maxQuickWork, root: e, calls: calls, atoms: make([]ast.Expr, 0, 8), sc: sc}
	p, ok := q.poly(e)
	if !ok {
		return nil, nil, false, false
	}
	ts = make([]signedMono, len(p))
	n := len(q.atoms)
	block := make([]int, len(p)*n)
	for i, t := range p {
		m := mono(block[i*n : (i+1)*n : (i+1)*n])
		for _, x := range t.m {
			m[x.v] = x.e
		}
		ts[i] = signedMono{m, t.c.Sign() < 0, t.c.IsOne() || t.c.Neg().IsOne()}
	}
	return q.atoms, ts, q.monoSum, true
}

// A quickTerm is a term of quickPoly: its exponents (sparse, by atom
// index), the exact coefficient, never zero, and a hash of the exponents
// (monoHash), so that collecting terms compares exponent lists only
// where the hashes agree.
type quickTerm struct {
	m []varExp
	c ast.Number
	h uint64
}

// A varExp is the exponent e, never 0, of the atom at v; a monomial
// lists them in increasing v.
type varExp struct{ v, e int }

// monoHash is the hash of quickTerm: sum of e * atomHash(v) over the
// exponents (mod 2^64), so that the hash of a product is the sum of the
// hashes and of a power k times the hash. Equal exponent lists have
// equal hashes.
func monoHash(m []varExp) uint64 {
	var h uint64
	for _, x := range m {
		h += uint64(x.e) * atomHash(x.v)
	}
	return h
}

// atomHash is a fixed pseudo-random odd number for the atom at i
// (splitmix64 of i).
func atomHash(i int) uint64 {
	z := uint64(i+1) * 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return (z ^ z>>31) | 1
}

type quick struct {
	atoms   []ast.Expr
	left    int      // work left (maxQuickWork)
	root    ast.Expr // the expression multiplied out
	monoSum bool     // root is a sum of distinct monomials
	calls   bool     // calls (isCallAtom) are atoms
	// sc holds the lists the polynomials are cut from, the atoms'
	// polynomials (atomPoly) and the atoms' index; nil: made on first use.
	sc *quickScratch
}

// quickScratch is the memory of one quickPoly, kept in a pool: the
// lists of terms and exponents it makes are read only until it returns
// (what it returns is copied out of them), so the next call reuses them.
// Allocated anew each time, they were most of quickPoly's time: W4's sum
// of a hundred powers took 28 kB, and each product of two names in W2's
// gradient two allocations.
type quickScratch struct {
	terms arena[quickTerm]
	exps  arena[varExp]
	lists arena[[]quickTerm] // the polynomials of a sum's terms
	slots arena[int32]       // collectQuickMap's tables
	polys [][]quickTerm      // each atom's polynomial, by its index
	// index finds an atom's index by its ID once there are more than
	// linearAtoms of them: open addressing, 0 a free slot, at most half
	// full.
	index []uint64
	at    []int32
}

// quickPlain turns off the pooled scratch and the index of atoms: each
// quickPoly allocates its own lists and scans its atoms (the tests
// compare the two ways).
var quickPlain bool

// linearAtoms is the most atoms looked up by a scan of the list.
const linearAtoms = 8

// maxPooledScratch bounds the elements a scratch keeps for the next call.
const maxPooledScratch = 1 << 14

var quickPool = sync.Pool{New: func() any { return new(quickScratch) }}

func getQuickScratch() *quickScratch { return quickPool.Get().(*quickScratch) }

// putQuickScratch gives sc back to the pool, unless it grew past
// maxPooledScratch. The tables of collectQuickMap are zeroed, as it
// needs them; the lists of terms and exponents are not (poly writes
// every element of a list it cuts before reading it, and clearing the
// pointers of a list of terms while the collector runs was a third of
// the time): what they hold of the last call (numbers, other lists of
// the scratch) is overwritten by the next, or dropped with the pool.
// The atoms' polynomials and index are cleared: no node stays alive.
func putQuickScratch(sc *quickScratch) {
	sc.terms.reset(false)
	sc.exps.reset(false)
	sc.lists.reset(false)
	sc.slots.reset(true)
	clear(sc.polys)
	sc.polys = sc.polys[:0]
	clear(sc.index)
	if sc.terms.size+sc.exps.size+sc.lists.size+sc.slots.size > maxPooledScratch {
		return
	}
	quickPool.Put(sc)
}

// An arena cuts lists from blocks it keeps: take's lists are capped at
// their length (appending to one never writes into the next), valid until
// reset, and zeroed if the arena was always reset with zero (else they
// may hold what the last user wrote).
type arena[T any] struct {
	blocks [][]T
	cur    int // the block being cut
	used   int // its elements cut so far
	size   int // the elements of all the blocks
}

func (a *arena[T]) take(n int) []T {
	for a.cur < len(a.blocks) {
		if b := a.blocks[a.cur]; len(b)-a.used >= n {
			out := b[a.used : a.used+n : a.used+n]
			a.used += n
			return out
		}
		a.cur, a.used = a.cur+1, 0
	}
	b := make([]T, max(n, 64, a.size)) // doubling the arena
	a.blocks = append(a.blocks, b)
	a.size += len(b)
	a.cur, a.used = len(a.blocks)-1, n
	return b[:n:n]
}

// reset makes what was cut available again, zeroed if zero.
func (a *arena[T]) reset(zero bool) {
	for i := range a.blocks {
		if i > a.cur || !zero {
			break
		}
		clear(a.blocks[i])
	}
	a.cur, a.used = 0, 0
}

func (q *quick) scratch() *quickScratch {
	if q.sc == nil {
		q.sc = new(quickScratch)
	}
	return q.sc
}

// spend takes n from the work left and reports whether some is left.
func (q *quick) spend(n int) bool {
	q.left -= n
	return q.left >= 0
}

func (q *quick) atom(a ast.Expr) int {
	if len(q.atoms) <= linearAtoms || quickPlain {
		if i := slices.Index(q.atoms, a); i >= 0 {
			return i
		}
		q.atoms = append(q.atoms, a)
		if len(q.atoms) > linearAtoms && !quickPlain {
			for i, b := range q.atoms { // from now on by the index
				q.indexAtom(b, i)
			}
		}
		return len(q.atoms) - 1
	}
	sc := q.scratch()
	id := a.ID()
	mask := len(sc.index) - 1
	for i := int(id*0x9e3779b97f4a7c15>>32) & mask; sc.index[i] != 0; i = (i + 1) & mask {
		if sc.index[i] == id {
			return int(sc.at[i])
		}
	}
	q.atoms = append(q.atoms, a)
	q.indexAtom(a, len(q.atoms)-1)
	return len(q.atoms) - 1
}

// indexAtom enters the atom a at index i in the index by ID, which it
// grows to keep at most half full. IDs are never 0 (ast.NodeMap).
func (q *quick) indexAtom(a ast.Expr, i int) {
	sc := q.scratch()
	if 2*len(q.atoms) > len(sc.index) {
		size := max(64, 2*len(sc.index))
		for size < 2*len(q.atoms) {
			size *= 2
		}
		sc.index, sc.at = make([]uint64, size), make([]int32, size)
		for j, b := range q.atoms[:i] {
			q.putIndex(b.ID(), j)
		}
	}
	q.putIndex(a.ID(), i)
}

func (q *quick) putIndex(id uint64, i int) {
	sc := q.sc
	mask := len(sc.index) - 1
	k := int(id*0x9e3779b97f4a7c15>>32) & mask
	for sc.index[k] != 0 && sc.index[k] != id {
		k = (k + 1) & mask
	}
	sc.index[k], sc.at[k] = id, int32(i)
}

// atomPoly is the polynomial of the atom a, made once for each atom: the
// polynomials of poly are never modified in place (collect works
// on lists of its own), so occurrences share it.
func (q *quick) atomPoly(a ast.Expr) []quickTerm {
	i := q.atom(a)
	sc := q.scratch()
	if i == len(sc.polys) {
		t, m := q.terms(1), q.exps(1)
		m[0] = varExp{i, 1}
		t[0] = quickTerm{m: m, c: ast.Int(1), h: atomHash(i)}
		sc.polys = append(sc.polys, t)
	}
	return sc.polys[i]
}

// terms and exps cut lists of n from the scratch's blocks: the many
// small lists of a sum of powers of names take no allocation of their
// own.
func (q *quick) terms(n int) []quickTerm { return q.scratch().terms.take(n) }

func (q *quick) exps(n int) []varExp { return q.scratch().exps.take(n) }

func (q *quick) poly(e ast.Expr) ([]quickTerm, bool) {
	switch x := e.(type) {
	case *ast.Num:
		if x.Value.IsZero() {
			return nil, true
		}
		out := q.terms(1)
		out[0] = quickTerm{c: x.Value}
		return out, true
	case *ast.Call:
		if !q.calls || !isCallAtom(e) {
			return nil, false
		}
		return q.atomPoly(e), true
	case *ast.Sym, *ast.Index:
		return q.atomPoly(e), true
	case *ast.Neg:
		p, ok := q.poly(x.X)
		if !ok {
			return nil, false
		}
		out := q.terms(len(p))
		for i, t := range p {
			out[i] = quickTerm{t.m, t.c.Neg(), t.h}
		}
		return out, true
	case *ast.Add:
		ps := q.scratch().lists.take(len(x.Terms))
		n := 0
		monos := true
		for i, t := range x.Terms {
			p, ok := q.poly(t)
			if !ok {
				return nil, false
			}
			monos = monos && len(p) == 1
			ps[i] = p
			if n += len(p); n > maxQuickTerms {
				return nil, false
			}
		}
		if !q.spend(n * n / 2) {
			return nil, false
		}
		out := q.terms(n)[:0]
		for _, p := range ps {
			out = append(out, p...)
		}
		out = q.collect(out)
		if e == q.root {
			q.monoSum = monos && len(out) == len(x.Terms)
		}
		return out, true
	case *ast.Mul:
		var out []quickTerm
		for i, f := range x.Factors {
			p, ok := q.poly(f)
			if !ok {
				return nil, false
			}
			if i == 0 {
				// 1 times p is p, with the work mul spends on it (lists
				// are never modified in place once made: p may be shared).
				if len(p) > maxQuickTerms || !q.spend(len(p)*len(p)/2+len(p)) {
					return nil, false
				}
				out = p
				continue
			}
			if out, ok = q.mul(out, p); !ok {
				return nil, false
			}
		}
		return out, true
	case *ast.Div:
		d, isNum := x.Y.(*ast.Num)
		if !isNum || d.Value.IsZero() {
			return nil, false
		}
		p, ok := q.poly(x.X)
		if !ok {
			return nil, false
		}
		inv, ok := ast.Int(1).Quo(d.Value)
		if !ok {
			return nil, false
		}
		out := q.terms(len(p))
		for i, t := range p {
			out[i] = quickTerm{t.m, t.c.Mul(inv), t.h}
		}
		return out, true
	case *ast.Pow:
		n, isNum := x.Y.(*ast.Num)
		if !isNum {
			return nil, false
		}
		k, ok := n.Value.Int64()
		if !ok || !n.Value.IsInt() || k < 1 || k > maxQuickExp && !isName(x.X) && !(q.calls && isCallAtom(x.X)) || k > maxQuickNameExp {
			return nil, false
		}
		p, ok := q.poly(x.X)
		if !ok {
			return nil, false
		}
		if len(p) == 1 && p[0].c.IsOne() { // a name, or a product of names
			m := q.exps(len(p[0].m))
			for i, x := range p[0].m {
				m[i] = varExp{x.v, x.e * int(k)}
			}
			out := q.terms(1)
			out[0] = quickTerm{m, p[0].c, p[0].h * uint64(k)}
			return out, true
		}
		out := p
		for range k - 1 {
			if out, ok = q.mul(out, p); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// mul is mulQuick within the work left.
func (q *quick) mul(a, b []quickTerm) ([]quickTerm, bool) {
	n := len(a) * len(b)
	if n > maxQuickTerms || !q.spend(n*n/2+n) {
		return nil, false
	}
	return q.mulQuick(a, b)
}

// mulQuick multiplies two polynomials of quickPoly. The exponents of
// the products share one list; a product with one term has no terms
// to collect (multiplying by a monomial keeps the terms distinct).
func (q *quick) mulQuick(a, b []quickTerm) ([]quickTerm, bool) {
	if len(a)*len(b) > maxQuickTerms {
		return nil, false
	}
	wa, wb := 0, 0
	for _, t := range a {
		wa += len(t.m)
	}
	for _, t := range b {
		wb += len(t.m)
	}
	block := q.exps(wa*len(b) + wb*len(a))[:0]
	out := q.terms(len(a) * len(b))[:0]
	for _, s := range a {
		for _, t := range b {
			start := len(block)
			block = mergeExps(block, s.m, t.m)
			out = append(out, quickTerm{block[start:len(block):len(block)], s.c.Mul(t.c), s.h + t.h})
		}
	}
	if len(a) == 1 || len(b) == 1 {
		return out, true
	}
	return q.collect(out), true
}

// mergeExps appends the exponents of the product of the monomials a and
// b (each in increasing atom order) to dst.
func mergeExps(dst, a, b []varExp) []varExp {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].v < b[j].v:
			dst = append(dst, a[i])
			i++
		case a[i].v > b[j].v:
			dst = append(dst, b[j])
			j++
		default:
			dst = append(dst, varExp{a[i].v, a[i].e + b[j].e}) // exponents are positive: never 0
			i, j = i+1, j+1
		}
	}
	dst = append(dst, a[i:]...)
	return append(dst, b[j:]...)
}

// collect adds up the terms with equal exponents, in place, and drops
// those that cancel: pair by pair for a few, by hash for many (with the
// table of collectQuickMap cut from the scratch).
func (q *quick) collect(ts []quickTerm) []quickTerm {
	if len(ts) > 16 {
		return collectQuickMapIn(ts, q.scratch().slots.take(quickSlots(len(ts))))
	}
	return collectQuickPairs(ts)
}

// collectQuickPairs is collectQuick comparing each term with those kept.
func collectQuickPairs(ts []quickTerm) []quickTerm {
	out := ts[:0]
next:
	for _, t := range ts {
		for i := range out {
			if out[i].h == t.h && slices.Equal(out[i].m, t.m) {
				out[i].c = out[i].c.Add(t.c)
				continue next
			}
		}
		out = append(out, t)
	}
	return slices.DeleteFunc(out, func(t quickTerm) bool { return t.c.IsZero() })
}

// monoSumWork is a lower bound on the work the ring conversion (ring.rat)
// spends on a sum of n distinct monomials in names (quickPolySum's
// monoSum) with n <= maxTerms: each term is one term of a polynomial
// over 1, so from the second on ratRec adds it to the sum in place
// (addTermRat), and the sum over 1 of k terms is then reduced
// (reduceConst: k*(k + 3) + 4). The rest of the work (converting the
// terms, the additions themselves) is not counted. TestMonoSumWork
// checks it against the work the conversion spends.
func monoSumWork(n int) int64 {
	var w int64
	for k := int64(2); k <= int64(n); k++ {
		w += k*(k+3) + 4
	}
	return w
}

// collectQuickMap is collectQuick for many terms: each is looked up by
// its hash among those kept (a term whose hash matches one with other
// exponents, which is rare, is compared with each such term in turn),
// so that W4's hundred terms are not compared pair by pair. The terms keep the
// order of their first occurrence, as collectQuickPairs does.
func collectQuickMap(ts []quickTerm) []quickTerm {
	return collectQuickMapIn(ts, make([]int32, quickSlots(len(ts))))
}

// quickSlots is the size of collectQuickMap's table for n terms: a power
// of 2, at least 2n.
func quickSlots(n int) int {
	size := 1
	for size < 2*n {
		size *= 2
	}
	return size
}

// collectQuickMapIn is collectQuickMap with the table given, all zeros,
// of quickSlots(len(ts)) slots.
func collectQuickMapIn(ts []quickTerm, slot []int32) []quickTerm {
	// An open-addressed table of the terms kept, by hash: slot holds the
	// index in out plus 1 (0 is free); at most half full.
	mask := uint64(len(slot) - 1)
	out := ts[:0]
next:
	for _, t := range ts {
		i := t.h * 0x9e3779b97f4a7c15 >> 32 & mask
		for ; slot[i] != 0; i = (i + 1) & mask {
			if k := slot[i] - 1; out[k].h == t.h {
				if slices.Equal(out[k].m, t.m) {
					out[k].c = out[k].c.Add(t.c)
					continue next
				}
				// A collision: other exponents of the same hash. The
				// probe goes on; the term is kept apart if none matches.
			}
		}
		slot[i] = int32(len(out) + 1)
		out = append(out, t)
	}
	return slices.DeleteFunc(out, func(t quickTerm) bool { return t.c.IsZero() })
}

// A quickBound is what FormsBelowCost learns of a polynomial from
// quickPoly: the lower bound on what its forms write (minWrittenBy), its
// irreducibility by either test (irreducibleLinear, irreducibleSplit;
// decided only where the bound is at least the cost to beat), whether it
// is a sum of distinct monomials (monoSum) and its number of terms.
type quickBound struct {
	least       int
	irreducible bool
	monoSum     bool
	terms       int
}

// quickBoundOf computes e's quickBound from quickPoly's terms as they
// are, sparse, while its scratch is held: the dense exponent lists of
// quickPolyOf (a list of every atom for every term: W2's gradient at
// 10×3 has 40 terms in 43 atoms) and the passes over them are not made.
// cost is FormsBelowCost's (nil: names only, each counted 1); the
// irreducibility is decided only where least >= below. TestQuickBound
// compares it with quickPolyOf followed by the dense tests.
func quickBoundOf(e ast.Expr, below int, cost func(ast.Expr) int) (quickBound, bool) {
	sc := new(quickScratch)
	if !quickPlain {
		sc = getQuickScratch()
		defer putQuickScratch(sc)
	}
	q := quick{left: maxQuickWork, root: e, calls: cost != nil, atoms: make([]ast.Expr, 0, 8), sc: sc}
	p, ok := q.poly(e)
	if !ok {
		return quickBound{}, false
	}
	b := quickBound{monoSum: q.monoSum, terms: len(p)}
	n := len(q.atoms)
	// Per atom: its weight, the terms it occurs in, those where its
	// exponent is 1 (and the last of them), whether it is ever above 1.
	stats := make([]int32, 5*n)
	weight, with, ones, at, big := stats[:n], stats[n:2*n], stats[2*n:3*n], stats[3*n:4*n], stats[4*n:]
	for v, a := range q.atoms {
		weight[v] = 1
		if cost != nil && !isName(a) {
			weight[v] = int32(max(1, cost(a)))
		}
	}
	least, neg := 0, 0
	if len(p) > 0 {
		least = len(p) - 1
	}
	anyUnit, anyAtom := false, false
	for i, t := range p {
		c := 0
		for _, x := range t.m {
			w := int(weight[x.v])
			with[x.v]++
			if x.e == 1 {
				c += w
				ones[x.v]++
				at[x.v] = int32(i)
			} else {
				c += w + 2
				big[x.v] = 1
			}
		}
		if len(t.m) == 0 {
			c = 1
		} else {
			c += len(t.m) - 1
			anyAtom = true
		}
		least += c
		if t.c.Sign() < 0 {
			neg++
		}
		anyUnit = anyUnit || t.c.IsOne() || t.c.Neg().IsOne()
	}
	if cost != nil && !anyUnit && anyAtom {
		least += 2
	}
	b.least = least + min(neg, len(p)-neg)
	if b.least < below || len(p) < 2 {
		return b, true
	}
	// irreducibleLinear: an atom v of degree 1 in exactly one term, each
	// of whose other atoms some other term lacks.
	for v := range n {
		if big[v] != 0 || ones[v] != 1 {
			continue
		}
		coprime := true
		for _, x := range p[at[v]].m {
			if x.v != v && int(with[x.v]) == len(p) {
				coprime = false
				break
			}
		}
		if coprime {
			b.irreducible = true
			return b, true
		}
	}
	if cost == nil {
		return b, true
	}
	// irreducibleSplit: an atom v of degree 1 in some terms and absent
	// from others, the atoms of the first (but v) and of the second
	// disjoint.
	mark := make([]int32, n) // v+1 where an atom is among the first's
	for v := range n {
		if big[v] != 0 || ones[v] == 0 || int(ones[v]) == len(p) {
			continue
		}
		for _, t := range p {
			if hasAtom(t.m, v) {
				for _, x := range t.m {
					if x.v != v {
						mark[x.v] = int32(v + 1)
					}
				}
			}
		}
		disjoint := true
	terms:
		for _, t := range p {
			if hasAtom(t.m, v) {
				continue
			}
			for _, x := range t.m {
				if mark[x.v] == int32(v+1) {
					disjoint = false
					break terms
				}
			}
		}
		if disjoint {
			b.irreducible = true
			return b, true
		}
	}
	return b, true
}

// hasAtom reports whether the monomial m has the atom v.
func hasAtom(m []varExp, v int) bool {
	for _, x := range m {
		if x.v == v {
			return true
		}
	}
	return false
}
