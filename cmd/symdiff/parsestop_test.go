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

// hugeScripts are inputs that take seconds to parse (and more to run):
// a time limit must stop them while they are read.
func hugeScripts() []struct{ name, src string } {
	var where, sum, cycle strings.Builder
	// 16 MB of one where clause, each name using the one before.
	const names = 700_000
	fmt.Fprintf(&where, "u%d where u1 = sin(x)", names)
	for i := 2; i <= names; i++ {
		fmt.Fprintf(&where, ", u%d = sin(u%d)", i, i-1)
	}
	where.WriteString("\n")
	// x1 + x2 + ... + x1000000.
	for i := 1; i <= 1_000_000; i++ {
		if i > 1 {
			sum.WriteString(" + ")
		}
		fmt.Fprintf(&sum, "x%d", i)
	}
	sum.WriteString("\n")
	// A cycle through 100,000 definitions.
	cycle.WriteString(cycleScript(100_000))
	return []struct{ name, src string }{{"where", where.String()}, {"sum", sum.String()}, {"cycle", cycle.String()}}
}

// cycleScript defines a1 := a2 + 1, ..., an := a1 + 1.
func cycleScript(n int) string {
	var b strings.Builder
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "a%d := a%d + 1\n", i, i+1)
	}
	fmt.Fprintf(&b, "a%d := a1 + 1\n", n)
	return b.String()
}

// TestRunStopsReadingHugeInput: run with --timeout 100ms stops while it
// parses a huge script, with the time-out's message and exit status 2,
// within parsetest.StopSlack of CPU time past the limit (the parse alone
// takes seconds).
func TestRunStopsReadingHugeInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10-16 MB inputs")
	}
	const limit = 100 * time.Millisecond
	dir := t.TempDir()
	for _, c := range hugeScripts() {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, c.name+".sd")
			if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr string
			var status int
			took := parsetest.MeasureStop(func() { stdout, stderr, status = runMainStdin(t, "", "run", "--timeout", limit.String(), file) })
			t.Logf("%s (%d bytes): stopped after %v", c.name, len(c.src), took)
			if status != 2 {
				t.Errorf("exit status %d, want 2", status)
			}
			want := "symdiff: " + file + ": stopped: the time limit was reached (reading the script)\n"
			if stderr != want || stdout != "" {
				t.Errorf("stdout %.200q, stderr %.200q; want stderr %q", stdout, stderr, want)
			}
			if late := took.Late(limit); late != "" {
				t.Errorf("stopped late: %s", late)
			}
		})
	}
}

// TestLongCycleMessage: a cycle through many definitions is reported by
// its ends and its length, not a megabyte of names; a short one whole.
func TestLongCycleMessage(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{
		{3, "3:1: recursive definition: a3 → a1 → a2 → a3\n"},
		{4, "4:1: recursive definition: a4 → a1 → a2 → a3 → a4\n"},
		{9, "9:1: recursive definition through 9 names: a9 → a1 → a2 → a3 → … → a6 → a7 → a8 → a9\n"},
		{20_000, "20000:1: recursive definition through 20000 names: a20000 → a1 → a2 → a3 → … → a19997 → a19998 → a19999 → a20000\n"},
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, "c.sd")
		if err := os.WriteFile(file, []byte(cycleScript(c.n)), 0o644); err != nil {
			t.Fatal(err)
		}
		_, stderr, status := runMainStdin(t, "", "run", file)
		first, _, _ := strings.Cut(stderr, "\n")
		if status != 2 || first+"\n" != file+":"+c.want {
			t.Errorf("n=%d: status %d, first line %.300q; want 2, %q", c.n, status, first, file+":"+c.want)
		}
	}
}
