package repl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestCancelWhileReading: Ctrl-C (the context the terminal shell
// cancels) while a huge line, or a huge file of :load, or the
// expression of :eval, :explain, :codegen or :gradcheck is read: Feed
// returns promptly, says "interrupted", and the session goes on with its
// definitions. Before, the line was read whole (seconds), and only then
// did the cancelled context stop the statement.
func TestCancelWhileReading(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	sum := parsetest.HugeSum(400_000)
	file := filepath.Join(t.TempDir(), "big.sd")
	if err := os.WriteFile(file, []byte("big := "+sum+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, ast.Plain)
	h.feed("a := 3")
	for _, c := range []struct{ line, want string }{
		{sum, "error: interrupted (reading the input)\n"},
		{"prove " + sum + " == 0", "error: interrupted (reading the input)\n"},
		{":load " + file, "error: " + file + ": interrupted (reading the script)\n"},
		{":eval " + sum + " x1=1", "error: interrupted (reading the expression)\n"},
		{":explain " + sum, "error: interrupted (reading the loss)\n"},
		{":codegen " + sum + " wrt x1", "error: interrupted (reading the loss)\n"},
		{":gradcheck " + sum + " wrt x1", "error: interrupted (reading the loss)\n"},
	} {
		h.out.Reset()
		h.err.Reset()
		ctx, cancel := context.WithCancel(context.Background())
		const after = 50 * time.Millisecond
		timer := time.AfterFunc(after, cancel) // Ctrl-C
		took := parsetest.MeasureStop(func() { h.r.Feed(ctx, c.line) })
		timer.Stop()
		cancel()
		t.Logf("%.12s…: Feed returned after %v, Ctrl-C %v in", c.line, took, after)
		if h.out.String() != "" || h.err.String() != c.want {
			t.Errorf("%.12s…: out %.100q, errors %.200q; want %q", c.line, h.out.String(), h.err.String(), c.want)
		}
		if late := took.Late(after); late != "" {
			t.Errorf("%.12s…: Feed returned late after Ctrl-C: %s", c.line, late)
		}
		if h.r.Pending() {
			t.Errorf("%.12s…: a statement is left open", c.line)
		}
	}
	if out := h.run("a + 1"); out != "4\n" {
		t.Errorf("a + 1 after the interruptions printed %q", out)
	}
}

// TestTimeoutWhileReading: the session's time limit stops the reading
// of a huge line as it stops a slow statement.
func TestTimeoutWhileReading(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	h := newHarness(t, ast.Plain)
	const limit = 100 * time.Millisecond
	h.r.S.Timeout = limit
	var errs string
	took := parsetest.MeasureStop(func() { _, errs = h.feed(parsetest.HugeSum(400_000)) })
	t.Logf("a 4 MB line stopped after %v", took)
	if want := "error: stopped: the time limit was reached (reading the input)\n"; errs != want {
		t.Errorf("errors %.200q, want %q", errs, want)
	}
	if late := took.Late(limit); late != "" {
		t.Errorf("stopped late: %s", late)
	}
	if out := h.run("1+1"); out != "2\n" {
		t.Errorf("1+1 after the time-out printed %q", out)
	}
}

// TestCancelSteps: Ctrl-C while :steps or :latex writes out the
// derivation of a deep derivative (seconds of work: each of its hundreds
// of rounds rewrites the whole expression) returns promptly. Before, the
// derivation ran to its end (2-4 s) whatever Ctrl-C said.
func TestCancelSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("differentiates sin nested 6,000 deep")
	}
	h := newHarness(t, ast.Plain)
	h.run("d(" + strings.Repeat("sin(", 6000) + "x*y" + strings.Repeat(")", 6000) + ", x)")
	for _, cmd := range []string{":steps", ":latex"} {
		h.out.Reset()
		h.err.Reset()
		ctx, cancel := context.WithCancel(context.Background())
		const after = 100 * time.Millisecond
		timer := time.AfterFunc(after, cancel)
		took := parsetest.MeasureStop(func() { h.r.Feed(ctx, cmd) })
		timer.Stop()
		cancel()
		t.Logf("%s: returned after %v, Ctrl-C %v in", cmd, took, after)
		if want := "error: interrupted\n"; h.err.String() != want || h.out.String() != "" {
			t.Errorf("%s: out %.100q, errors %.200q; want %q", cmd, h.out.String(), h.err.String(), want)
		}
		if late := took.Late(after); late != "" {
			t.Errorf("%s: returned late after Ctrl-C: %s", cmd, late)
		}
	}
}
