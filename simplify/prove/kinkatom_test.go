package prove_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestKinkCallsAsAtoms: an identity that holds for every value of a kink
// call both sides contain is proved with the call as an opaque name. The
// exp/log basis writes max, min, clip and relu with abs (clip with two
// nested ones), and the rational normal form of a few of them multiplied
// out ran into the 2-minute limit: d(x/(max(y, 1) - x)^-2, x) ==
// (x - max(y, 1))*(3*x - max(y, 1)) was stopped, while it is proved in
// milliseconds with c for max(y, 1). Each claim must be proved within 5 s;
// the test checks that it is true by its own means: the left side's
// derivative by central differences of x*(c - x)^2, with c the kink
// computed in Go, against the right side, at random points.
func TestKinkCallsAsAtoms(t *testing.T) {
	clip := func(u, lo, hi float64) float64 { return math.Min(math.Max(u, lo), hi) }
	tests := []struct {
		c    string
		val  func(y, z float64) float64
		want prove.Verdict
	}{
		{"max(y, 1)", func(y, z float64) float64 { return math.Max(y, 1) }, prove.Proved},
		{"min(max(y, -1), 2)", func(y, z float64) float64 { return clip(y, -1, 2) }, prove.Proved},
		{"clip(y, -1, 2)", func(y, z float64) float64 { return clip(y, -1, 2) }, prove.Proved},
		{"relu(y)", func(y, z float64) float64 { return math.Max(y, 0) }, prove.Proved},
		{"max(y, z, 1)", func(y, z float64) float64 { return math.Max(y, math.Max(z, 1)) }, prove.Proved},
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for _, tc := range tests {
		// The claim, checked numerically first: d/dx x*(c - x)^2 is
		// (x - c)*(3*x - c).
		for range 50 {
			x, y, z := rng.Float64()*8-4, rng.Float64()*8-4, rng.Float64()*8-4
			c := tc.val(y, z)
			f := func(x float64) float64 { return x * (c - x) * (c - x) }
			const h = 1e-5
			fd := (f(x+h) - f(x-h)) / (2 * h)
			if want := (x - c) * (3*x - c); math.Abs(fd-want) > 1e-6*(1+math.Abs(want)) {
				t.Fatalf("the test's claim is false at x=%v y=%v z=%v: %v against %v", x, y, z, fd, want)
			}
		}
		src := "prove d(x/(" + tc.c + " - x)^-2, x) == (x - " + tc.c + ")*(3*x - " + tc.c + ")"
		stmts, err := parser.ParseFile("", src, nil)
		if err != nil {
			t.Fatal(err)
		}
		ps := stmts[0].Stmt.(*ast.ProveStmt)
		ctx, cancel := context.WithTimeout(bg, 5*time.Second)
		start := time.Now()
		pr, err := prove.Prove(ctx, ps.A, ps.B, simplify.Options{Rules: builtin})
		cancel()
		if err != nil {
			t.Errorf("%s: %v after %v", src, err, time.Since(start).Round(time.Millisecond))
			continue
		}
		if pr.Verdict != tc.want {
			t.Errorf("%s: %s, want %s (%s)", src, pr.Verdict, tc.want, pr.Tried)
		}
	}
}
