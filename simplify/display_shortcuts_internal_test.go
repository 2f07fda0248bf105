package simplify

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// TestDisplayShortcutsAgree: Simplify with the display stages' shortcuts
// (displayShortcuts: softmaxDisplay's test for an exp, gatherNumbers'
// test for a number to gather, the input walked as a tree for its σ)
// gives exactly what it gives without them: the canonical form, the
// display, the exponential display of a softmax, the form chosen, the
// stop reason, and the trace step by step. The inputs are random
// expressions of the soundness tests and their derivatives, random
// polynomials in names and calls as written and differentiated, softmaxes
// and σ forms, and the workloads of issue 15.
func TestDisplayShortcutsAgree(t *testing.T) {
	rs := load.Builtin()
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 71)))
	rng := rand.New(rand.NewPCG(15, 72))
	var inputs []ast.Expr
	for _, src := range []string{
		"d(exp(z1)/(exp(z1) + exp(z2)), z1)", "d(exp(z1)/(exp(z1) + exp(z2) + exp(z3)), z2)",
		"d(log(exp(z1) + exp(z2)), z1)", "d(exp(z2)/(exp(z1) + exp(z2)), z1)", "d(exp(z[k])/sum(i=1..K, exp(z[i])), z[l])", "d(sum(i=1..K, exp(z[i])), z[k])", "d(log(sum(i=1..K, exp(z[i]))), z[k])",
		"exp(x)/(1 + exp(x))", "2*sigma(2*x) - 1", "d(log(sigma(x)), x)", "d(x*sigma(x), x)",
		"x*(2*y) + x", "3*x*(y/2)", "d(tanh(x)^2, x)", "(x + 1)^2 - x^2",
	} {
		inputs = append(inputs, parsetest.MustParse(t, src, nil))
	}
	for _, w := range displayWorkloads() {
		inputs = append(inputs, parsetest.MustParse(t, w.src, nil))
	}
	n := 1200
	if testing.Short() {
		n = 300
	}
	for i := range n {
		switch i % 4 {
		case 0:
			inputs = append(inputs, g.Expr(4))
		case 1:
			inputs = append(inputs, ast.NewDeriv(g.Expr(4), ast.NewSym("x")))
		case 2:
			inputs = append(inputs, parsetest.MustParse(t, randCallsNested(rng), nil))
		default:
			e := parsetest.MustParse(t, randNested(rng), nil)
			inputs = append(inputs, ast.NewDeriv(e, ast.NewSym("a")))
		}
	}
	softmax := 0
	for i, in := range inputs {
		run := func() *Result {
			s := New(Options{Rules: rs})
			res, err := s.Simplify(context.Background(), in)
			if err != nil {
				t.Fatalf("Simplify(%s): %v", ast.String(in), err)
			}
			return res
		}
		got := run()
		displayShortcuts = false
		want := run()
		displayShortcuts = true
		if got.Canonical != want.Canonical || got.Expr != want.Expr || got.Exps != want.Exps || got.form != want.form || got.Stop != want.Stop {
			t.Fatalf("#%d Simplify(%s):\n shortcuts %s | %s | %v (%v)\n general   %s | %s | %v (%v)", i, ast.String(in),
				ast.String(got.Canonical), ast.String(got.Expr), got.form, got.Stop, ast.String(want.Canonical), ast.String(want.Expr), want.form, want.Stop)
		}
		if diff := cmp.Diff(traceText(want.Trace), traceText(got.Trace)); diff != "" {
			t.Fatalf("#%d Simplify(%s): the traces differ (-general +shortcuts):\n%s", i, ast.String(in), diff)
		}
		if got.form == FormSoftmax {
			softmax++
		}
	}
	if softmax < 2 {
		t.Errorf("only %d results in the softmax form", softmax)
	}
}

// TestDisplayShortcutsNeeded: where a shortcut's test says there is
// work, the work changes the answer, so the shortcut cannot be made
// unconditional: a softmax is shown through p (the canonical form has
// exponentials), gatherNumbers takes a factor's number out (x*(2*y) is
// 2*x*y), and a σ in the input keeps σ from being written through tanh.
func TestDisplayShortcutsNeeded(t *testing.T) {
	s := New(Options{Rules: load.Builtin()})
	res, err := s.Simplify(context.Background(), parsetest.MustParse(t, "d(exp(z1)/(exp(z1) + exp(z2)), z1)", nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.form != FormSoftmax || res.Exps == nil {
		t.Errorf("d(softmax, z1) is %s (form %v), want the softmax form", ast.String(res.Expr), res.form)
	}
	x, y := ast.NewSym("x"), ast.NewSym("y")
	m := ast.NewMul(x, ast.NewMul(ast.Two, y)).(*ast.Mul)
	if !numberAfterFirst(m.Factors) {
		t.Errorf("numberAfterFirst(%s) is false", ast.String(m))
	}
	if got := gatherNumbers(m); got != ast.NewMul(ast.Two, x, y) {
		t.Errorf("gatherNumbers(%s) = %s, want the number taken out", ast.String(m), ast.String(got))
	}
	for _, src := range []string{"x*(y/2)", "x*(-y)", "sigma(x)*(3*x/4)"} {
		e := parsetest.MustParse(t, src, nil).(*ast.Mul)
		if !numberAfterFirst(e.Factors) || gatherNumbers(e) == ast.Expr(e) {
			t.Errorf("%s: numberAfterFirst %v, gathered %s", src, numberAfterFirst(e.Factors), ast.String(gatherNumbers(e)))
		}
	}
}

// TestGatherNumbersShortcut: gatherNumbers with its test for a number to
// gather gives what it gives without, on the products of random display
// forms (their factors as written, numbers, sums, quotients, negations).
func TestGatherNumbersShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 73))
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 74)))
	checked := 0
	for range 3000 {
		var fs []ast.Expr
		for range 2 + rng.IntN(3) {
			var f ast.Expr
			switch rng.IntN(4) {
			case 0:
				f = Tidy(g.Expr(2))
			case 1:
				f = parsetest.MustParse(t, randCallsNested(rng), nil)
			default:
				f = g.Expr(2)
			}
			fs = append(fs, f)
		}
		m, ok := ast.NewMul(fs...).(*ast.Mul)
		if !ok {
			continue
		}
		checked++
		got := gatherNumbers(m)
		displayShortcuts = false
		want := gatherNumbers(m)
		displayShortcuts = true
		if got != want {
			t.Fatalf("gatherNumbers(%s) = %s with the shortcut, %s without", ast.String(m), ast.String(got), ast.String(want))
		}
	}
	if checked < 2000 {
		t.Errorf("only %d products", checked)
	}
}

// TestHasFnAny: hasFnAny (a tree walk for a small expression) answers as
// hasFnDAG, on random expressions small and large (a large one shares
// its parts: walked by node).
func TestHasFnAny(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 75)))
	for i := range 2000 {
		e := g.Expr(5)
		if i%50 == 0 {
			for range 12 {
				e = ast.NewMul(ast.NewAdd(e, ast.NewSym("x")), e) // doubling the tree
			}
		}
		for _, fn := range []string{"sigma", "exp", "log", "sin"} {
			if got, want := hasFnAny(e, fn), hasFnDAG(e, fn); got != want {
				t.Fatalf("hasFnAny(%s, %s) = %v, hasFnDAG %v", ast.String(e), fn, got, want)
			}
		}
	}
}

// TestHashSet compares hashSet with a map on random sequences of
// hashes, short and long (past smallHashSet), with repeats.
func TestHashSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for i := range 500 {
		var s hashSet
		want := map[uint64]bool{}
		n, spread := rng.IntN(4*smallHashSet), 1+rng.IntN(3*smallHashSet)
		for j := range n {
			h := uint64(rng.IntN(spread))
			if got := s.add(h); got != !want[h] {
				t.Fatalf("%d: add #%d of %d: %v, the map says new %v", i, j, h, got, !want[h])
			}
			want[h] = true
		}
	}
}
