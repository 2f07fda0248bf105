package session

import (
	"context"
	"math/rand/v2"
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
