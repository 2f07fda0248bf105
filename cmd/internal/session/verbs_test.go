package session

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify/prove"
)

// verbScripts are statements that call a verb as scripts, the REPL and the
// commands do (through Session.Exec and VerbNote). Each result is proved
// equal to the verb's input and compared with an independent oracle
// written by hand (a derivative taken on paper, a substitution done by
// hand) at random points near and far from 0.
var verbScripts = []struct {
	defs   string // definitions run first
	stmt   string // the verb's call
	want   string // the result as printed
	note   string // what the verb says besides
	oracle string // the value, written by hand; "" when it is the input
}{
	// sq(x) - 1 is x^2 - 1: factor opens the definition and must not call
	// it irreducible; p := sigma(z) is one atom and stays.
	{"sq(u) := u^2", "expand(sq(x + 1))", "x^2 + 2*x + 1", "", "(x + 1)^2"},
	{"p := sigma(z)", "factor(p - p^2)", "p*(1 - p)", "", "sigma(z)*(1 - sigma(z))"},
	{"", "expand((x + 1)^3)", "x^3 + 3*x^2 + 3*x + 1", "", ""},
	{"", "expand(d(sigma(z)^2, z))", "2*sigma(z)^2 - 2*sigma(z)^3", "", "2*sigma(z)^2*(1 - sigma(z))"},
	{"", "factor(x^4 - y^4)", "(x - y)*(x + y)*(x^2 + y^2)", "", ""},
	{"", "factor(x^2 + 1)", "x^2 + 1", "irreducible over the rationals", ""},
	{"", "factor(x^2 - 2)", "x^2 - 2", "irreducible over the rationals", ""},
	{"", "factor(d((y - f)^2, f))", "2*(f - y)", "", "2*f - 2*y"},
	{"", "factor(d(x^3*y - x*y^3, x))", "y*(3*x^2 - y^2)", "", "3*x^2*y - y^3"},
	{"sq(u) := u^2", "factor(sq(x) - 1)", "(x - 1)*(x + 1)", "", "x^2 - 1"},
	{"", "together(1/x + 1/(x + 1))", "(2*x + 1)/(x*(x + 1))", "", ""},
	{"", "together(d(log(x) + log(x + 1), x))", "(2*x + 1)/(x*(x + 1))", "", "1/x + 1/(x + 1)"},
	{"", "apart(1/(x^2 - 1), x)", "1/(2*(x - 1)) - 1/(2*(x + 1))", "", ""},
	{"", "apart(d(log(x/(x + 1)), x), x)", "1/x - 1/(x + 1)", "", "1/(x*(x + 1))"},
	{"", "collect(a*x + b*x + c, x)", "(a + b)*x + c", "", ""},
	{"", "collect(d(sigma(z)^2*y + sigma(z), z), sigma(z))", "-2*y*sigma(z)^3 + (2*y - 1)*sigma(z)^2 + sigma(z)", "", "sigma(z)*(1 - sigma(z))*(2*y*sigma(z) + 1)"},
	{"", "subs(sigma(z)*(1 - sigma(z)), z, 0)", "0.25", "", "1/4"},
	{"", "subs(x^2 + 2*x, x, y - 1)", "y^2 - 1", "", "(y - 1)^2 + 2*(y - 1)"},
	{"", "subs(d(x^3, x), x, a + b)", "3*(a + b)^2", "", "3*(a + b)^2"},
	{"p := sigma(z)", "subs(d(p, z), z, -z)", "sigma(z)*(1 - sigma(z))", "", "exp(z)/(1 + exp(z))^2"},
	{"", "factor(expand((x - 1)*(x + 2)*(x^2 + 1)))", "(x - 1)*(x + 2)*(x^2 + 1)", "", ""},
	// subs(E, x = v), the form the issue writes, and several at once:
	// simultaneous, so x = y, y = x swaps x and y.
	{"", "subs(sigma(z)*(1 - sigma(z)), z = 0)", "0.25", "", "1/4"},
	{"", "subs(x^2 + y, x = 2, y = a)", "a + 4", "", "a + 4"},
	{"", "subs(x^2 - y, x = y, y = x)", "y^2 - x", "", "y^2 - x"},
	{"", "subs(w[k]*x^2 + k, w[k] = x, x = k)", "k + k^2*x", "", "x*k^2 + k"},
	{"", "subs(d(x^2*y, x), x = y + 1, y = 3)", "6*y + 6", "", "6*(y + 1)"},
}

// TestVerbsProved: each verb's result, as a statement shows it, is proved
// equal to its input and agrees with the hand-written oracle at random
// points; factor's note is set where it must be and nowhere else.
func TestVerbsProved(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 14))
	for _, c := range verbScripts {
		s := New()
		if c.defs != "" {
			exec(t, s, c.defs)
		}
		r := exec(t, s, c.stmt)[0]
		got := ast.String(r.Value)
		if c.want != "" && got != c.want {
			t.Errorf("%s = %s, want %s", c.stmt, got, c.want)
		}
		var notes []string
		if c.note != "" {
			notes = []string{c.note}
		}
		if diff := cmp.Diff(notes, r.Notes); diff != "" {
			t.Errorf("%s: notes (-want +got):\n%s", c.stmt, diff)
		}
		call := r.Expr.(*ast.Call)
		in, err := s.applyVerbs(ctx, call.Args[0]) // an inner verb's result is checked on its own row
		if err != nil {
			t.Fatal(err)
		}
		if call.Fn == "subs" {
			// The substitution by hand is the oracle; prove against it.
			in = parsetest.MustParse(t, c.oracle, s.Defs)
		}
		pr, err := prove.Prove(ctx, in, r.Value, s.options())
		if err != nil || pr.Verdict != prove.Proved {
			t.Errorf("%s = %s: not proved equal to %s (%v, %v)", c.stmt, got, ast.String(in), pr.Verdict, err)
		}
		oracle := in
		if c.oracle != "" {
			oracle = parsetest.MustParse(t, c.oracle, s.Defs)
		}
		nm := parsetest.NamesOf(oracle, r.Value)
		checked := 0
		for i := range 40 {
			lo, hi := -2.0, 2.0
			if i%2 == 1 {
				lo, hi = -40, 40
			}
			ok, complaint := parsetest.AgreeAt(oracle, r.Value, s.Defs, parsetest.Point(rng, nm, lo, hi), 1e-9)
			if complaint != "" {
				t.Errorf("%s = %s: %s", c.stmt, got, complaint)
				break
			}
			if ok {
				checked++
			}
		}
		if checked < 20 {
			t.Errorf("%s: only %d of 40 points checked", c.stmt, checked)
		}
	}
}

// TestSubsAtOnce: subs(E, x = a, y = b) is E evaluated where x and y take
// the values of a and b at the same point (both computed before either is
// replaced), checked without the engine's substitution: E, a and b are
// evaluated on their own, at points near 0 and at |x| ~ 30.
func TestSubsAtOnce(t *testing.T) {
	cases := []struct{ e, subs string }{
		{"x^2 - y", "x = y, y = x"},
		{"sigma(x)*log(1 + y^2) + x*y", "x = y - 1, y = 2*x"},
		{"exp(-x^2/10)*cos(y) + z", "y = z*x, z = y, x = 3"},
		{"w[k]*x + k*y", "w[k] = y, y = w[k], x = k"},
		{"tanh(x - y)/(1 + x^2)", "x = y, y = 0.5*x"},
	}
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 2))
	for _, c := range cases {
		s := New()
		r := exec(t, s, "subs("+c.e+", "+c.subs+")")[0]
		e := parsetest.MustParse(t, c.e, s.Defs)
		type pair struct {
			name string // a scalar name, or an indexed name's base
			v    ast.Expr
		}
		var ps []pair
		for _, kv := range strings.Split(c.subs, ", ") {
			name, val, _ := strings.Cut(kv, " = ")
			if i := strings.Index(name, "["); i > 0 {
				name = name[:i] // w[k]: the point gives w an array; only its entry at k changes
			}
			ps = append(ps, pair{name, parsetest.MustParse(t, val, s.Defs)})
		}
		nm := parsetest.NamesOf(e, r.Value)
		for i := range 40 {
			lo, hi := -2.0, 2.0
			if i%2 == 1 {
				lo, hi = -30, 30
			}
			pt := parsetest.Point(rng, nm, lo, hi)
			at := ast.Bindings{}
			for k, v := range pt {
				at[k] = v
			}
			for _, p := range ps {
				v, err := ast.EvalContext(ctx, p.v, nil, pt)
				if err != nil {
					t.Fatalf("%s at %v: %v", ast.String(p.v), pt, err)
				}
				if w, ok := pt[p.name]; ok && w.Shape != nil {
					k := int(pt["k"].Data[0]) - 1
					data := append([]float64(nil), w.Data...)
					data[k] = v
					at[p.name] = ast.Value{Shape: w.Shape, Data: data}
					continue
				}
				at[p.name] = ast.Scalar(v)
			}
			want, err1 := ast.EvalContext(ctx, e, nil, at)
			got, err2 := ast.EvalContext(ctx, r.Value, nil, pt)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s = %s at %v: %v, %v", c.e, ast.String(r.Value), pt, err1, err2)
			}
			if !parsetest.Near(got, want, 1e-9, 1e-12) {
				t.Errorf("subs(%s, %s) = %s is %g at %v; substituting by hand gives %g", c.e, c.subs, ast.String(r.Value), got, pt, want)
				break
			}
		}
	}
}
