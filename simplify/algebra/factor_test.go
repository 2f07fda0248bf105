package algebra_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// Factorisations users expect, and factors of degree 2 or more in every
// variable (found by Kronecker's substitution and Zassenhaus's algorithm).
// Each result is multiplied back by expand, which does not use the
// factoriser, and must give the input's expansion exactly.
var factorTests = []struct {
	in, want    string
	irreducible bool
}{
	{"x^2*y^2 - 1", "(x*y - 1)*(x*y + 1)", false},
	{"x^4 - y^4", "(x - y)*(x + y)*(x^2 + y^2)", false},
	{"x^2 + 2*x*y + y^2", "(x + y)^2", false},
	{"a^2*b^2 + 2*a*b*c + c^2", "(a*b + c)^2", false},
	{"x^3 - y^3", "(x - y)*(x^2 + x*y + y^2)", false},
	{"x^3 + y^3", "(x + y)*(x^2 - x*y + y^2)", false},
	{"x^2*y + x*y^2 + x + y", "(x + y)*(x*y + 1)", false},
	{"6*x^3*y - 6*x*y^3", "6*x*y*(x - y)*(x + y)", false},
	{"x^2 + y^2", "x^2 + y^2", true},
	{"x^4 + y^4", "x^4 + y^4", true},
	{"x^2*y^2 + x + y + 1", "x^2*y^2 + x + y + 1", true},
	{"x^4 + 1", "x^4 + 1", true},
	// Degree 2 or more in every variable.
	{"(x^2 + y^2 + 1)*(x^2 - y^2 + 3)", "(x^2 - y^2 + 3)*(x^2 + y^2 + 1)", false},
	{"(x^2*y^2 + x + 1)*(x^2*y^2 - y + 2)", "(x^2*y^2 + x + 1)*(x^2*y^2 - y + 2)", false},
	{"x^12 + x^6*y^6 + y^12", "(x^6 - x^3*y^3 + y^6)*(x^6 + x^3*y^3 + y^6)", false},
	{"(x^2 + y^2 + z^2 + 1)*(x^2*y^2 + x^2*z^2 + 3)", "(x^2 + y^2 + z^2 + 1)*(x^2*y^2 + x^2*z^2 + 3)", false},
	{"(a^2 + b^2)^2*(a^2*b^2 - 2)", "(a^2 + b^2)^2*(a^2*b^2 - 2)", false},
	// One variable: factors of degree 4 (beyond the rational roots).
	{"(x^4 + x + 1)*(x^4 - x^3 + 2)", "(x^4 - x^3 + 2)*(x^4 + x + 1)", false},
	{"x^16 - 1", "(x - 1)*(x + 1)*(x^2 + 1)*(x^4 + 1)*(x^8 + 1)", false},
	{"x^8 + x^4 + 1", "(x^2 - x + 1)*(x^2 + x + 1)*(x^4 - x^2 + 1)", false},
	// Content, monomials and rational constants.
	{"x^4/2 - y^4/2", "(x - y)*(x + y)*(x^2 + y^2)/2", false},
	{"3*x^3*y^2 + 3*x*y^4", "3*x*y^2*(x^2 + y^2)", false},
}

func TestFactor(t *testing.T) {
	for _, tt := range factorTests {
		in := parsetest.MustParse(t, tt.in, nil)
		x, err := algebra.Expand(in)
		if err != nil {
			t.Fatal(err)
		}
		r, err := algebra.FactorContext(context.Background(), x)
		if err != nil {
			t.Errorf("factor(%s): %v", tt.in, err)
			continue
		}
		if s := ast.String(r.Expr); s != tt.want {
			t.Errorf("factor(%s) = %s, want %s", tt.in, s, tt.want)
		}
		if !r.Complete {
			t.Errorf("factor(%s): not complete", tt.in)
		}
		if r.Irreducible != tt.irreducible {
			t.Errorf("factor(%s): irreducible = %v, want %v", tt.in, r.Irreducible, tt.irreducible)
		}
		if r.Irreducible && r.Expr != x {
			t.Errorf("factor(%s) is irreducible but changed it to %s", tt.in, ast.String(r.Expr))
		}
		if r.Irreducible && r.Note() != "irreducible over the rationals" {
			t.Errorf("factor(%s): note %q", tt.in, r.Note())
		}
		back, err := algebra.Expand(r.Expr)
		if err != nil {
			t.Fatal(err)
		}
		if back != x {
			t.Errorf("factor(%s) = %s expands to %s, want %s", tt.in, ast.String(r.Expr), ast.String(back), ast.String(x))
		}
	}
}

// TestFactorLimits: a polynomial beyond the search keeps its part whole
// and says so, quickly; a cancelled context stops the search.
func TestFactorLimits(t *testing.T) {
	// Degrees 22 and 23: the substitution would have degree 24*23 - 1 > 400.
	in := parsetest.MustParse(t, "(x^20 + y^20 + x*y + 1)*(x^2*y^3 + x + 2)", nil)
	x, err := algebra.Expand(in)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r, err := algebra.FactorContext(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete || r.Irreducible || r.Note() == "" {
		t.Errorf("factor beyond the limits: complete %v, irreducible %v, note %q", r.Complete, r.Irreducible, r.Note())
	}
	if back, _ := algebra.Expand(r.Expr); back != x {
		t.Errorf("the partial factorisation %s does not expand back", ast.String(r.Expr))
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("giving up took %v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := parsetest.MustParse(t, "x^12*y^12 + 3*x^7*y^5 + x^2 + y^3 + 7", nil)
	if _, err := algebra.FactorContext(ctx, big); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled factor: %v, want context.Canceled", err)
	}
}
