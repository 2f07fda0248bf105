package parser_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// A superGen writes random expressions twice: with superscripts and
// transposes as typed (x², A⁻¹.^2, x⁻¹⁻¹, Aᵀ⁻¹'), and in ASCII with every
// superscript spelled out around its operand in parentheses ((x)^(2),
// (inv(A)).^2), so that the ASCII form is an oracle for what the typed
// form means: a superscript is a postfix on the operand just before it.
type superGen struct {
	r *rand.Rand
}

// A superExpr is one expression in both spellings; post is set when the
// typed form ends in an operand or a postfix (a name, a call, a
// parenthesis, x², A'), to which another postfix may be added unwrapped.
type superExpr struct {
	uni, ascii string
	post       bool
}

var superExps = []struct{ uni, ascii string }{
	{"²", "2"}, {"³", "3"}, {"⁻¹", "-1"}, {"⁻²", "-2"}, {"¹²", "12"}, {"⁻¹²", "-12"}, {"⁰", "0"}, {"⁻¹⁰", "-10"},
}

func (g *superGen) paren(e superExpr) superExpr {
	return superExpr{uni: "(" + e.uni + ")", ascii: "(" + e.ascii + ")", post: true}
}

// operand returns e as the operand of a postfix: unwrapped when it ends
// in one (the point of the test), else in parentheses.
func (g *superGen) operand(e superExpr) superExpr {
	if e.post && g.r.IntN(4) != 0 {
		return e
	}
	return g.paren(e)
}

// endsInDigit reports whether s ends in a superscript digit, which digits
// after it would continue.
func endsInDigit(s string) bool {
	for _, d := range "⁰¹²³⁴⁵⁶⁷⁸⁹" {
		if strings.HasSuffix(s, string(d)) {
			return true
		}
	}
	return false
}

// scalar returns a scalar expression.
func (g *superGen) scalar(depth int) superExpr {
	r := g.r
	if depth <= 0 || r.IntN(5) == 0 {
		s := pick(r, []string{"x", "y", "a", "θ", "2", "3", "0.5", "10"})
		return superExpr{uni: s, ascii: s, post: true}
	}
	sub := func() superExpr { return g.scalar(depth - 1) }
	switch r.IntN(12) {
	case 0, 1, 2: // a superscript power, stacked on whatever is before it
		x, k := g.operand(sub()), pick(r, superExps)
		if endsInDigit(x.uni) && !strings.HasPrefix(k.uni, "⁻") {
			x = g.paren(x) // x²³ is x^23
		}
		return superExpr{uni: x.uni + k.uni, ascii: "(" + x.ascii + ")^(" + k.ascii + ")", post: true}
	case 3: // a power after a superscript: x²^y is (x²)^y
		x, y := g.operand(sub()), g.operand(sub())
		return superExpr{uni: x.uni + "^" + y.uni, ascii: "(" + x.ascii + ")^(" + y.ascii + ")"}
	case 4:
		x, y := sub(), sub()
		return superExpr{uni: "(" + x.uni + ") + (" + y.uni + ")", ascii: "(" + x.ascii + ") + (" + y.ascii + ")"}
	case 5:
		x, y := g.operand(sub()), g.operand(sub())
		return superExpr{uni: x.uni + "·" + y.uni, ascii: "(" + x.ascii + ")*(" + y.ascii + ")"}
	case 6:
		x, y := g.operand(sub()), g.operand(sub())
		return superExpr{uni: x.uni + "/" + y.uni, ascii: "(" + x.ascii + ")/(" + y.ascii + ")"}
	case 7: // −x²: the minus takes the power
		x := g.operand(sub())
		return superExpr{uni: "−" + x.uni, ascii: "-(" + x.ascii + ")"}
	case 8:
		f := pick(r, []struct{ uni, ascii string }{{"σ", "sigma"}, {"exp", "exp"}, {"log", "log"}, {"√", "sqrt"}})
		x := sub()
		return superExpr{uni: f.uni + "(" + x.uni + ")", ascii: f.ascii + "(" + x.ascii + ")", post: true}
	case 9: // a superscript inside an exponent: 2^x² is 2^(x²)
		x, y := g.operand(sub()), g.operand(sub())
		k := pick(r, superExps)
		if endsInDigit(y.uni) && !strings.HasPrefix(k.uni, "⁻") {
			y = g.paren(y)
		}
		return superExpr{uni: x.uni + "^" + y.uni + k.uni, ascii: "(" + x.ascii + ")^((" + y.ascii + ")^(" + k.ascii + "))"}
	case 10:
		m := g.matrix(depth - 1)
		return superExpr{uni: "tr(" + m.uni + ")", ascii: "tr(" + m.ascii + ")", post: true}
	}
	m := g.matrix(depth - 1)
	return superExpr{uni: "v'·" + g.operand(m).uni + "·v", ascii: "v'*(" + m.ascii + ")*v"}
}

// matrix returns a d×d matrix expression.
func (g *superGen) matrix(depth int) superExpr {
	r := g.r
	if depth <= 0 || r.IntN(5) == 0 {
		s := pick(r, []string{"A", "B", "C", "S"})
		return superExpr{uni: s, ascii: s, post: true}
	}
	sub := func() superExpr { return g.matrix(depth - 1) }
	switch r.IntN(10) {
	case 0, 1: // A⁻¹, stacked too: A⁻¹⁻¹, Aᵀ⁻¹, A⁻¹'
		x := g.operand(sub())
		return superExpr{uni: x.uni + "⁻¹", ascii: "inv(" + x.ascii + ")", post: true}
	case 2, 3:
		x := g.operand(sub())
		return superExpr{uni: x.uni + "⁻ᵀ", ascii: "inv(" + x.ascii + ")'", post: true}
	case 4:
		x, t := g.operand(sub()), pick(r, []string{"'", "ᵀ"})
		return superExpr{uni: x.uni + t, ascii: "(" + x.ascii + ")'", post: true}
	case 5, 6: // A⁻¹.^2, A⁻ᵀ.^y, A⁻¹.^x²
		x, y := g.operand(sub()), g.operand(g.scalar(depth-1))
		return superExpr{uni: x.uni + ".^" + y.uni, ascii: "(" + x.ascii + ").^(" + y.ascii + ")"}
	case 7:
		x, y := g.operand(sub()), g.operand(sub())
		return superExpr{uni: x.uni + "·" + y.uni, ascii: "(" + x.ascii + ")*(" + y.ascii + ")"}
	case 8:
		x, y := sub(), sub()
		return superExpr{uni: "(" + x.uni + ") + (" + y.uni + ")", ascii: "(" + x.ascii + ") + (" + y.ascii + ")"}
	}
	x, y := g.operand(g.scalar(depth-1)), g.operand(sub())
	return superExpr{uni: x.uni + "·" + y.uni, ascii: "(" + x.ascii + ")*(" + y.ascii + ")"}
}

// TestSuperscriptPostfixOracle: a typed superscript is a postfix on the
// operand before it, whatever follows (.^, ^, ', another superscript) and
// whatever it follows (a name, a call, a parenthesis, a transpose, a
// superscript). The oracle is the ASCII form with every power spelled out
// in parentheses. Before the superscript was a postfix, x⁻¹⁻¹ read as
// x^-(1^-1), A⁻¹.^2 as A^-(1.^2), x²^3 as x^(2^3).
func TestSuperscriptPostfixOracle(t *testing.T) {
	g := &superGen{r: rand.New(rand.NewPCG(15, 2))}
	checked, stacked, followed := 0, 0, 0
	for n := range 4000 {
		var e superExpr
		if n%2 == 0 {
			e = g.scalar(1 + n%5)
		} else {
			e = g.matrix(1 + n%5)
		}
		want, err := parser.ParseExpr(e.ascii, uniMatrixContext())
		if err != nil {
			continue // a shape error (a value is not a matrix, 0⁻¹): not the point
		}
		got, err := parser.ParseExpr(e.uni, uniMatrixContext())
		if err != nil {
			t.Fatalf("%s: %v\nwant %s (from %s)", e.uni, err, ast.String(want), e.ascii)
		}
		if got != want {
			t.Fatalf("%s parses as %s, want %s (from %s)\n%s", e.uni, ast.String(got), ast.String(want), e.ascii,
				cmp.Diff(ast.Sexpr(want), ast.Sexpr(got)))
		}
		checked++
		if strings.Contains(e.uni, "¹⁻") || strings.Contains(e.uni, "²⁻") || strings.Contains(e.uni, "ᵀ⁻") {
			stacked++
		}
		if strings.Contains(e.uni, "¹.^") || strings.Contains(e.uni, "ᵀ.^") || strings.Contains(e.uni, "¹'") || strings.Contains(e.uni, "²^") {
			followed++
		}
	}
	if checked < 2000 || stacked < 100 || followed < 100 {
		t.Errorf("%d expressions checked, %d with stacked superscripts, %d with a postfix or power after one: the generator should make more",
			checked, stacked, followed)
	}
}

// TestUnicodeRoundTripSuperscripts: random scalar and matrix expressions
// printed in Unicode (superscript powers, A⁻¹, A⁻ᵀ, ·, −) parse back to
// the same node. The trees come from the plain ASCII of superGen, whose
// parse is the oracle.
func TestUnicodeRoundTripSuperscripts(t *testing.T) {
	g := &superGen{r: rand.New(rand.NewPCG(15, 3))}
	checked, supers := 0, 0
	for n := range 3000 {
		var src string
		if n%2 == 0 {
			src = g.scalar(1 + n%6).ascii
		} else {
			src = g.matrix(1 + n%6).ascii
		}
		e, err := parser.ParseExpr(src, uniMatrixContext())
		if err != nil {
			continue
		}
		u := ast.UnicodeString(e)
		got, err := parser.ParseExpr(u, uniMatrixContext())
		if err != nil {
			t.Fatalf("%s prints as %q, which does not parse: %v", ast.String(e), u, err)
		}
		if got != e {
			t.Fatalf("%s prints as %q, which parses as %s\n%s", ast.String(e), u, ast.String(got), cmp.Diff(ast.Sexpr(e), ast.Sexpr(got)))
		}
		checked++
		if strings.ContainsAny(u, "⁻²³⁰") {
			supers++
		}
	}
	if checked < 1500 || supers < 500 {
		t.Errorf("%d checked, %d with superscripts: the generator should make more", checked, supers)
	}
}

// TestSuperscriptPostfixCases are the forms a superscript takes in typed
// input, each with the ASCII it means; ASCII input is unchanged.
func TestSuperscriptPostfixCases(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"x^-1", "x^-1"},
		{"x²", "x^2"},
		{"x⁻²", "x^-2"},
		{"2⁻¹", "2^-1"},
		{"x⁻¹²", "x^-12"},
		{"x²³", "x^23"},
		{"-x²", "-(x^2)"},
		{"−2²", "-(2^2)"},
		{"2^x²", "2^(x^2)"},
		{"x^2²", "x^(2^2)"},
		{"x²^3", "(x^2)^3"},
		{"(x²)³", "(x^2)^3"},
		{"x⁻¹⁻¹", "(x^-1)^-1"},
		{"x²⁻¹", "(x^2)^-1"},
		{"sin(x)²", "sin(x)^2"},
		{"y[i]²", "y[i]^2"},
		{"(x + 1)⁻¹", "(x + 1)^-1"},
		{"A⁻¹⁻ᵀ", "inv(inv(A))'"},
		{"A⁻ᵀ⁻¹", "inv(inv(A)')"},
		{"Aᵀ⁻¹", "inv(A')"},
		{"A'⁻ᵀ", "inv(A')'"},
		{"A⁻¹ᵀ", "inv(A)'"},
		{"A⁻ᵀ.^x²", "inv(A)'.^(x^2)"},
		{"v'·A⁻¹·v", "v'*inv(A)*v"},
		{"tr(A⁻¹)²", "tr(inv(A))^2"},
	} {
		w, err := parser.ParseExpr(tt.want, uniMatrixContext())
		if err != nil {
			t.Fatalf("%s: %v", tt.want, err)
		}
		got, err := parser.ParseExpr(tt.src, uniMatrixContext())
		if err != nil {
			t.Errorf("%s: %v, want %s", tt.src, err, ast.String(w))
			continue
		}
		if got != w {
			t.Errorf("%s parses as %s, want %s", tt.src, ast.String(got), ast.String(w))
		}
	}
}

// TestSuperscriptPostfixStatements: the statements that participle reads
// (prove, deriv) read superscripts as postfixes too, and a definition
// using one is the same as its ASCII form.
func TestSuperscriptPostfixStatements(t *testing.T) {
	ctx := uniMatrixContext()
	for _, tt := range []struct{ src, want string }{
		{"prove x⁻¹⁻¹ == x\n", "prove (x^-1)^-1 == x\n"},
		{"prove A⁻¹.^2 == B\n", "prove inv(A).^2 == B\n"},
		{"f(x) := x²^3 + x⁻¹⁻¹\n", "f(x) := (x^2)^3 + (x^-1)^-1\n"},
	} {
		got, err := parser.ParseFile("t.sd", tt.src, ctx)
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		want, err := parser.ParseFile("t.sd", tt.want, ctx)
		if err != nil {
			t.Fatalf("%q: %v", tt.want, err)
		}
		if g, w := fmt.Sprint(got[0].Stmt), fmt.Sprint(want[0].Stmt); g != w {
			t.Errorf("%q is %s, want %s", tt.src, g, w)
		}
	}
}

// TestSuperscriptErrors: a superscript where no operand is before it, or
// a minus without digits, is a positioned error.
func TestSuperscriptErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"x + ²", "1:5: expected an expression, found the superscript ²"},
		{"x⁻", "1:3: expected a superscript digit after ⁻"},
		{"x⁻ᵀ", "1:2: x is a scalar: the transpose ᵀ applies to vectors and matrices"},
		{"x²'", "1:3: x^2 is a scalar: the transpose ' applies to vectors and matrices"},
	} {
		_, err := parser.ParseExpr(tt.src, uniMatrixContext())
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %s", tt.src, err, tt.want)
		}
	}
}
