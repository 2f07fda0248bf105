package main

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/cmd/internal/texcheck"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/prove"
)

// The corpus of real losses (testdata/corpus/losses.sd): every result is
// kept in testdata/golden/corpus.golden (go test -run TestCorpus -update
// rewrites it; each line was reviewed as the form a person writes), and is
// proved equal to the expression it came from, which for d(E, v) is the
// raw derivative (the prover differentiates it again on its own), and
// compared without the engine with five-point finite differences of the
// loss (numericCheck).

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
	rng := rand.New(rand.NewPCG(30, 44))
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
		numericCheck(t, rng, s.Defs, st.Text, r.Expr, r.Value)
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

// numericCheck compares a corpus result with its input without the
// engine: a derivative d(E, v) with finite differences of E, in float64,
// at random points near 0 and farther out; another expression by
// evaluating both sides. Definitions are opened, except the one of v
// itself (d(L, o[a]) treats o as the variable), and the values drawn until
// 40 points are defined.
func numericCheck(t *testing.T, rng *rand.Rand, defs *ast.Defs, text string, in, got ast.Expr) {
	t.Helper()
	f, wrt := in, ast.Expr(nil)
	if d, ok := in.(*ast.Deriv); ok {
		f, wrt = d.X, d.Wrt
	}
	keep := ""
	switch w := wrt.(type) {
	case *ast.Sym:
		keep = w.Name
	case *ast.Index:
		keep = w.Name
	}
	open := func(e ast.Expr) ast.Expr { return defs.ExpandIf(e, func(n string) bool { return n != keep }) }
	f, got2 := open(f), open(got)
	nm := parsetest.NamesOf(f, got2)
	if wrt != nil {
		nm = parsetest.NamesOf(f, got2, wrt)
	}
	checked := 0
	for i := 0; i < 400 && checked < 40; i++ {
		lo, hi := -2.0, 2.0
		if i%3 == 2 {
			lo, hi = -6, 6
		}
		pt := parsetest.Point(rng, nm, lo, hi)
		if wrt == nil {
			ok, complaint := parsetest.AgreeAt(f, got2, nil, pt, 1e-9)
			if complaint != "" {
				t.Errorf("%s = %s: %s", text, ast.String(got), complaint)
				return
			}
			if ok {
				checked++
			}
			continue
		}
		want, ok := finiteDiff(f, wrt, pt)
		if !ok {
			continue
		}
		v, err := ast.Eval(got2, nil, pt)
		if err != nil {
			t.Errorf("%s = %s: undefined at %v where finite differences give %.10g: %v", text, ast.String(got), pt, want, err)
			return
		}
		if !parsetest.Near(v, want, 1e-5, 1e-7) {
			t.Errorf("%s = %s is %.10g at %v; finite differences give %.10g", text, ast.String(got), v, pt, want)
			return
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("%s: only %d points checked", text, checked)
	}
}

// finiteDiff is the five-point central difference of f by a scalar or an
// entry of an array (row-major), evaluated in float64: error O(h^4).
func finiteDiff(f, wrt ast.Expr, pt ast.Bindings) (float64, bool) {
	bump := func(d float64) (float64, bool) {
		b := ast.Bindings{}
		for k, v := range pt {
			b[k] = ast.Value{Shape: v.Shape, Data: slices.Clone(v.Data)}
		}
		switch w := wrt.(type) {
		case *ast.Sym:
			b[w.Name].Data[0] += d
		case *ast.Index:
			v := b[w.Name]
			if len(v.Shape) != len(w.Indices) {
				return 0, false
			}
			off := 0
			for k, ix := range w.Indices {
				iv, err := ast.Eval(ix, nil, pt)
				if err != nil {
					return 0, false
				}
				off = off*v.Shape[k] + int(iv) - 1
			}
			v.Data[off] += d
		}
		v, err := ast.Eval(f, nil, b)
		return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	const h = 1e-3
	var fs [4]float64
	for i, d := range []float64{2 * h, h, -h, -2 * h} {
		v, ok := bump(d)
		if !ok {
			return 0, false
		}
		fs[i] = v
	}
	return (-fs[0] + 8*fs[1] - 8*fs[2] + fs[3]) / (12 * h), true
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
