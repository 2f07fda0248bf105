package main

import (
	"fmt"
	"strings"
	"testing"
)

// The innermost binding of a name wins, as in Python's nested scopes: a
// where clause inside a function rebinds its parameter, a sum inside the
// clause rebinds it again, and a clause's own right side still sees the
// parameter (u = u*2). Each value is worked out here from the arguments.
func TestWhereScopes(t *testing.T) {
	for _, a := range []int{1, 3, -2} {
		for _, c := range []struct {
			def  string
			want int
		}{
			{"f(u) := u + 1 where u = 10", 11},
			{"f(u, v) := u + v where v = 100", a + 100},
			{"f(u) := w + u where u = 10, w = u*2", 30},
			{"f(u) := sum(u=1..3, u) where u = 10", 6},
			{"f(u) := v where v = u*2", 2 * a},
			{"f(u) := u where u = u*2", 2 * a},
		} {
			script := fmt.Sprintf("%s\nf(%d%s)\n", c.def, a, map[bool]string{true: ", 0"}[strings.Contains(c.def, "u, v")])
			stdout, stderr, status := runMainStdin(t, script, "run", "-")
			if status != 0 || strings.TrimSpace(stdout) != fmt.Sprint(c.want) {
				t.Errorf("%q: status %d, %q %q; want %d", script, status, stdout, stderr, c.want)
			}
		}
	}
}
