package simplify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// shareGen writes random expressions in the input syntax.
type shareGen struct{ r *rand.Rand }

func (g shareGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g shareGen) atom() string {
	return g.pick("x", "y", "z", "w[i]", "w[j]", "abs(x)", "sqrt(x)", "sqrt(y)", "sin(x)", "cos(x)", "cosh(y)", "sinh(y)",
		"exp(x)", "exp(-x)", "log(y)", "sigma(z)", "sigma(-z)", "tanh(x)", "softplus(z)", "delta(i,j)", "x^(1/3)", "y^k", "abs(x-y)")
}

func (g shareGen) mono() string {
	s := g.pick("1", "-1", "2", "-3", "2/3", "-1/2")
	for range g.r.IntN(3) {
		s += "*" + g.atom()
		if g.r.IntN(4) == 0 {
			s += "^" + g.pick("2", "-1", "(1/2)", "-2", "3")
		}
	}
	return s
}

func (g shareGen) ssum() string {
	s := "(" + g.mono() + " + " + g.mono()
	if g.r.IntN(2) == 0 {
		s += " + " + g.mono()
	}
	return s + ")"
}

func (g shareGen) term(d int) string {
	s := g.mono()
	for range g.r.IntN(3) {
		switch g.r.IntN(8) {
		case 0:
			s += "*" + g.ssum() + "^2"
		case 1:
			if d > 0 {
				s += "/(" + g.expr(d-1) + ")"
				continue
			}
			fallthrough
		case 2:
			if d > 0 {
				s += "*" + g.pick("exp", "log", "sigma", "abs", "sqrt", "cosh") + "(" + g.expr(d-1) + ")"
				continue
			}
			fallthrough
		default:
			s += "*" + g.ssum()
		}
	}
	return s
}

func (g shareGen) expr(d int) string {
	ts := []string{g.term(d)}
	for range 1 + g.r.IntN(3) {
		ts = append(ts, g.term(d))
	}
	s := strings.Join(ts, " + ")
	switch g.r.IntN(10) {
	case 0:
		s = "sum(i=1..n, " + s + ")"
	case 1:
		s = "[i <= j]*(" + s + ") + if(x > 0, " + g.mono() + ", " + g.term(0) + ")"
	case 2:
		s = "d(" + s + ", x)"
	}
	return s
}

// TestSharedPassesReused: the passes sharing results and expandsApart
// give the general path's results, node for node, also for a simplifier
// that simplifies one input after another (its memo, epochs and noted
// sizes carried from one to the next) and under assumptions (steps that
// record the facts they used), on random sums of products of sums over
// calls, powers, kinks, sums over an index, deltas, pieces and
// derivatives. REVIEW_SEED picks another sequence; REVIEW_ASSUME=0 runs
// without assumptions.
func TestSharedPassesReused(t *testing.T) {
	rs := load.Builtin()
	seed := uint64(1)
	if v := os.Getenv("REVIEW_SEED"); v != "" {
		fmt.Sscan(v, &seed)
	}
	g := shareGen{rand.New(rand.NewPCG(seed, 99))}
	n := 100
	if testing.Short() {
		n = 30
	}
	var assume []*ast.AssumeStmt
	if os.Getenv("REVIEW_ASSUME") != "0" {
		for _, a := range []string{"assume x > 0", "assume y < 2", "assume 0 < z < 1", "assume w[i] >= 0"} {
			stmts, err := parser.ParseFile("t.sd", a, nil)
			if err != nil {
				t.Fatal(err)
			}
			assume = append(assume, stmts[0].Stmt.(*ast.AssumeStmt))
		}
	}
	mk := func() *Simplifier { return New(Options{Rules: rs, Assume: assume}) }
	reused := mk()
	reusedGen := mk()
	bad := 0
	for i := range n {
		src := g.expr(1)
		in := parsetest.MustParse(t, src, nil)
		run := func(s *Simplifier) *Result {
			res, err := s.Simplify(context.Background(), in)
			if err != nil {
				t.Fatalf("Simplify(%s): %v", src, err)
			}
			return res
		}
		var a, b, c, d *Result
		withFlags(false, false, func() ast.Expr { a = run(mk()); c = run(reused); return nil })
		withFlags(true, true, func() ast.Expr { b = run(mk()); d = run(reusedGen); return nil })
		if a.Canonical != b.Canonical || a.Expr != b.Expr {
			bad++
			t.Errorf("#%d fresh %s:\n shared  %s\n general %s", i, src, ast.String(a.Expr), ast.String(b.Expr))
		}
		if c.Canonical != d.Canonical || c.Expr != d.Expr {
			bad++
			t.Errorf("#%d reused %s:\n shared  %s\n general %s", i, src, ast.String(c.Expr), ast.String(d.Expr))
		}
		if bad > 5 {
			t.FailNow()
		}
	}
}

// TestExpandsApartKinks: expandsApart hashes a monomial by its bases'
// exponents, which is sound only if mul merges equal bases by adding
// exponents and nothing else; the calls mul or the rules treat specially
// (abs(x)^2 = x^2, sqrt(x)^2 = x, step(x)^2 = step(x), delta^2 = delta,
// relu*step, sigma(-x) = 1 - sigma(x), cosh^2 - sinh^2) give what the
// general path gives.
func TestExpandsApartKinks(t *testing.T) {
	rs := load.Builtin()
	for _, src := range []string{
		"abs(x)*(abs(x) + y) - x^2",
		"sqrt(x)*(sqrt(x) + y) - x",
		"sign(x)*(abs(x) + y) - x",
		"step(x)*(step(x) + y) - step(x)",
		"delta(i,j)*(delta(i,j) + y) - delta(i,j)",
		"abs(x)^3*(abs(x)^(-1) + y) - x^2",
		"relu(x)*(step(x) + y) - relu(x)",
		"sigma(x)*(sigma(-x) + y) + sigma(x)^2 - sigma(x)",
		"cosh(x)*(cosh(x) + y) - sinh(x)^2 - 1",
	} {
		e := parsetest.MustParse(t, src, nil)
		s := New(Options{Rules: rs})
		s.epoch = 1
		none := s.canon(expandNone)
		var terms []ast.Expr
		for _, u := range e.(*ast.Add).Terms {
			terms = append(terms, none.expr(u))
		}
		got := withFlags(false, false, func() ast.Expr { return New(Options{Rules: rs}).canon(expandSmart).add(terms) })
		want := withFlags(true, true, func() ast.Expr { return New(Options{Rules: rs}).canon(expandSmart).add(terms) })
		if got != want {
			t.Errorf("add(%s):\n with expandsApart %s\n general path      %s", src, ast.String(got), ast.String(want))
		}
	}
}
