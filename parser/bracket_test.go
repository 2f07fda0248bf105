package parser_test

import (
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestBracket: a "[" where an operand starts opens an Iverson bracket,
// which prints in the three syntaxes and parses back; after a name it
// still indexes.
func TestBracket(t *testing.T) {
	for _, c := range []struct{ in, plain, uni, latex string }{
		{"[2 <= k <= n]", "[2 <= k <= n]", "[2 ≤ k ≤ n]", `[2 \le k \le n]`},
		{"[2 ≤ k ≤ n]", "[2 <= k <= n]", "[2 ≤ k ≤ n]", `[2 \le k \le n]`},
		{"2*x[k]*[2 <= k <= n]", "2*x[k]*[2 <= k <= n]", "2·xₖ·[2 ≤ k ≤ n]", `2 x_{k} [2 \le k \le n]`},
		{"[k < n]", "[k + 1 <= n]", "[k + 1 ≤ n]", `[k + 1 \le n]`},
		{"[1 < k <= n]", "[2 <= k <= n]", "[2 ≤ k ≤ n]", `[2 \le k \le n]`},
		{"[1 <= k < n]", "[1 <= k <= n - 1]", "[1 ≤ k ≤ n − 1]", `[1 \le k \le n - 1]`},
		{"[3 <= n - 1]", "[3 <= n - 1]", "[3 ≤ n − 1]", `[3 \le n - 1]`},
	} {
		e, err := parser.ParseExpr(c.in, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := ast.String(e); got != c.plain {
			t.Errorf("%s prints %s, want %s", c.in, got, c.plain)
		}
		if got := ast.UnicodeString(e); got != c.uni {
			t.Errorf("%s prints %s in Unicode, want %s", c.in, got, c.uni)
		}
		if got := ast.LaTeXString(e); got != c.latex {
			t.Errorf("%s prints %s in LaTeX, want %s", c.in, got, c.latex)
		}
		// Unicode subscripts (xₖ) do not parse back; the brackets do.
		for _, s := range []string{ast.String(e), strings.ReplaceAll(ast.UnicodeString(e), "xₖ", "x[k]")} {
			back, err := parser.ParseExpr(s, nil)
			if err != nil || back != e {
				t.Errorf("%s does not parse back to %s: %v", s, c.plain, err)
			}
		}
	}
	if e, err := parser.ParseExpr("x[i]", nil); err != nil {
		t.Fatal(err)
	} else if _, ok := e.(*ast.Index); !ok {
		t.Errorf("x[i] is a %T", e)
	}
	for _, c := range []struct{ in, want string }{
		{"[3]", "1:3: a bracket [...] states a condition: write [a <= b] or [1 <= k <= n]\n    [3]\n      ^"},
		{"[k > 3]", "1:4: expected \"<=\", \"<\" or \"]\" in the condition [a <= b], found \">\"\n    [k > 3]\n       ^"},
	} {
		_, err := parser.ParseExpr(c.in, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %q, want %q", c.in, err, c.want)
		}
	}
}

// TestAssumeSyntax: the forms of the assume statement, and its errors.
func TestAssumeSyntax(t *testing.T) {
	for _, src := range []string{"assume x > 0", "assume 0 < p < 1", "assume k in 1..d", "assume y[i] in {0, 1}", "assume sum(c=1..K, t[i,c]) == 1"} {
		stmts, err := parser.ParseFile("a.sd", src, nil)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := ast.StmtString(stmts[0].Stmt); got != src {
			t.Errorf("%s prints %s", src, got)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"assume y in {a, 1}", "a.sd:1:14: the values of a set are numbers: assume y[i] in {0, 1}\n    assume y in {a, 1}\n                 ^"},
		{"assume x+1 in 1..n", "a.sd:1:8: a range is assumed for an index: assume k in 1..d\n    assume x+1 in 1..n\n           ^"},
	} {
		_, err := parser.ParseFile("a.sd", c.in, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %q, want %q", c.in, err, c.want)
		}
	}
}
