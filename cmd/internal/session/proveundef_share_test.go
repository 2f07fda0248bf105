package session

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestProvedUndefinedShortcuts: provedUndefined with one canonicaliser
// for both sides and with a side without derivatives taken as the prover
// opened it gives the answer of the general path (each side opened again
// and canonicalised afresh) on random claims, proved ones among them,
// with parts that have no value on the left, on the right and inside a
// derivative: U := log(y - y) in an empty-at-1 sum, Q, whose divisor is 0
// only exactly. Made to skip the right side's canonical form, or to
// take the left side's opened form (the derivative taken) for the side
// as written, it fails.
func TestProvedUndefinedShortcuts(t *testing.T) {
	s := New()
	exec(t, s, "U := log(y - y)\nQ := 1/(x/10 + x/5 - 3*x/10)\nW := sigma(x)\nP[i] := sigma(a[i])\nF(t) := t^2 + W")
	rng := rand.New(rand.NewPCG(15, 77))
	g := parsetest.NewGen(rng)
	parse := func(src string) ast.Expr {
		e, err := parser.ParseExpr(src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	named := []ast.Expr{parse("W"), parse("P[k]"), parse("F(x)"), parse("x")}
	U, Q, x := parse("U"), parse("Q"), parse("x")
	sum2 := func(body ast.Expr) ast.Expr { return ast.NewSum(ast.OpSum, "i", ast.NewInt(2), ast.NewSym("n"), body) }
	ctx := context.Background()
	type outcome struct {
		v   prove.Verdict
		err string
	}
	run := func(a, b ast.Expr) outcome {
		p, err := s.Prove(ctx, a, b)
		if err != nil {
			return outcome{err: err.Error()}
		}
		return outcome{v: p.Verdict}
	}
	errs, proved := 0, 0
	var byKind [7][2]int
	for n := range 240 {
		e := ast.NewAdd(g.Expr(2), named[rng.IntN(len(named))])
		var a, b ast.Expr
		switch n % 7 {
		case 0:
			a, b = sum2(ast.NewAdd(e, ast.NewMul(ast.Zero, U))), sum2(e)
		case 1:
			a, b = sum2(e), sum2(ast.NewAdd(e, ast.NewMul(ast.Zero, U)))
		case 2:
			a, b = e, ast.NewAdd(ast.NewMul(e, ast.One), ast.NewMul(ast.Zero, Q))
		case 3:
			a, b = ast.NewAdd(e, ast.NewMul(ast.Zero, Q)), e
		case 4:
			a, b = ast.NewDeriv(ast.NewAdd(parse("F(x)"), e), x), ast.NewAdd(ast.NewDeriv(e, x), parse("2*x + d(W, x)"))
		case 5:
			a, b = ast.NewDeriv(ast.NewAdd(e, sum2(ast.NewMul(ast.Zero, U))), x), ast.NewDeriv(e, x)
		case 6:
			a, b = ast.NewDeriv(e, x), ast.NewAdd(ast.NewDeriv(e, x), ast.NewMul(ast.Zero, Q))
		}
		got := run(a, b)
		provedShareCanon, provedReuseOpened = false, false
		want := run(a, b)
		provedShareCanon, provedReuseOpened = true, true
		if got != want {
			t.Fatalf("case %d: prove %s == %s: %v with the shortcuts, %v without", n, ast.String(a), ast.String(b), got, want)
		}
		if got.err != "" {
			errs++
			byKind[n%7][0]++
		} else if got.v == prove.Proved {
			proved++
			byKind[n%7][1]++
		}
	}
	if errs < 150 || proved < 25 {
		t.Fatalf("%d errors and %d proofs of 240: the cases do not exercise both", errs, proved)
	}
	t.Logf("%d errors, %d proofs of 240; by kind %v", errs, proved, byKind)
}

// TestSharedCanonicalizer: one plain canonicaliser used for two
// expressions in turn (as provedUndefined uses it for the two sides,
// which share parts) gives each the canonical form made afresh, and the
// zero-inverse flag divByZero reads, on random pairs sharing parts under
// sums and with divisors that are 0 only exactly.
func TestSharedCanonicalizer(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 78))
	g := parsetest.NewGen(rng)
	zero := ast.NewDiv(ast.One, ast.NewAdd(ast.NewDiv(ast.NewSym("x"), ast.NewInt(10)), ast.NewDiv(ast.NewSym("x"), ast.NewInt(5)), ast.NewNeg(ast.NewDiv(ast.NewMul(ast.NewInt(3), ast.NewSym("x")), ast.NewInt(10)))))
	flagged := 0
	for n := range 600 {
		common := g.Expr(3)
		if n%4 == 0 {
			common = ast.NewAdd(common, zero)
		}
		var x1 ast.Expr = ast.NewSum(ast.OpMean, "i", ast.One, ast.NewSym("n"), ast.NewMul(common, g.Expr(2)))
		var x2 ast.Expr = ast.NewAdd(g.Expr(2), ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.NewAdd(common, g.Expr(1))))
		if n%2 == 1 {
			x1, x2 = ast.NewDeriv(x1, ast.NewSym("x")), common
		}
		c := simplify.PlainCanonicalizer()
		for _, x := range []ast.Expr{x1, x2} {
			got, want := c(x), simplify.PlainCanonical(x)
			if got != want {
				t.Fatalf("case %d: the shared canonicaliser gives %s for %s, afresh %s", n, ast.String(got), ast.String(x), ast.String(want))
			}
			if divByZero(want) {
				flagged++
			}
		}
	}
	if flagged < 100 {
		t.Fatalf("only %d canonical forms with a zero inverse", flagged)
	}
}
