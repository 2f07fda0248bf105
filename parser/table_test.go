package parser_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestTableSpellings checks that every spelling in ast's operator and
// function tables is accepted, and means what the canonical one means:
// the tables are the only place the parser learns them from, so adding an
// alias there is all it takes.
func TestTableSpellings(t *testing.T) {
	type pair struct{ name, alias, canonical string }
	var tests []pair
	for _, o := range ast.Operators {
		spellings := append([]string{o.Token}, o.Aliases...)
		for _, s := range spellings {
			switch {
			case o.Prefix:
				tests = append(tests, pair{"prefix " + s, "a*" + s + "b^c", "a*" + o.Token + "b^c"})
			case o.Postfix:
				tests = append(tests, pair{"postfix " + s, "ones(n)" + s, "ones(n)" + o.Token})
			default:
				tests = append(tests, pair{"binary " + s, "a " + s + " b", "a " + o.Token + " b"})
			}
		}
	}
	for _, f := range ast.Funcs {
		args := "(x)"
		switch f.Arity {
		case 0:
			args = "" // a constant: pi
		case 2:
			args = "(i, j)"
		case 3:
			args = "(x, y, z)"
		}
		for _, s := range f.Aliases {
			tests = append(tests, pair{"function " + s, s + args, f.Name + args})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := mustParseExpr(t, tt.alias), mustParseExpr(t, tt.canonical)
			if got != want {
				t.Errorf("%q parsed as %s, want %s (as %q)", tt.alias, ast.Sexpr(got), ast.Sexpr(want), tt.canonical)
			}
		})
	}
}

// TestTablePrecedence checks the shapes the operator table's Prec,
// RightAss and Prefix fields decide.
func TestTablePrecedence(t *testing.T) {
	tests := []struct{ src, want string }{
		{"-x^2", "(neg (pow x 2))"},          // ^ tighter than unary minus
		{"-a*b", "(mul (neg a) b)"},          // unary minus tighter than *
		{"a^b^c", "(pow a (pow b c))"},       // ^ right-associative
		{"a-b-c", "(add a (neg b) (neg c))"}, // - left-associative
		{"a/b/c", "(div (div a b) c)"},       // / left-associative
		{"2^-x^2", "(pow 2 (neg (pow x 2)))"},
		{"+a^b", "(pow a b)"},
		{"a*+-b", "(mul a (neg b))"},
		{"x²", "(pow x 2)"},
		{"x⁻¹", "(pow x -1)"},
	}
	for _, tt := range tests {
		if got := ast.Sexpr(mustParseExpr(t, tt.src)); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}
