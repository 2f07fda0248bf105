package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser"
)

// TestStepsContextStops: the derivation of a result, scalar or matrix
// (rendered for --steps, LaTeX and the REPL's :steps), gives up on a done
// context instead of running to its end; with a live one it is there.
func TestStepsContextStops(t *testing.T) {
	for _, src := range []string{
		"d(sigma(x)^2*log(x), x)",
		"w : vector(3)\nX : matrix(4, 3)\nd(sum(log(sigma(X*w))), w)",
	} {
		s := New()
		stmts, err := parser.ParseFile("t.sd", src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		var res *Result
		for _, st := range stmts {
			if res, err = s.Exec(context.Background(), st); err != nil {
				t.Fatalf("%s: %v", src, err)
			}
		}
		done, cancel := context.WithCancel(context.Background())
		cancel()
		if d, err := s.StepsContext(done, res); err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("%s: StepsContext on a done context = %v, %v; want interrupted", src, d, err)
		}
		d, err := s.StepsContext(context.Background(), res)
		if err != nil || d == nil || len(d.Lines) == 0 {
			t.Errorf("%s: StepsContext = %v, %v; want a derivation", src, d, err)
		}
	}
}

// TestStepsStopMidway: a derivation written out after its simplification
// (diff --steps, latex --wrt, :steps) stops soon after its deadline
// strikes midway: the derivative of sin nested 6,000 deep simplifies in
// well under a second, and its derivation takes hundreds of rounds over
// the whole expression, seconds before the context was honoured. The
// simplification runs first without a limit, so the deadline falls in
// the derivation however fast the machine is.
func TestStepsStopMidway(t *testing.T) {
	if testing.Short() {
		t.Skip("differentiates sin nested 6,000 deep")
	}
	s := New()
	src := "d(" + strings.Repeat("sin(", 6000) + "x*y" + strings.Repeat(")", 6000) + ", x)"
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Exec(context.Background(), stmts[0])
	if err != nil {
		t.Fatal(err)
	}
	const limit = 20 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	d, err := s.StepsContext(ctx, res)
	took := time.Since(start)
	t.Logf("stopped after %v", took.Round(time.Millisecond))
	if err == nil || !strings.Contains(err.Error(), "time limit") {
		t.Errorf("StepsContext under a %v deadline = %v lines, %v; want the time limit", limit, d != nil, err)
	}
	const slack = 2 * time.Second // a shared machine, -race
	if took > limit+slack {
		t.Errorf("stopped after %v, more than %v past the %v deadline", took, slack, limit)
	}
}
