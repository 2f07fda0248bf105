package algebra

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// The bound that lets a caller of FormsBelow skip the forms of a
// polynomial that cannot be cheaper than what it has (issue 15: the
// gradient of a least-squares loss written out is such a polynomial, and
// factoring it was a third of its display search).

// A signedMono is a term of a polynomial as the bound sees it: its
// exponents (none negative) and whether its coefficient is negative.
type signedMono struct {
	m   mono
	neg bool
}

// signedMonos lists the terms of p.
func signedMonos(p poly) []signedMono {
	out := make([]signedMono, len(p.terms))
	for i, t := range p.terms {
		out[i] = signedMono{t.m, t.c.Sign() < 0}
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
func minWritten(ts []signedMono) int {
	if len(ts) == 0 {
		return 0
	}
	n := len(ts) - 1
	neg := 0
	for _, t := range ts {
		k, c := 0, 0
		for _, e := range t.m {
			switch {
			case e < 0:
				return 0 // not a polynomial: no bound
			case e == 1:
				k, c = k+1, c+1
			case e > 1:
				k, c = k+1, c+3
			}
		}
		if k == 0 {
			c = 1
		} else {
			c += k - 1
		}
		n += c
		if t.neg {
			neg++
		}
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

// quickPoly multiplies out e when it is a polynomial in names (Sym and
// Index) written with sums, products, negations, numbers, quotients by a
// number and positive integer powers (small ones of sums), and returns its
// terms with their atoms in order of first appearance. It is the
// polynomial the ring conversion (ring.rat) makes of such an e, without
// the ring: exact numbers, the terms in a slice, no atom table to build.
// ok is false for any other e, or past its limits.
func quickPoly(e ast.Expr) (atoms []ast.Expr, ts []signedMono, ok bool) {
	q := quick{left: maxQuickWork}
	p, ok := q.poly(e)
	if !ok {
		return nil, nil, false
	}
	ts = make([]signedMono, len(p))
	for i, t := range p {
		m := make(mono, len(q.atoms))
		copy(m, t.m)
		ts[i] = signedMono{m, t.c.Sign() < 0}
	}
	return q.atoms, ts, true
}

// A quickTerm is a term of quickPoly: exponents by atom index (shorter
// than the atom table when the later atoms are absent) and the exact
// coefficient, never zero.
type quickTerm struct {
	m []int
	c ast.Number
}

type quick struct {
	atoms []ast.Expr
	left  int // work left (maxQuickWork)
}

// spend takes n from the work left and reports whether some is left.
func (q *quick) spend(n int) bool {
	q.left -= n
	return q.left >= 0
}

func (q *quick) atom(a ast.Expr) int {
	if i := slices.Index(q.atoms, a); i >= 0 {
		return i
	}
	q.atoms = append(q.atoms, a)
	return len(q.atoms) - 1
}

func (q *quick) poly(e ast.Expr) ([]quickTerm, bool) {
	switch x := e.(type) {
	case *ast.Num:
		if x.Value.IsZero() {
			return nil, true
		}
		return []quickTerm{{c: x.Value}}, true
	case *ast.Sym, *ast.Index:
		m := make([]int, q.atom(e)+1)
		m[len(m)-1] = 1
		return []quickTerm{{m: m, c: ast.Int(1)}}, true
	case *ast.Neg:
		p, ok := q.poly(x.X)
		if !ok {
			return nil, false
		}
		out := make([]quickTerm, len(p))
		for i, t := range p {
			out[i] = quickTerm{t.m, t.c.Neg()}
		}
		return out, true
	case *ast.Add:
		var out []quickTerm
		for _, t := range x.Terms {
			p, ok := q.poly(t)
			if !ok {
				return nil, false
			}
			out = append(out, p...)
			if len(out) > maxQuickTerms {
				return nil, false
			}
		}
		if !q.spend(len(out) * len(out) / 2) {
			return nil, false
		}
		return collectQuick(out), true
	case *ast.Mul:
		out := []quickTerm{{c: ast.Int(1)}}
		for _, f := range x.Factors {
			p, ok := q.poly(f)
			if !ok {
				return nil, false
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
		out := make([]quickTerm, len(p))
		for i, t := range p {
			out[i] = quickTerm{t.m, t.c.Mul(inv)}
		}
		return out, true
	case *ast.Pow:
		n, isNum := x.Y.(*ast.Num)
		if !isNum {
			return nil, false
		}
		k, ok := n.Value.Int64()
		if !ok || !n.Value.IsInt() || k < 1 || k > maxQuickExp && !isName(x.X) || k > maxQuickNameExp {
			return nil, false
		}
		p, ok := q.poly(x.X)
		if !ok {
			return nil, false
		}
		if len(p) == 1 && p[0].c.IsOne() { // a name, or a product of names
			m := make([]int, len(p[0].m))
			for i, e := range p[0].m {
				m[i] = e * int(k)
			}
			return []quickTerm{{m, p[0].c}}, true
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
	return mulQuick(a, b)
}

// mulQuick multiplies two polynomials of quickPoly. The exponents of
// the products share one block; a product with one term has no terms
// to collect (multiplying by a monomial keeps the terms distinct).
func mulQuick(a, b []quickTerm) ([]quickTerm, bool) {
	if len(a)*len(b) > maxQuickTerms {
		return nil, false
	}
	w := 0
	for _, t := range a {
		w = max(w, len(t.m))
	}
	wb := 0
	for _, t := range b {
		wb = max(wb, len(t.m))
	}
	w = max(w, wb)
	block := make([]int, len(a)*len(b)*w)
	out := make([]quickTerm, 0, len(a)*len(b))
	for _, s := range a {
		for _, t := range b {
			m := block[:w:w]
			block = block[w:]
			copy(m, s.m)
			for i, e := range t.m {
				m[i] += e
			}
			out = append(out, quickTerm{m, s.c.Mul(t.c)})
		}
	}
	if len(a) == 1 || len(b) == 1 {
		return out, true
	}
	return collectQuick(out), true
}

// collectQuick adds up the terms with equal exponents, in place, and
// drops those that cancel.
func collectQuick(ts []quickTerm) []quickTerm {
	out := ts[:0]
next:
	for _, t := range ts {
		for i := range out {
			if sameExps(out[i].m, t.m) {
				out[i].c = out[i].c.Add(t.c)
				continue next
			}
		}
		out = append(out, t)
	}
	return slices.DeleteFunc(out, func(t quickTerm) bool { return t.c.IsZero() })
}

// sameExps compares exponent lists, a missing exponent being 0.
func sameExps(a, b []int) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	for i, e := range a {
		if i < len(b) {
			if e != b[i] {
				return false
			}
		} else if e != 0 {
			return false
		}
	}
	return true
}
