package prove_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// A free index with no range is a whole number from 1, as the README says,
// not a number inside the sums it meets: sum(j=1..d, delta(j, k)) == 1 is
// false at k = d + 1. The sampler drew such an index only from 1 to the
// smallest size, so the claim was "numerically equal" and the same rule
// was reported sound by rules check (and then used by the simplifier). An
// index that reads an array has that array's range and stays inside it.
// The oracle is ast.Eval of both sides at the counterexample.
func TestFreeIndexNotAssumedInRange(t *testing.T) {
	cases := []struct {
		src  string
		want prove.Verdict
	}{
		{"prove sum(j=1..d, delta(j, k)) == 1", prove.Refuted},
		{"prove sum(j=1..3, delta(j, k)) == 1", prove.Refuted},
		{"prove sum(j=1..d, delta(i, j)*delta(j, k)) == delta(i, k)", prove.Refuted},
		{"prove sum(j=1..d, delta(j, k)) == [k <= d]", prove.Proved},
		// k reads w, whose sums run j=1..d: k ranges over 1..d.
		{"prove sum(j=1..d, w[j]*delta(j, k)) == w[k]", prove.Proved},
	}
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
			if pr.Verdict != prove.Refuted {
				return
			}
			b := pr.Counter.Bindings
			for _, n := range []string{"i", "k", "d"} {
				if v, ok := b[n]; ok {
					if x := v.Data[0]; x < 1 || x != float64(int64(x)) {
						t.Errorf("counterexample %s=%v is not a whole number from 1", n, x)
					}
				}
			}
			va, err1 := ast.Eval(ps.A, nil, b)
			vb, err2 := ast.Eval(ps.B, nil, b)
			if err1 != nil || err2 != nil || va == vb {
				t.Errorf("counterexample %v: left %v (%v), right %v (%v)", b, va, err1, vb, err2)
			}
		})
	}
}

// A free index that reads an array some sum runs over lies in that sum's
// range (README), also where the symbolic proof fails and the sampler
// decides: k in w[k], with w[j] summed over j=1..d, is never drawn past d.
// These claims hold by the sifting property for every k in 1..d; they were
// refuted at k = d + 2 with w read past its size. An index that reads no
// such array is still drawn past the sums (the last case stays refuted).
func TestFreeIndexReadingSummedArrayNotRefuted(t *testing.T) {
	cases := []struct {
		src     string
		refuted bool
	}{
		{"prove sum(j=1..d, w[j]*delta(j, k)) + y[k] == w[k] + y[k]", false},
		{"prove d(sum(j=1..d, exp(w[j])), w[k]) + sin(b[k])^2 + cos(b[k])^2 == exp(w[k]) + 1", false},
		{"prove d(sum(j=1..d, w[j]*v[j]), v[k]) + 0*y[k] == w[k]", false},
		{"prove sum(j=1..d, x[i,j]*delta(j, k)) + y[k] == x[i,k] + y[k]", false},
		{"prove sum(j=1..d, delta(j, k))*a[k] == a[k]", true},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			ps := parseProve(t, c.src, nil)
			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			if got := pr.Verdict == prove.Refuted; got != c.refuted {
				t.Fatalf("%s, want refuted=%v (%s)", pr.Verdict, c.refuted, summary(pr))
			}
		})
	}
}
