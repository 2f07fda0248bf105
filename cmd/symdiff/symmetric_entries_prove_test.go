package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A claim about the entries of a declared symmetric matrix, written in index
// form only, is about symmetric S too: S[1,2] == S[2,1] holds for every
// symmetric S, so it must not be refuted, nor S[1,2] != S[2,1] said to
// hold, and a counterexample must itself be symmetric (as for claims in
// matrix notation, where S == S' is proved). eval of an entry must reject a
// value that is not symmetric, as eval of S does.
func TestSymmetricEntriesInIndexForm(t *testing.T) {
	defs := t.TempDir() + "/defs.sd"
	if err := os.WriteFile(defs, []byte("S : symmetric(n)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, claim := range []string{
		"S[1,2] == S[2,1]",
		"S[1,2] - S[2,1] == 0",
		"S[k,l] == S[l,k]",
		"sum(i=1..n, sum(j=1..n, x[i]*S[i,j]*y[j])) == sum(i=1..n, sum(j=1..n, y[i]*S[i,j]*x[j]))",
	} {
		out, errs, status := runMain(t, "prove", "--json", "--defs", defs, claim)
		if status == 1 || strings.Contains(out, `"refuted"`) {
			t.Errorf("prove %q (true for every symmetric S): status %d, %s%s", claim, status, out, errs)
		}
		var res struct {
			Counterexample struct {
				Point map[string]json.RawMessage `json:"point"`
			} `json:"counterexample"`
		}
		if json.Unmarshal([]byte(out), &res) == nil {
			if v, ok := res.Counterexample.Point["S"]; ok && !symmetricValue(t, v) {
				t.Errorf("prove %q: counterexample S=%s is not symmetric", claim, v)
			}
		}
	}
	// A false claim about entries is still refuted, at a symmetric S.
	for _, claim := range []string{"S[1,2] == S[1,1]", "S[1,2] == -S[2,1]", "S[2,1] == S[2,2]"} {
		out, errs, status := runMain(t, "prove", "--json", "--defs", defs, claim)
		var res struct {
			Counterexample struct {
				Point map[string]json.RawMessage `json:"point"`
			} `json:"counterexample"`
		}
		if status != 1 || json.Unmarshal([]byte(out), &res) != nil {
			t.Errorf("prove %q (false for some symmetric S): status %d, %s%s", claim, status, out, errs)
			continue
		}
		if v, ok := res.Counterexample.Point["S"]; !ok || !symmetricValue(t, v) {
			t.Errorf("prove %q: counterexample S=%s is not symmetric", claim, v)
		}
	}
	if out, errs, status := runMain(t, "prove", "--defs", defs, "S[1,2] != S[2,1]"); status == 0 {
		t.Errorf("prove S[1,2] != S[2,1] (false for every symmetric S): status 0, %s%s", out, errs)
	}
	if out, _, status := runMain(t, "eval", "--defs", defs, "S[1,2]", "S=[[1,2],[3,4]]"); status != 2 {
		t.Errorf("eval S[1,2] at a non-symmetric S: status %d, %q; want the error eval S gives", status, out)
	}
}

// symmetricValue reports whether the JSON (or text) matrix v is symmetric.
func symmetricValue(t *testing.T, v json.RawMessage) bool {
	t.Helper()
	var s string
	if json.Unmarshal(v, &s) == nil {
		v = json.RawMessage(s)
	}
	var m [][]float64
	if err := json.Unmarshal(v, &m); err != nil {
		t.Fatalf("counterexample value %s: %v", v, err)
	}
	for i := range m {
		for j := range m[i] {
			if m[i][j] != m[j][i] {
				return false
			}
		}
	}
	return true
}
