package session

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// bigVerbStatements are verb statements that each take seconds (or
// minutes) when not stopped.
func bigVerbStatements() []string {
	quads := make([]string, 40)
	for i := range quads {
		quads[i] = fmt.Sprintf("(x^2 + %d*x + %d)", i+1, i+2)
	}
	fracs := make([]string, 120)
	for i := range fracs {
		fracs[i] = fmt.Sprintf("1/(x + %d)", i+1)
	}
	return []string{
		"expand((x + y + z + w + 1)^30)",
		"collect((x + y + z + w + 1)^30, x)",
		"factor(" + strings.Join(quads, "*") + ")",
		"together(" + strings.Join(fracs, " + ") + ")",
		"apart(" + strings.Join(fracs, " + ") + ", x)",
		"p := expand((x + y + z + w + 1)^30)",
	}
}

// TestVerbStatementsStopWhenCancelled: a script's (or the REPL's) verb
// statement stops soon after the session's time limit, with the time-out
// message, and soon after its context is cancelled (Ctrl-C), with
// "interrupted". The bound is parsetest.StopSlack of CPU time past the
// stop (wall time stretches tenfold on a loaded machine); the latency
// measured is logged. A small statement under the same
// limit still gives its result (the live control).
func TestVerbStatementsStopWhenCancelled(t *testing.T) {
	const limit = 100 * time.Millisecond
	for _, src := range bigVerbStatements() {
		name := src[:strings.IndexByte(src, '(')]
		for _, how := range []string{"timeout", "interrupt"} {
			s := New()
			stmts, err := parser.ParseFile("t.sd", src, s.Context())
			if err != nil || len(stmts) != 1 {
				t.Fatalf("parse %s: %v", name, err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			want := "interrupted"
			if how == "timeout" {
				s.Timeout = limit
				want = "stopped: the time limit was reached"
			} else {
				time.AfterFunc(limit, cancel)
			}
			took := parsetest.MeasureStop(func() { _, err = s.Exec(ctx, stmts[0]) })
			cancel()
			if err == nil || err.Error() != want {
				t.Errorf("%s (%s): error %v, want %q", name, how, err, want)
			}
			if late := took.Late(limit); late != "" {
				t.Errorf("%s (%s): stopped late: %s", name, how, late)
			}
			t.Logf("%s (%s): stopped after %v, the %s at %v", name, how, took, how, limit)
		}
	}
	s := New()
	s.Timeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stmts, err := parser.ParseFile("t.sd", "expand((x + y + 1)^3)\nfactor(x^4 - 1)", s.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range stmts {
		r, err := s.Exec(ctx, st)
		if err != nil {
			t.Fatalf("%s: %v", st.Text, err)
		}
		got = append(got, ast.String(r.Value))
	}
	want := []string{"x^3 + 3*x^2*y + 3*x*y^2 + y^3 + 3*x^2 + 6*x*y + 3*y^2 + 3*x + 3*y + 1", "(x - 1)*(x + 1)*(x^2 + 1)"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("under a limit: got %q, want %q", got, want)
	}
}
