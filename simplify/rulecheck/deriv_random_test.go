package rulecheck_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// derivTable pairs functions of u with their derivatives, worked out by
// hand: the oracle of TestRandomDerivRules.
var derivTable = [][2]string{
	{"sin(u)", "cos(u)"},
	{"cos(u)", "-sin(u)"},
	{"exp(u)", "exp(u)"},
	{"u^2", "2*u"},
	{"u^3", "3*u^2"},
	{"log(1 + u^2)", "2*u/(1 + u^2)"},
	{"sigma(u)", "sigma(u)*(1 - sigma(u))"},
	{"tanh(u)", "1 - tanh(u)^2"},
	{"softplus(u)", "sigma(u)"},
	{"u", "1"},
	{"abs(u)*u", "2*abs(u)"},
	{"sqrt(1 + u^2)", "u/sqrt(1 + u^2)"},
}

// A random defined function c1*g1 + c2*g2 + e*g3 (e = 1/10^k, small) with
// a derivative rule that is right, or wrong by leaving out e*g3' or by
// scaling c1 by 1 + 1/10^k. A right rule is proved (or sound), a wrong
// one unsound, with a counterexample where the true derivative (from the
// table) and the rule differ at 256 bits. The finite differences alone,
// used for functions with no definition, must see the errors of relative
// size down to 1e-7 too.
func TestRandomDerivRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 8))
	cases := 60
	if testing.Short() {
		cases = 20
	}
	for i := 0; i < cases; i++ {
		g := [3][2]string{}
		for j := range g {
			g[j] = derivTable[rng.IntN(len(derivTable))]
		}
		c1, c2 := 1+rng.IntN(5), -3+rng.IntN(7)
		k := 4 + rng.IntN(9)
		def := fmt.Sprintf("%d*(%s) + %d*(%s) + (%s)/10^%d", c1, g[0][0], c2, g[1][0], g[2][0], k)
		truth := fmt.Sprintf("%d*(%s) + %d*(%s) + (%s)/10^%d", c1, g[0][1], c2, g[1][1], g[2][1], k)
		right := rng.IntN(2) == 0
		rule := truth
		switch {
		case right:
		case rng.IntN(2) == 0:
			rule = fmt.Sprintf("%d*(%s) + %d*(%s)", c1, g[0][1], c2, g[1][1])
		default:
			rule = fmt.Sprintf("%d*(1 + 1/10^%d)*(%s) + %d*(%s) + (%s)/10^%d", c1, k, g[0][1], c2, g[1][1], g[2][1], k)
		}
		src := fmt.Sprintf("foo(u) := %s\nderiv foo(u) = %s\n", def, rule)
		set, err := load.File(builtin, "test.rules", src)
		if err != nil {
			t.Fatal(err)
		}
		var d *rules.Rule
		for _, r := range set.Derivs() {
			if r.Source.File == "test.rules" {
				d = r
			}
		}
		truthExpr, err := parser.ParseExpr(truth, load.Context(set, nil))
		if err != nil {
			t.Fatal(err)
		}
		check := func(how string, rep *rulecheck.RuleReport) {
			t.Helper()
			switch {
			case right && rep.Verdict == rulecheck.RuleUnsound:
				t.Errorf("%s%s: a right rule is %s (%s)", src, how, rep.Verdict, rep.Note)
			case !right && rep.Verdict != rulecheck.RuleUnsound:
				t.Errorf("%s%s: a wrong rule is %s (%s)", src, how, rep.Verdict, rep.Note)
			case !right && rep.Counter != nil && how == "":
				// The prover's counterexample: the true derivative and
				// the rule differ there.
				a, err1 := ast.EvalBig(bg, truthExpr, set.Defs(), rep.Counter.Bindings, 256)
				b, err2 := ast.EvalBig(bg, d.Body, set.Defs(), rep.Counter.Bindings, 256)
				if err1 != nil || err2 != nil || a.Cmp(b) == 0 {
					t.Errorf("%s: counterexample %v is none: %v %v %v %v", src, rep.Counter.Bindings, a, b, err1, err2)
				}
			}
		}
		check("", rulecheck.CheckDeriv(bg, d, set))
		if k <= 7 || right {
			restore := rulecheck.NumericOnly()
			rep := rulecheck.CheckDeriv(bg, d, set)
			restore()
			check(" by finite differences", rep)
			if right && rep.Verdict != rulecheck.RuleSound {
				t.Errorf("%s by finite differences: %s (%s)", src, rep.Verdict, rep.Note)
			}
		}
	}
}

// A derivative rule that differs from the engine's derivative only on a
// kink of the function, where no derivative exists (abs at 0), is not
// unsound: the prover's counterexample there is not taken, as the finite
// differences skip kinks. A rule wrong away from the kink still is.
func TestDerivRuleAtKink(t *testing.T) {
	for _, tc := range []struct {
		src   string
		wrong bool
	}{
		{"bar(u) := abs(u)\nderiv bar(u) = if(u >= 0, 1, -1)", false},
		{"bar(u) := 3*abs(u - 1)\nderiv bar(u) = if(u > 1, 3, -3)", false},
		{"bar(u) := relu(u)\nderiv bar(u) = if(u > 0, 1, 1/2)", true},
		{"bar(u) := abs(u)\nderiv bar(u) = if(u >= 0, 1, -1) + 1/10^9", true},
	} {
		set, err := load.File(builtin, "test.rules", tc.src+"\n")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range set.Derivs() {
			if d.Source.File != "test.rules" {
				continue
			}
			rep := rulecheck.CheckDeriv(bg, d, set)
			if got := rep.Verdict == rulecheck.RuleUnsound; got != tc.wrong {
				t.Errorf("%q: %s (%s)", tc.src, rep.Verdict, rep.Note)
			}
		}
	}
}
