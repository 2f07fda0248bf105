package load

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
)

// TestFileContextStops: a rule file is read and added under its context:
// a done context stops the parse, and the adding of parsed rules (each
// added rule scans those before it: 100,000 rules took two minutes, and
// no Ctrl-C stopped them). A live context loads the file as File does.
func TestFileContextStops(t *testing.T) {
	var b strings.Builder
	b.WriteString("f(u) := u^2\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "rule r%d: f(x + %d) -> x\n", i, i)
	}
	src := b.String()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FileContext(done, Builtin(), "r.rules", src); !errors.Is(err, context.Canceled) {
		t.Errorf("FileContext with a done context: %v", err)
	}
	stmts, err := parser.ParseFile("r.rules", src, Context(Builtin(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := addAll(done, Builtin(), "r.rules", src, stmts, rules.Simplify); !errors.Is(err, context.Canceled) {
		t.Errorf("adding with a done context: %v", err)
	}
	got, err := FileContext(context.Background(), Builtin(), "r.rules", src)
	want, werr := File(Builtin(), "r.rules", src)
	if err != nil || werr != nil || len(got.AllRules()) != len(want.AllRules()) || len(got.AllRules()) < 2000 {
		t.Errorf("FileContext: %v; File: %v", err, werr)
	}
}
