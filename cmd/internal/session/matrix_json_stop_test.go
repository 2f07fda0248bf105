package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// runScript runs src in a new session and returns it with the result of
// its last statement.
func runScript(t *testing.T, src string) (*Session, *Result) {
	t.Helper()
	s := New()
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		t.Fatal(err)
	}
	var r *Result
	for _, st := range stmts {
		if r, err = s.Exec(context.Background(), st); err != nil {
			t.Fatal(err)
		}
	}
	return s, r
}

// TestMatrixJSONStepsStop: JSON lists a matrix result's whole derivation,
// which for the gradient of sin nested 300 deep takes seconds to work out
// and write (the value itself a tenth of a second). The printer's
// context and the session's time limit stop it soon after they strike,
// and the output says the steps were stopped; it ran to its end before.
// With neither, the steps are the derivation's lines.
func TestMatrixJSONStepsStop(t *testing.T) {
	if testing.Short() {
		t.Skip("a derivation 300 deep")
	}
	src := "w : vector(3)\nd(sum(" + strings.Repeat("sin(", 300) + "w" + strings.Repeat(")", 300) + "), w)"
	done, cancel := context.WithCancel(context.Background())
	cancel()
	const limit = 20 * time.Millisecond
	for _, c := range []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		timeout time.Duration
		want    string
	}{
		{"deadline", func() (context.Context, context.CancelFunc) { return context.WithTimeout(context.Background(), limit) }, 0, "stopped: the time limit was reached"},
		{"Ctrl-C", func() (context.Context, context.CancelFunc) { return done, func() {} }, 0, "interrupted"},
		{"--timeout", func() (context.Context, context.CancelFunc) { return nil, func() {} }, limit, "stopped: the time limit was reached"},
	} {
		s, r := runScript(t, src)
		if r.Matrix == nil {
			t.Fatal("not a matrix result")
		}
		s.Timeout = c.timeout
		ctx, cancel := c.ctx()
		p := &Printer{Style: ast.Plain, S: s, Ctx: ctx}
		start := time.Now()
		out, _ := p.JSON(r).(map[string]any)
		took := time.Since(start)
		cancel()
		t.Logf("%s: stopped after %v", c.name, took.Round(time.Millisecond))
		if out["steps_stopped"] != c.want {
			t.Errorf("%s: steps_stopped %v, want %q", c.name, out["steps_stopped"], c.want)
		}
		if steps, ok := out["steps"].([]map[string]any); !ok || len(steps) != 0 {
			t.Errorf("%s: %d steps, want an empty list", c.name, len(steps))
		}
		if out["result"] == nil {
			t.Errorf("%s: no result", c.name)
		}
		const slack = time.Second // a shared machine, -race; the whole takes seconds
		if took > limit+slack {
			t.Errorf("%s: JSON took %v, more than %v past the %v limit", c.name, took, slack, limit)
		}
	}

	s, r := runScript(t, "w : vector(3)\nX : matrix(4, 3)\nd(sum(log(sigma(X*w))), w)")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, _ := (&Printer{Style: ast.Plain, S: s, Ctx: ctx}).JSON(r).(map[string]any)
	d, err := r.Matrix.Derivation()
	if err != nil {
		t.Fatal(err)
	}
	steps, _ := out["steps"].([]map[string]any)
	if out["steps_stopped"] != nil || len(steps) != len(d.Lines) || len(steps) < 3 {
		t.Errorf("with time to spare: %d steps (stopped: %v), want the derivation's %d lines", len(steps), out["steps_stopped"], len(d.Lines))
	}
}
