package simplify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// randNested writes a random polynomial in the shape of a gradient
// written out: a sum of products of a number, names and sums of
// monomials with small coefficients, sometimes over a number. Names are
// drawn from few or many, so that some sums share their factors (and
// factor) and some do not.
func randNested(rng *rand.Rand) string {
	names := []string{"a", "b", "c", "x1", "x2", "y1", "y2", "w[1]", "w[2]", "z"}[:3+rng.IntN(8)]
	name := func() string { return names[rng.IntN(len(names))] }
	mono := func() string {
		t := []string{fmt.Sprint([]int{1, 1, 1, 1, -1, -1, 2, -3}[rng.IntN(8)])}
		for range 1 + rng.IntN(2) {
			t = append(t, name())
			if rng.IntN(5) == 0 {
				t[len(t)-1] += "^2"
			}
		}
		return strings.Join(t, "*")
	}
	sum := func() string {
		var ts []string
		for range 2 + rng.IntN(3) {
			ts = append(ts, mono())
		}
		return "(" + strings.Join(ts, " + ") + ")"
	}
	if rng.IntN(8) == 0 { // a power sum, x + x^2/2 + ... or its derivative
		var terms []string
		for k := 1; k <= 2+rng.IntN(30); k++ {
			if rng.IntN(3) > 0 {
				terms = append(terms, fmt.Sprintf("%s^%d/%d", names[0], k, []int{1, 1, k}[rng.IntN(3)]))
			}
		}
		return strings.Join(append(terms, "1"), " + ")
	}
	var terms []string
	for range 1 + rng.IntN(4) {
		t := mono()
		if rng.IntN(4) > 0 {
			t += "*" + sum()
		}
		if rng.IntN(6) == 0 {
			t += "*" + sum()
		}
		terms = append(terms, t)
	}
	e := strings.Join(terms, " + ")
	if rng.IntN(3) == 0 {
		e = "(" + e + ")/" + fmt.Sprint(2+rng.IntN(5))
	}
	return e
}

// TestFormsBound: best with the forms that cannot win skipped
// (algebra.FormsBelow) chooses exactly what it chooses with every form
// built, and the forms it builds are those Forms builds, on random polynomials in the shape of gradients; where forms
// are skipped, each of them costs at least the bound that skipped them,
// which some reach; and the skip is taken often enough for the
// comparison to mean something.
func TestFormsBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 50))
	testFormsBound(t, func() string { return randNested(rng) })
}

// randCallsNested is randNested with calls among the names: σ, log and
// tanh of linear forms (W1's and W6's gradients), which the bound counts
// at their cost, and exp and sqrt, which it leaves to the ring; with
// coefficients none of which is 1 (the number every form writes) in some.
func randCallsNested(rng *rand.Rand) string {
	calls := []string{"sigma(w1*x1 + w2*x2)", "sigma(w1*y1 + w2*y2)", "log(y1)", "tanh(a - b)", "sigma(c)",
		"exp(a)", "exp(-a)", "sqrt(x1)", "log(1 + 1/(a + b))"}
	names := []string{"a", "b", "x1", "y1", "w[1]"}[:2+rng.IntN(4)]
	atom := func() string {
		if rng.IntN(2) == 0 {
			return calls[rng.IntN(len(calls))]
		}
		return names[rng.IntN(len(names))]
	}
	coef := []string{"1", "1", "-1", "2", "-3", "1/3"}
	if rng.IntN(3) == 0 {
		coef = []string{"2", "-2", "3", "-1/3", "0.5"}
	}
	mono := func() string {
		t := []string{coef[rng.IntN(len(coef))]}
		for range 1 + rng.IntN(3) {
			t = append(t, atom())
			if rng.IntN(5) == 0 {
				t[len(t)-1] += "^2"
			}
		}
		return strings.Join(t, "*")
	}
	var terms []string
	for range 1 + rng.IntN(6) {
		t := mono()
		if rng.IntN(4) == 0 {
			t += "*(" + mono() + " + " + mono() + ")"
		}
		terms = append(terms, t)
	}
	e := strings.Join(terms, " + ")
	if rng.IntN(3) == 0 {
		e = "(" + e + ")/" + fmt.Sprint(2+rng.IntN(5))
	}
	return e
}

// TestFormsBoundCalls is TestFormsBound on polynomials in names and
// calls (randCallsNested) and on W1's and W6's gradients written out.
func TestFormsBoundCalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 51))
	i := 0
	testFormsBound(t, func() string {
		i++
		if i%4 < 2 { // Σ x_i1 (σ(z_i) − y_i) and Σ x_i1 x_i2 σ(z_i)(1 − σ(z_i)), n×2
			n := 1 + rng.IntN(4)
			var ts []string
			for k := 1; k <= n; k++ {
				s := fmt.Sprintf("sigma(w1*x_%d_1 + w2*x_%d_2)", k, k)
				if i%4 == 0 {
					ts = append(ts, fmt.Sprintf("x_%d_1*x_%d_2*%s*(1 - %s)", k, k, s, s))
				} else {
					ts = append(ts, fmt.Sprintf("x_%d_1*(%s - y%d)", k, s, k))
				}
			}
			return "(" + strings.Join(ts, " + ") + ")/" + fmt.Sprint(n)
		}
		return randCallsNested(rng)
	})
}

// testFormsBound runs TestFormsBound's checks on 400 expressions from
// next.
func testFormsBound(t *testing.T, next func() string) {
	t.Helper()
	skipped, tight, skippedForms := 0, 0, 0
	simp := New(Options{Rules: load.Builtin()})
	for i := range 400 {
		src := next()
		e := parsetest.MustParse(t, src, nil)
		if i%2 == 0 { // as the simplifier shows it
			c, _ := simp.Normalize(context.Background(), e, false)
			if shown, err := TidyContext(context.Background(), c); err == nil {
				e = shown
			}
		}
		got, grule := best(context.Background(), e, false)
		formsBound = false
		want, wrule := best(context.Background(), e, false)
		formsBound = true
		if got != want || grule != wrule {
			t.Fatalf("%d: best(%s) is %s (%v) with the bound, %s (%v) without", i, ast.String(e), ast.String(got), grule, ast.String(want), wrule)
		}
		c := Cost(e)
		f, tg, x := algebra.Forms(e, reshapeWork)
		bf, btg, bx := algebra.FormsBelowCost(e, reshapeWork, c, Cost)
		for k, y := range []ast.Expr{f, tg, x} {
			if by := []ast.Expr{bf, btg, bx}[k]; by != nil && by != y {
				t.Fatalf("%d: form %d of %s is %s with the bound, %s without", i, k, ast.String(e), ast.String(by), ast.String(y))
			} else if by == nil && y != nil {
				if Cost(y) < c {
					t.Fatalf("%d: %s (cost %d) skipped as no cheaper than %s (cost %d)", i, ast.String(y), Cost(y), ast.String(e), c)
				}
				skippedForms++
			}
		}
		if bf != nil || btg != nil || bx != nil {
			continue
		}
		if f == nil && tg == nil && x == nil {
			continue // none could be computed either
		}
		skipped++
		// The bound itself: the largest cost the forms are skipped below.
		bound := c
		for {
			if f, tg, x := algebra.FormsBelowCost(e, reshapeWork, bound+1, Cost); f != nil || tg != nil || x != nil {
				break
			}
			bound++
		}
		least := -1
		for _, y := range []ast.Expr{f, tg, x} {
			if y == nil {
				continue
			}
			if Cost(y) < bound {
				t.Fatalf("%d: %s costs %d, below the bound %d (%s costs %d)", i, ast.String(y), Cost(y), bound, ast.String(e), c)
			}
			if least < 0 || Cost(y) < least {
				least = Cost(y)
			}
		}
		if least == bound {
			tight++
		}
	}
	if skipped < 40 {
		t.Fatalf("the forms of only %d of 400 expressions skipped: the test checks too little", skipped)
	}
	if tight == 0 {
		t.Fatalf("the bound is never reached: the test would not see it overestimate")
	}
	t.Logf("all forms of %d expressions skipped, %d with the bound reached; %d forms skipped in all", skipped, tight, skippedForms)
}

// TestReshapeShortcuts: reshape skipping the searches that fnsOf rules
// out (no call, no sum over an index, no exponential or hyperbolic
// function, no softplus) gives exactly the form and rule it gives
// running them all, on random polynomials in names and calls, as
// written and as the simplifier shows them, and on expressions with
// exponentials, hyperbolic functions, softplus and sums over an index.
func TestReshapeShortcuts(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 53))
	srcs := []string{
		"exp(x)/(1 + exp(x))", "(exp(2*x) - 1)/(exp(2*x) + 1)", "sinh(x)/cosh(x) + x*cosh(x)",
		"sigma(x)*(1 - sigma(x))", "x - softplus(x)", "log(sigma(x)) + softplus(-x)",
		"sum(i = 1..n, x[i]*(y[i] - w*x[i]))", "sum(i = 1..n, exp(z[i]))*a + a*b", "2*x*(x + 1) + 2*x",
		"exp(z1)/(exp(z1) + exp(z2))*(1 - exp(z1)/(exp(z1) + exp(z2)))", "tanh(x)^2 - 1 + tanh(x)",
		"d(x^2, x) + x*(x + 1)", "sqrt(x)*sqrt(x) + x*y + x", "exp(-a)*b + b",
		"2*sigma(2*x) - 1", "sigma(x) - sigma(-x)", "(2*sigma(2*x) - 1)*y + y",
	}
	for range 300 {
		if rng.IntN(2) == 0 {
			srcs = append(srcs, randNested(rng))
		} else {
			srcs = append(srcs, randCallsNested(rng))
		}
	}
	simp := New(Options{Rules: load.Builtin()})
	for i, src := range srcs {
		e := parsetest.MustParse(t, src, nil)
		for _, x := range []ast.Expr{e, shownForm(t, simp, e)} {
			for _, sigmaTanh := range []bool{false, true} {
				got, grule := reshape(context.Background(), x, sigmaTanh)
				reshapeShortcuts = false
				want, wrule := reshape(context.Background(), x, sigmaTanh)
				reshapeShortcuts = true
				if got != want || grule != wrule {
					t.Fatalf("%d: reshape(%s, %v) is %s (%v) with the shortcuts, %s (%v) without",
						i, ast.String(x), sigmaTanh, ast.String(got), grule, ast.String(want), wrule)
				}
			}
		}
	}
}

// shownForm is e as the simplifier shows it before reshaping: its
// canonical form tidied (e itself where that fails).
func shownForm(t *testing.T, simp *Simplifier, e ast.Expr) ast.Expr {
	t.Helper()
	if ast.HasDeriv(e) {
		return e
	}
	c, _ := simp.Normalize(context.Background(), e, false)
	if shown, err := TidyContext(context.Background(), c); err == nil {
		return shown
	}
	return e
}

// TestFnsOfTree: fnsOf walking a small expression as a tree (visiting
// only the nodes it notes something of) finds what the walk by node
// finds, on random expressions with calls, sums over an index,
// derivatives, products of sums, quotients and powers.
func TestFnsOfTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 80))
	g := parsetest.NewGen(rng)
	seen := fnSet(0)
	for i := range 3000 {
		var e ast.Expr
		switch i % 3 {
		case 0:
			e = g.Expr(4)
		case 1:
			e = parsetest.MustParse(t, randCallsNested(rng), nil)
		default:
			e = parsetest.MustParse(t, randNested(rng), nil)
			if rng.IntN(2) == 0 {
				e = ast.NewDiv(ast.NewDeriv(e, ast.NewSym("x")), ast.NewCall("softplus", ast.NewSym("y")))
			}
		}
		if e.Size() > maxReshape {
			continue
		}
		got := fnsOf(e)
		fnsTree = false
		want := fnsOf(e)
		fnsTree = true
		if got != want {
			t.Fatalf("%d: fnsOf(%s) = %b as a tree, %b by node", i, ast.String(e), got, want)
		}
		seen |= got
	}
	if all := fnExp | fnSigma | fnCall | fnIndex | fnDeriv | fnProductSum | fnSoftplus; seen&all != all {
		t.Errorf("the inputs had only %b of %b", seen, all)
	}
}
