package prove_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestContradictoryAssumptions: where no value satisfies what was assumed
// of a name, no point is one where the assumptions hold, so nothing can be
// refuted. The assumed intervals were intersected to an empty one and a
// point drawn anyway: assume x > 0, assume x < 0, then x == 1 was refuted
// at x=0, and with 0 < p < 1 and p > 2, p == 5 at p=1.32. Consistent
// assumptions still refute, at a point where they hold. The oracle is the
// assumptions written in Go, at the counterexample's point.
func TestContradictoryAssumptions(t *testing.T) {
	type pt map[string]float64
	tests := []struct {
		assume []string
		claim  string
		holds  func(p pt) bool // the assumptions, at a counterexample
		want   prove.Verdict   // Unknown: anything but Refuted
	}{
		{[]string{"x > 0", "x < 0"}, "x == 1", nil, prove.Unknown},
		{[]string{"x > 5", "x < 3"}, "x == 1", nil, prove.Unknown},
		{[]string{"x > 1", "x < 1"}, "x == 2", nil, prove.Unknown},
		{[]string{"x >= 1", "x < 1"}, "x == 2", nil, prove.Unknown},
		{[]string{"0 < p < 1", "p > 2"}, "p == 5", nil, prove.Unknown},
		{[]string{"y in {0, 1}", "y > 2"}, "y == 2", nil, prove.Unknown},
		{[]string{"x > 0", "x < 0"}, "x^2 == -1", nil, prove.Unknown},
		// Consistent: refuted where the assumptions hold.
		{[]string{"x >= 1", "x <= 1"}, "x == 2",
			func(p pt) bool { return p["x"] == 1 }, prove.Refuted},
		{[]string{"2 < x < 3"}, "x == 1",
			func(p pt) bool { return p["x"] > 2 && p["x"] < 3 }, prove.Refuted},
		{[]string{"y in {0, 1}", "y >= 0.5"}, "y == 0",
			func(p pt) bool { return p["y"] == 1 }, prove.Refuted},
		// Every entry of an array is drawn inside both: y[i] in {0, 1}
		// and y[i] >= 0.5 leave 1 (entries 0 were drawn beside the
		// refuting one).
		{[]string{"y[i] in {0, 1}", "y[i] >= 0.5"}, "y[i] == 0",
			func(p pt) bool {
				n := 0
				for k, v := range p {
					if strings.HasPrefix(k, "y[") {
						n++
						if v != 1 {
							return false
						}
					}
				}
				return n > 0
			}, prove.Refuted},
	}
	for _, tc := range tests {
		src := ""
		for _, a := range tc.assume {
			src += "assume " + a + "\n"
		}
		stmts, err := parser.ParseFile("", src+"prove "+tc.claim, nil)
		if err != nil {
			t.Fatal(err)
		}
		var as []*ast.AssumeStmt
		for _, st := range stmts[:len(stmts)-1] {
			as = append(as, st.Stmt.(*ast.AssumeStmt))
		}
		ps := stmts[len(stmts)-1].Stmt.(*ast.ProveStmt)
		name := "assume " + strings.Join(tc.assume, ", ") + ": " + tc.claim
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: as})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		switch {
		case pr.Verdict == prove.Refuted && tc.want != prove.Refuted:
			t.Errorf("%s: refuted at %s, where the assumptions cannot hold", name, pr.Counter.Point())
		case pr.Verdict == prove.Refuted:
			p := pt{}
			for _, f := range strings.Fields(pr.Counter.Point()) {
				k, v, _ := strings.Cut(f, "=")
				if inner, ok := strings.CutPrefix(v, "["); ok {
					// An array: its entries as k[1], k[2], ...
					for j, e := range strings.Split(strings.TrimSuffix(inner, "]"), ",") {
						x, err := strconv.ParseFloat(e, 64)
						if err != nil {
							t.Fatalf("%s: point %q does not read back", name, pr.Counter.Point())
						}
						p[k+"["+strconv.Itoa(j+1)+"]"] = x
					}
					continue
				}
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("%s: point %q does not read back", name, pr.Counter.Point())
				}
				p[k] = x
			}
			if !tc.holds(p) {
				t.Errorf("%s: refuted at %s, where the assumptions do not hold", name, pr.Counter.Point())
			}
		case tc.want == prove.Refuted:
			t.Errorf("%s: %s, want refuted (%s)", name, pr.Verdict, pr.Tried)
		case tc.want == prove.Unknown && !strings.Contains(pr.Tried, "contradict"):
			t.Errorf("%s: %s (%s), want a report that the assumptions contradict each other", name, pr.Verdict, pr.Tried)
		}
	}
}
