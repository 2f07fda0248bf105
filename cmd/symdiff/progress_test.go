package main

import (
	"strings"
	"testing"
)

// TestProgress: the bar counts to its end from several goroutines,
// each drawing replaces the last in place, and finishing wipes it.
func TestProgress(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, "checking rules", 8)
	forEach(8, 4, func(int) { p.add() })
	draws := strings.Split(b.String(), "\r")[1:]
	if len(draws) != 9 {
		t.Fatalf("%d drawings, want 9 (the empty bar, then one per item):\n%q", len(draws), draws)
	}
	if got := draws[0]; !strings.HasPrefix(got, "checking rules   0% |"+strings.Repeat(" ", progressWidth)+"| [") {
		t.Errorf("first drawing %q", got)
	}
	last := draws[len(draws)-1]
	if !strings.HasPrefix(last, "checking rules 100% |"+strings.Repeat("█", progressWidth)+"| [") {
		t.Errorf("last drawing %q", last)
	}
	for i, d := range draws[1:] {
		if len([]rune(d)) < len([]rune(draws[i])) {
			t.Errorf("drawing %d (%q) is shorter than the one before (%q): it would leave a tail", i+1, d, draws[i])
		}
	}
	b.Reset()
	p.finish()
	if want := "\r" + strings.Repeat(" ", len([]rune(last))) + "\r"; b.String() != want {
		t.Errorf("finish wrote %q, want %q", b.String(), want)
	}
}
