package algebra

import (
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
