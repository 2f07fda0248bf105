package load_test

import (
	"errors"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// TestBuiltin: the embedded files load; rule names are unique; every rule
// says where it was stated; basis rules are exactly those of basis.rules;
// pattern variables are the names on the left that are not functions.
func TestBuiltin(t *testing.T) {
	set := builtin
	var files []string
	for _, f := range rules.BuiltinFiles {
		files = append(files, "rules/"+f.Name)
	}
	if diff := cmp.Diff(files, set.Files()); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
	seen := map[string]rules.Source{}
	for _, r := range set.AllRules() {
		if old, dup := seen[r.Name]; dup {
			t.Errorf("rule %s at %s and at %s", r.Name, old, r.Source)
		}
		seen[r.Name] = r.Source
		if r.Source.Line <= 0 || !slices.Contains(files, r.Source.File) {
			t.Errorf("rule %s: source %q", r.Name, r.Source)
		}
		wantKind := rules.Simplify
		if path.Base(r.Source.File) == "basis.rules" {
			wantKind = rules.Basis
		}
		if r.Kind != wantKind {
			t.Errorf("rule %s from %s has kind %s", r.Name, r.Source.File, r.Kind)
		}
		if got, ok := set.Rule(r.Name); !ok || got != r {
			t.Errorf("Rule(%q) does not return the rule", r.Name)
		}
		// Every name on the right side or in a condition is a pattern
		// variable (or the rule would invent values).
		for _, e := range append([]ast.Expr{r.RHS}, condExprs(r.Conds)...) {
			for _, n := range ast.FreeNames(e) {
				if !slices.Contains(r.Vars, n) {
					t.Errorf("rule %s: %s is used on the right but is not a pattern variable %v", r.Name, n, r.Vars)
				}
			}
		}
		if !slices.IsSorted(r.Vars) {
			t.Errorf("rule %s: Vars %v not sorted", r.Name, r.Vars)
		}
	}
	if len(seen) < 30 {
		t.Errorf("only %d rules", len(seen))
	}
	// A few rules spelled out.
	for name, vars := range map[string][]string{
		"sigma_neg": {"u"}, "pythagoras": {"u"}, "log_product": {"a", "b"}, "exp_log_times": {"k", "u"}, "sigma_zero": nil,
	} {
		r, ok := set.Rule(name)
		if !ok {
			t.Errorf("no rule %s", name)
			continue
		}
		if diff := cmp.Diff(vars, r.Vars); diff != "" {
			t.Errorf("%s: Vars (-want +got):\n%s", name, diff)
		}
	}
	if _, ok := set.Rule("no_such_rule"); ok {
		t.Errorf("Rule found a rule that does not exist")
	}
	for _, f := range rules.BuiltinFiles {
		if src, err := load.ReadBuiltin(f.Name); err != nil || src == "" {
			t.Errorf("ReadBuiltin(%s): %v", f.Name, err)
		}
	}
}

func condExprs(cs []ast.Cond) []ast.Expr {
	var out []ast.Expr
	for _, c := range cs {
		out = append(out, c.X, c.Y)
	}
	return out
}

// TestBuiltinDerivs: one derivative rule per built-in function (but the
// index function delta), sorted, named d_<fn>, stated in deriv.rules.
func TestBuiltinDerivs(t *testing.T) {
	var got []string
	for _, d := range builtin.Derivs() {
		got = append(got, d.Name)
		if path.Base(d.Source.File) != "deriv.rules" || d.Source.Line <= 0 {
			t.Errorf("%s: source %s", d.Name, d.Source)
		}
		if _, ok := ast.LookupFunc(d.Fn); !ok {
			t.Errorf("%s: %s is not a built-in function", d.Name, d.Fn)
		}
	}
	want := []string{"d_Phi", "d_abs", "d_clip_u", "d_clip_lo", "d_clip_hi", "d_cos", "d_cosh", "d_exp", "d_log", "d_max_a", "d_max_b",
		"d_min_a", "d_min_b", "d_phi", "d_relu", "d_sigma", "d_sign", "d_sin", "d_sinh", "d_softplus", "d_sqrt", "d_step", "d_tanh"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Derivs (-want +got):\n%s", diff)
	}
}

// loadErr loads src into the built-in set and returns the error, which
// must be a *parser.Error.
func loadErr(t *testing.T, file, src string) *parser.Error {
	t.Helper()
	set, err := load.File(builtin, file, src)
	if err == nil {
		t.Fatalf("Load(%q) succeeded, want an error", src)
	}
	if set != nil {
		t.Errorf("Load returned a set together with an error")
	}
	var pe *parser.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *parser.Error", err, err)
	}
	return pe
}

func sigmaNegSource() string {
	r, ok := builtin.Rule("sigma_neg")
	if !ok {
		return "(no rule sigma_neg)"
	}
	return r.Source.String()
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"duplicate of a built-in rule", "rule mine: exp(log(u)) -> u if u > 0\nrule sigma_neg: sigma(-u) -> 1 - sigma(u)\n", 2, 1,
			"rule sigma_neg is already defined at " + sigmaNegSource()},
		{"duplicate within the file", "rule a1: sin(0) -> 0\n\n  rule a1: cos(0) -> 1\n", 3, 3, "rule a1 is already defined at user.rules:1"},
		{"scalar definition", "rule ok1: sin(0) -> 0\nc := 2\n", 2, 1, "a rule file may define functions"},
		{"indexed definition", "p[i] := sigma(z[i])\n", 1, 1, "a rule file may define functions"},
		{"prove statement", "prove x == x\n", 1, 1, "not a prove statement"},
		{"bare expression", "sigma(x)\n", 1, 1, "not a bare expression"},
		{"lone pattern variable", "rule everything: u -> 0\n", 1, 18, "lone pattern variable"},
		{"syntax error", "rule bad: sigma(u -> u\n", 1, 16, "unclosed"},
		{"unknown function", "rule bad: sigmoidd(u) -> u\n", 1, 11, "unknown function sigmoidd"},
		{"recursive functions", "g(u) := u\nf(u) := g(u) + 1\ng(u) := f(u)\n", 3, 1, "recursive definition"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pe := loadErr(t, "user.rules", tc.src)
			if pe.Pos.Filename != "user.rules" || pe.Pos.Line != tc.line || pe.Pos.Col != tc.col {
				t.Errorf("error at %s, want user.rules:%d:%d (%v)", pe.Pos, tc.line, tc.col, pe)
			}
			if !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("message %q does not contain %q", pe.Msg, tc.msg)
			}
			if !strings.HasPrefix(pe.Error(), pe.Pos.String()+": ") {
				t.Errorf("Error() = %q does not start with the position", pe.Error())
			}
		})
	}
}

// TestNothingHalfLoaded: a file with an error leaves the set it was loaded
// into as it was, and none of its earlier statements take effect.
func TestNothingHalfLoaded(t *testing.T) {
	base := builtin
	nRules, nDerivs, nDefs := len(base.AllRules()), len(base.Derivs()), base.Defs().Len()
	src := "swish(u) := u*sigma(u)\nderiv sigma(u) = 0\nrule first_ok: swish(0) -> 0\nc := 1\n"
	loadErr(t, "half.rules", src)
	if len(base.AllRules()) != nRules || len(base.Derivs()) != nDerivs || base.Defs().Len() != nDefs {
		t.Errorf("the built-in set changed: %d/%d rules, %d/%d derivs, %d/%d defs",
			len(base.AllRules()), nRules, len(base.Derivs()), nDerivs, base.Defs().Len(), nDefs)
	}
	if _, ok := base.Rule("first_ok"); ok {
		t.Errorf("rule first_ok was loaded from a file with an error")
	}
	if _, ok := base.Defs().Lookup("swish"); ok {
		t.Errorf("swish was defined from a file with an error")
	}
	if d, _ := base.Deriv("sigma", 0); ast.String(d.Body) != "sigma(u)*(1 - sigma(u))" {
		t.Errorf("the derivative of sigma was replaced: %s", d)
	}
	for _, f := range base.Files() {
		if f == "half.rules" {
			t.Errorf("half.rules is listed among the files")
		}
	}
	// The same rules without the error load, and their names are free.
	fixed, err := load.File(base, "fixed.rules", strings.TrimSuffix(src, "c := 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fixed.Rule("first_ok"); !ok {
		t.Errorf("first_ok missing after a good load")
	}
}

// TestLoadReturnsNewSet: Load leaves its receiver alone; a derivative rule
// replaces an earlier one for the same function and parameter.
func TestLoadReturnsNewSet(t *testing.T) {
	base := builtin
	s2, err := load.File(base, "alt.rules", "deriv sigma(u) = 1/4\nrule sin_pi_zero: sin(0*u) -> 0\n")
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := s2.Deriv("sigma", 0); ast.String(d.Body) != "1/4" || d.Source.String() != "alt.rules:1" {
		t.Errorf("s2's derivative of sigma: %s at %s", d, d.Source)
	}
	if d, _ := base.Deriv("sigma", 0); ast.String(d.Body) == "1/4" {
		t.Errorf("Load changed the receiver's derivative rule")
	}
	if len(s2.Derivs()) != len(base.Derivs()) {
		t.Errorf("replacing a derivative rule changed the count: %d vs %d", len(s2.Derivs()), len(base.Derivs()))
	}
	if len(s2.AllRules()) != len(base.AllRules())+1 {
		t.Errorf("s2 has %d rules, base %d", len(s2.AllRules()), len(base.AllRules()))
	}
	if _, ok := base.Rule("sin_pi_zero"); ok {
		t.Errorf("Load added a rule to its receiver")
	}
	if diff := cmp.Diff(append(base.Files(), "alt.rules"), s2.Files()); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
	// User rules are simplification rules.
	if r, _ := s2.Rule("sin_pi_zero"); r.Kind != rules.Simplify || r.Source.String() != "alt.rules:2" {
		t.Errorf("user rule: kind %s, source %s", r.Kind, r.Source)
	}
}

// TestUserFile: a function definition, derivative rules of a declared
// function (one and two parameters) and a rewrite rule from a user file
// all work in derive and simplify.
func TestUserFile(t *testing.T) {
	src := `# activations
swish(u) := u*sigma(u)
deriv sq(u) = 2*u
deriv g(u, v) wrt u = v
deriv g(u, v) wrt v = u
rule sq_zero: sq(0) -> 0
`
	set, err := load.File(builtin, "act.rules", src)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"sq": 1, "g": 2}, set.Funcs()); diff != "" {
		t.Errorf("Funcs (-want +got):\n%s", diff)
	}
	if _, ok := set.Defs().Lookup("swish"); !ok {
		t.Fatalf("swish not defined")
	}
	if d, ok := set.Deriv("g", 1); !ok || d.Name != "d_g_v" || ast.String(d.Body) != "u" {
		t.Errorf("Deriv(g, 1) = %v, %v", d, ok)
	}
	parse := func(s string) ast.Expr {
		t.Helper()
		e, err := parser.ParseExpr(s, load.Context(set, nil))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	x := ast.NewSym("x")
	diff := func(src string) *simplify.Result {
		t.Helper()
		d, err := derive.D(bg, parse(src), x, derive.Options{Rules: set})
		if err != nil {
			t.Fatal(err)
		}
		res, err := simplify.Simplify(bg, d, simplify.Options{Rules: set})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// d(sq(x^2), x) = 2*x^2 * 2*x = 4*x^3.
	if got := ast.String(diff("sq(x^2)").Expr); got != "4*x^3" {
		t.Errorf("d(sq(x^2), x) = %s, want 4*x^3", got)
	}
	// d(g(x, x^2), x) = x^2*1 + x*2*x = 3*x^2.
	if got := ast.String(diff("g(x, x^2)").Expr); got != "3*x^2" {
		t.Errorf("d(g(x, x^2), x) = %s, want 3*x^2", got)
	}
	// d(swish(x), x) = sigma(x) + x*sigma(x)*(1 - sigma(x)), numerically.
	res := diff("swish(x)")
	want := parse("sigma(x) + x*sigma(x)*(1 - sigma(x))")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		b := ast.Bindings{"x": ast.Scalar(-6 + 12*rng.Float64())}
		g, err1 := ast.Eval(res.Canonical, nil, b)
		w, err2 := ast.Eval(want, nil, b)
		if err1 != nil || err2 != nil || g-w > 1e-12 || w-g > 1e-12 {
			t.Fatalf("d(swish(x), x) = %s: %v (%v), want %v (%v) at %v", ast.String(res.Expr), g, err1, w, err2, b)
		}
	}
	// The user's rewrite rule applies.
	r, err := simplify.Simplify(bg, parse("sq(0) + sq(x - x)"), simplify.Options{Rules: set})
	if err != nil {
		t.Fatal(err)
	}
	if got := ast.String(r.Expr); got != "0" {
		t.Errorf("sq(0) + sq(x - x) = %s, want 0", got)
	}
	// Without the file, sq is not a function.
	if _, err := parser.ParseExpr("sq(x)", load.Context(builtin, nil)); err == nil {
		t.Errorf("sq parses without the rule file")
	}
}

// Matching. Patterns and subjects are built in canonical shape.
var (
	u, v, a, b = ast.NewSym("u"), ast.NewSym("v"), ast.NewSym("a"), ast.NewSym("b")
	x, y, z    = ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("z")
	n          = ast.NewSym("n")
)

func sig(e ast.Expr) ast.Expr     { return ast.NewCall("sigma", e) }
func neg(e ast.Expr) ast.Expr     { return ast.NewMul(ast.MinusOne, e) }
func num(p, q int64) ast.Expr     { return ast.NewNum(ast.Frac(p, q)) }
func pow2(e ast.Expr) ast.Expr    { return ast.NewPow(e, ast.Two) }
func idx(name, i string) ast.Expr { return ast.NewIndex(name, ast.NewSym(i)) }

func TestMatchRoot(t *testing.T) {
	sinCos := ast.NewAdd(pow2(ast.NewCall("sin", u)), pow2(ast.NewCall("cos", u)))
	tests := []struct {
		name     string
		pattern  ast.Expr
		vars     []string
		subject  ast.Expr
		want     rules.Bindings // nil: no match
		wantRest []ast.Expr
	}{
		{"sum in another order", ast.NewAdd(ast.One, sig(u)), []string{"u"}, ast.NewAdd(sig(x), ast.One), rules.Bindings{"u": x}, nil},
		{"operands left over at the root", ast.NewAdd(ast.One, neg(sig(u))), []string{"u"},
			ast.NewAdd(ast.One, x, neg(sig(z))), rules.Bindings{"u": z}, []ast.Expr{x}},
		{"no partial match below the root", ast.NewCall("log", ast.NewAdd(ast.One, ast.NewCall("exp", u))), []string{"u"},
			ast.NewCall("log", ast.NewAdd(ast.One, ast.NewCall("exp", x), y)), nil, nil},
		{"rest variable takes the remaining terms", ast.NewAdd(a, b), []string{"a", "b"},
			ast.NewAdd(x, y, z), rules.Bindings{"a": x, "b": ast.NewAdd(y, z)}, nil},
		{"rest variable takes the remaining factors", ast.NewMul(a, b), []string{"a", "b"},
			ast.NewMul(x, y, z), rules.Bindings{"a": x, "b": ast.NewMul(y, z)}, nil},
		{"product in another order", ast.NewMul(sig(u), ast.NewCall("exp", v)), []string{"u", "v"},
			ast.NewMul(ast.NewCall("exp", y), sig(x)), rules.Bindings{"u": x, "v": y}, nil},
		{"coefficient divides: sigma(-u) vs sigma(-2*x)", sig(neg(u)), []string{"u"},
			sig(ast.NewMul(ast.NewInt(-2), x)), rules.Bindings{"u": ast.NewMul(ast.Two, x)}, nil},
		{"coefficient divides: sigma(-u) vs sigma(-x/2)", sig(neg(u)), []string{"u"},
			sig(ast.NewMul(num(-1, 2), x)), rules.Bindings{"u": ast.NewMul(num(1, 2), x)}, nil},
		{"coefficient divides: sigma(-u) vs sigma(-x*y)", sig(neg(u)), []string{"u"},
			sig(ast.NewMul(ast.MinusOne, x, y)), rules.Bindings{"u": ast.NewMul(x, y)}, nil},
		{"coefficient divides a number: sigma(-u) vs sigma(-3)", sig(neg(u)), []string{"u"},
			sig(ast.NewInt(-3)), rules.Bindings{"u": ast.NewInt(3)}, nil},
		{"coefficient of the other sign: sigma(-u) vs sigma(2*x)", sig(neg(u)), []string{"u"},
			sig(ast.NewMul(ast.Two, x)), nil, nil},
		{"coefficient of the other sign: sigma(-u) vs sigma(3)", sig(neg(u)), []string{"u"},
			sig(ast.NewInt(3)), nil, nil},
		{"number must be equal", ast.NewCall("exp", ast.Zero), nil, ast.NewCall("exp", ast.One), nil, nil},
		{"number equal", ast.NewCall("exp", ast.Zero), nil, ast.NewCall("exp", ast.Zero), rules.Bindings{}, nil},
		{"non-linear u + u", ast.NewAdd(u, u), []string{"u"}, ast.NewAdd(x, x), rules.Bindings{"u": x}, nil},
		{"non-linear u + u vs x + y", ast.NewAdd(u, u), []string{"u"}, ast.NewAdd(x, y), nil, nil},
		{"non-linear in two calls", ast.NewCall("delta", u, u), []string{"u"}, ast.NewCall("delta", x, y), nil, nil},
		{"non-linear pythagoras", sinCos, []string{"u"},
			ast.NewAdd(z, pow2(ast.NewCall("cos", x)), pow2(ast.NewCall("sin", x))), rules.Bindings{"u": x}, []ast.Expr{z}},
		{"non-linear pythagoras, different arguments", sinCos, []string{"u"},
			ast.NewAdd(pow2(ast.NewCall("sin", x)), pow2(ast.NewCall("cos", y))), nil, nil},
		{"bound variables match bound variables",
			ast.NewSum(ast.OpSum, "i", a, b, ast.NewMul(u, idx("c", "i"))), []string{"a", "b", "u"},
			ast.NewSum(ast.OpSum, "j", ast.One, n, ast.NewMul(ast.NewInt(3), idx("c", "j"))),
			rules.Bindings{"a": ast.One, "b": n, "u": ast.NewInt(3)}, nil},
		{"a pattern variable cannot capture a bound variable",
			ast.NewSum(ast.OpSum, "i", a, b, ast.NewMul(u, idx("c", "i"))), []string{"a", "b", "u"},
			ast.NewSum(ast.OpSum, "j", ast.One, n, ast.NewMul(ast.NewSym("j"), idx("c", "j"))), nil, nil},
		{"bound variable against a free name",
			ast.NewSum(ast.OpSum, "i", ast.One, n, ast.NewSym("i")), nil,
			ast.NewSum(ast.OpSum, "j", ast.One, n, ast.NewSym("k")), nil, nil},
		{"bound variable against the subject's bound variable",
			ast.NewSum(ast.OpSum, "i", ast.One, n, ast.NewSym("i")), nil,
			ast.NewSum(ast.OpSum, "j", ast.One, n, ast.NewSym("j")), rules.Bindings{}, nil},
		{"sum and mean differ",
			ast.NewSum(ast.OpSum, "i", ast.One, n, ast.NewSym("i")), nil,
			ast.NewSum(ast.OpMean, "i", ast.One, n, ast.NewSym("i")), nil, nil},
		{"indexed names must agree", idx("c", "k"), nil, idx("d", "k"), nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := rules.MatchRoot(tc.pattern, tc.subject, tc.vars)
			if ok != (tc.want != nil) {
				t.Fatalf("MatchRoot(%s, %s) = %v, %v; want match %v", ast.String(tc.pattern), ast.String(tc.subject), printB(m.Bindings), ok, tc.want != nil)
			}
			if !ok {
				return
			}
			if diff := cmp.Diff(printB(tc.want), printB(m.Bindings)); diff != "" {
				t.Errorf("bindings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(printL(tc.wantRest), printL(m.Rest)); diff != "" {
				t.Errorf("rest (-want +got):\n%s", diff)
			}
			// Instantiating the pattern with the bindings gives back the
			// subject, up to the order of operands and the leftovers.
			back := rules.Instantiate(tc.pattern, m.Bindings)
			if len(m.Rest) > 0 {
				back = ast.NewAdd(append(slices.Clone(m.Rest), back)...)
			}
			if !sameOperands(back, tc.subject) {
				t.Errorf("Instantiate gives %s, subject %s", ast.String(back), ast.String(tc.subject))
			}
		})
	}
}

// sameOperands compares two expressions up to the order and nesting of
// the operands of sums and products, the split of a coefficient, and the
// names of bound variables.
func sameOperands(p, q ast.Expr) bool {
	return norm(p) == norm(q)
}

func norm(e ast.Expr) string {
	return ast.String(ast.Map(e, func(x ast.Expr) ast.Expr {
		switch y := x.(type) {
		case *ast.Sum:
			return ast.NewSum(y.Op, "_", y.Lo, y.Hi, ast.Rename(y.Body, y.Var, "_"))
		case *ast.Add:
			ts := flat(y)
			slices.SortFunc(ts, func(a, b ast.Expr) int { return strings.Compare(ast.String(a), ast.String(b)) })
			return ast.NewAdd(ts...)
		case *ast.Mul:
			coef := ast.Int(1)
			var fs []ast.Expr
			for _, f := range flat(y) {
				if nn, ok := f.(*ast.Num); ok {
					coef = coef.Mul(nn.Value)
				} else {
					fs = append(fs, f)
				}
			}
			slices.SortFunc(fs, func(a, b ast.Expr) int { return strings.Compare(ast.String(a), ast.String(b)) })
			if !coef.IsOne() || len(fs) == 0 {
				fs = append([]ast.Expr{ast.NewNum(coef)}, fs...)
			}
			return ast.NewMul(fs...)
		}
		return x
	}))
}

// flat returns the operands of a sum or product, nested ones merged.
func flat(e ast.Expr) []ast.Expr {
	var out []ast.Expr
	switch y := e.(type) {
	case *ast.Add:
		for _, t := range y.Terms {
			if _, ok := t.(*ast.Add); ok {
				out = append(out, flat(t)...)
			} else {
				out = append(out, t)
			}
		}
	case *ast.Mul:
		for _, f := range y.Factors {
			if _, ok := f.(*ast.Mul); ok {
				out = append(out, flat(f)...)
			} else {
				out = append(out, f)
			}
		}
	}
	return out
}

func printB(b rules.Bindings) map[string]string {
	if b == nil {
		return nil
	}
	out := map[string]string{}
	for k, e := range b {
		out[k] = ast.String(e)
	}
	return out
}

func printL(es []ast.Expr) []string {
	var out []string
	for _, e := range es {
		out = append(out, ast.String(e))
	}
	return out
}

// TestRuleString: rules print as they are written.
func TestRuleString(t *testing.T) {
	set := builtin
	for name, want := range map[string]string{
		"sigma_neg":     "rule sigma_neg: sigma(-u) -> 1 - sigma(u)",
		"exp_log":       "rule exp_log: exp(log(u)) -> u if u > 0",
		"log_product":   "rule log_product: log(a*b) -> log(a) + log(b) if a > 0 and b > 0",
		"sqrt_as_power": "rule sqrt_as_power: sqrt(u) -> u^(1/2)",
	} {
		r, ok := set.Rule(name)
		if !ok {
			t.Errorf("no rule %s", name)
			continue
		}
		if got := r.String(); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	d, _ := set.Deriv("sigma", 0)
	if got := d.String(); got != "deriv sigma(u) = sigma(u)*(1 - sigma(u))" {
		t.Errorf("deriv sigma: %q", got)
	}
}
