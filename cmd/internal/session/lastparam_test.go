package session

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestLastNotInBoundNames: _ is the last result only where it is free. A
// function's parameter named _ is the argument (f(_) := _^2 then f(3) is
// 9), as a sum's index named _ is the index; the last value was put in
// for the parameter (f(3) printed (x + 1)^2, and prove f(3) == 9 was
// refuted at x = 1). Rejecting _ as a parameter would do too.
func TestLastNotInBoundNames(t *testing.T) {
	for src, want := range map[string]string{
		"x + 1\nf(_) := _^2\nf(3)":            "9",
		"x + 1\ng(u, _) := u*_\ng(2, 5)":      "10",
		"x + 1\nsum(_=1..3, _)":               "6",
		"x + 1\nh(_) := sum(i=1..2, _)\nh(4)": "8",
	} {
		_, r := runScriptErr(t, src)
		if r == nil {
			continue // rejected: fine
		}
		if got := ast.String(r.Value); got != want {
			t.Errorf("%q: %s, want %s", src, got, want)
		}
	}
}

// runScriptErr is runScript that gives a nil result for a script
// rejected (at parse or run) instead of failing.
func runScriptErr(t *testing.T, src string) (*Session, *Result) {
	t.Helper()
	s := New()
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		return s, nil
	}
	var r *Result
	for _, st := range stmts {
		if r, err = s.Exec(context.Background(), st); err != nil {
			return s, nil
		}
	}
	return s, r
}
