package parser

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// memoScript returns statements that repeat the text of a call or a
// parenthesis in every kind of place: the same statement, another one,
// inside a sum over a name the text uses, a where clause that names one,
// a function whose parameter it is, a rule's pattern, a proof with a
// where clause on one side, with an error after it.
func memoScript(r *rand.Rand) string {
	names := []string{"u", "i", "x", "w1", "y_2"}
	atom := func() string {
		switch r.IntN(4) {
		case 0:
			return fmt.Sprint(r.IntN(20))
		case 1:
			return "p[" + names[r.IntN(len(names))] + "]"
		}
		return names[r.IntN(len(names))]
	}
	var sub func(d int) string
	sub = func(d int) string {
		if d == 0 || r.IntN(4) == 0 {
			return atom()
		}
		switch r.IntN(5) {
		case 0:
			return sub(d-1) + " + " + sub(d-1)
		case 1:
			return sub(d-1) + "*" + sub(d-1)
		case 2:
			return "(" + sub(d-1) + " - " + sub(d-1) + ")"
		case 3:
			return []string{"sigma", "log", "exp", "g"}[r.IntN(4)] + "(" + sub(d-1) + ")"
		}
		return "h(" + sub(d-1) + ", " + sub(d-1) + ")"
	}
	s := "sigma(" + sub(3) + ")"
	if r.IntN(3) == 0 {
		s = "(" + sub(3) + " + 1)"
	}
	t := sub(2)
	forms := []string{
		"a{k} := {s}*{t} + log(1 - {s})",
		"{s} + {t}*{s}",
		"b{k} := sum(i=1..n, {s}) + {s}",
		"c{k} := {s} + sum(i=1..n, {s}*{t})",
		"{s} + {t} where u = {s}, x = 2",
		"prove {s}*{t} == {s} where u = 3",
		"prove {s} == {s} + 0",
		"f{k}(u) := {s} + {s}",
		"k{k}[i] := {s}*{s}",
		"rule r{k}: {s} -> {s}*{t}",
		"deriv q{k}(u) = {s} + {s}",
		"{s} + {s} + u[1]",
		"e{k} := {s} + {s} + x[1, 2]",
	}
	var b strings.Builder
	b.WriteString("g(v) := v^2\nh(v, z) := v*z\n")
	for k := range 2 + r.IntN(4) {
		f := forms[r.IntN(len(forms))]
		b.WriteString(strings.NewReplacer("{k}", fmt.Sprint(k), "{s}", s, "{t}", t).Replace(f) + "\n")
	}
	return b.String()
}

// TestMemoMatchesFullChecks: the memo of repeated text changes nothing
// (statements, the place of every node, errors and warnings) against
// lowering with every check, which keeps no memo; and it is used.
func TestMemoMatchesFullChecks(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 7))
	hits := 0
	for n := range 1500 {
		src := memoScript(r)
		checkShortcuts(t, fmt.Sprintf("script %d:\n%s", n, src), src)
		if t.Failed() {
			return
		}
		lw := newLowerer("in.sd", src, nil)
		if _, ok, _ := lowerFast(lw, "in.sd", src, nil); ok {
			hits += lw.memo.hits
		}
	}
	if hits < 1000 {
		t.Errorf("the memo was used %d times: the scripts should repeat more", hits)
	}
}

// TestMemoCases: a repeated text that means something else at its
// second place is lowered again.
func TestMemoCases(t *testing.T) {
	for _, src := range []string{
		"prove g(u + 100) == g(u + 100) where u = 2\n",
		"a := g(i + 100) + sum(i=1..3, g(i + 100))\n",
		"a := sum(i=1..3, g(i + 100)) + g(i + 100)\n",
		"f(u) := g(u + 100)*g(u + 100)\n",
		"a := sigma(x + 1000) + sigma(x + 1000)\nx[i] := 1\nb := sigma(x + 1000)\n",
		"a := g(x[1] + 100) + g(x[1] + 100)\nb := g(x + 100)\n",
		"prove (x + 10000) == (x + 10000) where x = 1\n",
	} {
		checkShortcuts(t, src, "g(v) := v^2\n"+src)
	}
}
