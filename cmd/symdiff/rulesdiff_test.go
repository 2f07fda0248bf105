package main

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestRulesCheckDifference: an unsound rule whose sides print alike at the
// counterexample says by how much they differ, as prove does: rules check
// printed "left: 962" and "right: 962" for log(exp(x) + exp(-1000)) -> x,
// which differs by log(1 + e^-(x+1000)) ≈ e^-1962 there. The oracle is that
// difference's base-10 exponent, computed here from x; a rule whose sides
// print differently carries no difference.
func TestRulesCheckDifference(t *testing.T) {
	src := "rule near: log(exp(x) + exp(-1000)) -> x\nrule far: x^2 -> x\n"
	stdout, stderr, status := runMainStdin(t, src, "rules", "check", "--json", "-")
	if status != 1 {
		t.Fatalf("rules check: status %d, stderr %q; want 1 (unsound)", status, stderr)
	}
	var rep struct {
		Rules []struct {
			Rule           string
			Verdict        string
			Counterexample *struct {
				Point       map[string]float64
				Left, Right string
				Difference  string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, r := range rep.Rules {
		c := r.Counterexample
		if r.Verdict != "unsound" || c == nil {
			t.Fatalf("%s: %s, %+v; want unsound with a counterexample", r.Rule, r.Verdict, c)
		}
		if r.Rule == "far" {
			if c.Difference != "" {
				t.Errorf("far: difference %q for sides %s and %s that print differently", c.Difference, c.Left, c.Right)
			}
			continue
		}
		x := c.Point["x"]
		mant, exp, found := strings.Cut(c.Difference, "e")
		m, err1 := strconv.ParseFloat(mant, 64)
		e, err2 := strconv.Atoi(exp)
		if c.Left != c.Right || !found || err1 != nil || err2 != nil {
			t.Fatalf("near at x = %v: left %s, right %s, difference %q; want sides alike and a difference", x, c.Left, c.Right, c.Difference)
		}
		want := -(x + 1000) / math.Ln10
		if got := math.Log10(m) + float64(e); math.Abs(got-want) > 1e-4 {
			t.Errorf("near at x = %v: difference %s (10^%.5f), want 10^%.5f", x, c.Difference, got, want)
		}
		text, _, _ := runMainStdin(t, src, "rules", "check", "-")
		if !strings.Contains(text, "  left - right: "+c.Difference+"\n") {
			t.Errorf("rules check prints no left - right line:\n%s", text)
		}
	}
}
