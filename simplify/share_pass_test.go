package simplify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
)

// polyGen makes random sums of products of small sums, over a few
// atoms with small exponents (negative and fractional too) and a few
// coefficients: multiplied out, their terms often meet (and cancel), so
// both answers of expandsApart come up.
type polyGen struct {
	rng  *rand.Rand
	safe bool // only the atoms and exponents expandsApart looks through
}

var (
	polyAtoms = []ast.Expr{ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("w1"), ast.NewIndex("a", ast.NewSym("i")),
		ast.NewCall("sin", ast.NewSym("x")), ast.NewCall("exp", ast.NewSym("y")), ast.NewCall("sigma", ast.NewSym("z"))}
	polyExps  = []ast.Expr{ast.One, ast.One, ast.One, ast.Two, ast.MinusOne, ast.NewInt(-2), ast.NewNum(ast.Frac(1, 2)), ast.NewSym("k")}
	polyCoefs = []ast.Expr{ast.One, ast.One, ast.MinusOne, ast.Two, ast.NewInt(-3), ast.NewNum(ast.Frac(2, 3)), ast.NewNum(ast.Frac(-1, 2))}
)

func (g *polyGen) factor() ast.Expr {
	atoms, exps := polyAtoms, polyExps
	if g.safe {
		atoms, exps = atoms[:5], exps[:len(exps)-1]
	}
	return ast.NewPow(atoms[g.rng.IntN(len(atoms))], exps[g.rng.IntN(len(exps))])
}

func (g *polyGen) monomial() ast.Expr {
	fs := []ast.Expr{polyCoefs[g.rng.IntN(len(polyCoefs))]}
	for range g.rng.IntN(3) {
		fs = append(fs, g.factor())
	}
	return ast.NewMul(fs...)
}

func (g *polyGen) smallSum() ast.Expr {
	ts := []ast.Expr{g.monomial(), g.monomial()}
	if g.rng.IntN(2) == 0 {
		ts = append(ts, g.monomial())
	}
	return ast.NewAdd(ts...)
}

func (g *polyGen) term() ast.Expr {
	fs := []ast.Expr{g.monomial()}
	for range g.rng.IntN(3) {
		if g.rng.IntN(6) == 0 {
			fs = append(fs, ast.NewPow(g.smallSum(), ast.Two))
		} else {
			fs = append(fs, g.smallSum())
		}
	}
	return ast.NewMul(fs...)
}

func (g *polyGen) sum() ast.Expr {
	ts := []ast.Expr{g.term()}
	for range 1 + g.rng.IntN(4) {
		ts = append(ts, g.term())
	}
	return ast.NewAdd(ts...)
}

// TestExpandsApartAgrees: smart mode's add with expandsApart gives what
// the general path (the products multiplied out and collected) gives,
// node for node, on random sums of products of sums; and expandsApart
// answers both ways on them.
func TestExpandsApartAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 24))
	g := &polyGen{rng: rng}
	rs := load.Builtin()
	apart, general := 0, 0
	for n := range 4000 {
		g.safe = n%4 != 0
		e := g.sum()
		// The canonical terms, without expansion: what add is given.
		s := New(Options{Rules: rs})
		s.epoch = 1
		none := s.canon(expandNone)
		var terms []ast.Expr
		for _, u := range e.(*ast.Add).Terms {
			terms = append(terms, none.expr(u))
		}
		flat := flattenTerms(nil, terms)
		if expandsApart(flat) {
			apart++
		} else {
			general++
		}
		got := withFlags(false, false, func() ast.Expr { return New(Options{Rules: rs}).canon(expandSmart).add(terms) })
		want := withFlags(true, true, func() ast.Expr { return New(Options{Rules: rs}).canon(expandSmart).add(terms) })
		if got != want {
			t.Fatalf("#%d add(%s):\n with expandsApart %s\n general path      %s", n, ast.String(ast.NewAdd(terms...)), ast.String(got), ast.String(want))
		}
	}
	t.Logf("expandsApart: %d apart, %d to the general path", apart, general)
	if apart < 300 || general < 300 {
		t.Errorf("expandsApart answered true %d and false %d times: the test checks too little of one side", apart, general)
	}
}

// withFlags runs f with sharing and expandsApart turned off or on.
func withFlags(noShare, noApart bool, f func() ast.Expr) ast.Expr {
	s, a := shareOff, apartOff
	shareOff, apartOff = noShare, noApart
	defer func() { shareOff, apartOff = s, a }()
	return f()
}

// TestSharedPassesAgree: the driver with the passes sharing results and
// expandsApart gives the general path's results, node for node, and the
// same trace (every step's rule, before and after, and its micro steps),
// on random expressions (the generator of the soundness tests, with
// sums, deltas, powers and functions), their derivatives, and the random
// sums of products above; and the sharing is used.
func TestSharedPassesAgree(t *testing.T) {
	rs := load.Builtin()
	g := parsetest.NewGen(rand.New(rand.NewPCG(24, 15)))
	pg := &polyGen{rng: rand.New(rand.NewPCG(7, 11)), safe: true}
	n := 1500
	if testing.Short() {
		n = 400
	}
	hits, differentWays := 0, 0
	for i := range n {
		var in ast.Expr
		switch i % 4 {
		case 3:
			in = longProduct(pg.rng)
		case 0:
			in = g.Expr(4)
		case 1:
			in = ast.NewDeriv(g.Expr(4), ast.NewSym("x"))
		default:
			in = pg.sum()
		}
		run := func() (*Result, *Simplifier) {
			s := New(Options{Rules: rs})
			res, err := s.Simplify(context.Background(), in)
			if err != nil {
				t.Fatalf("Simplify(%s): %v", ast.String(in), err)
			}
			return res, s
		}
		var sres, gres *Result
		var ss *Simplifier
		withFlags(false, false, func() ast.Expr { sres, ss = run(); return nil })
		withFlags(true, true, func() ast.Expr { gres, _ = run(); return nil })
		if c := ss.canons[expandSmart]; c != nil {
			hits += c.sharedHits
		}
		if sres.Canonical != gres.Canonical || sres.Expr != gres.Expr || sres.Stop != gres.Stop {
			t.Fatalf("#%d Simplify(%s):\n shared  %s | %s (%v)\n general %s | %s (%v)", i, ast.String(in),
				ast.String(sres.Canonical), ast.String(sres.Expr), sres.Stop, ast.String(gres.Canonical), ast.String(gres.Expr), gres.Stop)
		}
		if diff := cmp.Diff(traceText(gres.Trace), traceText(sres.Trace)); diff != "" {
			t.Fatalf("#%d Simplify(%s): the traces differ (-general +shared):\n%s", i, ast.String(in), diff)
		}
		if len(gres.Trace) > 0 {
			differentWays++
		}
	}
	t.Logf("%d expressions, %d with steps, %d results shared", n, differentWays, hits)
	if hits < n {
		t.Errorf("only %d results shared over %d expressions", hits, n)
	}
}

// longProduct is the derivative of a product of 33 to 40 factors x + k,
// some of them written x*(y + 1) - x*y + k, which the first pass leaves
// as they are and the second multiplies out (to x + k): the products of
// the product rule share their ends, and runMul canonicalises each from
// the last.
func longProduct(rng *rand.Rand) ast.Expr {
	x, y := ast.NewSym("x"), ast.NewSym("y")
	var fs []ast.Expr
	for k := range 33 + rng.IntN(8) {
		kk := ast.NewInt(int64(k + 1))
		if rng.IntN(12) == 0 {
			fs = append(fs, ast.NewAdd(ast.NewMul(x, ast.NewAdd(y, ast.One)), ast.NewNeg(ast.NewMul(x, y)), kk))
		} else {
			fs = append(fs, ast.NewAdd(x, kk))
		}
	}
	return ast.NewDeriv(ast.NewMul(fs...), x)
}

// traceText renders a trace, micro steps included, one line per step.
func traceText(tr rules.Trace) []string {
	var out []string
	var walk func(tr []rules.Step, depth int)
	walk = func(tr []rules.Step, depth int) {
		for _, st := range tr {
			name := "<nil>"
			if st.Rule != nil {
				name = st.Rule.Name
			}
			out = append(out, fmt.Sprintf("%s%s: %s -> %s (%d uses)", strings.Repeat("  ", depth), name, exprText(st.Before), exprText(st.After), len(st.Uses)))
			walk(st.Sub, depth+1)
		}
	}
	walk(tr, 0)
	return out
}

func exprText(e ast.Expr) string {
	if e == nil {
		return "<nil>"
	}
	return ast.String(e)
}
