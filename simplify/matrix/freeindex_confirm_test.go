package matrix_test

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestFreeIndexCounterexamples: a claim about entries at free indices of a
// symmetric matrix is refuted at a point whose indices are whole numbers
// in range (drawn as -1.75, no point showed anything and S[k,l] ==
// S[l,l] stayed unknown), and the counterexample holds up: the sides,
// evaluated by ast.Eval at it, differ. True claims stay proved.
func TestFreeIndexCounterexamples(t *testing.T) {
	for _, decls := range []string{"S : symmetric(d)\n", "S : symmetric(d)\nx : vector(n)\n", "S : symmetric(3)\n"} {
		opt, pctx := setupSource(t, "decls.sd", decls)
		for _, c := range []struct {
			a, b string
			want prove.Verdict
		}{
			{"S[k,l]", "S[l,l]", prove.Refuted},
			{"S[k,l]", "S[k,k]", prove.Refuted},
			{"S[k,l] + S[l,k]", "2*S[l,l]", prove.Refuted},
			{"S[k,l]*S[l,k]", "S[k,l]^2", prove.Proved},
			{"S[k,l]", "S[l,k]", prove.Proved},
		} {
			a, b := mustExpr(t, c.a, pctx), mustExpr(t, c.b, pctx)
			pr, err := matrix.Prove(context.Background(), a, b, opt)
			if err != nil {
				t.Fatalf("%s: %s == %s: %v", decls, c.a, c.b, err)
			}
			if pr.Verdict != c.want {
				t.Errorf("%s: %s == %s: %v (%s), want %v", decls, c.a, c.b, pr.Verdict, pr.Tried, c.want)
				continue
			}
			if pr.Verdict != prove.Refuted {
				continue
			}
			bind := pr.Counter.Bindings
			rows := bind["S"].Shape[0]
			for _, n := range []string{"k", "l"} {
				v := bind[n].Data[0]
				if v != float64(int(v)) || v < 1 || int(v) > rows {
					t.Errorf("%s == %s: %s=%v is not an index of the %d×%d S", c.a, c.b, n, v, rows, rows)
				}
			}
			l, errL := ast.Eval(a, nil, bind)
			r, errR := ast.Eval(b, nil, bind)
			if errL != nil || errR != nil || l == r {
				t.Errorf("%s == %s: the counterexample %s does not hold: %v, %v (%v, %v)", c.a, c.b, pr.Counter.Point(), l, r, errL, errR)
			}
		}
	}
}
