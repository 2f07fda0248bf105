package parser_test

import (
	"testing"

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
