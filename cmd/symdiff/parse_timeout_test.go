package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// Reading input honours --timeout and Ctrl-C on every path, not only run's
// scripts: command-line expressions, --defs files, the REPL's lines (see
// also cmd/internal/repl and cmd/internal/web). The standard is a stop
// within 100 ms of the limit; these tests bound the work done, in CPU
// time, to a second past it (three under the race detector), and the
// wall time only loosely (parsetest.StopSlack says why): a read that does
// not stop costs seconds of CPU. The times are logged: 0-300 ms of CPU,
// where they were seconds before.

// timed runs Main and returns its results and what it cost.
func timed(t *testing.T, stdin string, args ...string) (stdout, stderr string, status int, took parsetest.Stop) {
	t.Helper()
	took = parsetest.MeasureStop(func() { stdout, stderr, status = runMainStdin(t, stdin, args...) })
	return stdout, stderr, status, took
}

// TestArgsParseHonoursTimeout: an expression argument is read under
// --timeout (an argument of a real command line is at most 128 KiB, a
// tenth of a second to read, but Main takes any). Before, the argument
// was read whole, then the command ran with a fresh limit: with a 4 MB
// sum and --timeout 100ms these commands ran 1.9-7.5 s (measured on 30
// Nov with this test on main; now 0.1-0.25 s).
func TestArgsParseHonoursTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	const limit = 100 * time.Millisecond
	sum := parsetest.HugeSum(400_000)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", sum, "x1"}, "symdiff: stopped: the time limit was reached (reading EXPR)\n"},
		{[]string{"simplify", sum}, "symdiff: stopped: the time limit was reached (reading EXPR)\n"},
		{[]string{"prove", "x", sum}, "symdiff: stopped: the time limit was reached (reading B)\n"},
		{[]string{"eval", sum, "x1=1"}, "symdiff: stopped: the time limit was reached (reading EXPR)\n"},
		{[]string{"expand", sum}, "symdiff: stopped: the time limit was reached (reading EXPR)\n"},
		{[]string{"subs", "x", "x=" + sum}, "symdiff: stopped: the time limit was reached (reading VALUE in x=" + sum + ")\n"},
		{[]string{"latex", sum, "--wrt", "x1"}, "symdiff: stopped: the time limit was reached (reading EXPR)\n"},
	} {
		stdout, stderr, status, took := timed(t, "", append(c.args, "--timeout", limit.String())...)
		t.Logf("%s: stopped after %v", c.args[0], took)
		if status != 2 || stdout != "" || stderr != c.want {
			t.Errorf("%s: status %d, stdout %.100q, stderr %.200q; want 2, %.200q", c.args[0], status, stdout, stderr, c.want)
		}
		if late := took.Late(limit); late != "" {
			t.Errorf("%s: stopped late: %s", c.args[0], late)
		}
	}
	// The same command with a small argument still works.
	if stdout, stderr, status := runMain(t, "diff", "x1^2 + x2", "x1", "--timeout", "100ms"); status != 0 || stdout != "2*x1\n" {
		t.Errorf("diff after the stops: %d, %q, %q", status, stdout, stderr)
	}
}

// TestDefsParseHonoursTimeout: a --defs file is read under --timeout, as
// run reads a script. Before, the file was read whole: with --defs of
// these 2-16 MB files and --timeout 100ms, 1.6-6.8 s (now 0.1-0.26 s).
func TestDefsParseHonoursTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10-16 MB inputs")
	}
	const limit = 100 * time.Millisecond
	dir := t.TempDir()
	for _, c := range hugeScripts() {
		file := filepath.Join(dir, c.name+".sd")
		if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"diff", "x^2", "x"}, {"codegen", "x^2", "--wrt", "x"}, {"explain", "x^2"}} {
			args := append(cmd, "--defs", file, "--timeout", limit.String())
			stdout, stderr, status, took := timed(t, "", args...)
			t.Logf("%s --defs %s (%d bytes): stopped after %v", cmd[0], c.name, len(c.src), took)
			want := "symdiff: " + file + ": stopped: the time limit was reached (reading the script)\n"
			if status != 2 || stdout != "" || stderr != want {
				t.Errorf("%s --defs %s: status %d, stdout %.100q, stderr %.200q; want 2, %q", cmd[0], c.name, status, stdout, stderr, want)
			}
			if late := took.Late(limit); late != "" {
				t.Errorf("%s --defs %s: stopped late: %s", cmd[0], c.name, late)
			}
		}
	}
}

// TestScriptParsesHonourTimeout: the other commands that read a script
// (latex, codegen's and gradcheck's FILE, explain's) read it under
// --timeout, as run does. Before, 10-16 s for 16 MB (now 0.13-0.3 s).
func TestScriptParsesHonourTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 16 MB input")
	}
	const limit = 100 * time.Millisecond
	file := filepath.Join(t.TempDir(), "where.sd")
	if err := os.WriteFile(file, []byte(hugeScripts()[0].src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"latex", file},
		{"codegen", file, "--wrt", "x"},
		{"gradcheck", file, "--wrt", "x"},
		{"explain", file},
	} {
		stdout, stderr, status, took := timed(t, "", append(args, "--timeout", limit.String())...)
		t.Logf("%s FILE: stopped after %v", args[0], took)
		want := "symdiff: " + file + ": stopped: the time limit was reached (reading the script)\n"
		if status != 2 || stdout != "" || stderr != want {
			t.Errorf("%s: status %d, stdout %.100q, stderr %.200q; want 2, %q", args[0], status, stdout, stderr, want)
		}
		if late := took.Late(limit); late != "" {
			t.Errorf("%s: stopped late: %s", args[0], late)
		}
	}
}

// TestReplLineHonoursTimeout: a huge line given to the REPL on standard
// input stops at --timeout while it is read, says so, and the session
// goes on with the next line. Before, a 4 MB line with --timeout 100ms
// was read whole (5.7-6.8 s) and the time-out came after; a line over
// 8 MiB ended the session with "bufio.Scanner: token too long".
func TestReplLineHonoursTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	const limit = 100 * time.Millisecond
	stdout, stderr, status, took := timed(t, parsetest.HugeSum(400_000)+"\n1+1\n", "repl", "--timeout", limit.String())
	t.Logf("repl: a 4 MB line stopped, the session ended after %v", took)
	if want := "error: stopped: the time limit was reached (reading the input)\n"; status != 2 || stdout != "2\n" || stderr != want {
		t.Errorf("status %d, stdout %q, stderr %.200q; want 2, \"2\\n\", %q", status, stdout, stderr, want)
	}
	if late := took.Late(limit); late != "" {
		t.Errorf("stopped late: %s", late)
	}
	// A line longer than any input is refused, by its number.
	long := "1\n" + strings.Repeat("x+", 9<<20) + "x\n"
	stdout, stderr, status = runMainStdin(t, long, "repl")
	if want := "symdiff: line 2 of the input is too large: more than 16 MiB (the limit of an input)\n"; status != 2 || stdout != "1\n" || stderr != want {
		t.Errorf("a line of 18 MB: status %d, stdout %q, stderr %.200q; want 2, \"1\\n\", %q", status, stdout, stderr, want)
	}
}

// TestRulesFileHonoursTimeout: a --rules file is read and loaded under
// --timeout. Before, 100,000 rules (3 MB) with --timeout 100ms ran 121 s
// (adding a rule scans the rules before it).
func TestRulesFileHonoursTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 3 MB rule file")
	}
	const limit = 100 * time.Millisecond
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, "f%d(u) := u^2 + %d\n", i, i)
	}
	for i := range 100_000 {
		fmt.Fprintf(&b, "rule r%d: f%d(x) -> x + %d\n", i, i%50, i)
	}
	file := filepath.Join(t.TempDir(), "huge.rules")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status, took := timed(t, "", "diff", "x^2", "x", "--rules", file, "--timeout", limit.String())
	t.Logf("--rules of %d bytes: stopped after %v", b.Len(), took)
	if want := "symdiff: " + file + ": stopped: the time limit was reached (reading the rules)\n"; status != 2 || stdout != "" || stderr != want {
		t.Errorf("status %d, stdout %.100q, stderr %.200q; want 2, %q", status, stdout, stderr, want)
	}
	if late := took.Late(limit); late != "" {
		t.Errorf("stopped late: %s", late)
	}
}
