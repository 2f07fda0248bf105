package parser

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// streamAll reads src with a Stream to the end.
func streamAll(cx context.Context, src string, ctx *Context) ([]*Statement, error) {
	st := NewStream(cx, "in.sd", src, ctx)
	var out []*Statement
	for {
		s, err := st.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			if s2, err2 := st.Next(); s2 != nil || err2 != err {
				return nil, fmt.Errorf("Next after the error %v returned %v, %v", err, s2, err2)
			}
			return nil, err
		}
		out = append(out, s)
	}
}

// streamLines are statements for random scripts: definitions that later
// lines use (and redefine), keyword statements, declarations, comments,
// and errors of both kinds: syntax (found reading the whole input) and
// lowering (a function used before it is defined, x then x[i]).
var streamLines = []string{
	"f(u) := u^2 + 1",
	"a := x + 1",
	"a2 := a*2",
	"b[i] := a*x[i]",
	"f(a) + b[2]",
	"g(x)", // an error until g is defined
	"g(u) := sigma(u)",
	"prove g(x) == sigma(x)",
	"prove d(f(x), x) == 2*x",
	"rule r1: g(u) -> u",
	"deriv h(u) = cos(u)",
	"h(x)^2",
	"assume x > 0",
	"X : matrix(n, d)",
	"w : vector(d)",
	"X*w",
	"explain log(1 + exp(-y*z))",
	"s := sum(i=1..n, x[i]^2)",
	"# a comment",
	"",
	"c := (1 +\n  2)",
	"σ(x)·x² − √(y)",
}

// streamErrors are lines with an error: lowering errors first, then
// syntax errors.
var streamErrors = []string{
	"z(x)",               // a function never defined
	"y + y[1]",           // y then y[1]
	"k(u) := u\nk(1, 2)", // the wrong number of arguments
	"a +* 2",             // syntax
	"prove a = 1",        // syntax
	"e := 3 3",           // syntax
	"q := x if y",        // syntax
	"a := (1 +",          // syntax
}

// TestStreamMatchesParseFile: a stream gives the statements ParseFile
// gives, with their positions, texts and warnings, or ParseFile's error:
// on every input of the corpus and on random scripts with definitions,
// redefinitions and errors of both kinds at random places, in a context
// with definitions and declarations of its own.
func TestStreamMatchesParseFile(t *testing.T) {
	same := cmp.Options{
		cmp.AllowUnexported(Statement{}, nodeAt{}),
		cmp.Comparer(func(a, b ast.Expr) bool { return a == b }), // hash-consed
		cmp.Comparer(func(a, b *source) bool { return a.filename == b.filename && a.text == b.text }),
	}
	in := fastCorpus(t)
	r := rand.New(rand.NewPCG(15, 1))
	for i := range 400 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteString("f(u) := u^2 + 1\ng(u) := sigma(u)\nderiv h(u) = cos(u)\n")
		}
		n := 1 + r.IntN(12)
		bad := -1
		if r.IntN(3) == 0 {
			bad = r.IntN(n)
		}
		for j := range n {
			line := streamLines[r.IntN(len(streamLines))]
			if j == bad {
				line = streamErrors[r.IntN(len(streamErrors))]
			}
			b.WriteString(line)
			b.WriteString("\n")
		}
		src := b.String()
		if r.IntN(4) == 0 {
			src = strings.TrimSuffix(src, "\n")
		}
		in[fmt.Sprintf("random %d", i)] = src
	}
	defs := &ast.Defs{}
	if err := defs.Define(&ast.Def{Name: "k", Kind: ast.DefFunc, Params: []string{"u"}, Body: ast.NewSym("u")}); err != nil {
		t.Fatal(err)
	}
	pctx := &Context{Defs: defs, Shapes: map[string]ast.Shape{"M": ast.MatrixShape(ast.NewSym("n"), ast.NewSym("n"))}}
	cx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs, stmts := 0, 0
	for name, src := range in {
		for _, ctx := range []*Context{nil, pctx} {
			want, wantErr := ParseFileContext(cx, "in.sd", src, ctx)
			got, gotErr := streamAll(cx, src, ctx)
			if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Errorf("%s: errors differ:\nParseFile: %v\nstream:    %v", name, wantErr, gotErr)
				continue
			}
			if wantErr != nil {
				errs++
				continue
			}
			stmts += len(want)
			if diff := cmp.Diff(want, got, same); diff != "" {
				t.Errorf("%s: statements differ (-ParseFile +stream):\n%s", name, diff)
			}
		}
	}
	t.Logf("%d errors and %d statements compared", errs, stmts)
	if errs < 100 || stmts < 1000 {
		t.Errorf("only %d errors and %d statements compared", errs, stmts)
	}
}

// TestStreamStops: a stream stops reading when its context is done, with
// the context's error, as ParseFileContext does.
func TestStreamStops(t *testing.T) {
	cx, cancel := context.WithCancel(context.Background())
	cancel()
	src := strings.Repeat("a := x + 1\n", 20000)
	if _, err := streamAll(cx, src, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled stream: %v, want context.Canceled", err)
	}
}

// TestFastMatchesSlowOnScripts: the fast path, which lowers each statement
// as soon as it has read it, gives what participle reading the whole
// input then lowering gives, on random scripts with a lowering error and
// a syntax error at random places (the syntax error is reported even
// when it comes after the lowering error).
func TestFastMatchesSlowOnScripts(t *testing.T) {
	same := cmp.Options{
		cmp.AllowUnexported(Statement{}, nodeAt{}),
		cmp.Comparer(func(a, b ast.Expr) bool { return a == b }), // hash-consed
		cmp.Comparer(func(a, b *source) bool { return a.filename == b.filename && a.text == b.text }),
	}
	r := rand.New(rand.NewPCG(15, 2))
	lowering, syntax := streamErrors[:3], streamErrors[3:]
	kinds := map[string]int{}
	for i := range 600 {
		var b strings.Builder
		n := 1 + r.IntN(12)
		lowerAt, syntaxAt := -1, -1
		if r.IntN(2) == 0 {
			lowerAt = r.IntN(n)
		}
		if r.IntN(2) == 0 {
			syntaxAt = r.IntN(n)
		}
		for j := range n {
			line := streamLines[r.IntN(len(streamLines))]
			switch j {
			case syntaxAt:
				line = syntax[r.IntN(len(syntax))]
			case lowerAt:
				line = lowering[r.IntN(len(lowering))]
			}
			b.WriteString(line + "\n")
		}
		src := b.String()
		slow, slowErr := parseFile(nil, "in.sd", src, nil, false, false)
		fast, fastErr := parseFile(nil, "in.sd", src, nil, true, false)
		if (slowErr == nil) != (fastErr == nil) || slowErr != nil && slowErr.Error() != fastErr.Error() {
			t.Fatalf("script %d:\n%s\nerrors differ:\nslow: %v\nfast: %v", i, src, slowErr, fastErr)
		}
		if diff := cmp.Diff(slow, fast, same); diff != "" {
			t.Fatalf("script %d:\n%s\nstatements differ (-slow +fast):\n%s", i, src, diff)
		}
		switch {
		case lowerAt >= 0 && syntaxAt > lowerAt:
			kinds["syntax error after a lowering error"]++
		case slowErr != nil:
			kinds["an error"]++
		default:
			kinds["no error"]++
		}
	}
	t.Log(kinds)
	if kinds["syntax error after a lowering error"] < 30 {
		t.Errorf("too few scripts with a syntax error after a lowering error: %v", kinds)
	}
}
