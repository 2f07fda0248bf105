package prove_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestArrayWithoutSumsGivesNoVeto: A + 0*y[k] == A, with A a claim proved
// for k = 1..d (k reads w, whose sums run over 1..d), was unknown: y,
// which no sum runs over, left k without a range. It is proved now, for
// k = 1..d, as the proof states. Our own check: both sides evaluated
// (ast.Eval) at random w, v, y and every k from 1 to d agree. An index
// that reads only arrays no sum runs over keeps no range, and a claim
// false inside the range stays refuted.
func TestArrayWithoutSumsGivesNoVeto(t *testing.T) {
	cases := []struct {
		src  string
		want prove.Verdict
	}{
		{"prove sum(j=1..d, w[j]*delta(j, k)) + 0*y[k] == w[k]", prove.Proved},
		{"prove d(sum(j=1..d, w[j]*v[j]), v[k]) + 0*y[k] == w[k]", prove.Proved},
		{"prove sum(j=1..d, w[j]*delta(j, k)) + y[k] == w[k] + y[k]", prove.Proved},
		{"prove sum(j=1..d, w[j]*delta(j, k)) + 0*y[k] == w[k] + 1", prove.Refuted},
		{"prove sum(j=1..d, delta(j, k))*a[k] == a[k]", prove.Refuted},
	}
	rng := rand.New(rand.NewPCG(3, 15))
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			ps := parseProve(t, c.src, nil)
			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			checkProof(t, pr, nil)
			if pr.Verdict != c.want {
				t.Fatalf("%s, want %s (%s)", pr.Verdict, c.want, summary(pr))
			}
			if pr.Verdict != prove.Proved {
				return
			}
			r, ok := pr.Ranges["k"]
			if !ok || !ast.IsNum(r.Lo, 1) || ast.String(r.Hi) != "d" {
				t.Fatalf("proved for %v, want for k = 1..d", pr.Ranges)
			}
			a, _, _ := derive.Expand(bg, ps.A, derive.Options{Rules: builtin})
			b, _, _ := derive.Expand(bg, ps.B, derive.Options{Rules: builtin})
			checked := 0
			for _, d := range []int{1, 3, 5} {
				vec := func() ast.Value {
					v := make([]float64, 8)
					for i := range v {
						v[i] = rng.Float64()*4 - 2
					}
					return ast.Value{Shape: []int{8}, Data: v}
				}
				for k := 1; k <= d; k++ {
					pt := ast.Bindings{"d": ast.Scalar(float64(d)), "k": ast.Scalar(float64(k)), "w": vec(), "v": vec(), "y": vec()}
					ok, complaint := agreeAt(a, b, nil, pt, 1e-12)
					if complaint != "" {
						t.Errorf("at d=%d k=%d: %s", d, k, complaint)
					}
					if ok {
						checked++
					}
				}
			}
			if checked < 9 {
				t.Errorf("both sides evaluated at only %d points", checked)
			}
		})
	}
}
