package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// TestRunInParallel: run computes independent statements at once and
// prints exactly what it prints one statement at a time, in order: with
// definitions between them, _ after them, and an error that stops the
// script after the results before it are out.
func TestRunInParallel(t *testing.T) {
	var b strings.Builder
	b.WriteString("f := x^3\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "d(f*sigma(%d*x), x)\nprove sigma(%d*x) == 1/(1 + exp(-%d*x))\n", i, i, i)
		if i%4 == 0 {
			fmt.Fprintf(&b, "f := x^%d\n_ + 1\n", i+2)
		}
	}
	script := writeScript(t, "many.sd", b.String())
	bad := writeScript(t, "bad.sd", b.String()+"d(sum(i=1..n, x^i), n)\nprove x == x\n")
	for _, args := range [][]string{{"run"}, {"run", "--json"}, {"run", "--steps"}} {
		want, wantErr, wantStatus := runMain(t, append(append(args, "--jobs", "1"), script)...)
		got, gotErr, gotStatus := runMain(t, append(append(args, "--jobs", "4"), script)...)
		if got != want || gotErr != wantErr || gotStatus != wantStatus {
			t.Errorf("symdiff %v: in parallel (status %d) differs from one at a time (status %d):\n%s\nwant:\n%s\nstderr %q vs %q", args, gotStatus, wantStatus, got, want, gotErr, wantErr)
		}
		if strings.Count(want, "\n") < 25 {
			t.Errorf("symdiff %v printed only %d lines", args, strings.Count(want, "\n"))
		}
	}
	want, wantErr, wantStatus := runMain(t, "run", "--jobs", "1", bad)
	got, gotErr, gotStatus := runMain(t, "run", "--jobs", "3", bad)
	if got != want || gotErr != wantErr || gotStatus != wantStatus || wantStatus != 2 || !strings.Contains(wantErr, "a bound of the sum depends on it") || !strings.Contains(want, "proved: sigma(12*x)") {
		t.Errorf("a failing statement: in parallel %q, %q, %d; one at a time %q, %q, %d", got, gotErr, gotStatus, want, wantErr, wantStatus)
	}
}

// TestRulesCheckInParallel: checking rules on several cores reports what
// checking them one at a time does, in the same order.
func TestRulesCheckInParallel(t *testing.T) {
	strip := func(out string) string {
		var v struct {
			Rules []map[string]any `json:"rules"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("rules check --json: %v\n%s", err, out)
		}
		for _, r := range v.Rules {
			delete(r, "ms") // timings differ from run to run
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	one, _, s1 := runMain(t, "rules", "check", "--json", "--jobs", "1")
	many, _, s2 := runMain(t, "rules", "check", "--json", "--jobs", "3")
	if s1 != 0 || s2 != 0 || strip(one) != strip(many) {
		t.Errorf("rules check: one at a time (status %d) and in parallel (status %d) differ", s1, s2)
	}
}

// TestRunAheadOfProofs: definitions, declarations and assumptions run on
// the session at once while the proofs before them are still being
// computed on snapshots. Each statement must still see, and print in, the
// session as the script had made it at that statement: a redefinition
// after a proof does not reach the proof, a function defined after a
// result that shadows a built-in does not change how the result prints,
// an assumption holds for the proofs after it only, and _ is the value
// before it. An error stops the script after everything before it is
// printed, whether the failing statement is a proof run in the background
// or a definition run at once. --jobs 1 runs each statement in turn on
// the session and is the reference; the lines it must print are asserted
// too, so that both going wrong the same way fails.
func TestRunAheadOfProofs(t *testing.T) {
	mixed := `f := x^3
prove d(f, x) == 3*x^2
d(sigma(2*x), x)
sigma(u) := 1/(1 + exp(-u))
d(sigma(2*x), x)
f := x^4
prove d(f, x) == 4*x^3
prove sqrt(x^2) == x
assume x > 0
prove sqrt(x^2) == x
X : matrix(n, d)
w : vector(d)
X*w
_ + 1
g := _ * 2
d(g, x)
h := f + 1
prove d(h, x) == 4*x^3
prove d(log(sigma(c)), c) == 1 - sigma(c)
`
	for _, c := range []struct {
		name, src string
		status    int
		want      []string // lines of --jobs 1's standard output, in order
		wantErr   string
	}{
		{name: "mixed", src: mixed, status: 1, want: []string{
			"proved: d(f, x) == 3*x^2",
			"2*sigma(2*x)*(1 - sigma(2*x))", // the built-in sigma: printed before the user's
			"(1 - tanh(x)^2)/2",             // the user's sigma
			"proved: d(f, x) == 4*x^3",
			"refuted: sqrt(x^2) == x",
			"proved: sqrt(x^2) == x",
			"X*w",
			"X*w + 1",
			"zeros(n)",
			"proved: d(h, x) == 4*x^3",
			"proved: d(log(sigma(c)), c) == 1 - sigma(c)",
		}},
		{name: "background error", src: "prove d(x^2, x) == 2*x\nd(sum(i=1..n, x^i), n)\nk := x^2\nprove d(k, x) == 2*x\n",
			status: 2, want: []string{"proved: d(x^2, x) == 2*x"}, wantErr: "a bound of the sum depends on it"},
		{name: "definition error", src: "prove d(x^2, x) == 2*x\nd(sin(x), x)\nr := subs(d(sum(i=1..n, x^i), n), x, 1)\nk := x^2\nprove d(x^3, x) == 3*x^2\n",
			status: 2, want: []string{"proved: d(x^2, x) == 2*x", "cos(x)"}, wantErr: "a bound of the sum depends on it"},
		{name: "_ after an error-free run", src: "x^2 + x^2\nk := 5\n_ + k\nprove _ == 2*x^2 + 5\n",
			status: 0, want: []string{"2*x^2", "2*x^2 + 5", "proved: 2*x^2 + 5 == 2*x^2 + 5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			script := writeScript(t, "s.sd", c.src)
			want, wantErr, wantStatus := runMain(t, "run", "--jobs", "1", script)
			if wantStatus != c.status || !strings.Contains(wantErr, c.wantErr) {
				t.Fatalf("--jobs 1: status %d, stderr %q; want status %d and %q", wantStatus, wantErr, c.status, c.wantErr)
			}
			var lines []string
			for _, l := range strings.Split(want, "\n") {
				if l != "" && !strings.HasPrefix(l, " ") {
					lines = append(lines, l)
				}
			}
			if diff := cmp.Diff(c.want, lines); diff != "" {
				t.Errorf("--jobs 1 printed (-want +got):\n%s", diff)
			}
			for _, args := range [][]string{{"run"}, {"run", "--json"}, {"run", "--steps"}} {
				one, oneErr, oneStatus := runMain(t, append(append(args, "--jobs", "1"), script)...)
				for _, n := range []string{"2", "3"} {
					got, gotErr, gotStatus := runMain(t, append(append(args, "--jobs", n), script)...)
					if got != one || gotErr != oneErr || gotStatus != oneStatus {
						t.Errorf("symdiff %v --jobs %s (status %d) differs from --jobs 1 (status %d):\n%s",
							args, n, gotStatus, oneStatus, cmp.Diff(one+"\nstderr: "+oneErr, got+"\nstderr: "+gotErr))
					}
				}
			}
		})
	}
}

// runLines are statements for random scripts: definitions that later
// statements use and redefine, proofs that are proved or refuted,
// values, _, declarations, assumptions, statements that fail when run,
// and lines with errors found reading the script (syntax, a function
// used before it is defined).
var runLines = []string{
	"f := x^3",
	"f := x^4",
	"g(u) := u*sigma(u)",
	"prove d(f, x) == 3*x^2",
	"prove sigma(2*x) == 1/(1 + exp(-2*x))",
	"prove d(log(sigma(c)), c) == 1 - sigma(c)",
	"d(f*sigma(3*x), x)",
	"d(g(x), x)", // a reading error before g is defined
	"prove d(g(x), x) == sigma(x) + x*sigma(x)*(1 - sigma(x))",
	"_ + 1", // fails with no value before it
	"h := _ * 2",
	"d(h, x)",
	"k := 5",
	"f + k",
	"assume x > 0",
	"prove sqrt(x^2) == x",
	"X : matrix(n, d)",
	"w : vector(d)",
	"X*w",
	"d(sum(i=1..n, x^i), n)", // fails when run
	"x +* 2",                 // a syntax error
	"prove f = 1",            // a syntax error
	"# a comment",
	"",
}

// TestRunInParallelRandom: on random scripts, run --jobs 2 and --jobs 4
// print byte for byte what --jobs 1 prints (one statement at a time, the
// script read whole first), on standard output and standard error, with
// the same exit status, in text and JSON. A script with an error found
// reading it prints that error and nothing else, whichever statement
// before it fails when run: checked against the parser's own verdict on
// the script.
func TestRunInParallelRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 2))
	readErrs, runErrs := 0, 0
	for i := range 80 {
		var b strings.Builder
		for range 2 + r.IntN(14) {
			line := runLines[r.IntN(len(runLines))]
			if i%3 != 0 && (strings.Contains(line, "+*") || strings.Contains(line, " = ")) {
				continue // two scripts in three read without a syntax error
			}
			b.WriteString(line + "\n")
		}
		src := b.String()
		script := writeScript(t, "s.sd", src)
		_, perr := parser.ParseFile(script, src, session.New().Context())
		for _, args := range [][]string{{"run"}, {"run", "--json"}} {
			one, oneErr, oneStatus := runMain(t, append(append(args, "--jobs", "1"), script)...)
			if perr != nil {
				readErrs++
				if one != "" || oneErr != perr.Error()+"\n" || oneStatus != 2 {
					t.Errorf("script %d with a reading error: --jobs 1 printed %q, %q (status %d), want only %q", i, one, oneErr, oneStatus, perr)
				}
			} else if oneStatus == 2 {
				runErrs++
			}
			for _, n := range []string{"2", "4"} {
				got, gotErr, gotStatus := runMain(t, append(append(args, "--jobs", n), script)...)
				if got != one || gotErr != oneErr || gotStatus != oneStatus {
					t.Errorf("script %d: symdiff %v --jobs %s (status %d) differs from --jobs 1 (status %d):\n%s\nscript:\n%s",
						i, args, n, gotStatus, oneStatus, cmp.Diff(one+"\nstderr: "+oneErr, got+"\nstderr: "+gotErr), src)
				}
			}
		}
	}
	if readErrs < 10 || runErrs < 10 {
		t.Errorf("only %d runs with reading errors and %d with statements that failed", readErrs, runErrs)
	}
	t.Logf("%d runs with reading errors, %d with statements that failed", readErrs, runErrs)
}
