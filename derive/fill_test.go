package derive_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
)

// TestFillChildrenMatchesResolve: filling in the values of a layer's
// derivatives that are its children (fillChildren) gives the very
// derivative and the very steps that resolve's walk gives, on random
// expressions (quotients by constants, sums of terms, nested functions,
// kinks), on W4's sum of x^k/k and on definitions opened by the layer.
func TestFillChildrenMatchesResolve(t *testing.T) {
	g := &exprGen{rng: rand.New(rand.NewPCG(15, 17)), kinks: true}
	var ins []ast.Expr
	for _, src := range []string{"x^1/1 + x^2/2 + x^3/3 + x^4/4", "(x + y)/3 - x/y", "-(x^2) + sin(x)/2", "x/(1 + x)/4", "d(x^3, x)/2 + y",
		"sign(x)/2 + y", "step(x) + x^2", "(x + sign(x))/3"} {
		ins = append(ins, parsetest.MustParse(t, src, nil))
	}
	for range 1500 {
		ins = append(ins, g.expr(4))
	}
	var steps func(rules.Step) []rules.Step
	steps = func(st rules.Step) []rules.Step {
		out := []rules.Step{st}
		for _, s := range st.Subs() {
			out = append(out, steps(s)...)
		}
		return out
	}
	for _, e := range ins {
		for _, v := range []string{"x", "y"} {
			wrt := ast.NewSym(v)
			got, gerr := derive.Step(bg, e, wrt, derive.Options{Rules: builtin})
			derive.SetFillShortcut(false)
			want, werr := derive.Step(bg, e, wrt, derive.Options{Rules: builtin})
			derive.SetFillShortcut(true)
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("d(%s, %s): error %v, by resolve %v", ast.String(e), v, gerr, werr)
			}
			if gerr != nil {
				continue
			}
			gs, ws := steps(got), steps(want)
			if len(gs) != len(ws) {
				t.Fatalf("d(%s, %s): %d steps, by resolve %d", ast.String(e), v, len(gs), len(ws))
			}
			for i := range gs {
				if gs[i].Rule != ws[i].Rule || gs[i].Before != ws[i].Before || gs[i].After != ws[i].After {
					t.Fatalf("d(%s, %s): step %d is %s: %s = %s, by resolve %s: %s = %s", ast.String(e), v, i,
						gs[i].Rule.Name, ast.String(gs[i].Before), ast.String(gs[i].After),
						ws[i].Rule.Name, ast.String(ws[i].Before), ast.String(ws[i].After))
				}
			}
		}
	}
}
