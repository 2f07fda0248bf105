package matrix_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestEvalNoNegativeZero: an entry that is zero is +0, so no value prints
// as -0 ([[6, -0], [0, -12]] for 6*diag(w) at w = [1, -2]: the entry off
// the diagonal is 6*w[k]*delta(k,l), -12*0 in float64). Each expression
// is evaluated at random values with negative entries and zeros; every
// entry must equal refEval's (the test's own evaluator) and a zero entry
// must have no sign, in the value and as FormatValue prints it.
func TestEvalNoNegativeZero(t *testing.T) {
	opt, pctx := setupSource(t, "preamble", broadcastPreamble)
	rng := rand.New(rand.NewPCG(3, 9))
	zeros := 0
	for _, src := range []string{"6*diag(w)", "diag(w)*diag(v)", "lam*w", "-w*0", "w*v'", "lam*sum(w)", "-zeros(d)", "W .* (w*v')"} {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		for range 4 {
			env := drawRef(rng, opt.Decls)
			// Negative entries, some of them zero.
			for name, m := range env {
				if name == "d" || name == "n" || name == "m" {
					continue
				}
				m = m.clone()
				for i := range m.a {
					m.a[i] = -math.Abs(m.a[i])
					if rng.IntN(3) == 0 {
						m.a[i] = 0
					}
				}
				env[name] = m
			}
			b := ast.Bindings{}
			for name, m := range env {
				b[name] = m.value(opt.Decls[name])
			}
			got, err := matrix.Eval(context.Background(), e, b, opt, rulesDefs(opt.Simplify.Rules))
			if err != nil {
				t.Fatalf("eval %s: %v", src, err)
			}
			want, err := refEval(e, env)
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range got.Data {
				if math.Abs(x-want.a[i]) > 1e-12 {
					t.Errorf("%s entry %d = %v, refEval gives %v", src, i, x, want.a[i])
				}
				if x == 0 {
					zeros++
					if math.Signbit(x) {
						t.Errorf("%s = %s: entry %d is -0", src, matrix.FormatValue(got), i)
					}
				}
			}
			for _, tok := range strings.FieldsFunc(matrix.FormatValue(got), func(r rune) bool { return strings.ContainsRune("[], ", r) }) {
				if tok == "-0" {
					t.Errorf("%s prints as %s", src, matrix.FormatValue(got))
				}
			}
		}
	}
	if zeros < 10 {
		t.Errorf("only %d zero entries: the test tested little", zeros)
	}
}
