package main

import "testing"

// review9: inside a function, a where clause that rebinds a parameter
// follows the top level's rule: each name may use only the names before
// it. At the top level, with u defined, 'u where u = u + 1' and
// 'w + u where w = u*2, u = 10' are errors ("u is used before it is
// defined"); inside r(u) := ... they printed 2 and 12 with status 0, the
// earlier use silently taking the parameter.
func TestReview9WhereParamUsedBeforeRebound(t *testing.T) {
	for _, body := range []string{
		"u where u = u + 1",
		"w + u where w = u*2, u = 10",
	} {
		top, topErr, topStatus := runMainStdin(t, "u := 1\n"+body+"\n", "run", "-")
		fn, fnErr, fnStatus := runMainStdin(t, "r(u) := "+body+"\nr(1)\n", "run", "-")
		if (topStatus == 0) != (fnStatus == 0) {
			t.Errorf("%s: at the top level (u := 1) status %d %q%q; in r(u) := ..., r(1): status %d %q%q", body, topStatus, top, topErr, fnStatus, fn, fnErr)
		}
	}
}
