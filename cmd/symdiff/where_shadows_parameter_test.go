package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestWhereShadowsParameter: a where clause in a function's definition
// that names one of the function's parameters was ignored: after
// r(u) := u + 1 where u = 10, r(1) printed 2, with status 0. At the top
// level a where clause does shadow a defined name (x := 3, then
// x where x = 5 is 5), and a where name shadows an enclosing one as a
// local does in Python (def r(u): u = 10; return u + 1 gives 11). So r(a)
// must be c*c + 3 whatever a is, as the same expression outside the
// function is; refusing the definition with an error is acceptable too,
// a value that drops the binding is not. The expected value is worked
// out here from c.
func TestWhereShadowsParameter(t *testing.T) {
	for _, c := range []struct{ a, c int }{{1, 10}, {2, 5}, {-3, 7}, {4, -2}} {
		want := c.c*c.c + 3
		script := fmt.Sprintf("r(u) := u*u + w where u = %d, w = 3\nr(%d)\nu*u + w where u = %d, w = 3\n", c.c, c.a, c.c)
		stdout, stderr, status := runMainStdin(t, script, "run", "-")
		if status == 2 && strings.Contains(stderr, "where") {
			continue // refused with a message about the where clause
		}
		lines := strings.Fields(stdout)
		if status != 0 || len(lines) != 2 {
			t.Errorf("script %q: status %d, stdout %q, stderr %q", script, status, stdout, stderr)
			continue
		}
		for i, l := range lines {
			if got, err := strconv.Atoi(l); err != nil || got != want {
				t.Errorf("script %q: line %d of the output is %q, want %d (u bound to %d by the where clause)", script, i+1, l, want, c.c)
			}
		}
	}
}
