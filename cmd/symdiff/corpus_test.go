package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/cmd/internal/texcheck"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/prove"
)

// The corpus of real losses (testdata/corpus/losses.sd): every result is
// kept in testdata/golden/corpus.golden (go test -run TestCorpus -update
// rewrites it; each line was reviewed as the form a person writes), and is
// proved equal to the expression it came from, which for d(E, v) is the
// raw derivative (the prover differentiates it again on its own).

const corpusFile = "testdata/corpus/losses.sd"

func TestCorpus(t *testing.T) {
	dir := goldenDir(t)
	t.Chdir(repoRoot(t))
	src, err := os.ReadFile(corpusFile)
	if err != nil {
		t.Fatal(err)
	}
	s := session.New()
	stmts, err := parser.ParseFile(corpusFile, string(src), s.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var got strings.Builder
	results := 0
	for _, st := range stmts {
		r, err := s.Exec(ctx, st)
		if err != nil {
			t.Fatalf("%s: %v", st.Text, err)
		}
		if r.Value == nil {
			continue
		}
		results++
		got.WriteString(st.Text + "\n    = " + ast.String(r.Value) + "\n")
		pr, err := s.Prove(ctx, r.Expr, r.Value)
		if err != nil || pr.Verdict != prove.Proved {
			t.Errorf("%s = %s: not proved (%v, %v: %s)", st.Text, ast.String(r.Value), pr.Verdict, err, pr.Tried)
		}
	}
	if results < 30 {
		t.Errorf("the corpus has %d results, want at least 30", results)
	}
	path := filepath.Join(dir, "corpus.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(lines(string(want)), lines(got.String())); diff != "" {
		t.Errorf("the corpus results differ from corpus.golden (-want +got):\n%s", diff)
	}
}

// TestCorpusLaTeX renders the corpus's derivations: KaTeX renders every
// formula, pdflatex compiles the document with no overfull box wider
// than 1pt, and no rule is cited by its internal name.
func TestCorpusLaTeX(t *testing.T) {
	t.Chdir(repoRoot(t))
	doc := collect(t, 0, "latex", "--doc", corpusFile)
	names := internalNames()
	for _, m := range regexp.MustCompile(`\\text\{([^}]*)\}`).FindAllStringSubmatch(doc, -1) {
		for _, w := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ' ' || r == ',' || r == '(' || r == ')' || r == ':' || r == ';' }) {
			if names[w] {
				t.Errorf("a justification names the rule %s: %q", w, m[1])
			}
		}
	}
	steps := collect(t, 0, "latex", "--all-steps", corpusFile)
	fs, err := texFormulas("corpus", steps)
	if err != nil {
		t.Fatal(err)
	}
	texcheck.KaTeX(t, fs)
	texcheck.PDFLaTeX(t, "corpus", doc)
	texcheck.PDFLaTeX(t, "corpus-all-steps", collect(t, 0, "latex", "--doc", "--all-steps", corpusFile))
}

// internalNames are the names of the rules of the rule files.
func internalNames() map[string]bool {
	out := map[string]bool{}
	rs := load.Builtin()
	for _, k := range []rules.Kind{rules.Simplify, rules.Basis} {
		for _, r := range rs.Rules(k) {
			out[r.Name] = true
		}
	}
	return out
}
