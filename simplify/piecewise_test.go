package simplify_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestSimplifyPiecewise: conditions decided by sign analysis, folded
// connectives, equal pieces, and each piece simplified knowing its
// condition (and only inside its piece).
func TestSimplifyPiecewise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"if(exp(x) > 0, x, -x)", "x"},
		{"if(x^2 < 0, x, log(x))", "log(x)"},
		{"if(x > 0, y, y)", "y"},
		{"if(x > 0 and exp(y) > 0, a, b)", "if(x > 0, a, b)"},
		{"if(x > 0 or exp(y) < 0, a, b)", "if(x > 0, a, b)"},
		{"if(x^2 + 1 <= 0 or exp(y) != 0, a, b)", "a"},
		{"if(not (x == y), a, b)", "if(x != y, a, b)"},
		{"if(not (x > 0 and y > 0), a, b)", "if(x > 0 and y > 0, b, a)"},
		{"if(x > 0, abs(x), -x)", "if(x > 0, x, -x)"},
		{"if(x > 0, if(x > -1, a, b), c)", "if(x > 0, a, c)"},
		{"if(a >= b, max(a, b), min(a, b))", "a"},
		{"if(x > 0 or y < 0, abs(x), sign(x) + step(-y))", "if(x > 0 or y < 0, abs(x), sign(x))"},
		{"abs(x) + if(x > 0, abs(x), 0)", "abs(x) + if(x > 0, x, 0)"}, // the fact stays in its piece
		{"if(x > 0, 0, abs(x))", "if(x > 0, 0, -x)"},                  // x <= 0 in the other piece
		{"if(x != 0, abs(x), 1)", "if(x != 0, abs(x), 1)"},            // x != 0 says no sign
	}
	for _, tt := range tests {
		res, err := simplify.Simplify(bg, mustParse(t, tt.in, nil), simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if got := ast.String(res.Expr); got != tt.want {
			t.Errorf("Simplify(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
