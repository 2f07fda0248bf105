package prove_test

import (
	"math"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// eqCase is a claim under equality assumptions, with the test's own float
// evaluation of the assumptions (holds) and of the two sides (sides) at a
// counterexample, independent of the engine's evaluator.
type eqCase struct {
	assume []string
	claim  string
	want   prove.Verdict
	reason string // for unknown: a part of the reason given
	holds  func(e env) bool
	sides  func(e env) (l, r float64)
}

func sc(e env, name string) float64 { return e[name].Data[0] }

func eqCases() []eqCase {
	ab := func(e env) bool { return sc(e, "a") == sc(e, "b")+1 }
	xy := func(e env) bool { return sc(e, "x") == 2*sc(e, "y") }
	abc := func(e env) bool { return sc(e, "b") == sc(e, "c")+1 && sc(e, "a") == 2*sc(e, "b") }
	// y[j] == 2 for the entries the claim reads (j = 1..n).
	y2 := func(e env) bool {
		for j := 1; j <= e.n("n"); j++ {
			if v, ok := e.x("y", j); !ok || v != 2 {
				return false
			}
		}
		return true
	}
	yj := func(e env) bool {
		for j := 1; j <= e.n("n"); j++ {
			if v, ok := e.x("y", j); !ok || v != float64(j) {
				return false
			}
		}
		return true
	}
	sumY := func(e env) float64 {
		s := 0.0
		for j := 1; j <= e.n("n"); j++ {
			v, _ := e.x("y", j)
			s += v
		}
		return s
	}
	return []eqCase{
		{[]string{"a == b + 1"}, "a - b == 1", prove.Proved, "", ab, nil},
		{[]string{"a == b + 1"}, "a - b == 2", prove.Refuted, "", ab,
			func(e env) (float64, float64) { return sc(e, "a") - sc(e, "b"), 2 }},
		{[]string{"a == b + 1"}, "a^2 == b^2 + 2*b + 1", prove.Proved, "", ab, nil},
		{[]string{"a == b + 1"}, "a^2 == b^2 + 1", prove.Refuted, "", ab,
			func(e env) (float64, float64) { return sc(e, "a") * sc(e, "a"), sc(e, "b")*sc(e, "b") + 1 }},
		// The simplifier rewrites by an equality left to right only; the
		// points, drawn with a solved for, agree: unknown, not refuted.
		{[]string{"b + 1 == a"}, "a - b == 1", prove.Unknown, "numerically equal", ab, nil},
		{[]string{"b + 1 == a"}, "a - b == 3", prove.Refuted, "", ab,
			func(e env) (float64, float64) { return sc(e, "a") - sc(e, "b"), 3 }},
		{[]string{"x == 2*y"}, "x^2 == 4*y^2", prove.Proved, "", xy, nil},
		{[]string{"x == 2*y"}, "x^2 == 4*y", prove.Refuted, "", xy,
			func(e env) (float64, float64) { return sc(e, "x") * sc(e, "x"), 4 * sc(e, "y") }},
		{[]string{"b == c + 1", "a == 2*b"}, "a == 2*c + 2", prove.Proved, "", abc, nil},
		// Solved in dependency order whatever the order written.
		{[]string{"a == 2*b", "b == c + 1"}, "a == 2*c + 2", prove.Proved, "", abc, nil},
		{[]string{"a == 2*b", "b == c + 1"}, "a == 2*c + 1", prove.Refuted, "", abc,
			func(e env) (float64, float64) { return sc(e, "a"), 2*sc(e, "c") + 1 }},
		{[]string{"y[j] == 2"}, "sum(j=1..n, y[j]) == 2*n", prove.Proved, "", y2, nil},
		{[]string{"y[j] == 2"}, "sum(j=1..n, y[j]) == 3*n", prove.Refuted, "", y2,
			func(e env) (float64, float64) { return sumY(e), 3 * float64(e.n("n")) }},
		{[]string{"y[j] == j"}, "sum(j=1..n, y[j]) == n^2", prove.Refuted, "", yj,
			func(e env) (float64, float64) { n := float64(e.n("n")); return sumY(e), n * n }},
		// Not solvable for a name: unknown, saying why.
		{[]string{"a*b == 1"}, "a*b*c == c", prove.Unknown, "cannot draw points where a*b == 1 holds", nil, nil},
		{[]string{"a == b", "b == a"}, "a == b", prove.Unknown, "cycle", nil, nil},
		{[]string{"a == a*b"}, "a*(b - 1) == 0", prove.Unknown, "cannot draw points where a == a*b holds", nil, nil},
	}
}

// TestEqualityAssumptions: claims under equality assumptions are proved
// when true and refuted when false, with counterexamples that satisfy the
// assumptions and break the claim by the test's own evaluation; the
// engine never reports itself inconsistent.
func TestEqualityAssumptions(t *testing.T) {
	for _, c := range eqCases() {
		name := strings.Join(c.assume, "; ") + "; " + c.claim
		t.Run(name, func(t *testing.T) {
			src := "assume " + strings.Join(c.assume, "\nassume ") + "\nprove " + c.claim
			stmts, err := parser.ParseFile("", src, nil)
			if err != nil {
				t.Fatal(err)
			}
			var as []*ast.AssumeStmt
			for _, s := range stmts[:len(stmts)-1] {
				as = append(as, s.Stmt.(*ast.AssumeStmt))
			}
			ps := stmts[len(stmts)-1].Stmt.(*ast.ProveStmt)
			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: as})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(pr.Tried, "inconsisten") {
				t.Fatalf("the engine contradicts itself: %s", pr.Tried)
			}
			if pr.Verdict != c.want {
				t.Fatalf("verdict %v, want %v (%s)", pr.Verdict, c.want, pr.Tried)
			}
			switch c.want {
			case prove.Unknown:
				if !strings.Contains(pr.Tried, c.reason) {
					t.Errorf("reason %q does not say %q", pr.Tried, c.reason)
				}
			case prove.Refuted:
				e := env(pr.Counter.Bindings)
				if !c.holds(e) {
					t.Fatalf("counterexample %s breaks the assumptions", pr.Counter.Summary())
				}
				if l, r := c.sides(e); math.Abs(l-r) <= 1e-9*(1+math.Abs(l)+math.Abs(r)) {
					t.Errorf("counterexample %s: the sides agree (%v, %v)", pr.Counter.Summary(), l, r)
				}
			}
		})
	}
}
