package main

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestProveClaimCaret: in prove's one-argument form a mistake is shown in
// the argument as typed: 'x == (y' put the caret under the start of "(y"
// counted from the right side alone (column 1), not under the "(" at
// column 6. The oracle is the two-argument form, prove A B, whose error
// for the broken side gives the column within that side: in the claim it
// must be the side's start plus that column, on the claim's own line.
func TestProveClaimCaret(t *testing.T) {
	good := []string{"x", "sigma(x)", "σ(x)*y", "x^2 + 1", "if(x == 0, 1, x)", "sum(i=1..n, w[i])"}
	// Broken sides; the first ones keep their brackets balanced, so that
	// the claim still splits at its == when they stand on the left.
	bad := []string{"y +", "sigmod(y)", "x + * 2", "σ(ŷ) ^", "x y)(", "(y", "σ(ŷ +", "[x", "f(x, y"}
	balanced := 5
	pos := regexp.MustCompile(`^in (A|B): 1:(\d+): (.*)\n    (.*)\n    ( *)\^\n$`)
	rng := rand.New(rand.NewPCG(4, 4))
	sp := func() string { return strings.Repeat(" ", rng.IntN(3)) }
	for range 60 {
		l, r := good[rng.IntN(len(good))], bad[rng.IntN(len(bad))]
		side := "B"
		if rng.IntN(2) == 0 {
			l, r, side = bad[rng.IntN(balanced)], l, "A"
		}
		op := []string{"==", "!="}[rng.IntN(2)]
		before, after := sp()+l+sp(), sp()+r+sp()
		claim := before + op + after
		_, want, status := runMain(t, "prove", l, r)
		w := pos.FindStringSubmatch(want)
		if status != 2 || w == nil || w[1] != side {
			t.Fatalf("prove %q %q: status %d, %q; want a positioned error in %s", l, r, status, want, side)
		}
		_, got, status := runMain(t, "prove", claim)
		g := pos.FindStringSubmatch(got)
		if status != 2 || g == nil {
			t.Errorf("prove %q: status %d, %q; want a positioned error", claim, status, got)
			continue
		}
		start := 0 // the broken side's column before its first character
		if side == "B" {
			start = utf8.RuneCountInString(before + op)
			start += utf8.RuneCountInString(after) - utf8.RuneCountInString(strings.TrimLeft(after, " "))
		} else {
			start = utf8.RuneCountInString(before) - utf8.RuneCountInString(strings.TrimLeft(before, " "))
		}
		wantCol := fmt.Sprint(start + atoi(t, w[2]))
		if g[1] != "A" || g[2] != wantCol || g[3] != w[3] || g[4] != claim || utf8.RuneCountInString(g[5])+1 != atoi(t, wantCol) {
			t.Errorf("prove %q:\n%s\nwant in A: 1:%s: %s, the caret under column %s of the claim", claim, got, wantCol, w[3], wantCol)
		}
	}
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestProveClaimUnclosed: a claim whose brackets do not pair up has no
// comparison outside them, and prove said "give two sides" for
// '(x == y'. The mistake is the bracket: prove must report the error that
// reading the whole argument as one expression reports (print's, the
// oracle), at the same line:column with the same caret, exit 2.
func TestProveClaimUnclosed(t *testing.T) {
	sides := []string{"x", "sigma(x)", "x^2 + 1", "if(x == 0, 1, x)", "w[i]", "log(x)*y"}
	opens := []string{"(", "[", "sigma(", "(x + ", "exp(y + "}
	closes := []string{")", "]", ") + 1"}
	rng := rand.New(rand.NewPCG(5, 5))
	for range 40 {
		l, r := sides[rng.IntN(len(sides))], sides[rng.IntN(len(sides))]
		switch rng.IntN(3) {
		case 0:
			l = opens[rng.IntN(len(opens))] + l
		case 1:
			r = opens[rng.IntN(len(opens))] + r
		default:
			l += closes[rng.IntN(len(closes))]
		}
		claim := l + " " + []string{"==", "!="}[rng.IntN(2)] + " " + r
		_, want, wstatus := runMain(t, "print", claim)
		_, got, status := runMain(t, "prove", claim)
		if wstatus != 2 || !strings.Contains(want, "^\n") {
			t.Fatalf("print %q: status %d, %q; want a positioned error", claim, wstatus, want)
		}
		if status != 2 || got != "in A: "+want {
			t.Errorf("prove %q: status %d\n%s\nwant status 2 and\nin A: %s", claim, status, got, want)
		}
	}
}
