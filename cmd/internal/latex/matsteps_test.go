package latex

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/cmd/internal/texcheck"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/matsteps")

// matScripts are the matrix derivatives whose derivations are golden:
// one through the identities before the translation (logdet(inv(A))),
// two by a symmetric matrix (symmetric as it stands, and symmetrised),
// and the seed question.
var matScripts = []string{"logistic", "logdet-inv", "gaussian", "symmetrised"}

// matDerivation runs a script and returns the session's derivation of
// its last statement, a matrix derivative.
func matDerivation(t *testing.T, src string) (*session.Session, *session.Result) {
	t.Helper()
	s := session.New()
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		t.Fatal(err)
	}
	var last *session.Result
	for _, st := range stmts {
		r, err := s.Exec(context.Background(), st)
		if err != nil {
			t.Fatal(err)
		}
		last = r
	}
	if last == nil || last.Matrix == nil {
		t.Fatalf("the last statement is not a matrix result")
	}
	return s, last
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestMatrixDerivationGolden: the text (--steps) and LaTeX derivations of
// matrix derivatives show the whole chain: identities, the translation to
// index form, the index steps, the translation back, the identities after
// and the symmetrisation.
func TestMatrixDerivationGolden(t *testing.T) {
	for _, name := range matScripts {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "matsteps", name+".sd"))
			if err != nil {
				t.Fatal(err)
			}
			s, res := matDerivation(t, string(src))
			d, err := s.Steps(res)
			if err != nil || d == nil {
				t.Fatalf("Steps: %v, %v", d, err)
			}
			var b bytes.Buffer
			(&session.Printer{Style: ast.Unicode, S: s}).Derivation(&b, d, false)
			golden(t, filepath.Join("testdata", "matsteps", name+".txt"), b.String())

			tex, _ := render(t, Options{}, string(src))
			golden(t, filepath.Join("testdata", "matsteps", name+".tex"), tex)

			// The chain ends in the value the statement printed, and it
			// goes through index form and back.
			if d.Result != res.Value {
				t.Errorf("the derivation ends in %s, the value is %s", ast.String(d.Result), ast.String(res.Value))
			}
			var to, back bool
			for _, l := range d.Lines {
				to = to || l.Step.Rule != nil && l.Step.Rule.Name == matrix.RuleToIndex.Name
				back = back || l.Step.Rule == matrix.RuleFromIndex
			}
			if !to || !back {
				t.Errorf("translation to index form shown %v, back %v", to, back)
			}
		})
	}
}

// TestMatrixStepsHumanWords: every step of these derivations says in
// words why it holds, and no justification is an internal rule name.
func TestMatrixStepsHumanWords(t *testing.T) {
	var names []string
	for _, r := range matrix.TraceRules() {
		names = append(names, r.Name)
	}
	for _, name := range matScripts {
		src, err := os.ReadFile(filepath.Join("testdata", "matsteps", name+".sd"))
		if err != nil {
			t.Fatal(err)
		}
		s, res := matDerivation(t, string(src))
		d, err := s.Steps(res)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range d.Lines {
			for _, st := range []ast.Style{ast.Plain, ast.Unicode} {
				why := session.Justification(session.Explain(l.Step, l.Also), st)
				if strings.TrimSpace(why) == "" {
					t.Errorf("%s: step %d (%s) has no description", name, i+1, ast.String(l.Expr))
				}
				for _, n := range names {
					if strings.Contains(why, n) {
						t.Errorf("%s: step %d says the internal name %s: %q", name, i+1, n, why)
					}
				}
				for _, r := range l.Step.Rules() {
					if r.Name != "" && strings.Contains(r.Name, "_") && strings.Contains(why, r.Name) {
						t.Errorf("%s: step %d says the internal name %s: %q", name, i+1, r.Name, why)
					}
				}
			}
		}
	}
}

// TestMatrixDerivationTeX: the LaTeX derivations compile with pdflatex
// with no overfull box wider than texcheck.MaxOverfull, and every display
// renders in KaTeX.
func TestMatrixDerivationTeX(t *testing.T) {
	var formulas []texcheck.Formula
	var body strings.Builder
	for _, name := range matScripts {
		src, err := os.ReadFile(filepath.Join("testdata", "matsteps", name+".sd"))
		if err != nil {
			t.Fatal(err)
		}
		tex, _ := render(t, Options{}, string(src))
		body.WriteString(tex)
		formulas = append(formulas, displays(t, name, tex)...)
	}
	texcheck.KaTeX(t, formulas)
	texcheck.PDFLaTeX(t, "matsteps", Document("Matrix derivations", body.String()))
}

// displays splits rendered LaTeX into its displays: \[ \] blocks and
// align* blocks (KaTeX takes align* in display mode). A line that opens
// neither is prose, which must hold no math.
func displays(t *testing.T, name, tex string) []texcheck.Formula {
	t.Helper()
	var fs []texcheck.Formula
	ls := strings.Split(tex, "\n")
	for i := 0; i < len(ls); i++ {
		end := ""
		switch ls[i] {
		case `\[`:
			end = `\]`
		case `\begin{align*}`:
			end = `\end{align*}`
		default:
			if strings.Contains(ls[i], "$") || strings.HasPrefix(ls[i], `\`) {
				t.Errorf("%s: line %d is neither prose nor a display: %q", name, i+1, ls[i])
			}
			continue
		}
		j := i + 1
		for j < len(ls) && ls[j] != end {
			j++
		}
		if j == len(ls) {
			t.Fatalf("%s: line %d is never closed", name, i+1)
		}
		body := strings.Join(ls[i+1:j], "\n")
		if end == `\end{align*}` {
			body = `\begin{align*}` + "\n" + body + "\n" + `\end{align*}`
		}
		fs = append(fs, texcheck.Formula{TeX: body, Display: true, Name: name + ": line " + strconv.Itoa(i+1)})
		i = j
	}
	return fs
}

// TestVerbNoteTeX: what factor says besides its result is beside it when
// short, a paragraph under it when long; both render in KaTeX and
// compile within the page.
func TestVerbNoteTeX(t *testing.T) {
	tex, _ := render(t, Options{}, "factor(x^2 + 1)\nfactor(x^2 - 1)\nfactor(expand((x^20 + y^20 + x*y + 1)*(x^2*y^3 + x + 2)))\n")
	for _, want := range []string{
		`\operatorname{factor}(x^{2} + 1) = x^{2} + 1 \qquad \text{(irreducible over the rationals)}` + "\n",
		`\operatorname{factor}(x^{2} - 1) = \left(x - 1\right) \left(x + 1\right)` + "\n",
		"\n(may factor further: a factor is shown whole because",
	} {
		if !strings.Contains(tex, want) {
			t.Errorf("no %q in\n%s", want, tex)
		}
	}
	texcheck.KaTeX(t, displays(t, "verb notes", tex))
	texcheck.PDFLaTeX(t, "verb-notes", Document("Verb notes", tex))
}
