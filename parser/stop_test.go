package parser

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// TestParseFileContextStops: a done context stops each stage: the lexer
// (an input of comments only, no tokens for the climber or lowering),
// the climber and lowering (one statement of 20,000 operands, within
// the lexer's first check), a file of many short definitions. A live
// context parses as ParseFile does.
func TestParseFileContextStops(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	comments := strings.Repeat("# a comment\n", 100_000)
	sum := strings.Repeat("x+", 20_000) + "x\n"
	defs := strings.Repeat("a := 1\nb := a + 2\n", 20_000)
	if len(sum) >= stopBytes {
		t.Fatalf("the sum (%d bytes) reaches the lexer's check", len(sum))
	}
	for name, src := range map[string]string{"comments": comments, "sum": sum, "defs": defs} {
		if _, err := ParseFileContext(done, "in.sd", src, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", name, err)
		}
		live, cancel := context.WithCancel(context.Background())
		got, err := ParseFileContext(live, "in.sd", src, nil)
		cancel()
		want, werr := ParseFile("in.sd", src, nil)
		if err != nil || werr != nil || len(got) != len(want) {
			t.Errorf("%s: live context: %d statements, %v; ParseFile: %d, %v", name, len(got), err, len(want), werr)
		}
	}
}

// TestClimberStops: the climber alone honours a done context.
func TestClimberStops(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	sc, err := newScanner("in.sd", strings.Repeat("x+", 20_000)+"x\n")
	if err != nil {
		t.Fatal(err)
	}
	toks, _, err := sc.scan(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	p := &exprParser{toks: toks, stop: newStopper(done)}
	if _, err := p.node(); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	p = &exprParser{toks: toks}
	if _, err := p.node(); err != nil {
		t.Errorf("without a context: %v", err)
	}
}

// TestLoweringStops: lowering alone honours a done context.
func TestLoweringStops(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	src := strings.Repeat("x+", 20_000) + "x\n"
	tree, ok, err := parseFast("in.sd", src, nil)
	if !ok || err != nil || len(tree.Stmts) != 1 {
		t.Fatalf("parseFast: %v, %v", ok, err)
	}
	lw := newLowerer("in.sd", src, nil)
	lw.stop = newStopper(done)
	if _, err := lw.stmt(tree.Stmts[0]); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	lw = newLowerer("in.sd", src, nil)
	if _, err := lw.stmt(tree.Stmts[0]); err != nil {
		t.Errorf("without a context: %v", err)
	}
}

// TestParticipleStops: participle's path honours a done context: the
// whole-input parse that reports syntax errors (a statement with one at
// its end, which the fast path gives up on) and a keyword statement
// (prove, rule) on the fast path. Before the stream carried the stopper,
// both ran to the end: 0.2–1.5 s for 3–10 MB.
func TestParticipleStops(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	sum := strings.Repeat("x+", 20_000) + "x"
	for _, c := range []struct {
		src       string
		syntaxErr bool
	}{
		{"prove " + sum + " == 0\n", false},
		{"rule r: sin(x) -> " + sum + "\n", false},
		{sum + " 1\n", true},
		{"prove " + sum + " == 0 0\n", true},
	} {
		if _, err := parseSyntaxStop(newStopper(done), "in.sd", c.src); !errors.Is(err, context.Canceled) {
			t.Errorf("%.20q…: error %v, want context.Canceled", c.src, err)
		}
		// Without a stop: the parse, or the syntax error.
		_, err := parseSyntaxStop(nil, "in.sd", c.src)
		var pe *Error
		if c.syntaxErr != errors.As(err, &pe) || !c.syntaxErr && err != nil {
			t.Errorf("%.20q…: without a context: %v", c.src, err)
		}
	}
	src := "prove " + sum + " == 0\n"
	toks, _, err := mustScan(t, src)
	if err != nil {
		t.Fatal(err)
	}
	if st := slowStmt(toks, &lineCounter{filename: "in.sd", src: src, line: 1, col: 1}, newStopper(done)); st != nil {
		t.Errorf("slowStmt with a done context parsed the statement")
	}
	if st := slowStmt(toks, &lineCounter{filename: "in.sd", src: src, line: 1, col: 1}, nil); st == nil || st.Prove == nil {
		t.Errorf("slowStmt without a context: %v", st)
	}
	if streamsLive.Load() != 0 {
		t.Errorf("%d streams left registered", streamsLive.Load())
	}
}

func mustScan(t *testing.T, src string) ([]token, bool, error) {
	t.Helper()
	sc, err := newScanner("in.sd", src)
	if err != nil {
		t.Fatal(err)
	}
	return sc.scan(nil, true)
}

// TestParseStopsInTime: a deadline that falls anywhere in the parse of
// a large input (at a quarter, half and three quarters of its time
// without one: in the lexer, participle or lowering) stops it within
// 100 ms: the bound asserted is a second (3 s under the race detector),
// as the machine the tests run on is shared and a loop that checks its
// context every millisecond still loses the processor for 100-300 ms at
// times; the times are logged. Before participle's path took the
// context, the prove and the syntax error ran 0.5-1.1 s past their limit.
// The inputs: a prove and a rule of 300,000 terms, which go through
// participle on the fast path, and the same sum with a syntax error at
// the end, which the fast path reads whole, then participle again.
func TestParseStopsInTime(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	var b strings.Builder
	for i := range 300_000 {
		if i > 0 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "x%d", i)
	}
	sum := b.String()
	slack := time.Second
	if raceEnabled {
		slack = 3 * time.Second
	}
	for name, src := range map[string]string{
		"prove":        "prove " + sum + " == 0\n",
		"rule":         "rule r: sin(x) -> " + sum + "\n",
		"syntax error": sum + " +\n1 1\n",
	} {
		// The time without a limit is the faster of two parses: the
		// first, cold one (the intern tables growing, the heap being
		// faulted in) took 2.9 s against 0.57 s warm once under load,
		// and a quarter of it was no stop at all.
		var werr error
		full := time.Duration(math.MaxInt64)
		for range 2 {
			start := time.Now()
			_, werr = ParseFile("in.sd", src, nil)
			full = min(full, time.Since(start))
		}
		for _, frac := range []float64{0.25, 0.5, 0.75} {
			limit := time.Duration(frac * float64(full))
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			start := time.Now()
			_, err := ParseFileContext(ctx, "in.sd", src, nil)
			took := time.Since(start)
			cancel()
			t.Logf("%s (%d bytes, %v to parse): limit %v, stopped after %v: %.60v", name, len(src), full.Round(time.Millisecond), limit.Round(time.Millisecond), took.Round(time.Millisecond), err)
			switch {
			case errors.Is(err, context.DeadlineExceeded):
				if took > limit+slack {
					t.Errorf("%s: limit %v: stopped after %v, more than %v late", name, limit, took, slack)
				}
			case frac < 0.5:
				// A later parse is faster than the first (warm), but
				// not four times: this one must have been stopped.
				t.Errorf("%s: limit %v: ran %v and returned %.80v, not the time-out", name, limit, took, err)
			case took < limit+slack:
				// The parse ended before the limit, or its last stretch
				// (building the statement's nodes, after lowering's last
				// look at the context) ran past it: a result is as good
				// as a stop.
				if (err == nil) != (werr == nil) {
					t.Errorf("%s: limit %v: %v; without a limit: %v", name, limit, err, werr)
				}
			default:
				t.Errorf("%s: limit %v: ran %v and returned %.80v, not the time-out", name, limit, took, err)
			}
		}
	}
}
