package ast

import "strconv"

// Products that share their factors. The derivative of a product of n
// factors, (x+1)(x+2)...(x+n), is the sum of n products of n-1 factors,
// each leaving one factor out: n^2 factors written, though every term is a
// prefix of the factors times a suffix. Printed with those prefixes and
// suffixes named once, it is linear in n and exactly the same expression
// (the same factors multiplied, grouped otherwise; no division, so it is
// defined wherever the sum of products is, x = -k included):
//
//	s2 + (x + 1)*s3 + p2*s4 + p3 where p2 = (x + 1)*(x + 2),
//	p3 = p2*(x + 3), s3 = (x + 3)*(x + 4), s2 = (x + 2)*s3
//
// p_i is the product of the first i factors, s_i the product of the
// factors from the i-th on. The form is used under the threshold of Share
// (ShareMinNodes, ShareRatio), and only when the whole expression is such
// a sum.

// productShare returns the sum e written with named prefix and suffix
// products, and the names, when e is a sum of at least three products
// (each with an optional numeric coefficient first) that each leave out a
// different factor of one product of distinct factors, and the tree is
// over the threshold.
func productShare(e Expr) (Expr, []Named, bool) {
	a, ok := e.(*Add)
	if !ok || len(a.Terms) < 3 || e.Size() < ShareMinNodes {
		return nil, nil, false
	}
	coefs := make([]Expr, len(a.Terms))
	lists := make([][]Expr, len(a.Terms))
	for k, t := range a.Terms {
		m, ok := t.(*Mul)
		if !ok {
			return nil, nil, false
		}
		fs := m.Factors
		if n, ok := fs[0].(*Num); ok {
			coefs[k], fs = n, fs[1:]
		}
		if len(fs) < 2 || len(fs) != len(lists[0]) && k > 0 {
			return nil, nil, false
		}
		lists[k] = fs
	}
	var all []Expr
	var left []int // the factor term k leaves out
	for _, cand := range productsOf(lists[0], lists[1]) {
		if l, ok := leftOuts(cand, lists); ok {
			all, left = cand, l
			break
		}
	}
	if all == nil {
		return nil, nil, false
	}
	n := len(all)
	// Prefixes p[i] = all[0]*...*all[i-1], suffixes s[i] = all[i]*...*all[n-1],
	// as far as the terms need them.
	maxLeft, minRight := 0, n
	for _, i := range left {
		maxLeft, minRight = max(maxLeft, i), min(minRight, i+1)
	}
	p := make([]Expr, n+1)
	s := make([]Expr, n+1)
	if maxLeft >= 1 {
		p[1] = all[0]
	}
	for i := 2; i <= maxLeft; i++ {
		p[i] = NewMul(p[i-1], all[i-1])
	}
	if minRight <= n-1 {
		s[n-1] = all[n-1]
	}
	for i := n - 2; i >= minRight; i-- {
		s[i] = NewMul(all[i], s[i+1])
	}
	terms := make([]Expr, len(lists))
	for k, i := range left {
		var fs []Expr
		if coefs[k] != nil {
			fs = append(fs, coefs[k])
		}
		if i > 0 {
			fs = append(fs, p[i])
		}
		if i+1 < n {
			fs = append(fs, s[i+1])
		}
		terms[k] = NewMul(fs...)
	}
	body := NewAdd(terms...)
	// Printed with names: a reference per term's part and two per name.
	if e.Size() < ShareRatio*int64(3*len(terms)+3*(maxLeft+n-minRight)) {
		return nil, nil, false
	}
	pp, sp := productPrefixes(all)
	var named []Named
	for i := 2; i <= maxLeft; i++ {
		named = append(named, Named{Name: pp + strconv.Itoa(i), Expr: p[i]})
	}
	for i := n - 2; i >= minRight; i-- {
		named = append(named, Named{Name: sp + strconv.Itoa(i+1), Expr: s[i]})
	}
	return body, named, true
}

// productsOf returns the products (as lists of factors) that a and b
// could each leave one factor of out: at most two, as when a and b
// differ in adjacent places either order of the two fits.
func productsOf(a, b []Expr) [][]Expr {
	p := 0
	for p < len(a) && a[p] == b[p] {
		p++
	}
	if p == len(a) {
		return nil // the same product twice
	}
	var out [][]Expr
	for _, c := range [][2][]Expr{{a, b}, {b, a}} {
		x, y := c[0], c[1]
		// x leaves out an earlier factor than y: it is y[p].
		all := make([]Expr, 0, len(x)+1)
		all = append(append(append(all, x[:p]...), y[p]), x[p:]...)
		if leftOut(all, y) >= 0 {
			out = append(out, all)
		}
	}
	return out
}

// leftOuts returns, for each list of factors, the index of the factor of
// all it leaves out, when each leaves out a different one of distinct
// factors.
func leftOuts(all []Expr, lists [][]Expr) ([]int, bool) {
	seen := make(map[Expr]bool, len(all))
	for _, f := range all {
		if seen[f] {
			return nil, false // a factor twice: its powers are not this shape
		}
		seen[f] = true
	}
	left := make([]int, len(lists))
	used := make([]bool, len(all))
	for k, fs := range lists {
		i := leftOut(all, fs)
		if i < 0 || used[i] {
			return nil, false
		}
		left[k], used[i] = i, true
	}
	return left, true
}

// leftOut returns the index of the one factor of all that fs lacks, fs
// being the others in order, or -1.
func leftOut(all, fs []Expr) int {
	if len(fs) != len(all)-1 {
		return -1
	}
	i := 0
	for i < len(fs) && fs[i] == all[i] {
		i++
	}
	for j := i; j < len(fs); j++ {
		if fs[j] != all[j+1] {
			return -1
		}
	}
	return i
}

// productPrefixes picks the letters of the prefix and suffix names: p and
// s unless a free name of the factors (which are all the sum's names)
// would clash (see sharePrefix).
func productPrefixes(factors []Expr) (string, string) {
	seen := map[string]bool{}
	var free []string
	for _, f := range factors {
		for _, n := range FreeNames(f) {
			if !seen[n] {
				seen[n] = true
				free = append(free, n)
			}
		}
	}
	pp := prefixAvoiding(free, []string{"p", "pre", "u"})
	sp := prefixAvoiding(free, []string{"s", "suf", "v"})
	if pp == sp {
		sp += "_"
		for clashes(free, sp) {
			sp += "_"
		}
	}
	return pp, sp
}
