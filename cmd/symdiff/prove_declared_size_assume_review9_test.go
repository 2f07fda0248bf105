package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// review9: a counterexample to a claim about w : vector(n) must fit the
// declaration (n a whole number from 1, w of n entries) and the
// assumptions on n, and its two sides, recomputed here from the point,
// must differ. Sizes the claim does not use were bound to the point's
// extent whatever the assumptions say (n = 2 under assume n >= 10; w of 2
// entries with n = 1 under assume n == 1, where w[2] is past the shape),
// and a declared size was drawn as -1 (sum(i=1..n, w[i]) == w[1]*n is true
// at n = 1, the only size with n <= 1, yet it was refuted).
func TestReview9DeclaredSizeAssumptions(t *testing.T) {
	cases := []struct {
		assume string
		holds  func(n int) bool
		claim  string
		sides  func(n int, w []float64) (float64, float64, bool)
	}{
		{"n >= 10", func(n int) bool { return n >= 10 }, "w[1] == w[2]", func(n int, w []float64) (float64, float64, bool) {
			if len(w) < 2 {
				return 0, 0, false
			}
			return w[0], w[1], true
		}},
		{"n == 1", func(n int) bool { return n == 1 }, "w[1] == w[2]", func(n int, w []float64) (float64, float64, bool) {
			if len(w) < 2 {
				return 0, 0, false
			}
			return w[0], w[1], true
		}},
		{"n <= 1", func(n int) bool { return n <= 1 }, "sum(i=1..n, w[i]) == w[1]*n", func(n int, w []float64) (float64, float64, bool) {
			s := 0.0
			for i := 0; i < n; i++ {
				s += w[i]
			}
			return s, w[0] * float64(n), true
		}},
	}
	nRe := regexp.MustCompile(`\bn=(-?[0-9.]+)`)
	wRe := regexp.MustCompile(`\bw=\[([^\]]*)\]`)
	for _, c := range cases {
		script := "w : vector(n)\nassume " + c.assume + "\nprove " + c.claim + "\n"
		out, _, status := runMainStdin(t, script, "run", "-")
		if status != 1 {
			continue // not refuted: nothing to check
		}
		nm, wm := nRe.FindStringSubmatch(out), wRe.FindStringSubmatch(out)
		if nm == nil || wm == nil {
			t.Errorf("assume %s, prove %s: refuted without n and w in the counterexample:\n%s", c.assume, c.claim, out)
			continue
		}
		nf, err := strconv.ParseFloat(nm[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		n := int(nf)
		var w []float64
		for _, s := range strings.Split(wm[1], ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				t.Fatal(err)
			}
			w = append(w, v)
		}
		switch {
		case float64(n) != nf || n < 1:
			t.Errorf("assume %s, prove %s: refuted at n = %v, not a size of vector(n):\n%s", c.assume, c.claim, nf, out)
		case len(w) != n:
			t.Errorf("assume %s, prove %s: refuted with w of %d entries at n = %d (w : vector(n)):\n%s", c.assume, c.claim, len(w), n, out)
		case !c.holds(n):
			t.Errorf("assume %s, prove %s: refuted at n = %d, where the assumption fails:\n%s", c.assume, c.claim, n, out)
		default:
			if l, r, ok := c.sides(n, w); !ok || l == r {
				t.Errorf("assume %s, prove %s: refuted at a point where the sides are equal or undefined:\n%s", c.assume, c.claim, out)
			}
		}
	}
}
