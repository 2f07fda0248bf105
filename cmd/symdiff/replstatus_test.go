package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/session"
)

// TestReplStatusAsRun: a script read from standard input by the REPL
// exits with the worst outcome of its statements, each counted as run
// counts it: an input whose value symdiff cannot decide made run exit 3
// and the REPL 2. The oracle is run, one statement at a time (run stops
// at its first error, the REPL goes on, so a script of several is the
// worst of its statements' statuses, ranked by session.Worse).
func TestReplStatusAsRun(t *testing.T) {
	stmts := []string{
		"x + 1",
		"1/(1 - sigma(30000))",                   // cannot decide: 3
		"log(1 - sigma(30000))",                  // cannot decide: 3
		"1/(1 - exp(3 - 3))",                     // undefined: 2
		"sigmod(x)",                              // bad input: 2
		"prove x == y",                           // refuted: 1
		"prove x == x",                           // proved: 0
		"prove x == x + 0*log(1 - sigma(30000))", // unknown: 3
	}
	alone := map[string]session.Status{}
	for _, st := range stmts {
		_, _, status := runMainStdin(t, st+"\n", "run", "-")
		alone[st] = session.Status(status)
	}
	if alone["1/(1 - sigma(30000))"] != session.Unknown {
		t.Fatalf("run of 1/(1 - sigma(30000)): status %d, want 3", alone["1/(1 - sigma(30000))"])
	}
	rng := rand.New(rand.NewPCG(9, 1))
	for i := range 30 {
		var script []string
		want := session.OK
		for range 1 + rng.IntN(3) {
			st := stmts[rng.IntN(len(stmts))]
			if i < len(stmts) {
				st = stmts[i] // each statement alone first
			}
			script = append(script, st)
			want = session.Worse(want, alone[st])
			if i < len(stmts) {
				break
			}
		}
		_, stderr, status := runMainStdin(t, strings.Join(script, "\n")+"\n", "repl")
		if session.Status(status) != want {
			t.Errorf("repl < %q: status %d, want %d (run's statuses: %v)\n%s", script, status, want, fmt.Sprint(alone), stderr)
		}
	}
}
