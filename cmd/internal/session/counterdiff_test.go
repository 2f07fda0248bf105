package session

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/simplify/prove"
)

// TestCounterexampleDifference: a counterexample whose sides print alike
// to 30 digits says by how much they differ; log(exp(x) + exp(-1000))
// against x at x = 962 printed 962 and 962. The difference is
// log(1 + e^-(x+1000)) ≈ e^-(x+1000), checked against its base-10
// exponent computed here in float64; sides that print differently carry
// no difference.
func TestCounterexampleDifference(t *testing.T) {
	r, err := execOne(t, "prove log(exp(x) + exp(-1000)) == x")
	if err != nil || r.Proof == nil || r.Proof.Verdict != prove.Refuted {
		t.Fatalf("prove: %v, %+v", err, r)
	}
	c := r.Proof.Counter
	x, ok := c.Bindings["x"]
	if !ok || c.Left != c.Right {
		t.Fatalf("counterexample %s: left %s, right %s; want sides that print alike", c.Point(), c.Left, c.Right)
	}
	mant, exp, found := strings.Cut(c.Diff, "e")
	m, err1 := strconv.ParseFloat(mant, 64)
	e, err2 := strconv.Atoi(exp)
	if !found || err1 != nil || err2 != nil {
		t.Fatalf("difference %q: not a number with an exponent", c.Diff)
	}
	want := -(x.Data[0] + 1000) / math.Ln10
	if got := math.Log10(m) + float64(e); math.Abs(got-want) > 1e-4 {
		t.Errorf("at x = %v the difference is %s (10^%.5f), want 10^%.5f", x.Data[0], c.Diff, got, want)
	}
	r, err = execOne(t, "prove x^2 == x")
	if err != nil || r.Proof.Counter == nil || r.Proof.Counter.Diff != "" {
		t.Errorf("x^2 == x: %v; difference %q, want none", err, r.Proof.Counter.Diff)
	}
}
