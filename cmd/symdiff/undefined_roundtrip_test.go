package main

import (
	"strings"
	"testing"
)

// TestUndefinedResultReparses: results print in the input syntax so that
// they can be pasted back in (README, Commands). A derivative with a jump
// at a point prints undefined() there (README: d(if(x == 0, 1, x), x) is
// if(x == 0, undefined(), 1)), but the parser rejected that very text:
// "unknown function undefined (define it first ...)", exit 2, in the
// plain and in the Unicode syntax. The printed result must read back as
// the same expression.
func TestUndefinedResultReparses(t *testing.T) {
	for _, printer := range []string{"", "--unicode"} {
		args := []string{"diff", "if(x == 0, 1, x)", "x"}
		if printer != "" {
			args = append(args, printer)
		}
		out, stderr, status := runMain(t, args...)
		out = strings.TrimSpace(out)
		if status != 0 || !strings.Contains(out, "undefined()") {
			t.Fatalf("%v: status %d, stdout %q, stderr %q; want a result with undefined()", args, status, out, stderr)
		}
		back, stderr, status := runMain(t, "print", out)
		want, _, _ := runMain(t, "diff", "if(x == 0, 1, x)", "x")
		if status != 0 || back != want {
			t.Errorf("print %q: status %d, stdout %q, stderr %q; want %q", out, status, back, stderr, want)
		}
	}
}
