package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
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
