package simplify

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestCollectSumSeparate: where collectSum skips the grouping
// (separateMonomials: monomial terms with no name or call in two of them),
// the general path, grouping by each atom, keeps the sum as it is too. On
// random sums of monomials with numbers from 1 to beyond ±2^63, decimals,
// huge fractions, powers, quotients by a number and calls, written as Tidy
// writes them (the display form collectSum receives); about half of them
// share a name, which the general path then groups.
func TestCollectSumSeparate(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 21))
	nums := []string{"2", "3", "0.5", "2/3", "9223372036854775807", "9223372036854775808", "1e-30",
		"170141183460469231731687303715884105727/9223372036854775783"}
	atoms := []string{"x", "y", "z", "w1", "x11", "p[i]", "sin(x)", "sigma(z)", "u", "v", "tanh(x)", "exp(y)", "sqrt(u)", "v^(1/3)", "exp(-x)"}
	skipped, grouped := 0, 0
	for range 3000 {
		var terms []string
		// Half the sums draw distinct atoms (without the exponential and
		// the root, grouped by the general path), half draw at random.
		distinct := rng.IntN(2) == 0
		pool := rng.Perm(len(atoms) - 4)
		for range 2 + rng.IntN(4) {
			var fs []string
			if rng.IntN(2) == 0 {
				fs = append(fs, nums[rng.IntN(len(nums))])
			}
			for range 1 + rng.IntN(3) {
				f := atoms[rng.IntN(len(atoms))]
				if distinct && len(pool) > 0 {
					f, pool = atoms[pool[0]], pool[1:]
				}
				switch rng.IntN(5) {
				case 0:
					f += "^2"
				case 1:
					f += "^-1"
				}
				fs = append(fs, f)
			}
			term := strings.Join(fs, "*")
			switch rng.IntN(4) {
			case 0:
				term = "-" + term
			case 1:
				term += "/" + nums[rng.IntN(len(nums))]
			}
			terms = append(terms, term)
		}
		e, err := TidyContext(context.Background(), PlainCanonical(parsetest.MustParse(t, strings.Join(terms, " + "), nil)))
		if err != nil {
			t.Fatal(err)
		}
		a, ok := e.(*ast.Add)
		if !ok {
			continue
		}
		if !separateMonomials(a) {
			grouped++
			continue
		}
		skipped++
		if got := collectSumAll(context.Background(), a); got != ast.Expr(a) {
			t.Errorf("collect(%s) = %s; the sum has separate monomials, and the shortcut keeps it", ast.String(a), ast.String(got))
		}
	}
	if skipped < 300 || grouped < 300 {
		t.Errorf("%d sums of separate monomials, %d others: the inputs do not exercise both", skipped, grouped)
	}
	t.Logf("%d sums of separate monomials, %d others", skipped, grouped)
}
