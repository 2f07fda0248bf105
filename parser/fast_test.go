package parser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/symdiff/symdiff/ast"
)

// fastCorpus is every input at hand: the scripts and rule files of the
// repository, the fuzz seeds, and lines written for the fast path's edges
// (keyword statements between expressions, errors in either kind).
func fastCorpus(t *testing.T) map[string]string {
	t.Helper()
	in := map[string]string{
		"expr":          "x^2",
		"defs":          "a := 1\nb[i] := a*x[i]\nf(u) := u^2 + b[1]\n",
		"decl":          "X : matrix(n, d)\nw : vector(d)\nX*w\n",
		"mixed":         "f(u) := u^2\nprove f(x) == x^2\nrule r: f(u) -> u*u\nderiv g(u) = u\ny := g(x)\nassume x > 0\nexplain y\n",
		"continued":     "a := 1 +\n  2\nb := (a\n  + 3)  # comment\n\n\n",
		"no newline":    "a := 1\nb := a",
		"error expr":    "a := 1\nb := a +* 2\n",
		"error keyword": "a := 1\nprove a = 1\n",
		"error later":   "a := 1\nb := 2\nc := 3 3\n",
		"error decl":    "X : matrix(n d)\n",
		"stop word":     "a := x if y\n",
		"keyword mid":   "a := prove\n",
		"power":         "x**2\n",
		"sum":           "s := sum(i=1..n, x[i])\nt := sum(x)\nu := sum(i=1..n)\n",
		"empty":         "",
		"comments":      "# only a comment\n\n",
		"unicode":       "σ(x)·x² − √y ≠ 0\n",
		"statement end": "a := 1 )\n",
		"colon":         "a : \n",
	}
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		ext := filepath.Ext(path)
		isSeed := strings.Contains(path, filepath.Join("testdata", "fuzz", "FuzzParse"))
		if d.IsDir() || !(ext == ".sd" || ext == ".rules" || isSeed) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		if isSeed {
			lines := strings.SplitN(src, "\n", 3)
			if len(lines) < 2 || !strings.HasPrefix(lines[1], "string(") {
				return nil
			}
			if src, err = strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")")); err != nil {
				t.Errorf("%s: %v", path, err)
				return nil
			}
		}
		in[path] = src
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestFastMatchesSlow: the fast path reads every input to the same
// statements as participle reading the whole input, and gives up on every
// input that participle rejects (so that its errors are participle's).
func TestFastMatchesSlow(t *testing.T) {
	same := cmp.Options{
		cmp.AllowUnexported(Statement{}, nodeAt{}),
		cmp.Comparer(func(a, b ast.Expr) bool { return a == b }), // hash-consed
		cmp.Comparer(func(a, b *source) bool { return a.filename == b.filename && a.text == b.text }),
	}
	// The fast path runs with a live context, as the CLI's: its checks
	// change nothing.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := newStopper(ctx)
	fastOnly := 0
	for name, src := range fastCorpus(t) {
		slow, slowErr := parseFile(nil, "in.sd", src, nil, false, false)
		_, slowSyntaxErr := parseSyntax("in.sd", src)
		tree, fastOK, _ := parseFast("in.sd", src, live)
		if slowSyntaxErr != nil {
			if fastOK {
				t.Errorf("%s: the fast path accepts what participle rejects (%v)", name, slowSyntaxErr)
			}
			continue
		}
		if !fastOK {
			t.Errorf("%s: the fast path gives up on an input participle reads", name)
			continue
		}
		if tree != nil && len(tree.Stmts) > 0 {
			fastOnly++
		}
		fast, fastErr := parseFile(live, "in.sd", src, nil, true, false)
		if (slowErr == nil) != (fastErr == nil) || slowErr != nil && slowErr.Error() != fastErr.Error() {
			t.Errorf("%s: errors differ:\nslow: %v\nfast: %v", name, slowErr, fastErr)
			continue
		}
		if diff := cmp.Diff(slow, fast, same); diff != "" {
			t.Errorf("%s: statements differ (-slow +fast):\n%s", name, diff)
		}
	}
	if fastOnly < 20 {
		t.Errorf("only %d inputs went through the fast path", fastOnly)
	}
}

// TestShortcutsMatchFullChecks: the lowerer's shortcuts (no shape checks
// while only scalars can occur, no checks again for a free name met
// before) change nothing: every input of the corpus and of the shortcut
// cases below gives the same statements, positions and warnings, or the
// same error, as with every check made every time.
func TestShortcutsMatchFullChecks(t *testing.T) {
	in := fastCorpus(t)
	for i, src := range shortcutCases {
		in[fmt.Sprintf("case %d", i)] = src
	}
	for name, src := range in {
		checkShortcuts(t, name, src)
	}
}

// shortcutCases are inputs where a shortcut would go wrong if it were
// taken when it must not be.
var shortcutCases = []string{
	"a := x + 1\nx : vector(n)\nb := x*x",
	"a := x + 1\nx := 2\nb := x[1]",
	"a := x + 1\nderiv x(u) = u\nb := x + 1",
	"a := x + 1\nb := x[i]",
	"a := x + 1\nb := sum(x=1..3, x[2])",
	"a := x + 1\nf(x) := x[1]",
	"a := x + 1\nb := (y where x = 2)",
	"a := x*y\nb := ones(3)*ones(3)",
	"a := x*y\nb := x .* y",
	"a := x*y\nb := dot(x, y)",
	"a := T + 1\nv : vector(n)\nb := v^T",
	"a := x*y\nv : vector(n)\nb := sum(i=1..n, v)",
	"a := x*y\nv : vector(n)\nb := x + v + v' ",
	"rule r: x*y -> y*x\nc := x*y",
	"c := x*y\nrule r: x*y -> y*x if x > y",
	// A name in the lowerer's recent uses, then defined or declared:
	// its next use must be checked again.
	"a := x + x\nx[i] := i\nb := x + 1",
	"a := x + x\nx(u) := u\nb := x + x",
	"a := x + x\nx : vector(n)\nb := x*x",
	"a := x + x\nx := 2\nb := x*x + x[1]",
	"a := x + x + p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9\nx[i] := i\nb := x",
	"a := x + x\nderiv x(u) = u\nb := x + x",
	"a := x + x\nrule r: x*y -> y*x\nb := x + x",
}

func checkShortcuts(t *testing.T, name, src string) {
	t.Helper()
	same := cmp.Options{
		cmp.AllowUnexported(Statement{}, nodeAt{}),
		cmp.Comparer(func(a, b ast.Expr) bool { return a == b }), // hash-consed
		cmp.Comparer(func(a, b *source) bool { return a.filename == b.filename && a.text == b.text }),
	}
	got, gotErr := parseFile(nil, "in.sd", src, nil, true, false)
	want, wantErr := parseFile(nil, "in.sd", src, nil, true, true)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Errorf("%s: errors differ:\nwith the shortcuts: %v\nwith every check:   %v", name, gotErr, wantErr)
		return
	}
	// The records of places differ (the memo does not record a repeated
	// subexpression's nodes again): what they are read for, the place
	// of each node, must not.
	if diff := cmp.Diff(want, got, same, cmpopts.IgnoreFields(Statement{}, "at")); diff != "" {
		t.Errorf("%s: statements differ (-every check +shortcuts):\n%s", name, diff)
		return
	}
	for i := range want {
		for _, st := range []*Statement{want[i], got[i]} {
			for _, a := range st.at {
				wp, wok := want[i].posOfID(a.id())
				gp, gok := got[i].posOfID(a.id())
				if wp != gp || wok != gok {
					t.Errorf("%s: statement %d: node %d is at %v %v with every check, at %v %v with the shortcuts", name, i, a.id(), wp, wok, gp, gok)
				}
			}
		}
	}
}

// FuzzShortcuts is TestShortcutsMatchFullChecks on any input.
func FuzzShortcuts(f *testing.F) {
	for _, src := range shortcutCases {
		f.Add(src)
	}
	f.Add("a := x + 1\nb := x + y*x\nc := log(y) + x")
	f.Fuzz(func(t *testing.T, src string) { checkShortcuts(t, "fuzz input", src) })
}

// TestOperatorTables: the parser's operator lookups agree with ast's for
// every spelling of every operator, and for tokens that are none.
func TestOperatorTables(t *testing.T) {
	spellings := []string{"=", ":=", "(", "x", ""}
	for c := range 256 {
		spellings = append(spellings, string([]byte{byte(c)}))
	}
	for _, o := range ast.Operators {
		spellings = append(spellings, o.Token)
		spellings = append(spellings, o.Aliases...)
	}
	for _, sp := range spellings {
		for _, c := range []struct {
			name  string
			table func(string) (*ast.OpInfo, bool)
			look  func(string) (ast.OpInfo, bool)
		}{
			{"binary", binaryOp, ast.BinaryOp},
			{"binary map", lookIn(binaryOps), ast.BinaryOp},
			{"prefix", prefixOp, ast.PrefixOp},
			{"prefix map", lookIn(prefixOps), ast.PrefixOp},
			{"postfix", postfixOp, ast.PostfixOp},
			{"postfix map", lookIn(postfixOps), ast.PostfixOp},
		} {
			got, gotOK := c.table(sp)
			want, wantOK := c.look(sp)
			if gotOK != wantOK || gotOK && !cmp.Equal(*got, want) {
				t.Errorf("%s %q: %v %v, want %v %v", c.name, sp, got, gotOK, want, wantOK)
			}
		}
	}
}

// lookIn returns the lookup in m.
func lookIn(m map[string]*ast.OpInfo) func(string) (*ast.OpInfo, bool) {
	return func(s string) (*ast.OpInfo, bool) {
		op, ok := m[s]
		return op, ok
	}
}

// TestIsKeyword: the parser's switch agrees with the tables of words.
func TestIsKeyword(t *testing.T) {
	words := []string{"sum", "mean", "x", "", "iff", "If", "d"}
	words = append(words, reservedWords...)
	for _, w := range words {
		if got, want := isReserved(w), slices.Contains(reservedWords, w); got != want {
			t.Errorf("isReserved(%q) = %v, want %v", w, got, want)
		}
		if got, want := isKeyword(w), stopWords[w] || statementWords[w]; got != want {
			t.Errorf("isKeyword(%q) = %v, want %v", w, got, want)
		}
	}
	for w := range stopWords {
		if !isKeyword(w) {
			t.Errorf("isKeyword(%q) = false for a stop word", w)
		}
	}
	for w := range statementWords {
		if !isKeyword(w) {
			t.Errorf("isKeyword(%q) = false for a statement word", w)
		}
	}
}

// TestNamesNotSubstrings: what a parse returns that outlives it (the
// nodes, definitions, rules) holds copies of its names, not substrings of
// the input, which would keep the whole input alive.
func TestNamesNotSubstrings(t *testing.T) {
	src := "qa1[i] := sigma(qz[i]) + qb\nqf(u) := u^2 + qf2\nrule qr: qf(qx + qy) -> qx\nderiv qh(u) = u\n"
	stmts, err := ParseFile("", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	inSrc := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		b := uintptr(unsafe.Pointer(unsafe.StringData(src)))
		return len(s) > 0 && p >= b && p < b+uintptr(len(src))
	}
	var names []string
	for _, st := range stmts {
		switch s := st.Stmt.(type) {
		case *ast.DefStmt:
			names = append(names, s.Def.Name)
			names = append(names, s.Def.Params...)
			ast.Inspect(s.Def.Body, func(e ast.Expr) bool {
				switch e := e.(type) {
				case *ast.Sym:
					names = append(names, e.Name)
				case *ast.Index:
					names = append(names, e.Name)
				case *ast.Call:
					names = append(names, e.Fn)
				}
				return true
			})
		case *ast.RuleStmt:
			names = append(names, s.Name)
		case *ast.DerivStmt:
			names = append(names, s.Fn)
			names = append(names, s.Params...)
		}
	}
	if len(names) < 12 {
		t.Fatalf("found only %d names: %q", len(names), names)
	}
	for _, n := range names {
		if inSrc(n) {
			t.Errorf("%q is a substring of the input", n)
		}
	}
}

// TestSymbolTablesNotASCII: the lexer looks up funcSymbols and superDigits
// only for characters past ASCII, so none of their keys may be ASCII.
func TestSymbolTablesNotASCII(t *testing.T) {
	for r := range funcSymbols {
		if r < 0x80 {
			t.Errorf("funcSymbols has the ASCII character %q", r)
		}
	}
	for r := range superDigits {
		if r < 0x80 {
			t.Errorf("superDigits has the ASCII character %q", r)
		}
	}
	if len(funcSymbols) == 0 {
		t.Error("funcSymbols is empty: √ no longer lexes as sqrt")
	}
}
