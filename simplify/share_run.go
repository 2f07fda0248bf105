package simplify

import "github.com/symdiff/symdiff/ast"

// shareABaseByRuns is shareABase for a sum whose first term is a long
// product (minRun factors or more); ok is false for another sum. It goes
// through the terms in order keeping, for each base of the first term,
// how many factors of the current term have it: a term that shares its
// ends with the last one (ast.SharedEnds) changes those counts only by
// the factors in between, and only a base of the last term's in-between
// factors can be missing from it. The sum of the thousand products of
// d/dx Π(x+k) costs a comparison per factor, not a look-up.
func shareABaseByRuns(terms []ast.Expr) (shared, ok bool) {
	first, isNum := termFactors(terms[0])
	if isNum || len(first) < minRun || len(terms) < 2 {
		return false, false
	}
	var index ast.NodeMap[int32] // a base of the first term → its entry
	var count []int32            // factors of the current term with the base
	var alive []bool             // the base was in every term so far
	for _, f := range first {
		b := shareBase(f)
		k, found := index.Get(b)
		if !found {
			k = int32(len(count))
			index.Put(b, k)
			count = append(count, 0)
			alive = append(alive, true)
		}
		count[k]++
	}
	nAlive := len(alive)
	prev := first
	for _, t := range terms[1:] {
		cur, isNum := termFactors(t)
		if isNum {
			return false, true // a number has no base
		}
		p, s := ast.SharedEnds(cur, prev)
		gone, come := prev[p:len(prev)-s], cur[p:len(cur)-s]
		for _, f := range gone {
			if k, found := index.Get(shareBase(f)); found {
				count[k]--
			}
		}
		for _, f := range come {
			if k, found := index.Get(shareBase(f)); found {
				count[k]++
			}
		}
		for _, f := range gone {
			if k, found := index.Get(shareBase(f)); found && alive[k] && count[k] == 0 {
				alive[k] = false
				nAlive--
			}
		}
		if nAlive == 0 {
			return false, true
		}
		prev = cur
	}
	return true, true
}

// termFactors lists the factors of a term as shareABase counts them: a
// product's without its leading number, or the term itself; isNum when
// the term is a number.
func termFactors(t ast.Expr) (fs []ast.Expr, isNum bool) {
	switch x := t.(type) {
	case *ast.Num:
		return nil, true
	case *ast.Mul:
		if _, num := x.Factors[0].(*ast.Num); num {
			return x.Factors[1:], false
		}
		return x.Factors, false
	}
	return []ast.Expr{t}, false
}

// shareBase is a factor's base as commonFactor splits it: the base of a
// power with a numeric exponent, else the factor itself.
func shareBase(f ast.Expr) ast.Expr {
	b, e := splitPow(f)
	if _, ok := numOf(e); !ok {
		return f
	}
	return b
}
