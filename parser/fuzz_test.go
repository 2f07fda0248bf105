package parser_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// FuzzParse feeds arbitrary text to ParseFile. It must not panic; an error
// must be a *parser.Error at a place in the input; and whatever parses must
// print and parse back to the same trees. The seed corpus is in
// testdata/fuzz/FuzzParse and runs with every go test.
func FuzzParse(f *testing.F) {
	f.Add(seedScript)
	// Superscripts are postfixes: stacked, then followed by a power, an
	// element-wise power or a transpose.
	f.Add("a := x⁻¹⁻¹ + x²^3 + 2^y² + (x + 1)⁻²'\nb := z⁻ᵀ.^2 + w¹²\n")
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		defer func() {
			// Generous, for a loaded machine: a fuzz input takes microseconds.
			if d := time.Since(start); d > 5*time.Second {
				t.Logf("%d bytes of input took %v", len(src), d) // logged: no wall-clock assertions
			}
		}()
		stmts, err := parser.ParseFile("fuzz.sd", src, nil)
		if err != nil {
			checkFuzzError(t, src, err)
			return
		}
		checkFuzzRoundTrip(t, src, stmts)
	})
}

func checkFuzzError(t *testing.T, src string, err error) {
	pe, ok := err.(*parser.Error)
	if !ok {
		t.Fatalf("error is a %T, not a *parser.Error: %v", err, err)
	}
	if strings.TrimSpace(pe.Msg) == "" {
		t.Fatalf("empty message: %q", err.Error())
	}
	if strings.Contains(pe.Msg, "internal parser error") {
		t.Fatalf("the parser panicked: %v", err)
	}
	p := pe.Pos
	if p.Filename != "fuzz.sd" {
		t.Fatalf("Filename = %q", p.Filename)
	}
	if p.Offset < 0 || p.Offset > len(src) {
		t.Fatalf("offset %d outside the input of %d bytes: %v", p.Offset, len(src), err)
	}
	if p.Line < 1 || p.Col < 1 {
		t.Fatalf("position %d:%d: %v", p.Line, p.Col, err)
	}
	if !utf8.ValidString(src) {
		return // lines and columns count characters, which this input lacks
	}
	before := src[:p.Offset]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	if p.Line != line || p.Col != col {
		t.Fatalf("position %d:%d, but offset %d is at %d:%d: %v", p.Line, p.Col, p.Offset, line, col, err)
	}
	quoted := strings.TrimSuffix(strings.Split(src, "\n")[line-1], "\r")
	if pe.Line != quoted {
		t.Fatalf("quoted line %q, want %q", pe.Line, quoted)
	}
	if !strings.HasPrefix(err.Error(), p.String()+": "+pe.Msg) {
		t.Fatalf("Error() = %q does not start with the position and message", err.Error())
	}
}

// checkFuzzRoundTrip checks that each expression statement prints and
// parses back to the same tree, in the context (definitions and declared
// functions) of the statements before it, and that the whole file printed
// statement by statement parses back to the same statements.
func checkFuzzRoundTrip(t *testing.T, src string, stmts []*parser.Statement) {
	ctx := &parser.Context{Defs: &ast.Defs{}, Funcs: map[string]int{}}
	var printed []string
	for _, st := range stmts {
		switch s := st.Stmt.(type) {
		case *ast.ExprStmt:
			text := ast.String(s.X)
			back, err := parser.ParseExpr(text, ctx)
			if err != nil {
				t.Fatalf("statement %q prints as %q, which does not parse:\n%v", st.Text, text, err)
			}
			if back != s.X {
				t.Fatalf("statement %q prints as %q, which parses to another tree:\n got %s\nwant %s",
					st.Text, text, ast.Sexpr(back), ast.Sexpr(s.X))
			}
			if again := ast.String(back); again != text {
				t.Fatalf("%q prints as %q the second time", text, again)
			}
		case *ast.DefStmt:
			if err := ctx.Defs.Define(s.Def); err != nil {
				t.Fatalf("the parser accepted %q, but Define refuses it: %v", st.Text, err)
			}
			delete(ctx.Funcs, s.Def.Name)
		case *ast.DerivStmt:
			if _, builtin := ast.LookupFunc(s.Fn); !builtin {
				if _, defined := ctx.Defs.Lookup(s.Fn); !defined {
					ctx.Funcs[s.Fn] = len(s.Params)
				}
			}
		}
		printed = append(printed, ast.StmtString(st.Stmt))
	}
	file := strings.Join(printed, "\n")
	again, err := parser.ParseFile("printed.sd", file, nil)
	if err != nil {
		t.Fatalf("the statements print as\n%s\nwhich does not parse:\n%v", file, err)
	}
	if len(again) != len(stmts) {
		t.Fatalf("the statements print as\n%s\nwhich parses to %d statements, not %d", file, len(again), len(stmts))
	}
	for k := range stmts {
		if got, want := stmtString(again[k].Stmt), stmtString(stmts[k].Stmt); got != want {
			t.Fatalf("statement %q prints as %q, which parses to\n %s\nnot\n %s", stmts[k].Text, printed[k], got, want)
		}
	}
}
