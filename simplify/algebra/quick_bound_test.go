package algebra

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestQuickBound compares quickBoundOf, which reads quickPoly's sparse
// terms, with quickPolyOf's dense terms and the tests on them
// (minWrittenBy, irreducibleLinear, irreducibleSplit), on polynomials in
// names and calls of the shapes FormsBelowCost meets: sums of products
// of sums (a gradient of least squares), a*v + b with a and b in names
// apart or shared, sums of powers, many atoms; and FormsBelowCost with
// each of the two.
func TestQuickBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 41))
	names := []string{"a", "b", "c", "d", "w[1]", "sin(x)", "sigma(a*x + b)", "tanh(y)"}
	sum := func(ns []string) string {
		var ts []string
		for range 1 + rng.IntN(3) {
			m := []string{fmt.Sprint([]int{1, -1, 2, 3, -5}[rng.IntN(5)])}
			for range rng.IntN(3) {
				n := ns[rng.IntN(len(ns))]
				if rng.IntN(4) == 0 {
					n += "^" + fmt.Sprint(2+rng.IntN(2))
				}
				m = append(m, n)
			}
			ts = append(ts, strings.Join(m, "*"))
		}
		return "(" + strings.Join(ts, " + ") + ")"
	}
	cost := func(e ast.Expr) int { return 1 + int(e.Size()%5) } // any weights >= 1 will do
	counts := map[string]int{}
	for i := range 3000 {
		var src string
		switch i % 6 {
		case 0:
			src = randMonoSum(rng)
		case 1:
			src = randNamesPoly(rng, 1+rng.IntN(5), 1+rng.IntN(4)) + "*(" + randNamesPoly(rng, 2, 2) + ")"
		case 2:
			src = randManyAtoms(rng)
		case 3:
			k := 1 + rng.IntN(5)
			left, right := names[1:1+k], names[1+k:]
			if rng.IntN(3) == 0 {
				right = names[1+rng.IntN(6):]
			}
			src = sum(left) + "*a + " + sum(right)
		case 4:
			var ts []string
			for j := range 1 + rng.IntN(4) {
				ts = append(ts, fmt.Sprintf("x%d*(w1*x%d - y%d + w2*z%d)", j, j, j, j))
				if rng.IntN(3) == 0 {
					ts[j] = fmt.Sprintf("x%d*(w1*x%d - y%d)", j, j, j)
				}
			}
			src = fmt.Sprint(1+rng.IntN(3)) + "*(" + strings.Join(ts, " + ") + ")/" + fmt.Sprint(1+rng.IntN(5))
		default:
			src = sum(names) + "*" + sum(names) + " - " + sum(names)
		}
		e := parsetest.MustParse(t, src, nil)
		for _, c := range []func(ast.Expr) int{nil, cost} {
			atoms, ts, monoSum, ok := quickPolyOf(e, c != nil)
			b, bok := quickBoundOf(e, 0, c)
			if ok != bok {
				t.Fatalf("%d: %s: quickPolyOf ok %v, quickBoundOf %v", i, src, ok, bok)
			}
			if !ok {
				counts["declined"]++
				continue
			}
			least := minWritten(ts)
			if c != nil {
				weight := make([]int, len(atoms))
				for v, a := range atoms {
					weight[v] = 1
					if !isName(a) {
						weight[v] = max(1, c(a))
					}
				}
				least = minWrittenBy(ts, weight)
			}
			irr := irreducibleLinear(ts) || c != nil && irreducibleSplit(ts)
			if b.least != least || b.irreducible != irr || b.monoSum != monoSum || b.terms != len(ts) {
				t.Fatalf("%d: %s (calls %v): quickBoundOf %+v, dense least %d, irreducible %v, monoSum %v, %d terms",
					i, src, c != nil, b, least, irr, monoSum, len(ts))
			}
			counts[fmt.Sprint("irreducible ", irr)]++
			// Above the bound, the irreducibility is not decided.
			if hi, _ := quickBoundOf(e, least+1, c); hi.irreducible || hi.least != least {
				t.Fatalf("%d: %s: above the bound %+v", i, src, hi)
			}
			if i%40 == 0 {
				for _, below := range []int{least, least + 1, least - 3} {
					f1, g1, x1 := FormsBelowCost(e, 50_000, below, c)
					sparseBound = false
					f2, g2, x2 := FormsBelowCost(e, 50_000, below, c)
					sparseBound = true
					if f1 != f2 || g1 != g2 || x1 != x2 {
						t.Fatalf("%d: %s below %d: forms differ with the dense bound", i, src, below)
					}
				}
			}
		}
	}
	t.Log(counts)
	if counts["irreducible true"] < 300 || counts["irreducible false"] < 300 {
		t.Errorf("too few of each answer: %v", counts)
	}
}
