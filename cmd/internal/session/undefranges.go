package session

import (
	"fmt"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// Index ranges for the search of undefined parts. A part inside the body
// of a sum is evaluated at each point of the ranges in scope: the indices
// of the enclosing sums, each between its bounds (which may use the
// indices further out), and the free names of the bounds, which are sizes
// and free indices: whole numbers from 1 (README, "What proved, refuted
// and unknown mean"). A part is reported only where, for every value of
// the sizes, a point is reached where it is undefined: the witness puts
// each index at one end of its range, and the conditions (each sum's range
// on the way holds a point; the mean's range is empty there) become
// expressions in the sizes alone, decided where they are linear with no
// negative coefficient (least at 1). Anything else is left undecided, and
// an undecided range decides nothing.

// binding is one enclosing sum or mean in scope.
type binding struct {
	v      string
	lo, hi ast.Expr
	mean   bool
}

// leastOverSizes is the smallest value of a canonical integer expression
// d over its names, each a whole number from 1: d at 1 when d is linear
// with no negative coefficient; false otherwise (d is unbounded below, or
// not linear).
func leastOverSizes(d ast.Expr) (ast.Number, bool) {
	if n, ok := d.(*ast.Num); ok {
		return n.Value, true
	}
	terms := []ast.Expr{d}
	if a, ok := d.(*ast.Add); ok {
		terms = a.Terms
	}
	least := ast.Int(0)
	for _, t := range terms {
		k, m := simplify.SplitCoeff(t)
		switch m.(type) {
		case *ast.Num:
			least = least.Add(k) // m is 1
		case *ast.Sym:
			if k.Sign() < 0 {
				return ast.Number{}, false
			}
			least = least.Add(k)
		default:
			return ast.Number{}, false
		}
	}
	return least, true
}

// bound reports whether name is the index of a sum in scope.
func bound(scope []binding, name string) bool {
	for _, b := range scope {
		if b.v == name {
			return true
		}
	}
	return false
}

// witness reports whether, for every value of the sizes, a point of the
// ranges in scope is reached where d >= 1 (no condition for a nil d): each
// index at one end of its range, every sum's range on the way holding a
// point (a mean's range that is empty there makes the mean undefined, which
// is as good). It names the point's indices that d depends on ("i = n").
// The ends are tried in every combination up to 5 indices (each index at
// its low end, then each at its high end, beyond).
func witness(scope []binding, d ast.Expr, canonical func(ast.Expr) ast.Expr) ([]string, bool) {
	k := len(scope)
	masks := []int{0, 1<<k - 1}
	if k <= 5 {
		masks = masks[:0]
		for m := range 1 << k {
			masks = append(masks, m)
		}
	}
	end := func(m, j int) ast.Expr {
		if m&(1<<j) != 0 {
			return scope[j].hi
		}
		return scope[j].lo
	}
	// at puts the indices scope[:from+1] at their ends, innermost first (an
	// end names only indices further out).
	at := func(e ast.Expr, m, from int) ast.Expr {
		for j := from; j >= 0; j-- {
			if ast.HasFree(e, scope[j].v) {
				e = ast.Subst(e, map[string]ast.Expr{scope[j].v: end(m, j)})
			}
		}
		return canonical(e)
	}
	for _, m := range masks {
		ok := true
		for j := 0; j < k && ok; j++ {
			if scope[j].mean || scope[j].lo == scope[j].hi {
				continue
			}
			least, decided := leastOverSizes(at(ast.NewAdd(scope[j].hi, ast.NewNeg(scope[j].lo)), m, j-1))
			ok = decided && least.Sign() >= 0
		}
		if !ok {
			continue
		}
		if d == nil {
			return nil, true
		}
		if least, decided := leastOverSizes(at(d, m, k-1)); !decided || least.Cmp(ast.Int(1)) < 0 {
			continue
		}
		var names []string
		for j := k - 1; j >= 0; j-- {
			if ast.HasFree(d, scope[j].v) {
				names = append(names, scope[j].v+" = "+ast.String(end(m, j)))
				d = ast.Subst(d, map[string]ast.Expr{scope[j].v: end(m, j)})
			}
		}
		return names, true
	}
	return nil, false
}

// emptySomewhere reports whether the range lo..hi (with names) is empty at
// some point reached in scope for every value of the sizes, and says
// where: a mean over it is then undefined. mean(i=2*n..n, ...) (n >= 1),
// mean(j=i + 1..i, ...) at every i, mean(j=i + 1..n, ...) inside
// sum(i=1..n, ...) at i = n.
func emptySomewhere(lo, hi ast.Expr, scope []binding, canonical func(ast.Expr) ast.Expr) (string, bool) {
	if n, ok := lo.(*ast.Num); ok && n.Value.Cmp(ast.Int(1)) <= 0 {
		if s, ok := hi.(*ast.Sym); ok && !bound(scope, s.Name) {
			return "", false // 1..n: a size is at least 1
		}
	}
	if lo == hi {
		return "", false
	}
	d := canonical(ast.NewAdd(lo, ast.NewNeg(hi)))
	at, ok := witness(scope, d, canonical)
	if !ok {
		return "", false
	}
	why := fmt.Sprintf("mean over an empty range %s..%s", ast.String(lo), ast.String(hi))
	if len(at) > 0 {
		why += " at " + strings.Join(at, ", ")
	}
	if names := ast.FreeNames(d); len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return bound(scope, n) }) {
		why += fmt.Sprintf(" for every %s from 1 (sizes are whole numbers from 1)", strings.Join(names, ", "))
	}
	return why, true
}
