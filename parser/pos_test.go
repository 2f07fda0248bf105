package parser_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestPosOf checks the side table of positions: each subexpression is
// found where it first occurs in its statement.
func TestPosOf(t *testing.T) {
	tests := []struct {
		name, src, sub, want string // want "" means not found
	}{
		{"call", "L := a*x + sigma(x)^2", "sigma(x)", "1:12"},
		{"power", "L := a*x + sigma(x)^2", "sigma(x)^2", "1:12"},
		{"first of equal nodes", "L := x + x*x", "x", "1:6"},
		{"product in a quotient", "a*b/c", "a*b", "1:1"},
		{"quotient", "q := a*b/c", "a*b/c", "1:6"},
		{"subtracted term", "a - b*c", "-(b*c)", "1:3"},
		{"index", "p[i] := sigma(z[i])", "z[i]", "1:15"},
		{"sum body", "S := sum(i=1..n, x[i]^2)", "x[i]^2", "1:18"},
		{"sum", "S := 2*sum(i=1..n, x[i])", "sum(i=1..n, x[i])", "1:8"},
		{"parenthesised", "y := (a + b)*c", "a + b", "1:7"},
		{"derivative variable", "d(x^2, x)", "x", "1:3"},
		{"second line", "a := 1\nb := a +\n  exp(a)", "exp(a)", "3:3"},
		{"prove sides", "prove log(exp(u)) == u", "exp(u)", "1:11"},
		{"not in the statement", "y := a + b", "a + c", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := parser.ParseFile("", tt.src, nil)
			if err != nil {
				t.Fatalf("ParseFile(%q): %v", tt.src, err)
			}
			sub, err := parser.ParseExpr(tt.sub, nil)
			if err != nil {
				t.Fatalf("ParseExpr(%q): %v", tt.sub, err)
			}
			st := stmts[len(stmts)-1]
			got := ""
			if p, ok := st.PosOf(sub); ok {
				got = p.String()
			}
			if got != tt.want {
				t.Errorf("PosOf(%s) in %q = %q, want %q", tt.sub, tt.src, got, tt.want)
			}
		})
	}
}

// TestPosOfEverywhere: the position PosOf gives every node of a script
// with tabs, Unicode and several lines is the one the lexer gave the
// token the node starts at (an independent count: the line and the
// characters before the offset in the source).
func TestPosOfEverywhere(t *testing.T) {
	src := "a := 1\n\tσ2 := sigma(a)·x² +\n  exp(-a)   # comment\nq[i] := sum(j=1..n, w[j]*v[i,j]) − σ2/3\n"
	stmts, err := parser.ParseFile("f.sd", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, st := range stmts {
		var exprs []ast.Expr
		switch s := st.Stmt.(type) {
		case *ast.DefStmt:
			exprs = append(exprs, s.Def.Body)
		case *ast.ExprStmt:
			exprs = append(exprs, s.X)
		}
		for _, e := range exprs {
			ast.InspectOnce(e, func(n ast.Expr) bool {
				p, ok := st.PosOf(n)
				if !ok {
					return true // built while lowering (a - b holds -b only where written)
				}
				checked++
				line := 1 + strings.Count(src[:p.Offset], "\n")
				col := 1 + utf8.RuneCountInString(src[strings.LastIndexByte(src[:p.Offset], '\n')+1:p.Offset])
				if p.Line != line || p.Col != col || p.Filename != "f.sd" {
					t.Errorf("PosOf(%s) = %v (offset %d), want f.sd:%d:%d", ast.String(n), p, p.Offset, line, col)
				}
				return true
			})
		}
	}
	if checked < 15 {
		t.Errorf("only %d nodes had positions", checked)
	}
}
