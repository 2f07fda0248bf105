package parser

import (
	"context"
	"errors"
	"strings"
	"testing"
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
