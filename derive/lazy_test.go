package derive_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
)

// flatSteps lists a step and all its sub-steps, depth first, each as a
// line naming its rule, its uses and its two sides by node ID (the nodes
// are hash-consed: equal IDs are the same node) and in the plain syntax.
// ruleID names a rule by its address: the rules of calculus and of the
// rule files are the same values every time. A definition's rule is made
// once per derivative and named by its name and text.
func ruleID(r *rules.Rule) string {
	if r.Kind == rules.Definition {
		return r.Name + ": " + r.Text
	}
	return fmt.Sprintf("%s@%p", r.Name, r)
}

func flatSteps(st rules.Step) []string {
	var out []string
	var walk func(rules.Step, int)
	walk = func(s rules.Step, depth int) {
		var uses []string
		for _, u := range s.Uses {
			uses = append(uses, ruleID(u))
		}
		out = append(out, fmt.Sprintf("%d %s uses %v: #%d %s = #%d %s", depth, ruleID(s.Rule), uses,
			s.Before.ID(), ast.String(s.Before), s.After.ID(), ast.String(s.After)))
		for _, m := range s.Subs() {
			walk(m, depth+1)
		}
	}
	walk(st, 0)
	return out
}

func ruleNames(rs []*rules.Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, ruleID(r))
	}
	return out
}

// compareLazy differentiates e by wrt with the steps recorded compactly
// and with every step made as the rules are applied, and requires the
// same derivative (the same node), the same rules listed before the steps
// are written out and after, the same steps written out, node for node,
// and the same rounds.
func compareLazy(t *testing.T, e, wrt ast.Expr, defs *ast.Defs) bool {
	t.Helper()
	opt := derive.Options{Rules: builtin, Defs: defs}
	in := ast.NewDeriv(e, wrt)
	derive.SetLazySteps(false)
	_, wantTr, werr := derive.ExpandStep(bg, in, opt)
	derive.SetLazySteps(true)
	_, gotTr, gerr := derive.ExpandStep(bg, in, opt)
	name := fmt.Sprintf("d(%s, %s)", ast.String(e), ast.String(wrt))
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%s: error %v, made step by step %v", name, gerr, werr)
	}
	if gerr != nil {
		return false
	}
	if len(gotTr) != 1 || len(wantTr) != 1 {
		t.Fatalf("%s: %d steps, made step by step %d", name, len(gotTr), len(wantTr))
	}
	got, want := gotTr[0], wantTr[0]
	if got.After != want.After {
		t.Fatalf("%s = %s, made step by step %s", name, ast.String(got.After), ast.String(want.After))
	}
	rulesBefore := ruleNames(got.Rules()) // before the steps are written out: from the record
	if diff := cmp.Diff(ruleNames(want.Rules()), rulesBefore); diff != "" {
		t.Fatalf("%s: rules listed from the record (-step by step +record):\n%s", name, diff)
	}
	if diff := cmp.Diff(flatSteps(want), flatSteps(got)); diff != "" {
		t.Fatalf("%s: steps (-made step by step +written out from the record):\n%s", name, diff)
	}
	if diff := cmp.Diff(rulesBefore, ruleNames(got.Rules())); diff != "" {
		t.Fatalf("%s: rules listed before and after the steps were written out:\n%s", name, diff)
	}
	wr, werr := derive.Rounds(want)
	gr, gerr := derive.Rounds(got)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%s: rounds: error %v, made step by step %v", name, gerr, werr)
	}
	var ws, gs []string
	for i := range wr {
		ws = append(ws, flatSteps(wr[i])...)
	}
	for i := range gr {
		gs = append(gs, flatSteps(gr[i])...)
	}
	if diff := cmp.Diff(ws, gs); diff != "" {
		t.Fatalf("%s: rounds (-made step by step +written out from the record):\n%s", name, diff)
	}
	return true
}

// TestLazyStepsMatchEager: the steps a derivative writes out from its
// compact record are exactly those made as the rules are applied (rule,
// uses, both sides node for node, in order, nested derivatives included),
// and so are the derivative, the rules listed and the rounds: on random
// expressions in x and y with kinks, on random expressions with sums,
// indices and deltas by indexed variables, and on cases that take the
// layers made in full (definitions, derivatives written inside, general
// powers, quotients, functions of several arguments).
func TestLazyStepsMatchEager(t *testing.T) {
	defer derive.SetLazySteps(true)
	checked := 0
	for _, c := range derivCases {
		e := mustParse(t, c.expr, c.defsOf(t))
		if compareLazy(t, e, mustParse(t, c.wrt, nil), c.defsOf(t)) {
			checked++
		}
	}
	for _, src := range []string{"x^y + 2^(x*y) + x^(1/2) + x^0 + x^1", "log(x)^x*y", "max(x, y^2)*x + clip(x, y, 3)",
		"d(x^3, x)/2 + d(sin(x*y), y)", "(x + y)/(x - y) + 3/x + x/3", "0*x + 1*x*1 + x*0*y", "-(x*y) - -x",
		"sigma(x*y)*log(1 - sigma(x*y))", "delta(x, 1) + x", "sum(k=1..3, x^k/k)", "if(x > 0, x^2, -x)"} {
		e := mustParse(t, src, nil)
		for _, v := range []string{"x", "y"} {
			if compareLazy(t, e, ast.NewSym(v), nil) {
				checked++
			}
		}
	}
	g := &exprGen{rng: rand.New(rand.NewPCG(31, 41)), kinks: true}
	for range 1500 {
		e := g.expr(4)
		for _, v := range []string{"x", "y"} {
			if compareLazy(t, e, ast.NewSym(v), nil) {
				checked++
			}
		}
	}
	pg := parsetest.NewGen(rand.New(rand.NewPCG(2026, 15)))
	pg.Kinks = true
	vars := []ast.Expr{ast.NewSym("x"), ast.NewIndex("a", ast.NewSym("k")), ast.NewIndex("c", ast.NewSym("k"), ast.One)}
	for n := range 1500 {
		if compareLazy(t, pg.Expr(4), vars[n%len(vars)], nil) {
			checked++
		}
	}
	for _, e := range []ast.Expr{mse(3, 2), mse(10, 3), newCE(3, 2).ce, powerSum(100)} {
		if compareLazy(t, e, ast.NewSym("w1"), nil) && compareLazy(t, e, ast.NewSym("x"), nil) {
			checked++
		}
	}
	if checked < 4000 {
		t.Errorf("only %d derivatives compared", checked)
	}
	t.Logf("%d derivatives compared", checked)
}

// TestLazyStepsKeepTheirDefinitions: steps written out after the user has
// defined a name the derivative did not know are the steps of the
// derivative as it was taken (the record keeps what it was told about
// every name), and written out by several readers at once they are made
// once.
func TestLazyStepsKeepTheirDefinitions(t *testing.T) {
	defs := defsFrom(t, "g(u) := u*sigma(u)")
	e := mustParse(t, "g(x^2) + h*x + y", defs)
	x := ast.NewSym("x")
	derive.SetLazySteps(false)
	want, err := derive.Step(bg, e, x, derive.Options{Rules: builtin, Defs: defs})
	derive.SetLazySteps(true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := derive.Step(bg, e, x, derive.Options{Rules: builtin, Defs: defs})
	if err != nil {
		t.Fatal(err)
	}
	if got.Lazy == nil {
		t.Fatal("the steps were made, not recorded")
	}
	more := defsFrom(t, "h := x^2\ny := sin(x)")
	for _, d := range more.All() {
		if err := defs.Define(d); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	outs := make([][]rules.Step, 4)
	for i := range outs {
		wg.Add(1)
		go func() { defer wg.Done(); outs[i] = got.Subs() }()
	}
	wg.Wait()
	for i := range outs {
		if len(outs[i]) == 0 || &outs[i][0] != &outs[0][0] {
			t.Fatalf("reader %d got steps of its own", i)
		}
	}
	if diff := cmp.Diff(flatSteps(want), flatSteps(got)); diff != "" {
		t.Fatalf("steps (-made step by step +written out after the definitions changed):\n%s", diff)
	}
	if !slices.Equal(ruleNames(want.Rules()), ruleNames(got.Rules())) {
		t.Fatalf("rules %v, made step by step %v", ruleNames(got.Rules()), ruleNames(want.Rules()))
	}
}
