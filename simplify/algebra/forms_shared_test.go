package algebra

import (
	"math/big"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestFormsSharedRat: Forms, which computes the rational function once
// for the factored and the one-fraction form, gives the very nodes the
// verbs give run one by one with their own budgets, at budgets from
// tiny (most forms give up, some part way) to ample, on the sympy
// factoring corpus and on rational functions.
func TestFormsSharedRat(t *testing.T) {
	src, err := os.ReadFile("testdata/sympy_factor.txt")
	if err != nil {
		t.Fatal(err)
	}
	ins := []string{
		"(x^2 - 1)/(x^2 + 2*x + 1)", "1/x + 1/y", "2*x11*(w1*x11 - y1 + w2*x12)/3 + 2*x21*(w1*x21 - y2 + w2*x22)/3",
		"exp(z)/(1 + exp(z))^2 - y/(1 + exp(z))", "(a + b)^3/(a^2 - b^2)", "sqrt(x)^2 + x/(x + 1)", "1/(x - x)",
	}
	for _, line := range strings.Split(string(src), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			p, _, _ := strings.Cut(line, "\t")
			ins = append(ins, p)
		}
	}
	one := func(f func(ast.Expr, *work) (ast.Expr, error), e ast.Expr, budget int64) (out ast.Expr) {
		defer func() {
			if recover() != nil {
				out = nil
			}
		}()
		out, _ = f(e, newWorkN(budget))
		return out
	}
	fac := func(e ast.Expr, w *work) (ast.Expr, error) {
		out, _, err := factor(e, w)
		return out, err
	}
	gave, made := 0, 0
	for _, in := range ins {
		e := parsetest.MustParse(t, in, nil)
		for _, budget := range []int64{10, 100, 300, 1000, 3000, 10_000, 50_000} {
			f, tg, x := Forms(e, budget)
			wf, wt, wx := one(fac, e, budget), one(together, e, budget), one(expand, e, budget)
			if f != wf || tg != wt || x != wx {
				t.Errorf("Forms(%s, %d) = %v, %v, %v; one by one %v, %v, %v", in, budget, f, tg, x, wf, wt, wx)
			}
			for _, y := range []ast.Expr{wf, wt} {
				if y == nil {
					gave++
				} else {
					made++
				}
			}
		}
	}
	if gave < 20 || made < 20 {
		t.Errorf("%d forms given up, %d made: the budgets do not exercise both", gave, made)
	}
}

// TestCollectEachMatchesCollect: grouping by each atom from one reading
// of e gives the nodes (and errors) Collect gives atom by atom.
func TestCollectEachMatchesCollect(t *testing.T) {
	ins := []string{
		"2*x11*(w1*x11 - y1 + w2*x12) + 2*x21*(w1*x21 - y2 + w2*x22) + 2*x31*(w1*x31 - y3 + w2*x32)",
		"a*x + b*x + x^2 + 1/x + c/(x + 1)", "y*sigma(z) - sigma(z)^2 - y + sigma(z)", "(x + y)^3 - x*y", "1/(x - x) + y",
		"exp(z)/(1 + exp(z))^2 - y/(1 + exp(z))", "sqrt(x)*y + x*y^2",
	}
	grouped := 0
	for _, in := range ins {
		e := parsetest.MustParse(t, in, nil)
		var atoms []ast.Expr
		ast.InspectOnce(e, func(x ast.Expr) bool {
			switch x.(type) {
			case *ast.Sym, *ast.Call:
				atoms = append(atoms, x)
			}
			return true
		})
		atoms = append(atoms, parsetest.MustParse(t, "q", nil)) // an atom e does not have
		outs, errs := CollectEach(e, atoms)
		for i, x := range atoms {
			want, werr := Collect(e, x)
			if outs[i] != want || (errs[i] == nil) != (werr == nil) {
				t.Errorf("collect(%s, %s): %v (%v), one by one %v (%v)", in, ast.String(x), outs[i], errs[i], want, werr)
			}
			if werr == nil {
				grouped++
			}
		}
	}
	if grouped < 20 {
		t.Errorf("only %d groupings made", grouped)
	}
}

// TestFormsExpandedOfPolynomial: where e is a polynomial in its atoms,
// Forms writes the expanded form from the rational function it already
// has (polynomialIn) instead of expanding e again. On random expressions
// of every kind, on polynomials with coefficients near ±2^63 and huge
// rationals, with monomial denominators, square roots and sums below a
// fraction (where the shortcut must not be taken), the expanded form is
// the very node expand gives. At small budgets the shortcut may succeed
// where expand alone gives up (it spends nothing more): then expand with
// an ample budget gives the same node.
func TestFormsExpandedOfPolynomial(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 3)))
	rng := rand.New(rand.NewPCG(2, 63))
	nums := []string{"1", "3", "2/3", "9223372036854775807", "9223372036854775806/3", "9223372036854775808",
		"170141183460469231731687303715884105727/9223372036854775783", "0.5", "1e-30"}
	atoms := []string{"x", "y", "z", "sin(x)", "exp(-y)", "sqrt(z)", "x^(3/2)"}
	randPolyExpr := func() string {
		var terms []string
		for range 1 + rng.IntN(4) {
			t := nums[rng.IntN(len(nums))]
			if rng.IntN(3) == 0 {
				t = "-" + t
			}
			for range rng.IntN(3) {
				t += "*" + atoms[rng.IntN(len(atoms))]
			}
			switch rng.IntN(6) {
			case 0:
				t += "/" + atoms[rng.IntN(len(atoms))]
			case 1:
				t += "/(" + atoms[rng.IntN(3)] + " + 1)"
			case 2:
				t = "(" + t + ")^2"
			case 3:
				t += "/" + nums[rng.IntN(len(nums))]
			}
			terms = append(terms, t)
		}
		return "(" + strings.Join(terms, " + ") + ")*(" + atoms[rng.IntN(len(atoms))] + " - " + nums[rng.IntN(len(nums))] + ")"
	}
	var ins []ast.Expr
	for _, src := range []string{"(x^2 - 1)/(x + 1)", "(x + 1)^2/(x + 1) - 3*x", "x*y/(y + 1)*(y + 1)", "(x + y)*(x - y)^-1*(x - y)^2",
		"sqrt(z)^2*x - z", "x^(1/2)*x^(3/2) + 1", "exp(y)*exp(-y)*x", "x^2/x + y/3"} {
		ins = append(ins, parsetest.MustParse(t, src, nil))
	}
	for range 400 {
		ins = append(ins, g.Expr(3), parsetest.MustParse(t, randPolyExpr(), nil))
	}
	shortcut, better := 0, 0
	for _, e := range ins {
		w := newWorkN(reshapeBudget)
		r := newRing(w, e)
		f, err := func() (f ratfn, err error) { defer catch(&err); return r.rat(e) }()
		if err == nil && polynomialIn(r, f, e) {
			shortcut++
		}
		for _, budget := range []int64{100, 1000, reshapeBudget} {
			_, _, x := Forms(e, budget)
			want := func() (out ast.Expr) {
				defer func() {
					if recover() != nil {
						out = nil
					}
				}()
				out, _ = expand(e, newWorkN(budget))
				return out
			}()
			if x == want {
				continue
			}
			if want == nil && x != nil {
				if ample, _ := expand(e, newWorkN(1<<40)); ample == x {
					better++
					continue
				}
			}
			t.Errorf("Forms(%s, %d): expanded %s, expand gives %s", ast.String(e), budget, show(x), show(want))
		}
	}
	if shortcut < 200 {
		t.Errorf("the shortcut was taken %d times of %d: the inputs do not exercise it", shortcut, len(ins))
	}
	t.Logf("shortcut taken on %d of %d inputs; %d forms made where expand alone gave up", shortcut, len(ins), better)
}

// reshapeBudget is the simplifier's budget for each form (maxReshape's
// companion in simplify/forms.go).
const reshapeBudget = 50_000

// show prints an expression, or "nil" for a form not made.
func show(e ast.Expr) string {
	if e == nil {
		return "nil"
	}
	return ast.String(e)
}

// TestLaurentInPlace: expand, whose sums accumulate one-term polynomials
// in place (lauInPlace), gives the node, or gives up at the budget, as
// the accumulation by add does, on random expressions of every kind and
// random polynomials with coefficients near ±2^63, huge rationals,
// cancelling terms and a limit on coefficient size, at budgets from tiny
// to ample.
func TestLaurentInPlace(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 9)))
	rng := rand.New(rand.NewPCG(3, 63))
	nums := []string{"1", "3", "2/3", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "0.5",
		"170141183460469231731687303715884105727/9223372036854775783", "2^20000", "3^9000"}
	var ins []ast.Expr
	for range 300 {
		var terms []string
		for range 1 + rng.IntN(12) {
			term := nums[rng.IntN(len(nums))]
			for range rng.IntN(3) {
				term += "*" + []string{"x", "y", "x^2", "1/x", "sin(y)"}[rng.IntN(5)]
			}
			if rng.IntN(3) == 0 {
				term = "-" + term
			}
			terms = append(terms, term)
		}
		ins = append(ins, g.Expr(3), parsetest.MustParse(t, strings.Join(terms, " + "), nil))
	}
	// Coefficients beyond the size limit of reshaping (maxBits), alone and
	// cancelling: 2^20000*x + y - 2^20000*x.
	huge := ast.NewNum(ast.FromBigInt(new(big.Int).Lsh(big.NewInt(1), 20000)))
	x, y := parsetest.MustParse(t, "x", nil), parsetest.MustParse(t, "y", nil)
	ins = append(ins, ast.NewAdd(ast.NewMul(huge, x), y), ast.NewAdd(ast.NewMul(huge, x), y, ast.NewNeg(ast.NewMul(huge, x))),
		ast.NewAdd(y, huge), ast.NewAdd(x, ast.NewMul(huge, x)))
	run := func(e ast.Expr, budget int64) (out ast.Expr) {
		defer func() {
			if recover() != nil {
				out = nil
			}
		}()
		out, _ = expand(e, newWorkN(budget))
		return out
	}
	made := 0
	for _, e := range ins {
		for _, budget := range []int64{5, 30, 200, 2000, 1 << 40} {
			got := run(e, budget)
			lauInPlace = false
			want := run(e, budget)
			lauInPlace = true
			if got != want {
				t.Fatalf("expand(%s) at budget %d: %s in place, %s by add", ast.String(e), budget, show(got), show(want))
			}
			if got != nil {
				made++
			}
		}
	}
	if made < 500 {
		t.Errorf("only %d expansions made", made)
	}
}
