package numcheck

import (
	"fmt"
	"testing"
)

// TestSameSeedSamePoints: points are reproducible, also where the
// assumptions give several names their values (drawn in a fixed order,
// not in a map's).
func TestSameSeedSamePoints(t *testing.T) {
	a, b := parseT(t, "p*sum(i=1..n, y[i]) + q*r"), parseT(t, "u + v*s")
	as := &Assumptions{
		Sets:      map[string][]float64{"y": {0, 1}, "u": {0, 1, 2}, "v": {-1, 1}},
		Intervals: map[string]Interval{"p": {Lo: 0, Hi: 1}, "q": {Lo: -1, Hi: 0}, "r": {Lo: 2, Hi: 3}, "s": {Lo: 0, Hi: 5}},
	}
	var first []string
	for run := range 20 {
		g := newPointGen(1, 2, classify(a, b), nil, as)
		for p := range 30 {
			pt := fmt.Sprint(g.next())
			if run == 0 {
				first = append(first, pt)
			} else if pt != first[p] {
				t.Fatalf("run %d, point %d: %s, first run %s", run, p, pt, first[p])
			}
		}
	}
}
