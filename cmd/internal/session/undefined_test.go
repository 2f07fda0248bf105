package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// A part with no names and no value (0/0, log(0)) is an error, not the
// number the canonical form makes of it by taking 0*u to 0 and u - u to
// 0: simplify 0/0 printed 0, and subs(sin(x)/x, x = 0) printed 0 (the
// value is undefined there, and the limit is 1). The oracle is the
// definition of the operations: division by zero, log(0) and sqrt(-1)
// have no value; 1/10^400, a number float64 rounds to 0, has one, as do
// a piece of an if that is not taken and a product with a false
// condition.
func TestUndefinedParts(t *testing.T) {
	cases := []struct {
		src     string
		wantErr string // "" when a result is wanted
		want    string
	}{
		{"0/0", "0/0 is undefined: division by zero", ""},
		{"x + 0/0", "0/0 is undefined: division by zero", ""},
		{"x*(1 - 1)/(2 - 2)", "x*(1 - 1)/(2 - 2) is undefined: division by zero", ""},
		{"0*log(0)", "0*log(0) is undefined: log(0) is undefined", ""},
		{"x*log(0)", "log(0) is undefined", ""},
		{"sqrt(-1) - sqrt(-1)", "sqrt(-1) - sqrt(-1) is undefined: sqrt(-1) is undefined", ""},
		{"subs(x/x, x = 0)", "0/0 is undefined: division by zero", ""},
		{"subs(sin(x)/x, x = 0)", "sin(0)/0 is undefined: division by zero", ""},
		{"subs(x*log(x), x = 0)", "0*log(0) is undefined: log(0) is undefined", ""},
		{"subs(sqrt(x)^2, x = -1)", "sqrt(-1)^2 is undefined: sqrt(-1) is undefined", ""},
		{"mean(i=3..2, x[i])", "mean(i=3..2, x[i]) is undefined: mean over an empty range 3..2", ""},
		{"mean(i=3..2, x[i]) + 1", "mean(i=3..2, x[i]) is undefined: mean over an empty range 3..2", ""},
		{"mean(i=1..0, 5)", "mean(i=1..0, 5) is undefined: mean over an empty range 1..0", ""},
		{"mean(i=3..3, x[i]) + sum(i=3..2, x[i])", "", "x[3]"},
		// Bounds with names whose difference is a negative number: the
		// range is empty for every value of n, so is the mean's value.
		{"mean(i=n..n - 1, x[i])", "mean(i=n..n - 1, x[i]) is undefined: mean over an empty range n..n - 1", ""},
		{"mean(i=k + 1..k, x[i]) + y", "mean(i=k + 1..k, x[i]) is undefined: mean over an empty range k + 1..k", ""},
		{"mean(i=n..n, x[i])", "", "x[n]"},
		{"mean(i=1..n, x[i])", "", "mean(i=1..n, x[i])"},
		{"sum(i=n..n - 1, x[i])", "", "0"},
		{"0/(x - x)", "0/(x - x) is undefined: division by zero (x - x is 0 for every value)", ""},
		{"y + 0*log(x - x)", "log(x - x) is undefined: log(0) is undefined (x - x is 0 for every value)", ""},
		{"(x - x)^(-1)*0", "(x - x)^-1 is undefined: division by zero (x - x is 0 for every value)", ""},
		{"0/(x/x - 1)", "0/(x/x - 1) is undefined: division by zero (x/x - 1 is 0 for every value)", ""},
		{"(x - y)/(x - y)", "", "1"},
		{"log(x - x + 1)", "", "0"},
		{"1/10^400", "", "1e-400"},
		{"log(exp(-1000))", "", "-1000"},
		{"exp(exp(1000)) - 1", "", "exp(exp(1000)) - 1"},
		{"if(x > 0, log(-1), 0)", "log(-1) is undefined wherever x > 0 (where the if takes its first piece): log(-1) is undefined", ""},
		{"if(x > x, log(-1), 0)", "", "0"},
		{"[3 <= 2]*log(0)", "", "0"},
		{"subs(sin(x)/x, x = 1/2)", "", "2*sin(0.5)"},
		{"subs(x^2 + y, x = 3)", "", "y + 9"},
	}
	for _, c := range cases {
		s := New()
		stmts, err := parser.ParseFile("t.sd", c.src, s.Context())
		if err != nil {
			t.Fatalf("parse %q: %v", c.src, err)
		}
		r, err := s.Exec(context.Background(), stmts[0])
		switch {
		case c.wantErr != "":
			if err == nil || err.Error() != c.wantErr {
				got := "no error"
				if err != nil {
					got = err.Error()
				} else if r != nil && r.Value != nil {
					got += ", result " + ast.String(r.Value)
				}
				t.Errorf("%s: %s, want error %q", c.src, got, c.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", c.src, err)
		case r.Value == nil || ast.String(r.Value) != c.want:
			t.Errorf("%s: %s, want %s", c.src, ast.String(r.Value), c.want)
		}
	}
}

// The search for an undefined part stops with the statement: it evaluated
// each part with no names in float64 without the statement's context, so
// simplify of sum(i=1..100000000, i), whose closed form the simplifier
// finds at once, ran 15 s past a 1 s --timeout (68 s in all) adding up the
// terms. (That sum is now decided from its body, TestUndefinedLongSums; a
// body of another form, 1/(2 + sin(i)), is still added up term by term.) The work is the oracle: the statement must end within
// parsetest.StopSlack of CPU time past its limit, with the time limit's
// error.
func TestUndefinedPartStopsWithTimeout(t *testing.T) {
	s := New()
	s.Timeout = 200 * time.Millisecond
	stmts, err := parser.ParseFile("t.sd", "sum(i=1..100000000, 1/(2 + sin(i)))", s.Context())
	if err != nil {
		t.Fatal(err)
	}
	took := parsetest.MeasureStop(func() { _, err = s.Exec(context.Background(), stmts[0]) })
	t.Logf("stopped after %v", took)
	if late := took.Late(s.Timeout); late != "" {
		t.Errorf("the statement, with a limit of %v, stopped late: %s", s.Timeout, late)
	}
	if err == nil || !strings.Contains(err.Error(), "time limit") {
		t.Errorf("error %v, want the time limit's", err)
	}
}

// TestUndefinedPartPosition: a script's error about a part with no value
// points at the part, not at the statement's start.
func TestUndefinedPartPosition(t *testing.T) {
	for src, want := range map[string]string{
		"a := 2\ny + 0/(u - u)\n":  "t.sd:2:5: 0/(u - u) is undefined",
		"z + mean(i=3..2, x[i])\n": "t.sd:1:5: mean(i=3..2, x[i]) is undefined",
		"w + 3*log(0)\n":           "t.sd:1:5: 3*log(0) is undefined",
	} {
		s := New()
		stmts, err := parser.ParseFile("t.sd", src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		var got error
		for _, st := range stmts {
			if _, err := s.Exec(context.Background(), st); err != nil {
				got = At(src, st, err)
				break
			}
		}
		if got == nil || !strings.HasPrefix(got.Error(), want) {
			t.Errorf("%q: %v, want it to start %q", src, got, want)
		}
	}
}
