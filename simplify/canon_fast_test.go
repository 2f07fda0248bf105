package simplify

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// withFastOff runs f with the canonicaliser's shortcuts (fastOff) off or on.
func withFastOff(off bool, f func()) {
	saved := fastOff
	fastOff = off
	defer func() { fastOff = saved }()
	f()
}

// TestCanonShortcutsAgree: the driver with the canonicaliser's shortcuts
// (leafFixed: numbers and names returned without the memo and the rules;
// knownFixed: a result the memo knows as canonical not rewritten again;
// powOf: a power whose parts did not change returned, not interned again)
// gives what it gives without them, node for node: the canonical form,
// the display, the stop reason and its detail, and the trace (every
// step's rule, before and after, micro steps and the assumptions used);
// on random expressions (the soundness tests' generator, with sums,
// deltas, powers and functions), their derivatives, random sums of
// products of sums and long products, each also under assumptions that
// make rules for names (x == 2, an equality the rules apply to x), facts
// (y > 0) and ranges (k in 1..n). Each shortcut must be taken.
func TestCanonShortcutsAgree(t *testing.T) {
	rs := load.Builtin()
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 3)))
	pg := &polyGen{rng: rand.New(rand.NewPCG(3, 15)), safe: true}
	x, y, k := ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("k")
	assumptions := [][]*ast.AssumeStmt{
		nil,
		{{X: x, Ops: []string{"=="}, Rest: []ast.Expr{ast.Two}}},
		{{X: y, Ops: []string{">"}, Rest: []ast.Expr{ast.Zero}}, {X: k, In: true, Lo: ast.One, Hi: ast.NewSym("n")}},
	}
	n := 1000
	if testing.Short() {
		n = 300
	}
	var hits [3]int
	for i := range n {
		var in ast.Expr
		switch i % 4 {
		case 0:
			if i%8 == 4 {
				in = builtTwice(g, i)
				break
			}
			in = g.Expr(4)
		case 1:
			in = ast.NewDeriv(g.Expr(4), x)
		case 2:
			in = pg.sum()
		default:
			if i%16 == 3 {
				in = longProduct(pg.rng)
			} else {
				in = ast.NewDeriv(ast.NewDiv(pg.sum(), ast.NewAdd(ast.NewPow(x, ast.NewInt(int64(1+i%5))), ast.NewInt(int64(i%7)))), x)
			}
		}
		as := assumptions[i%len(assumptions)]
		run := func() (*Result, *Simplifier) {
			s := New(Options{Rules: rs, Assume: as})
			res, err := s.Simplify(context.Background(), in)
			if err != nil {
				t.Fatalf("Simplify(%s): %v", ast.String(in), err)
			}
			return res, s
		}
		var fres, gres *Result
		var fs *Simplifier
		withFastOff(false, func() { fres, fs = run() })
		withFastOff(true, func() { gres, _ = run() })
		for _, c := range fs.canons {
			for j := range hits {
				hits[j] += c.fastHits[j]
			}
		}
		if fres.Canonical != gres.Canonical || fres.Expr != gres.Expr || fres.Stop != gres.Stop || fres.Detail != gres.Detail {
			t.Fatalf("#%d Simplify(%s) under %d assumptions:\n shortcuts %s | %s (%v %s)\n general   %s | %s (%v %s)", i, ast.String(in), len(as),
				ast.String(fres.Canonical), ast.String(fres.Expr), fres.Stop, fres.Detail, ast.String(gres.Canonical), ast.String(gres.Expr), gres.Stop, gres.Detail)
		}
		if diff := cmp.Diff(traceText(gres.Trace), traceText(fres.Trace)); diff != "" {
			t.Fatalf("#%d Simplify(%s): the traces differ (-general +shortcuts):\n%s", i, ast.String(in), diff)
		}
	}
	t.Logf("%d expressions; shortcuts taken: leafFixed %d, knownFixed %d, powOf %d", n, hits[0], hits[1], hits[2])
	for j, h := range hits {
		if h < n/4 {
			t.Errorf("shortcut %d taken only %d times over %d expressions", j, h, n)
		}
	}
}

// builtTwice is w(u) + 3*w(1*u) for a random u and a wrapper w that a rule
// rewrites (log(exp(u)) -> u, sigma(-u) -> 1 - sigma(u), ...): the
// canonicaliser builds w(u) again from the parts of the second, a node
// the memo knows with another canonical form, which knownFixed must not
// take as its own.
func builtTwice(g *parsetest.Gen, i int) ast.Expr {
	u := g.Expr(3)
	wrappers := []func(ast.Expr) ast.Expr{
		func(u ast.Expr) ast.Expr { return ast.NewCall("log", ast.NewCall("exp", u)) },
		func(u ast.Expr) ast.Expr { return ast.NewCall("sigma", ast.NewNeg(u)) },
		func(u ast.Expr) ast.Expr { return ast.NewCall("tanh", ast.NewNeg(u)) },
		func(u ast.Expr) ast.Expr { return ast.NewPow(ast.NewCall("sqrt", u), ast.Two) },
		func(u ast.Expr) ast.Expr { return ast.NewCall("log", ast.NewAdd(ast.One, ast.NewCall("exp", u))) },
	}
	w := wrappers[(i/8)%len(wrappers)]
	return ast.NewAdd(w(u), ast.NewMul(ast.NewInt(3), w(ast.NewMul(ast.One, u))))
}

// TestNormalizeMemoFits: the first pass's memo, reserved for about a node
// per node of the input as a tree, holds what the MSE at 3×2 (issue 15's
// small workload) makes without growing: the node the driver passes in
// is not entered when another is its result (see expr), and numbers and
// names not at all (leafFixed).
func TestNormalizeMemoFits(t *testing.T) {
	e := parsetest.MustParse(t, "d((1/3)*((y1 - (x_1_1*w1 + x_1_2*w2))^2 + (y2 - (x_2_1*w1 + x_2_2*w2))^2 + (y3 - (x_3_1*w1 + x_3_2*w2))^2), w1)", nil)
	rs := load.Builtin()
	d, _, err := derive.ExpandStep(context.Background(), e, derive.Options{Rules: rs})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Rules: rs})
	s.Normalize(context.Background(), d, true)
	// The table Normalize reserves (ast.NodeMap.Reserve), and the entries
	// it holds before it grows (three quarters).
	size := 16
	for 3*size < 4*(int(min(d.Size(), 2048))+1) {
		size *= 2
	}
	if n := s.canons[expandNone].fast.Len(); 4*n > 3*size {
		t.Errorf("the first pass's memo has %d entries: the table reserved for them (%d slots) grew", n, size)
	}
}
