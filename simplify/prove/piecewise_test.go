package prove_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestProvePiecewise: identities with if are decided by cases on the
// conditions. A refutation's counterexample lies in the case named by
// where (a condition, checked by evaluating it there), and the two sides
// differ there when evaluated directly.
func TestProvePiecewise(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		want  prove.Verdict
		where string
	}{
		{"if(x > 0, x, -x)", "abs(x)", prove.Proved, ""},
		{"if(x >= 0, x, 0)", "relu(x)", prove.Proved, ""},
		{"max(a, b)", "if(a >= b, a, b)", prove.Proved, ""},
		{"d(if(x > 0, x^2, -x), x)", "if(x > 0, 2*x, -1)", prove.Proved, ""},
		{"if(x == 0, 0, x/abs(x))", "sign(x)", prove.Proved, ""},
		{"if(x > 0 and y > 0, x*y, 0)", "relu(x)*relu(y)", prove.Proved, ""},
		{"if(x > 1, x, 0)", "relu(x)", prove.Refuted, "0 < x <= 1"},
		{"if(x >= 0, 1, 0)", "step(x)", prove.Refuted, "x == 0"},
		{"if(x > 0, 1, 0)", "if(x > 1e-12, 1, 0)", prove.Refuted, "0 < x <= 1e-12"},
		{"if(x > y and y > 1e-10 and x < 2e-10, 1, 0)", "0", prove.Refuted, "1e-10 < y < x < 2e-10"},
		{"if(x != 0, x/x, 5)", "1", prove.Refuted, "x == 0"},
		{"if(x > 0, if(x > 1, 2, 1), 0)", "step(x) + step(x - 2)", prove.Refuted, "1 < x <= 2"},
	} {
		ps := parseProve(t, "prove "+tt.a+" == "+tt.b, nil)
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != tt.want {
			t.Errorf("%s == %s: %s (%s), want %s", tt.a, tt.b, pr.Verdict, summary(pr), tt.want)
			continue
		}
		checkProof(t, pr, nil)
		if tt.where == "" {
			continue
		}
		in, err := parser.ParseExpr("if("+tt.where+", 1, 0)", nil)
		if err != nil {
			t.Fatal(err)
		}
		pt := pr.Counter.Bindings
		if v, err := ast.Eval(in, nil, pt); err != nil || v != 1 {
			t.Errorf("%s == %s: the counterexample %v is not where %s", tt.a, tt.b, pt, tt.where)
		}
		va, err1 := ast.Eval(ps.A, nil, pt)
		vb, err2 := ast.Eval(ps.B, nil, pt)
		if err1 == nil && err2 == nil && va == vb {
			t.Errorf("%s == %s: both sides are %g at the counterexample %v", tt.a, tt.b, va, pt)
		}
	}
}
