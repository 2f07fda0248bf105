package main

import (
	"fmt"
	"strings"
	"testing"
)

// The innermost binding of a name wins, as in Python's nested scopes: a
// where clause inside a function rebinds its parameter, and a sum inside
// the clause rebinds it again. Each value is worked out here from the
// arguments. Using a clause's name before its binding is an error, in a
// function as at the top level, and so is a clause's name whose
// expression a sum would capture.
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
		} {
			script := fmt.Sprintf("%s\nf(%d%s)\n", c.def, a, map[bool]string{true: ", 0"}[strings.Contains(c.def, "u, v")])
			stdout, stderr, status := runMainStdin(t, script, "run", "-")
			if status != 0 || strings.TrimSpace(stdout) != fmt.Sprint(c.want) {
				t.Errorf("%q: status %d, %q %q; want %d", script, status, stdout, stderr, c.want)
			}
		}
	}
}

func TestWhereScopeErrors(t *testing.T) {
	for _, c := range []struct{ script, err string }{
		{"f(u) := u where u = u*2\n", "1:21: u is used before it is defined"},
		{"f(u) := w + u where w = u*2, u = 10\n", "1:25: u is used before it is defined"},
		{"u := 1\nu where u = u + 1\n", "2:13: u is used before it is defined"},
		{"sum(i=1..3, u) where u = i\n", "1:13: u stands for i, whose i the sum around here binds as its index"},
		{"f(u) := sum(i=1..2, v) where v = i*u\n", "1:21: v stands for i*u, whose i the sum around here binds as its index"},
	} {
		_, stderr, status := runMainStdin(t, c.script, "run", "-")
		if status != 2 || !strings.Contains(stderr, c.err) || !strings.Contains(stderr, "^") {
			t.Errorf("%q: status %d, %q; want 2 and %q with a caret", c.script, status, stderr, c.err)
		}
	}
	// Not a capture: the sum's index is another name, or bound outside.
	for _, c := range []struct{ script, want string }{
		{"sum(i=1..3, u*j) where u = j\n", "3*j^2"},
		{"sum(i=1..n, x[i]*c) where c = sum(i=1..2, i)\n", "3*sum(i=1..n, x[i])"},
	} {
		stdout, stderr, status := runMainStdin(t, c.script, "run", "-")
		if status != 0 || strings.TrimSpace(stdout) != c.want {
			t.Errorf("%q: status %d, %q %q; want %q", c.script, status, stdout, stderr, c.want)
		}
	}
}
