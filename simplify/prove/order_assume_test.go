package prove_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// An assumption that compares two expressions (x > y, x*y > 0) holds at
// every point the prover uses. They were not read by the numerical side
// at all: assume x > y, then step(x - y) == 1 was refuted at x=-1.75,
// y=-1.5, and the proof of abs(x - y) == x - y was checked at a point
// with x < y and reported as an internal inconsistency. The oracle is the
// assumption and the claim written in Go, at the counterexample's point.
func TestOrderAssumptions(t *testing.T) {
	step := func(u float64) float64 {
		if u > 0 {
			return 1
		}
		return 0
	}
	sign := func(u float64) float64 {
		switch {
		case u > 0:
			return 1
		case u < 0:
			return -1
		}
		return 0
	}
	type pt map[string]float64
	tests := []struct {
		assume, claim string
		holds         func(p pt) bool // the assumption
		claimAt       func(p pt) bool // the claim
		want          prove.Verdict   // Unknown: anything but Refuted
	}{
		{"x > y", "step(x - y) == 1",
			func(p pt) bool { return p["x"] > p["y"] },
			func(p pt) bool { return step(p["x"]-p["y"]) == 1 }, prove.Unknown},
		{"x*y > 0", "sign(x*y) == 1",
			func(p pt) bool { return p["x"]*p["y"] > 0 },
			func(p pt) bool { return sign(p["x"]*p["y"]) == 1 }, prove.Unknown},
		{"a >= b", "max(a, b) == a",
			func(p pt) bool { return p["a"] >= p["b"] },
			func(p pt) bool { return max(p["a"], p["b"]) == p["a"] }, prove.Proved},
		{"x > y", "abs(x - y) == x - y",
			func(p pt) bool { return p["x"] > p["y"] },
			func(p pt) bool { return abs(p["x"]-p["y"]) == p["x"]-p["y"] }, prove.Proved},
		{"x + y > 0", "abs(x + y) == x + y",
			func(p pt) bool { return p["x"]+p["y"] > 0 },
			func(p pt) bool { return abs(p["x"]+p["y"]) == p["x"]+p["y"] }, prove.Proved},
		// Still refuted where the claim fails under the assumption.
		{"x > y", "step(x - y) == 0",
			func(p pt) bool { return p["x"] > p["y"] },
			func(p pt) bool { return step(p["x"]-p["y"]) == 0 }, prove.Refuted},
		// A name the claim does not use constrains it through the
		// comparison: x > z, and z is free, so x < 0 is possible.
		{"x > z", "step(x) == 1",
			func(p pt) bool { return p["x"] > p["z"] },
			func(p pt) bool { return step(p["x"]) == 1 }, prove.Refuted},
	}
	for _, tc := range tests {
		as, ps := parseClaim(t, tc.assume, tc.claim)
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: []*ast.AssumeStmt{as}})
		if err != nil {
			t.Fatal(err)
		}
		name := "assume " + tc.assume + ", " + tc.claim
		switch {
		case pr.Verdict == prove.Refuted:
			p := pt{}
			for _, f := range strings.Fields(pr.Counter.Point()) {
				k, v, _ := strings.Cut(f, "=")
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("%s: point %q does not read back", name, pr.Counter.Point())
				}
				p[k] = x
			}
			if !tc.holds(p) || tc.claimAt(p) {
				t.Errorf("%s: refuted at %s, where the assumption holds: %v, the claim holds: %v",
					name, pr.Counter.Point(), tc.holds(p), tc.claimAt(p))
			}
			if tc.want != prove.Refuted {
				t.Errorf("%s: refuted, but it holds under the assumption", name)
			}
		case tc.want == prove.Proved && pr.Verdict != prove.Proved:
			t.Errorf("%s: %s, want proved (%s)", name, pr.Verdict, pr.Tried)
		case tc.want == prove.Refuted:
			t.Errorf("%s: %s, want refuted", name, pr.Verdict)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
