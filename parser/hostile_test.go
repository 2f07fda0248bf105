package parser_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// Hostile input must give a result or an error quickly, never a crash, a
// hang or a memory blow-up. The time bounds are generous (the suite may
// share a loaded machine); the real figures are a few milliseconds to a
// few hundred (see bench_test.go).
const hostileTimeLimit = 3 * time.Second

func timed(t *testing.T, what string, f func()) {
	t.Helper()
	start := time.Now()
	f()
	// Logged, not asserted: a wall-clock bound fails on a loaded or race
	// build; go test's own -timeout catches a hang.
	if d := time.Since(start); d > hostileTimeLimit {
		t.Logf("%s took %v, more than %v", what, d, hostileTimeLimit)
	}
}

// window is how Error.Snippet shows a long line around the 1-based column
// col: 36 characters before the spot and 72 in all, with ellipses.
func window(line string, col int) string {
	start := col - 1 - 36
	return "    …" + line[start:start+72] + "…\n    " + strings.Repeat(" ", 37) + "^"
}

func TestHostileErrors(t *testing.T) {
	parens := strings.Repeat("(", 100_000) + "x" + strings.Repeat(")", 100_000)
	minuses := strings.Repeat("-", 100_000) + "x"
	tower := strings.Repeat("x^", 100_000) + "x"
	negGroups := strings.Repeat("-(", 50_000) + "x" + strings.Repeat(")", 50_000)
	tooLarge := strings.Repeat("x+", parser.MaxInputBytes/2) + "x" // one byte over the limit
	longUnmatched := strings.Repeat("x+", 500_000) + "x)"
	tests := []struct {
		name, src, want string
	}{
		{"100,000 nested parentheses", parens,
			"1:20001: nested too deeply: more than 20000 levels of brackets\n" + window(parens, 20001)},
		{"100,000 unary minuses", minuses,
			"1:20000: nested too deeply: more than 20000 levels\n" + window(minuses, 20000)},
		{"x^x^...^x 100,000 long", tower,
			"1:40000: nested too deeply: more than 20000 levels\n" + window(tower, 40000)},
		{"50,000 negated groups", negGroups,
			"1:40002: nested too deeply: more than 20000 levels of brackets\n" + window(negGroups, 40002)},
		{"a line over the limit", tooLarge,
			"1:1: input too large: 16777217 bytes (the limit is 16 MiB)\n    " + tooLarge[:72] + "…\n    ^"},
		{"an error at the end of a 1 MB line", longUnmatched,
			"1:1000002: unmatched \")\": there is no \"(\" before it\n" +
				"    …" + longUnmatched[len(longUnmatched)-37:] + "\n    " + strings.Repeat(" ", 37) + "^"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var err error
			timed(t, tt.name, func() { _, err = parser.ParseFile("", tt.src, nil) })
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var pe *parser.Error
			if !errors.As(err, &pe) {
				t.Errorf("error is a %T", err)
			}
			// Input over the limit is refused before any work is done on it
			// (quoting the line costs 4 bytes a character).
			if alloc := after.TotalAlloc - before.TotalAlloc; len(tt.src) > parser.MaxInputBytes && alloc > uint64(6*len(tt.src)) {
				t.Errorf("allocated %d MB for %d bytes of input", alloc>>20, len(tt.src))
			}
		})
	}
}

// TestHostileAccepted checks inputs that are large or deep but within the
// limits: they parse, print and parse back to the same tree, in time.
func TestHostileAccepted(t *testing.T) {
	tests := []struct {
		name, src string
		height    int
	}{
		{"15,000 nested parentheses", strings.Repeat("(", 15_000) + "x" + strings.Repeat(")", 15_000), 1},
		{"15,000 unary minuses", strings.Repeat("-", 15_000) + "x", 15_001},
		{"x^x^...^x 15,000 long", strings.Repeat("x^", 15_000) + "x", 15_001},
		{"19,000 nested calls", strings.Repeat("sigma(", 19_000) + "x" + strings.Repeat(")", 19_000), 19_001},
		{"5,000 nested sums", strings.Repeat("sum(i=1..n, ", 5_000) + "x[i]" + strings.Repeat(")", 5_000), 5_002},
		{"9,000 nested groups", strings.Repeat("a*(", 9_000) + "x" + strings.Repeat(")", 9_000), 9_001},
		{"30,000 divisions", strings.Repeat("x/", 30_000) + "x", 30_001},
		{"a 10,000-term sum", "x0" + strings.Repeat(" + x1", 9_999), 2},
		{"2^(10^10)", "2^(10^10)", 3},
		{"a 10,000-digit number", strings.Repeat("7", 10_000), 1},
		{"the smallest number", "1e-10000", 1},
		{"the largest exponent", "9e10000", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timed(t, tt.name, func() {
				e, err := parser.ParseExpr(tt.src, nil)
				if err != nil {
					t.Fatal(err)
				}
				if h := e.Height(); h != tt.height {
					t.Errorf("height %d, want %d", h, tt.height)
				}
				s := ast.String(e)
				back, err := parser.ParseExpr(s, nil)
				if err != nil {
					t.Fatalf("printed form does not parse: %v", err)
				}
				if back != e {
					t.Error("printed form parses to another tree")
				}
				if ast.UnicodeString(e) == "" || ast.LaTeXString(e) == "" {
					t.Error("empty Unicode or LaTeX output")
				}
			})
		})
	}
}

func TestHostileSumTerms(t *testing.T) {
	e, err := parser.ParseExpr("x0"+strings.Repeat(" + x1", 9_999), nil)
	if err != nil {
		t.Fatal(err)
	}
	add, ok := e.(*ast.Add)
	if !ok || len(add.Terms) != 10_000 {
		t.Fatalf("a 10,000-term sum parsed as %T", e)
	}
}

// TestHostileManyStatements: 10,000 definitions, each using the previous.
func TestHostileManyStatements(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0 := 1\n")
	for i := 1; i < 10_000; i++ {
		fmt.Fprintf(&b, "a%d := a%d + %d  # step %d\n", i, i-1, i, i)
	}
	timed(t, "10,000 definitions", func() {
		stmts, err := parser.ParseFile("many.sd", b.String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(stmts) != 10_000 {
			t.Fatalf("%d statements", len(stmts))
		}
		if got, want := stmts[9_999].Text, "a9999 := a9998 + 9999"; got != want {
			t.Errorf("last statement %q, want %q", got, want)
		}
	})
}

// TestHostileEval: 2^(10^10) parses, and evaluating it is an error, at
// once, in float64 and in exact arithmetic alike.
func TestHostileEval(t *testing.T) {
	e, err := parser.ParseExpr("2^(10^10)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ast.String(e), "2^10^10"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	timed(t, "Eval(2^(10^10))", func() {
		v, err := ast.Eval(e, nil, nil)
		want := "the result is +Inf: too large for a float64, or undefined"
		if err == nil || err.Error() != want {
			t.Errorf("Eval = %v, %v; want error %q", v, err, want)
		}
		var de *ast.DomainError
		if !errors.As(err, &de) {
			t.Errorf("error is a %T, want *ast.DomainError", err)
		}
	})
	timed(t, "2^(10^10) exactly", func() {
		_, err := ast.Int(2).PowInt(10_000_000_000)
		if !errors.Is(err, ast.ErrTooLarge) {
			t.Errorf("PowInt = %v, want ErrTooLarge", err)
		}
	})
	// A sum too long to evaluate stops with an error instead of running on.
	e, err = parser.ParseExpr("sum(i=1..10^12, i)", nil)
	if err != nil {
		t.Fatal(err)
	}
	timed(t, "Eval of a 10^12-term sum", func() {
		_, err := ast.Eval(e, nil, nil)
		if !errors.Is(err, ast.ErrTooManySteps) {
			t.Errorf("Eval = %v, want ErrTooManySteps", err)
		}
	})
}
