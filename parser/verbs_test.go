package parser_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestSubsPairs: subs(E, x = v), the form issue 14 writes, and several
// substitutions at once read as the same call as the comma form; the
// printed call parses back to the same node.
func TestSubsPairs(t *testing.T) {
	tests := []struct{ src, same string }{
		{"subs(x^2 + y, x = 1)", "subs(x^2 + y, x, 1)"},
		{"subs(x^2 + y, x = 1, y = 2)", "subs(x^2 + y, x, 1, y, 2)"},
		{"subs(x - y, x = y, y = x)", "subs(x - y, x, y, y, x)"},
		{"subs(w[k]*x, w[k] = a + b)", "subs(w[k]*x, w[k], a + b)"},
		{"1 + subs(sigma(z), z = -z)", "1 + subs(sigma(z), z, -z)"},
		{"subs(if(x == 1, a, b), x = 1)", "subs(if(x == 1, a, b), x, 1)"},
	}
	one := func(src string) ast.Expr {
		t.Helper()
		stmts, err := parser.ParseFile("", src, nil)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return stmts[0].Stmt.(*ast.ExprStmt).X
	}
	for _, tt := range tests {
		got, want := one(tt.src), one(tt.same)
		if got != want {
			t.Errorf("%s reads as %s, want %s", tt.src, ast.Sexpr(got), ast.Sexpr(want))
		}
		if back := one(ast.String(got)); back != got {
			t.Errorf("%s prints as %s, which reads back as %s", tt.src, ast.String(got), ast.Sexpr(back))
		}
	}
}

// TestSubsErrors asserts the errors of subs in full: each points at the
// substitution at fault and says how to write it.
func TestSubsErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"subs(x^2, 2 = x)", `1:11: subs replaces a name like x or w[k], not 2: write subs(E, x = 2)
    subs(x^2, 2 = x)
              ^`},
		{"subs(x^2, x + 1 = 2)", `1:11: subs replaces a name like x or w[k], not x + 1: write subs(E, x = v)
    subs(x^2, x + 1 = 2)
              ^`},
		{"subs(x^2, x == 1)", `1:13: a substitution is written with one "=": subs(E, x = v)
    subs(x^2, x == 1)
                ^`},
		{"subs(x^2, x = 1, y == 2)", `1:20: a substitution is written with one "=": subs(E, x = v)
    subs(x^2, x = 1, y == 2)
                       ^`},
		{"subs(x^2, x)", `1:11: this substitution has no value: write subs(E, x = v)
    subs(x^2, x)
              ^`},
		{"subs(x^2, x = 1, y)", `1:18: this substitution has no value: write subs(E, x = v)
    subs(x^2, x = 1, y)
                     ^`},
		{"subs(x^2)", `1:1: subs takes an expression and one or more substitutions: write subs(E, x = v)
    subs(x^2)
    ^`},
		{"subs(x^2, x = 1, x = 2)", `1:18: x is substituted twice: give each name one value
    subs(x^2, x = 1, x = 2)
                     ^`},
		{"subs(x^2, x = 1 y = 2)", `1:17: expected "," or ")" to close the arguments of subs, found "y"
    subs(x^2, x = 1 y = 2)
                    ^`},
		{"subs(x^2 = 1, x = 2)", `1:10: expected "," or ")" to close the arguments of subs, found "="
    subs(x^2 = 1, x = 2)
             ^`},
		{"subs(x^2, x = 1", `1:5: unclosed "(": expected ")" before the end of the input
    subs(x^2, x = 1
        ^`},
	}
	for _, tt := range tests {
		_, err := parser.ParseFile("", tt.src, nil)
		if err == nil {
			t.Errorf("%s: parsed, want an error", tt.src)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("%s: error (-want +got):\n%s", tt.src, diff)
		}
		checkErrorPos(t, "", tt.src, err)
	}
}
