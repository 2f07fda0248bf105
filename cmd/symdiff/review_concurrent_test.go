package main

import (
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
