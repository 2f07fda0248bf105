package algebra

// The bound that lets a caller of FormsBelow skip the forms of a
// polynomial that cannot be cheaper than what it has (issue 15: the
// gradient of a least-squares loss written out is such a polynomial, and
// factoring it was a third of its display search).

// minWritten is a lower bound on the names, numbers and operations
// written in any of the forms Forms makes of the polynomial p (with no
// negative exponent) when p is irreducible and its atoms are names: each
// form writes p's terms in full, expanded (times a number, maybe negated,
// maybe over a number). A sum of n terms is n - 1 operations; a term with
// k names is at least the k names and k - 1 products, a name raised to a
// power x^2 two more (the power and its exponent); a term without a name
// is a number, at least 1; and a term written with a minus sign one more,
// for the minus: the terms of one sign or the other, whichever are fewer
// (a form may write -p). A coefficient or a denominator only adds to it.
func minWritten(p poly) int {
	if len(p.terms) == 0 {
		return 0
	}
	n := len(p.terms) - 1
	neg := 0
	for _, t := range p.terms {
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
		if t.c.Sign() < 0 {
			neg++
		}
	}
	return n + min(neg, len(p.terms)-neg)
}

// irreducibleLinear reports that p, a polynomial (no negative exponent),
// is irreducible over the rationals by a sufficient test: some variable
// v has degree 1 in p, its coefficient is one term a, and no variable of
// a divides the rest b = p - a*v (some term of b lacks it), with b not
// zero. Then gcd(a, b) = 1, so p = a*v + b is primitive in v and of
// degree 1 in it, and a factor of p without v would divide the content
// (Gauss's lemma): p is irreducible, with no monomial factor. False says
// only that the test did not decide.
func irreducibleLinear(p poly) bool {
	if len(p.terms) < 2 {
		return false
	}
	for _, t := range p.terms {
		for _, e := range t.m {
			if e < 0 {
				return false
			}
		}
	}
	for v := 0; v < p.n; v++ {
		at, ok := -1, true
		for i, t := range p.terms {
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
		for u, e := range p.terms[at].m {
			if u == v || e == 0 {
				continue
			}
			lacks := false
			for j, t := range p.terms {
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
