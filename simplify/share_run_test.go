package simplify

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestShareABaseByRuns: on sums of long products made one from another
// (W5's leave-one-out, factors left out, put back, swapped, replaced),
// among whose factors are powers of one base with numeric and symbolic
// exponents (so that a base occurs twice in a term, or not as itself),
// sometimes one factor put in every term and sometimes a number as a
// coefficient or as a term, shareABaseByRuns answers as a plain search
// does (each base of the first term looked for among the bases of every
// other term).
func TestShareABaseByRuns(t *testing.T) {
	x, y := ast.NewSym("x"), ast.NewSym("y")
	var pool []ast.Expr
	for k := 1; k <= 40; k++ {
		pool = append(pool, ast.NewAdd(ast.NewInt(int64(k)), x))
	}
	pool = append(pool, x, ast.NewPow(x, ast.NewInt(2)), ast.NewPow(x, y), y, ast.NewPow(y, ast.NewInt(-1)), ast.NewCall("sin", x))
	bases := func(t ast.Expr) []ast.Expr { // as commonFactor splits: a power's base when the exponent is a number
		fs := []ast.Expr{t}
		if m, ok := t.(*ast.Mul); ok {
			fs = m.Factors
		}
		var out []ast.Expr
		for i, f := range fs {
			if _, isNum := f.(*ast.Num); isNum && i == 0 {
				continue
			}
			if p, ok := f.(*ast.Pow); ok {
				if _, num := p.Y.(*ast.Num); num {
					f = p.X
				}
			}
			out = append(out, f)
		}
		return out
	}
	want := func(terms []ast.Expr) bool {
		if slices.ContainsFunc(terms, isNumber) {
			return false
		}
		for _, b := range bases(terms[0]) {
			all := true
			for _, t := range terms[1:] {
				if !slices.Contains(bases(t), b) {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
		return false
	}
	rng := rand.New(rand.NewPCG(5, 17))
	seen := map[bool]int{}
	for trial := range 400 {
		base := slices.Clone(pool)
		rng.Shuffle(len(base), func(i, j int) { base[i], base[j] = base[j], base[i] })
		base = base[:minRun+rng.IntN(len(pool)-minRun)]
		shared := pool[rng.IntN(len(pool))]
		cur := slices.Clone(base)
		terms := make([]ast.Expr, 2+rng.IntN(30))
		w5 := trial%4 == 1 // every factor left out in turn, as in W5: no base in every term (unless shared)
		if w5 {
			terms = make([]ast.Expr, len(base))
		}
		for j := range terms {
			next := slices.Clone(cur)
			op := rng.IntN(6)
			if w5 {
				op = 0
			}
			switch op {
			case 0:
				i := j % len(base)
				next = slices.Delete(slices.Clone(base), i, i+1)
			case 1:
				i := rng.IntN(len(next))
				next = slices.Delete(next, i, i+1)
			case 2:
				i := rng.IntN(len(next) + 1)
				next = slices.Insert(next, i, pool[rng.IntN(len(pool))])
			case 3:
				i, k := rng.IntN(len(next)), rng.IntN(len(next))
				next[i], next[k] = next[k], next[i]
			case 4:
				next[rng.IntN(len(next))] = pool[rng.IntN(len(pool))]
			default:
				next = slices.Clone(base)
			}
			if len(next) < minRun {
				next = slices.Clone(base)
			}
			cur = next
			fs := cur
			if trial%3 == 0 {
				fs = append(slices.Clone(cur), shared)
			}
			if rng.IntN(8) == 0 {
				fs = append([]ast.Expr{ast.NewInt(int64(2 + rng.IntN(3)))}, fs...)
			}
			terms[j] = ast.NewMul(fs...)
			if j > 0 && rng.IntN(40) == 0 {
				terms[j] = ast.NewInt(3)
			}
		}
		got, ok := shareABaseByRuns(terms)
		if !ok {
			t.Fatalf("trial %d: shareABaseByRuns declined a sum whose first term has %d factors", trial, len(cur))
		}
		if w := want(terms); got != w {
			t.Fatalf("trial %d: shareABaseByRuns = %v, the plain search %v", trial, got, w)
		}
		seen[got]++
	}
	if seen[true] < 50 || seen[false] < 50 {
		t.Errorf("answers: %v: too few of one kind", seen)
	}
}
