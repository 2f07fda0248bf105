package session

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
)

// TestOneMinusUnitAgrees: zeroEverywhere's shortcut for 1 - sigma(u) and
// 1 - Phi(u) (either order) gives its general path's answer, the
// canonical form not being 0, on random arguments u (the generator of
// the soundness tests: sums, powers, quotients, functions, sums over an
// index); and undefinedPart gives the same error or none with and
// without it on log(1 - f(u)), 1/(1 - f(u)) and (1 - f(u))^-2.
func TestOneMinusUnitAgrees(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 61)))
	canonical := simplify.PlainCanonicalizer()
	s := New()
	ctx := context.Background()
	taken := 0
	for i := range 400 {
		u := g.Expr(3)
		fn := []string{"sigma", "Phi"}[i%2]
		f := ast.NewNeg(ast.NewCall(fn, u))
		e := ast.NewAdd(ast.One, f)
		if i%3 == 0 {
			e = ast.NewAdd(f, ast.One)
		}
		if !oneMinusUnit(e) {
			t.Fatalf("%d: %s not taken", i, ast.String(e))
		}
		taken++
		if canonical(e) == ast.Zero {
			t.Fatalf("%d: %s is 0 by its canonical form: the shortcut would say it is not", i, ast.String(e))
		}
		for _, x := range []ast.Expr{ast.NewCall("log", e), ast.NewDiv(ast.One, e), ast.NewPow(e, ast.NewInt(-2))} {
			got := undefinedPart(ctx, x, s.evalDefs(), s.options())
			undefinedShortcuts = false
			want := undefinedPart(ctx, x, s.evalDefs(), s.options())
			undefinedShortcuts = true
			if (got == nil) != (want == nil) || got != nil && got.Error() != want.Error() {
				t.Fatalf("%d: undefinedPart(%s) is %v with the shortcut, %v without", i, ast.String(x), got, want)
			}
		}
	}
	if taken < 400 {
		t.Errorf("taken %d times of 400", taken)
	}
}

// TestOneMinusUnitNarrow: the shortcut is taken only for 1 minus one
// call of sigma or Phi: two-term sums 1 - v that are 0 everywhere (v a
// quotient, a power, a product) still go to the canonical form and are
// reported. Made unconditional (any 1 - v), the shortcut fails this test.
func TestOneMinusUnitNarrow(t *testing.T) {
	for _, c := range []struct{ src, wantErr string }{
		{"0/(1 - x/x)", "0/(1 - x/x) is undefined: division by zero (1 - x/x is 0 for every value)"},
		{"log(-(x/x) + 1)", "log(-(x/x) + 1) is undefined: log(0) is undefined (-(x/x) + 1 is 0 for every value)"},
		{"y + log(1 - x^2/x^2)*0", "log(1 - x^2/x^2) is undefined: log(0) is undefined (1 - x^2/x^2 is 0 for every value)"},
		{"log(1 - sigma(x))", ""},
		{"log(-Phi(x) + 1)", ""},
	} {
		s := New()
		stmts, err := parser.ParseFile("t.sd", c.src, s.Context())
		if err != nil {
			t.Fatalf("parse %q: %v", c.src, err)
		}
		_, err = s.Exec(context.Background(), stmts[0])
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.wantErr {
			t.Errorf("%s: error %q, want %q", c.src, got, c.wantErr)
		}
	}
	for _, src := range []string{"1 - sigma(x) - sigma(-x)", "1 - exp(x)", "2 - sigma(x)", "1 + sigma(x)", "-1 - sigma(x)", "1 - sigma(x)*y"} {
		e, err := parser.ParseExpr(src, New().Context())
		if err != nil {
			t.Fatal(err)
		}
		if oneMinusUnit(e) {
			t.Errorf("oneMinusUnit(%s) is true", src)
		}
	}
}

// TestHasVerbTree: hasVerb walking a small expression as a tree answers
// as walking it by node (ast.InspectOnce), on random expressions with
// and without a verb call somewhere inside.
func TestHasVerbTree(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 62)))
	verbs := 0
	for i := range 2000 {
		e := g.Expr(4)
		if i%3 == 0 {
			e = ast.NewAdd(e, ast.NewMul(g.Expr(2), ast.NewCall([]string{"expand", "factor", "together"}[i%9/3], g.Expr(2))))
		}
		found := false
		ast.InspectOnce(e, func(x ast.Expr) bool {
			found = found || isVerb(x)
			return !found
		})
		if found {
			verbs++
		}
		if got := hasVerbTree(e); got != found {
			t.Fatalf("%d: hasVerbTree(%s) = %v, by node %v", i, ast.String(e), got, found)
		}
	}
	if verbs < 500 {
		t.Errorf("only %d of 2000 with a verb", verbs)
	}
}
