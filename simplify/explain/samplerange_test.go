package explain_test

import (
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestCounterexamplesInTheData: a refuted claim about ∂ℓ/∂z[m] shows a
// counterexample at a sample m of the data, 1 <= m <= n with n a count,
// evaluated from the counterexample's own bindings. It showed m=1 beside
// n=-0.5 (the prover took n for any real: it divides only there).
func TestCounterexamplesInTheData(t *testing.T) {
	t.Parallel()
	const z = "z[i] := sum(j=1..d, x[i,j]*w[j])"
	for _, loss := range []string{
		"mean(i=1..n, relu(1 - y[i]*z[i]))",
		"mean(i=1..n, abs(y[i] - z[i]))",
		"mean(i=1..n, max(0, y[i] - z[i]) + (z[i] - y[i])^2)",
		"sum(i=1..n, relu(z[i]*y[i]))/n",
	} {
		e, _, _ := explainCase(t, z, loss, explain.Assumptions{})
		refuted := 0
		for _, c := range e.Claims {
			if c.Proof.Verdict != prove.Refuted || c.Proof.Counter == nil {
				continue
			}
			refuted++
			b := c.Proof.Counter.Bindings
			m, okm := b["m"]
			n, okn := b["n"]
			if !okm || !okn {
				t.Errorf("%s: claim %q: counterexample %s binds no m or n", loss, c.Say, c.Proof.Counter.Point())
				continue
			}
			r, ok := c.Proof.Ranges["m"]
			if !ok {
				t.Errorf("%s: claim %q: no range stated for m", loss, c.Say)
				continue
			}
			lo, err1 := ast.Eval(r.Lo, nil, b)
			hi, err2 := ast.Eval(r.Hi, nil, b)
			mv, nv := m.Data[0], n.Data[0]
			if err1 != nil || err2 != nil || mv != math.Trunc(mv) || nv != math.Trunc(nv) || nv < 1 || mv < lo || mv > hi {
				t.Errorf("%s: claim %q: counterexample %s is not at a sample of the data (m in %s..%s)", loss, c.Say, c.Proof.Counter.Point(), ast.String(r.Lo), ast.String(r.Hi))
			}
		}
		if refuted == 0 {
			t.Errorf("%s: no refuted claim to check:\n%s", loss, claims(e))
		}
	}
}
