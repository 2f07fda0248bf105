package session

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestCounterexampleUsedNames: a counterexample lists the names the
// claim's sides depend on, with the declared sizes of its arrays, and not
// the declared names it does not use (x : vector(n) was drawn by the
// matrix prover and printed, in text and --json); the sides evaluated at
// the point are still its left and right values. The prover draws only
// the claim's names, so x is not there even without the trimming; made to
// drop the sizes of the arrays used too, n goes missing and the test fails.
func TestCounterexampleUsedNames(t *testing.T) {
	for _, c := range []struct {
		claim string
		want  []string
	}{
		{"prove S[1,2] == 0", []string{"S", "n"}},
		{"prove S[1,2] + y == y", []string{"S", "n", "y"}},
		{"prove S[1,2] + C == C", []string{"S", "m", "n", "u", "v"}}, // v and m through a definition
	} {
		s := New()
		exec(t, s, "x : vector(n)\nv : vector(m)\nS : symmetric(n)\nC := sum(j=1..m, v[j]) + u")
		r := exec(t, s, c.claim)[0]
		pr := r.Proof
		if pr.Verdict != prove.Refuted || pr.Counter == nil {
			t.Fatalf("%s: %v, want a counterexample", c.claim, pr.Verdict)
		}
		got := slices.Sorted(maps.Keys(pr.Counter.Bindings))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: counterexample of %v, want %v", c.claim, got, c.want)
		}
		// The text and the JSON show the same names.
		var text bytes.Buffer
		p := &Printer{S: s}
		p.Result(&text, r)
		if strings.Contains(text.String(), " x=") || !strings.Contains(text.String(), "S=") {
			t.Errorf("%s: text %q", c.claim, text.String())
		}
		js, err := json.Marshal(p.JSON(r))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(js), `"x":`) || !strings.Contains(string(js), `"S":`) {
			t.Errorf("%s: JSON %s", c.claim, js)
		}
		// Still a counterexample: the sides at the point are its values.
		st := exec(t, s, c.claim)[0].Stmt.(*ast.ProveStmt)
		for i, side := range []ast.Expr{st.A, st.B} {
			v, err := s.Eval(context.Background(), side, pr.Counter.Bindings)
			want := []float64{pr.Counter.LeftF, pr.Counter.RightF}[i]
			if err != nil || math.Abs(v-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: side %d at the point is %v, %v; the counterexample says %v", c.claim, i, v, err, want)
			}
		}
		// The matrix prover itself no longer draws x (its points are a
		// function of the claim: claimDecls), so even without the
		// trimming x is not there.
		trimCounters = false
		untrimmed := exec(t, s, c.claim)[0].Proof.Counter.Bindings
		trimCounters = true
		if _, ok := untrimmed["x"]; ok {
			t.Errorf("%s: x is in the counterexample made without trimming: %v", c.claim, slices.Sorted(maps.Keys(untrimmed)))
		}
	}
}
