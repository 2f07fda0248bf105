package session

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestAssume: assume statements parse back as written, and the
// simplifier, the prover and its counterexamples respect them.
func TestAssume(t *testing.T) {
	for _, src := range []string{
		"assume x > 0",
		"assume 0 < p < 1",
		"assume k in 1..d",
		"assume y[i] in {0, 1}",
		"assume sum(c=1..K, t[i,c]) == 1",
	} {
		s := New()
		rs := exec(t, s, src)
		if rs[0].Assumed == nil {
			t.Fatalf("%s: not an assumption", src)
		}
		if got := ast.StmtString(rs[0].Assumed); got != src {
			t.Errorf("%s prints as %s", src, got)
		}
	}

	cases := []struct {
		script, want string
	}{
		// A range: its conditions are dropped, and it is stated.
		{"assume k in 2..n\nd(sum(i=2..n, x[i]^2), x[k])", "2*x[k]  # for k = 2..n\n"},
		{"d(sum(i=2..n, x[i]^2), x[k])", "2*x[k]*[2 <= k <= n]\n"},
		// A sign: (x^2)^(1/2) is x only where x >= 0, and the result says
		// that it rests on the assumption, without --steps too.
		{"assume x > 0\n(x^2)^(1/2)", "x\n  (by assumption x > 0)\n"},
		{"assume x > 0\nsqrt(x^2)", "x\n  (by assumption x > 0)\n"},
		{"assume x > 0\nsqrt(x^2)\nsqrt(x^2) + 1", "x\n  (by assumption x > 0)\nx + 1\n  (by assumption x > 0)\n"},
		{"assume x > 0\nprove sqrt(x^2) == x", "proved: sqrt(x^2) == x\n  (by assumption x > 0)\n"},
		{"assume x > 0\nprove x^2 + 2*x + 1 == (x + 1)^2", "proved: x^2 + 2*x + 1 == (x + 1)^2\n"},
		{"assume x > 0\nabs(y)", "abs(y)\n"},
		{"(x^2)^(1/2)", "abs(x)\n"},
		// An equality over sums: softmax with cross-entropy.
		{"assume sum(c=1..K, t[i,c]) == 1\nP[m,l]*sum(i=1..K, t[m,i]) - t[m,l]", "P[m,l] - t[m,l]\n  (by assumption sum(c=1..K, t[i,c]) == 1)\n"},
	}
	for _, c := range cases {
		s := New()
		var out bytes.Buffer
		p := &Printer{Style: ast.Plain, S: s}
		for _, r := range exec(t, s, c.script) {
			p.Result(&out, r)
		}
		if out.String() != c.want {
			t.Errorf("%q printed %q, want %q", c.script, out.String(), c.want)
		}
	}

	// The step made by an assumption names it.
	s := New()
	rs := exec(t, s, "assume x > 0\n(x^2)^(1/2)")
	found := false
	for _, st := range rs[1].Simplified.Trace {
		for _, r := range append(st.Rules(), st.Rule) {
			if r != nil && strings.HasPrefix(r.Doc, "by assumption x > 0") {
				found = true
			}
		}
	}
	if !found {
		t.Error("no step \"by assumption x > 0\" in the trace")
	}

	// Counterexamples respect assumptions: with labels in {0, 1} and
	// p in (0, 1), a refutation's point has them there; and x > 0 proves
	// what it makes true.
	s = New()
	rs = exec(t, s, "assume y in {0, 1}\nassume 0 < p < 1\nprove y*log(p) == y*log(1 - p)")
	pr := rs[2].Proof
	if pr.Verdict != prove.Refuted {
		t.Fatalf("verdict %s", pr.Verdict)
	}
	if y := pr.Counter.Bindings["y"].Data[0]; y != 0 && y != 1 {
		t.Errorf("counterexample has y = %v, outside {0, 1}", y)
	}
	if p := pr.Counter.Bindings["p"].Data[0]; p <= 0 || p >= 1 {
		t.Errorf("counterexample has p = %v, outside (0, 1)", p)
	}
	rs = exec(t, New(), "assume x > 0\nprove (x^2)^(1/2) == x")
	if rs[1].Proof.Verdict != prove.Proved {
		t.Errorf("with x > 0: %s (%s)", rs[1].Proof.Verdict, rs[1].Proof.Tried)
	}
	rs = exec(t, New(), "prove (x^2)^(1/2) == x")
	if rs[0].Proof.Verdict != prove.Refuted {
		t.Errorf("without an assumption: %s", rs[0].Proof.Verdict)
	}
}

// Every step that rests on the sign an assumption gives names the
// assumption, also when the sign was worked out before, for another
// subexpression (the sign analysis remembers it): abs(x + 1) is x + 1 by the
// sign of x found for abs(x).
func TestAssumptionUsedByEveryStep(t *testing.T) {
	for _, src := range []string{"assume x > 0\nabs(x) + abs(x + 1)", "assume x > 0\nabs(x + 1) + abs(x)", "assume x > 0\nabs(x)*abs(x + 1)*sqrt(x^2)"} {
		s := New()
		rs := exec(t, s, src)
		n := 0
		var walk func(rules.Trace)
		walk = func(tr rules.Trace) {
			for _, st := range tr {
				if st.Rule == simplify.RuleAbsKnown && ast.HasFree(st.Before, "x") {
					n++
					if !slices.ContainsFunc(st.Uses, func(r *rules.Rule) bool { return r.Kind == rules.Assumption }) {
						t.Errorf("%q: the step %s → %s does not name the assumption", src, ast.String(st.Before), ast.String(st.After))
					}
				}
				walk(st.Sub)
			}
		}
		walk(rs[1].Simplified.Trace)
		if n < 2 {
			t.Errorf("%q: %d steps by the sign of abs's argument, want 2 or more", src, n)
		}
	}
}
