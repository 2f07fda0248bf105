package main

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// hunt10 §1: prove with det, inv or logdet in the claim drew the sizes of
// its counterexample without the assumptions (n == 1 refuted
// det(A) == A[1,1] at n = 3). Each true claim here is the cofactor formula
// at the one size assumed, and is never refuted; each false one (+ 1/4)
// is refuted at a size the assumption allows, with A of that size and
// the sides, recomputed here from A, apart.
func TestFix10aAssumedSizesWithDet(t *testing.T) {
	det := func(a []float64, n int) float64 {
		switch n {
		case 1:
			return a[0]
		case 2:
			return a[0]*a[3] - a[1]*a[2]
		}
		return a[0]*(a[4]*a[8]-a[5]*a[7]) - a[1]*(a[3]*a[8]-a[5]*a[6]) + a[2]*(a[3]*a[7]-a[4]*a[6])
	}
	cases := []struct {
		assume, claim string
		holds         func(n int) bool
		true_         bool
	}{
		{"n == 1", "det(A) == A[1,1]", func(n int) bool { return n == 1 }, true},
		{"n <= 1", "tr(inv(A))*A[1,1] == 1", func(n int) bool { return n <= 1 }, true},
		{"n == 2", "det(A) == A[1,1]*A[2,2] - A[1,2]*A[2,1]", func(n int) bool { return n == 2 }, true},
		{"2 < n < 4", "det(A) == A[1,1]*(A[2,2]*A[3,3] - A[2,3]*A[3,2]) - A[1,2]*(A[2,1]*A[3,3] - A[2,3]*A[3,1]) + A[1,3]*(A[2,1]*A[3,2] - A[2,2]*A[3,1])", func(n int) bool { return n == 3 }, true},
		{"n == 1", "logdet(S) == log(S[1,1])", func(n int) bool { return n == 1 }, true},
		{"n == 1", "det(A) == A[1,1] + 1/4", func(n int) bool { return n == 1 }, false},
		{"n == 2", "det(A) == A[1,1]*A[2,2] - A[1,2]*A[2,1] + 1/4", func(n int) bool { return n == 2 }, false},
	}
	nRe := regexp.MustCompile(`\bn=(-?[0-9.]+)`)
	leftRe, rightRe := regexp.MustCompile(`left:\s+(\S+)`), regexp.MustCompile(`right:\s+(\S+)`)
	aRe := regexp.MustCompile(`\bA=\[(\[[^ ]*\])\]`)
	for _, c := range cases {
		script := "A : matrix(n, n)\nS : symmetric(n)\nassume " + c.assume + "\nprove " + c.claim + "\n"
		out, _, status := runMainStdin(t, script, "run", "-")
		if c.true_ {
			if status == 1 || strings.Contains(out, "refuted") {
				t.Errorf("assume %s, prove %s: a true claim refuted:\n%s", c.assume, c.claim, out)
			}
			continue
		}
		if status != 1 {
			t.Errorf("assume %s, prove %s: exit %d, want 1 (refuted):\n%s", c.assume, c.claim, status, out)
			continue
		}
		nm, am := nRe.FindStringSubmatch(out), aRe.FindStringSubmatch(out)
		if nm == nil || am == nil {
			t.Errorf("assume %s, prove %s: no n or A in the counterexample:\n%s", c.assume, c.claim, out)
			continue
		}
		nf, _ := strconv.ParseFloat(nm[1], 64)
		n := int(nf)
		var a []float64
		for _, s := range strings.Split(strings.NewReplacer("[", "", "]", "").Replace(am[1]), ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				t.Fatal(err)
			}
			a = append(a, v)
		}
		switch {
		case float64(n) != nf || !c.holds(n):
			t.Errorf("assume %s, prove %s: refuted at n = %v, outside the assumption:\n%s", c.assume, c.claim, nf, out)
		case len(a) != n*n:
			t.Errorf("assume %s, prove %s: A has %d entries at n = %d:\n%s", c.assume, c.claim, len(a), n, out)
		default:
			// The sides as printed are det(A) and det(A) + 1/4 at this A.
			lm, rm := leftRe.FindStringSubmatch(out), rightRe.FindStringSubmatch(out)
			if lm == nil || rm == nil {
				t.Errorf("assume %s, prove %s: no sides printed:\n%s", c.assume, c.claim, out)
				continue
			}
			l, _ := strconv.ParseFloat(lm[1], 64)
			r, _ := strconv.ParseFloat(rm[1], 64)
			if d := det(a, n); math.Abs(l-d) > 1e-9 || math.Abs(r-(d+0.25)) > 1e-9 {
				t.Errorf("assume %s, prove %s: sides %v and %v, want det(A) = %v and %v:\n%s", c.assume, c.claim, l, r, d, d+0.25, out)
			}
		}
	}
}
