package main

import (
	"strings"
	"sync"
	"testing"
)

// TestMainConcurrently runs small commands from several goroutines at
// once (the plain command line, the built-in parse context made once,
// hash-consing into shards whose maps are made on first use, run with
// --jobs 2), for go test -race; each must print what it prints alone.
func TestMainConcurrently(t *testing.T) {
	script := writeScript(t, "c.sd", "f := x^3*sigma(x)\nd(f, x)\nprove sigma(-x) == 1 - sigma(x)\ng(u) := u^2 + 1\nd(g(f), x)\n")
	lines := [][]string{
		{"print", "sigma(x)^2 + softplus(y)", "--unicode"},
		{"print", "d(log(1 + exp(x)), x)", "--latex"},
		{"diff", "x^2*sigma(x)", "x"},
		{"simplify", "x + x", "--assume", "x > 0"},
		{"eval", "sigma(x)", "x=-1"},
		{"run", "--jobs", "2", script},
		{"prove", "sigma(-x)", "1 - sigma(x)"},
	}
	type result struct {
		out, err string
		status   int
	}
	// At once first, so that the first uses (the parse context, the
	// shards' maps) race; then each alone.
	got := make([][]result, 4)
	var wg sync.WaitGroup
	for r := range got {
		got[r] = make([]result, len(lines))
		for i, args := range lines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o, e, s := runMain(t, args...)
				got[r][i] = result{o, e, s}
			}()
		}
	}
	wg.Wait()
	for i, args := range lines {
		o, e, s := runMain(t, args...)
		want := result{o, e, s}
		if s != 0 || o == "" {
			t.Errorf("%q: status %d, output %q, %q", args, s, o, e)
		}
		for r := range got {
			if got[r][i] != want {
				t.Errorf("%q at once: %q %q %d, alone: %q %q %d", args, got[r][i].out, got[r][i].err, got[r][i].status, o, e, s)
			}
		}
	}
}

// TestDefinitionDoesNotCaptureSumIndex: with i := 5 defined, the i of
// sum(i=1..3, i) is the sum's own (1 + 2 + 3 = 6, counted by hand); prove
// used to prove == 15 and refute == 6, simplify printed 15 while eval
// printed 6.
func TestDefinitionDoesNotCaptureSumIndex(t *testing.T) {
	defs := writeScript(t, "i.sd", "i := 5\nw[k] := k^2\n")
	for _, c := range []struct {
		args   []string
		out    string
		status int
	}{
		{[]string{"prove", "sum(i=1..3, i)", "6", "--defs", defs}, "proved", 0},
		{[]string{"prove", "sum(i=1..3, i)", "15", "--defs", defs}, "refuted", 1},
		{[]string{"simplify", "sum(i=1..3, i)", "--defs", defs}, "6\n", 0},
		{[]string{"simplify", "sum(i=1..3, w[i])", "--defs", defs}, "14\n", 0}, // 1 + 4 + 9
		{[]string{"eval", "sum(i=1..3, w[i])", "--defs", defs}, "14\n", 0},
		{[]string{"simplify", "i + sum(i=1..i, i)", "--defs", defs}, "20\n", 0}, // 5 + 15
	} {
		out, errOut, status := runMain(t, c.args...)
		if status != c.status || !strings.HasPrefix(out, c.out) {
			t.Errorf("%q: status %d, %q %q; want status %d, %q", c.args, status, out, errOut, c.status, c.out)
		}
	}
}
