package simplify_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// patternValue draws a value for a pattern variable: mostly reals of
// both signs, with integers, zero and small fractions mixed in so that
// boundary cases get tried.
func patternValue(rng *rand.Rand) float64 {
	switch r := rng.IntN(10); {
	case r < 5:
		return dyadic(-4 + 8*rng.Float64())
	case r < 7:
		return float64(rng.IntN(9) - 4)
	case r < 8:
		return 0
	case r < 9:
		return dyadic(rng.Float64() / 8)
	default:
		return dyadic(20 * (rng.Float64() - 0.5))
	}
}

// condHolds evaluates a rule's side condition at b.
func condHolds(c ast.Cond, b ast.Bindings) (bool, error) {
	x, err := ast.Eval(c.X, nil, b)
	if err != nil {
		return false, err
	}
	y, err := ast.Eval(c.Y, nil, b)
	if err != nil {
		return false, err
	}
	switch c.Op {
	case ">":
		return x > y, nil
	case ">=":
		return x >= y, nil
	case "<":
		return x < y, nil
	case "<=":
		return x <= y, nil
	case "!=":
		return x != y, nil
	case "==":
		return x == y, nil
	}
	return false, fmt.Errorf("unknown operator %s", c.Op)
}

// checkRule evaluates both sides of r at random values of its pattern
// variables where its conditions hold and its left side is defined, until
// want such points are found. It returns how many were found, and a
// complaint at the first point where the right side differs.
func checkRule(r *rules.Rule, rng *rand.Rand, want int) (valid int, complaint string) {
	for k := 0; k < 40*want && valid < want; k++ {
		b := ast.Bindings{}
		for _, v := range r.Vars {
			b[v] = ast.Scalar(patternValue(rng))
		}
		ok := true
		for _, c := range r.Conds {
			if holds, err := condHolds(c, b); err != nil || !holds {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		checked, complaint := agreeAt(r.LHS, r.RHS, nil, b, 1e-9)
		if complaint != "" {
			return valid, fmt.Sprintf("right side %s at %v", complaint, b)
		}
		if checked {
			valid++
		}
	}
	return valid, ""
}

// TestRewriteRulesNumerically: every rewrite rule of the built-in set,
// simplification and basis rules alike, is an equality wherever its left
// side is defined and its conditions hold. Both sides are evaluated at
// 250 random values of the pattern variables.
func TestRewriteRulesNumerically(t *testing.T) {
	all := builtin.AllRules()
	if len(all) < 30 {
		t.Fatalf("only %d rules", len(all))
	}
	for ri, r := range all {
		t.Run(r.Name, func(t *testing.T) {
			want := 250
			if len(r.Vars) == 0 {
				want = 1 // a rule without variables is one equation
			}
			valid, complaint := checkRule(r, rand.New(rand.NewPCG(uint64(ri), 0x7e1e)), want)
			if complaint != "" {
				t.Fatalf("%s (%s): %s", r, r.Source, complaint)
			}
			if valid < want {
				t.Fatalf("only %d points where the left side is defined and the conditions hold", valid)
			}
		})
	}
}

// TestRuleCheckCatchesUnsoundRules: the check above is not vacuous; it
// rejects plausible wrong rules.
func TestRuleCheckCatchesUnsoundRules(t *testing.T) {
	set, err := load.File(builtin, "wrong.rules", `rule sqrt_square_wrong: sqrt(u^2) -> u
rule log_product_unconditional: log(a*b) -> log(a) + log(b)
rule sigma_even: sigma(-u) -> sigma(u)
rule exp_log_times_any: exp(k*log(u)) -> u^k if k > 0
rule tanh_near: tanh(u) -> 2*sigma(2*u) - 1 + u/1e6
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sqrt_square_wrong", "log_product_unconditional", "sigma_even", "tanh_near"} {
		r, ok := set.Rule(name)
		if !ok {
			t.Fatalf("no rule %s", name)
		}
		if _, complaint := checkRule(r, rand.New(rand.NewPCG(1, 2)), 250); complaint == "" {
			t.Errorf("%s was not caught", r)
		}
	}
	// exp(k*log(u)) = u^k wherever log(u) is defined: sound even with a
	// weaker condition.
	r, _ := set.Rule("exp_log_times_any")
	if _, complaint := checkRule(r, rand.New(rand.NewPCG(1, 2)), 250); complaint != "" {
		t.Errorf("%s: %s", r, complaint)
	}
}

// ruleNames collects the rule names recorded in steps, micro steps
// included.
func ruleNames(steps []rules.Step) []string {
	var out []string
	var walk func([]rules.Step)
	walk = func(ss []rules.Step) {
		for _, st := range ss {
			if !slices.Contains(out, st.Rule.Name) {
				out = append(out, st.Rule.Name)
			}
			walk(st.Sub)
		}
	}
	walk(steps)
	return out
}

// TestSimplifyRulesFire: each simplification rule rewrites an instance
// of its own left side (pattern variables renamed to plain names), so no
// rule is dead, and the rewrite, checked numerically, is right.
func TestSimplifyRulesFire(t *testing.T) {
	rename := []string{"x", "y", "z", "t"}
	for ri, r := range builtin.Rules(rules.Simplify) {
		t.Run(r.Name, func(t *testing.T) {
			m := map[string]ast.Expr{}
			for i, v := range r.Vars {
				m[v] = ast.NewSym(rename[i])
			}
			in := ast.Subst(r.LHS, m)
			res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			if used := ruleNames(res.Trace); !slices.Contains(used, r.Name) {
				t.Errorf("Simplify(%s) = %s did not use %s; it used %v", ast.String(in), ast.String(res.Expr), r.Name, used)
			}
			rng := rand.New(rand.NewPCG(uint64(ri), 5))
			if _, points := checkMicroSteps(t, rng, res.Trace, map[string]bool{r.Name: true}, 50); points == 0 {
				t.Errorf("no application of %s was checked at a point", r.Name)
			}
			checkNumerically(t, uint64(ri), in, nil, 0.05, 3, map[string]ast.Expr{"result": res.Expr})
		})
	}
}

// goRuleCheck exercises a rule written in Go on instances it applies to.
type goRuleCheck struct {
	// simplify instances run through Simplify; prove pairs through Prove
	// (basis rules are the prover's only).
	simplify []string
	prove    [][2]string
}

// goRuleChecks has an entry for every rule of simplify.GoRules(); a new
// Go rule without one fails TestGoRulesNumerically.
var goRuleChecks = map[string]goRuleCheck{
	"power_sum": {simplify: []string{
		"sum(i=1..n, i)", "sum(i=1..n, i^2)", "sum(i=1..n, i^3)", "sum(i=1..n, i^4)", "sum(i=1..n, i^5)",
		"sum(i=1..n, i^6)", "sum(i=1..n, i^7)", "sum(i=1..n, i^8)", "sum(i=1..n, i^9)", "sum(i=1..n, i^10)",
		"sum(i=3..7, i^3)", "sum(i=2..2, i^2)", "sum(i=4..3, i^5)", "mean(i=1..n, i^2)", "sum(j=1..m, j)*x",
	}},
	"sum_order": {simplify: []string{
		"sum(i=1..n, sum(j=1..m, c[i,j]))",
		"sum(j=1..m, sum(i=1..n, c[i,j]))",
		"sum(i=1..n, sum(j=1..m, c[i,j]*b[j]*a[i]))",
		"sum(j=1..m, sum(i=1..n, c[j,i]*x + c[i,j]))",
		"sum(i=1..n, sum(j=1..4, c[i,j]^2))",
		"sum(i=1..4, sum(j=1..n, c[i,j]^2))",
		"sum(i=1..m, sum(j=1..n, c[i,j]*b[j]*a[i]))",
		"sum(i=1..m, sum(j=1..n, exp(c[j,i])))",
		"sum(i=1..n, sum(j=1..m, exp(c[j,i])))",
	}},
	"abs_of_known_sign":        {simplify: []string{"abs(exp(x))", "abs(-x^2 - 1)", "abs(-3/2)", "abs(sigma(x) - 1)", "abs(x^2)*y"}},
	"sign_of_known_sign":       {simplify: []string{"sign(exp(x))", "sign(-x^2 - 1)", "sign(0*x)", "sign(-2)", "sign(sigma(x))*y"}},
	"step_of_known_sign":       {simplify: []string{"step(exp(x))", "step(-x^2)", "step(0)", "step(1/3)", "step(-sigma(x))*y"}},
	"relu_of_known_sign":       {simplify: []string{"relu(x^2)", "relu(-exp(x))", "relu(-2)", "relu(5/2)*y"}},
	"max_of_known_order":       {simplify: []string{"max(x, x + 1)", "max(x^2 + 1, 0)", "max(2, 3)", "max(exp(x), -y^2)"}},
	"min_of_known_order":       {simplify: []string{"min(x, x + 1)", "min(x^2 + 1, 0)", "min(2, 3)", "min(exp(x), -y^2)"}},
	"if_same_pieces":           {simplify: []string{"if(x > 0, y, y)", "if(x > y and y < 1, x + 1, 1 + x)", "2*if(x != y, x*y, y*x)"}},
	"if_of_decided_condition":  {simplify: []string{"if(exp(x) > 0, x, -x)", "if(x^2 < 0, x, log(x))", "if(x + 1 > x, y, 0)", "if(2 == 3, x, y)", "y*if(x^2 + 1 <= 0 or exp(y) != 0, x, -x)"}},
	"condition_of_known_parts": {simplify: []string{"if(x > 0 and exp(y) > 0, x, y)", "if(x > 0 or exp(y) < 0, x, y)", "if(not (x > 0), x, y)", "if(not (x == y) and y^2 >= 0, x, y)", "if(not (x > y or sigma(x) > 1), x, y)"}},
	"if_of_negated_condition":  {simplify: []string{"if(not (x > 0 and y > 0), x, y)", "if(not (x > 0 or y < 1), x - y, x*y)", "x*if(not (x < 0 and y != 1), y, 2)"}},
	"sin_of_pi_multiple":       {simplify: []string{"sin(pi)", "sin(pi/6)", "sin(pi/4)", "sin(-2*pi/3)", "sin(7*pi/4)", "sin(13*pi/6)", "x*sin(3*pi/2)", "sin(5*pi/3)", "sin(x + pi)", "sin(x - pi/2)", "sin(x + y + 5*pi/2)"}},
	"cos_of_pi_multiple":       {simplify: []string{"cos(pi)", "cos(pi/3)", "cos(pi/4)", "cos(5*pi/6)", "cos(-pi/2)", "cos(4*pi)", "x + cos(7*pi/6)", "cos(3*pi/4)", "cos(x + pi/2)", "cos(x - 3*pi)", "cos(2*x + 3*pi/2)"}},
	"sqrt_of_number":           {simplify: []string{"sqrt(4)", "sqrt(8)", "sqrt(9/4)", "sqrt(8/9)", "x*sqrt(12)", "sqrt(50) + y", "sqrt(2^61*3)", "sqrt(10^30)*x"}},
	"phi_as_exp": {prove: [][2]string{
		{"phi(x)", "phi(0)*exp(-x^2/2)"},
		{"phi(x + y)", "phi(x)*phi(y)*exp(-x*y)/phi(0)"},
		{"phi(2*x)", "phi(x)^4/phi(0)^3"},
	}},
	"sin_multiple_angle": {prove: [][2]string{
		{"sin(2*x)", "2*sin(x)*cos(x)"},
		{"sin(3*x)", "3*sin(x) - 4*sin(x)^3"},
		{"sin(4*x*y)", "4*sin(x*y)*cos(x*y)*(1 - 2*sin(x*y)^2)"},
	}},
	"cos_multiple_angle": {prove: [][2]string{
		{"cos(2*x)", "1 - 2*sin(x)^2"},
		{"cos(3*x)", "4*cos(x)^3 - 3*cos(x)"},
		{"cos(4*y)", "8*cos(y)^4 - 8*cos(y)^2 + 1"},
	}},
}

// TestGoRulesNumerically: every rule written in Go is used on instances
// it applies to, and each recorded application is an equality at random
// points (at least 200 in all); the results equal the inputs.
func TestGoRulesNumerically(t *testing.T) {
	var gos []*rules.Rule
	for _, r := range simplify.Rules() {
		if r.Apply != nil {
			gos = append(gos, r)
		}
	}
	if len(gos) == 0 {
		t.Fatal("no Go rules")
	}
	for gi, g := range gos {
		t.Run(g.Name, func(t *testing.T) {
			chk, ok := goRuleChecks[g.Name]
			if !ok {
				t.Fatalf("no test instances for Go rule %s (%s): add them to goRuleChecks", g.Name, g.Doc)
			}
			rng := rand.New(rand.NewPCG(uint64(gi), 11))
			only := map[string]bool{g.Name: true}
			applied, points := 0, 0
			count := func(steps []rules.Step) {
				for _, name := range ruleNames(steps) {
					if name == g.Name {
						applied++
					}
				}
				_, p := checkMicroSteps(t, rng, steps, only, 100)
				points += p
			}
			for i, src := range chk.simplify {
				if g.Kind != rules.Simplify {
					t.Fatalf("%s is a %s rule: exercise it with Prove", g.Name, g.Kind)
				}
				in := mustParse(t, src, nil)
				res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
				if err != nil {
					t.Fatal(err)
				}
				count(res.Trace)
				checkNumerically(t, uint64(100*gi+i), in, nil, -3, 3, map[string]ast.Expr{"result": res.Expr})
			}
			for _, pair := range chk.prove {
				a, b := mustParse(t, pair[0], nil), mustParse(t, pair[1], nil)
				pr, err := prove.Prove(bg, a, b, simplify.Options{Rules: builtin})
				if err != nil {
					t.Fatal(err)
				}
				if pr.Verdict != prove.Proved {
					t.Errorf("prove %s == %s: %s (%s)", pair[0], pair[1], pr.Verdict, pr.Tried)
				}
				count(pr.Trace)
				// The pair itself is an identity (checked by hand, and here
				// numerically), so the proof is not the only evidence.
				checkNumerically(t, uint64(gi), a, nil, -3, 3, map[string]ast.Expr{"other side": b})
			}
			if applied == 0 {
				t.Fatalf("%s was never applied", g.Name)
			}
			if points < 200 {
				t.Errorf("only %d evaluations of %s's rewrites", points, g.Name)
			}
		})
	}
}
