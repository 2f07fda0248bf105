package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/repl"
	"github.com/symdiff/symdiff/cmd/internal/texcheck"
	"github.com/symdiff/symdiff/parser"
)

// The LaTeX checks: every LaTeX string the command line produces in these
// tests is rendered by KaTeX (formulas) or compiled by pdflatex (whole
// documents). Splitting the output into formulas is itself checked, so a
// formula cannot be missed because the splitter did not recognise it.

// texFormulas splits the output of `symdiff latex` (plain, --markdown or
// --doc) into the formulas it holds: every align* block (display mode,
// where KaTeX accepts align*), and each of its rows on its own (in an
// aligned environment, so that a failure names the row), every \[ \]
// display, every ```math block, and the inline math of prose ($...$, or
// $`...`$ in Markdown). A line outside these that is not prose or the
// document's preamble is an error, as is unbalanced inline math.
func texFormulas(name, out string) ([]texcheck.Formula, error) {
	var fs []texcheck.Formula
	add := func(tex string, display bool, what string) {
		fs = append(fs, texcheck.Formula{TeX: tex, Display: display, Name: fmt.Sprintf("%s: %s", name, what)})
	}
	rows := func(body, what string) {
		for i, row := range strings.Split(body, " \\\\\n") {
			add(`\begin{aligned}`+row+`\end{aligned}`, true, fmt.Sprintf("%s row %d", what, i+1))
		}
	}
	ls := strings.Split(out, "\n")
	block := func(i int, end string) (body string, next int, err error) {
		for j := i + 1; j < len(ls); j++ {
			if ls[j] == end {
				return strings.Join(ls[i+1:j], "\n"), j, nil
			}
		}
		return "", 0, fmt.Errorf("%s: line %d: %q is never closed by %q", name, i+1, ls[i], end)
	}
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		what := fmt.Sprintf("line %d", i+1)
		switch {
		case l == "":
		case l == `\begin{align*}`:
			body, j, err := block(i, `\end{align*}`)
			if err != nil {
				return nil, err
			}
			add(l+"\n"+body+"\n"+ls[j], true, "align* at "+what)
			rows(body, "align* at "+what)
			i = j
		case l == `\[`:
			body, j, err := block(i, `\]`)
			if err != nil {
				return nil, err
			}
			add(body, true, `\[ \] at `+what)
			i = j
		case l == "```math":
			body, j, err := block(i, "```")
			if err != nil {
				return nil, err
			}
			add(body, true, "math block at "+what)
			if inner, ok := strings.CutPrefix(body, "\\begin{aligned}\n"); ok {
				inner, ok = strings.CutSuffix(inner, "\n\\end{aligned}")
				if !ok {
					return nil, fmt.Errorf("%s: %s: aligned block without its end", name, what)
				}
				rows(inner, "math block at "+what)
			}
			i = j
		case strings.HasPrefix(l, `\documentclass`), strings.HasPrefix(l, `\usepackage`),
			l == `\allowdisplaybreaks`, l == `\begin{document}`, l == `\end{document}`:
		case strings.HasPrefix(l, `\`) && !strings.HasPrefix(l, `\section*{`) && !strings.HasPrefix(l, `\paragraph{`):
			return nil, fmt.Errorf("%s: %s: unexpected LaTeX outside math: %q", name, what, l)
		default: // prose, or a section title: its inline math
			inline, err := inlineMath(l)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v in %q", name, what, err, l)
			}
			for k, m := range inline {
				add(m, false, fmt.Sprintf("inline #%d at %s", k+1, what))
			}
		}
	}
	return fs, nil
}

// inlineMath returns the inline formulas of a line of prose: $`...`$
// (Markdown) or $...$, where \$ is an escaped dollar.
func inlineMath(line string) ([]string, error) {
	var out []string
	for {
		if i := strings.Index(line, "$`"); i >= 0 {
			j := strings.Index(line[i+2:], "`$")
			if j < 0 {
				return nil, errors.New("unclosed $`")
			}
			out = append(out, line[i+2:i+2+j])
			line = line[:i] + line[i+2+j+2:]
			continue
		}
		break
	}
	start := -1
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // an escaped character, such as \$ or \%
		case '$':
			if start < 0 {
				start = i + 1
			} else {
				out = append(out, line[start:i])
				start = -1
			}
		}
	}
	if start >= 0 {
		return nil, errors.New("unbalanced $")
	}
	return out, nil
}

// TestTexFormulas checks the splitter on every form it must recognise.
func TestTexFormulas(t *testing.T) {
	out := strings.Join([]string{
		`\documentclass[10pt]{article}`,
		`\usepackage{amsmath,amssymb}`,
		`\begin{document}`,
		`\section*{Title with $\sigma$}`,
		``,
		`Prose with $a = b$, 50\% and \$5, then $c$.`,
		``,
		`\[`,
		`x \mathrel{:=} 1`,
		`\]`,
		``,
		`\begin{align*}`,
		`a &= b && \text{r} \\`,
		` &= c`,
		`\end{align*}`,
		"```math",
		`\begin{aligned}`,
		`p &= q`,
		`\end{aligned}`,
		"```",
		"Markdown $`m = n`$ inline.",
		`\end{document}`,
	}, "\n")
	fs, err := texFormulas("t", out)
	if err != nil {
		t.Fatal(err)
	}
	type f struct {
		TeX     string
		Display bool
	}
	var got []f
	for _, x := range fs {
		got = append(got, f{x.TeX, x.Display})
	}
	want := []f{
		{`\sigma`, false},
		{`a = b`, false},
		{`c`, false},
		{`x \mathrel{:=} 1`, true},
		{"\\begin{align*}\na &= b && \\text{r} \\\\\n &= c\n\\end{align*}", true},
		{`\begin{aligned}a &= b && \text{r}\end{aligned}`, true},
		{`\begin{aligned} &= c\end{aligned}`, true},
		{"\\begin{aligned}\np &= q\n\\end{aligned}", true},
		{`\begin{aligned}p &= q\end{aligned}`, true},
		{`m = n`, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texFormulas (-want +got):\n%s", diff)
	}
	for _, bad := range []string{
		"\\begin{align*}\na &= b\n",
		"\\[\nx\n",
		"```math\nx\n",
		"an odd $ sign",
		"\\unexpected{command}",
	} {
		if _, err := texFormulas("bad", bad); err == nil {
			t.Errorf("texFormulas accepted %q", bad)
		}
	}
}

// textLaTeX collects the formulas of a plain-text output printed with
// --latex: result lines, the two sides of a verdict line, the lines of a
// proof's chain, and the steps of a derivation with the formulas of their
// justifications.
func textLaTeX(name, out string) []texcheck.Formula {
	var fs []texcheck.Formula
	add := func(tex, what string) {
		if strings.TrimSpace(tex) != "" {
			fs = append(fs, texcheck.Formula{TeX: tex, Name: fmt.Sprintf("%s: %s", name, what)})
		}
	}
	for i, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		what := fmt.Sprintf("line %d", i+1)
		switch {
		case strings.HasPrefix(l, "  counterexample:"), strings.HasPrefix(l, "  left:"), strings.HasPrefix(l, "  right:"),
			strings.HasPrefix(l, "  the two sides"), strings.HasPrefix(l, "  no symbolic proof"):
			// numbers and words
		case strings.HasPrefix(l, "    = "): // a proof's chain: "    = X    [rule]"
			x, _, _ := strings.Cut(strings.TrimPrefix(l, "    = "), "    [")
			add(x, what)
		case strings.HasPrefix(l, "  = "): // a derivation's step "  = X    (why)", or a simplification's "  = X    [rule]"
			x, _, _ := strings.Cut(strings.TrimPrefix(l, "  = "), "    [")
			x, why, _ := strings.Cut(x, "    (")
			add(strings.TrimSpace(x), what)
			why = strings.TrimSuffix(why, ")")
			for k, part := range strings.Split(why, "; ") {
				if _, f, ok := strings.Cut(part, ": "); ok {
					part = f
				}
				if strings.Contains(part, " = ") {
					add(part, fmt.Sprintf("%s justification %d", what, k+1))
				}
			}
		default:
			verdict, claim, ok := strings.Cut(l, ": ")
			if ok && strings.Contains("proved refuted unknown holds fails", verdict) && !strings.Contains(verdict, " ") {
				a, b, ok := strings.Cut(claim, " == ")
				if !ok {
					a, b, _ = strings.Cut(claim, " != ")
				}
				add(a, what+" left side")
				add(b, what+" right side")
				continue
			}
			add(l, what)
		}
	}
	return fs
}

// derivations are a dozen varied derivatives whose LaTeX derivations are
// rendered: indexed variables, nested functions, quotients, user functions
// from examples/activations.rules.
var derivations = []struct{ expr, wrt string }{
	{"sigma(x)^2", "x"},
	{"tanh(x)*exp(-x^2)", "x"},
	{"log(1 + exp(-y*w*x))", "w"},
	{"(x^2 + 1)/(x - 1)", "x"},
	{"Phi(z)/phi(z)", "z"},
	{"sqrt(x^2 + y^2)", "x"},
	{"1/sqrt(1 + x^2)", "x"},
	{"x^x", "x"},
	{"sin(x)*cos(x)", "x"},
	{"tanh(sigma(x)^2)", "x"},
	{"-(y*log(Phi(z)) + (1-y)*log(1-Phi(z)))", "z"},
	{"sum(i=1..n, (y[i] - w*x[i])^2)", "w"},
	{"mean(i=1..n, softplus(-y[i]*sum(j=1..d, x[i,j]*w[j])))", "w[k]"},
	{"sum(i=1..n, sum(j=1..d, x[i,j]*W[j,i]))", "W[a,b]"},
	{"log(sum(c=1..K, exp(s[c])))", "s[l]"},
	{"swish(a*t)", "t"},
	{"gelu(t)^2", "t"},
	{"mean(i=1..n, (swish(sum(j=1..d, x[i,j]*w[j])) - y[i])^2)", "w[k]"},
}

// collect runs symdiff and requires the status.
func collect(t *testing.T, status int, args ...string) string {
	t.Helper()
	stdout, stderr, got := runMain(t, args...)
	if got != status {
		t.Fatalf("symdiff %s: status %d, want %d; stderr:\n%s", strings.Join(args, " "), got, status, stderr)
	}
	return stdout
}

// TestKaTeX renders with KaTeX every formula of the LaTeX goldens, of the
// printer's expression corpus, of the derivations above, of proofs of every
// verdict, of the --latex printers and of the REPL's :latex.
func TestKaTeX(t *testing.T) {
	root := repoRoot(t)
	act := filepath.Join(root, "examples", "activations.rules")
	logistic := filepath.Join(root, "examples", "logistic.sd")
	var all []texcheck.Formula
	fromTeX := func(name, out string) {
		t.Helper()
		fs, err := texFormulas(name, out)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			t.Fatalf("%s: no formula in:\n%s", name, out)
		}
		all = append(all, fs...)
	}

	// The LaTeX goldens.
	for _, g := range []string{"ce_wk.latex.golden", "ce_wk.markdown.golden", "logistic.latex.golden", "losses.latex.golden"} {
		fromTeX(g, readGolden(t, g))
	}
	nGolden := len(all)

	// explain's arguments, for the seed example and the seed claims.
	fromTeX("explain --latex logistic.sd", collect(t, 0, "explain", "--latex", logistic))
	fromTeX("explain --markdown seed-claims.sd", collect(t, 0, "explain", "--markdown", "--one-hot", filepath.Join(root, "examples", "seed-claims.sd")))

	// The printer's corpus, if present (read-only; another engineer owns
	// it): symdiff print --latex of every expression. print knows no user
	// functions, so for the lines using g(u) and h(u, v) the same printer is
	// called directly with the context the corpus describes.
	nCorpus := 0
	if f, err := os.Open(filepath.Join(root, "testdata", "printer", "exprs.txt")); err == nil {
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			src := strings.TrimSpace(sc.Text())
			if src == "" || strings.HasPrefix(src, "#") {
				continue
			}
			stdout, stderr, status := runMain(t, "print", "--latex", "--", src)
			tex := strings.TrimSuffix(stdout, "\n")
			if status != 0 {
				e, err := parser.ParseExpr(src, &parser.Context{Funcs: map[string]int{"g": 1, "h": 2}})
				if err != nil {
					t.Errorf("exprs.txt:%d: symdiff print --latex %q: status %d: %s", n, src, status, stderr)
					continue
				}
				tex = ast.LaTeXString(e)
			}
			all = append(all, texcheck.Formula{TeX: tex, Name: fmt.Sprintf("exprs.txt:%d %s", n, src)})
			nCorpus++
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}

	// Derivations, plain and (for two) Markdown and --all-steps.
	for _, d := range derivations {
		fromTeX("d("+d.expr+", "+d.wrt+")", collect(t, 0, "latex", "--rules", act, "--wrt", d.wrt, "--", d.expr))
	}
	fromTeX("markdown d(CE, z[m])", collect(t, 0, "latex", "--markdown", "--defs", logistic, "CE", "--wrt", "z[m]"))
	fromTeX("all-steps d(CE, z[m])", collect(t, 0, "latex", "--all-steps", "--defs", logistic, "CE", "--wrt", "z[m]"))
	fromTeX("all-steps d(swish)", collect(t, 0, "latex", "--all-steps", "--rules", act, "swish(a*t)", "--wrt", "t"))

	// Proofs of every verdict (the script's worst is a refutation), as
	// LaTeX and Markdown; a script with rules and user functions.
	proofs := filepath.Join("testdata", "latex", "proofs.sd")
	fromTeX("proofs.sd", collect(t, 1, "latex", proofs))
	fromTeX("proofs.sd markdown", collect(t, 1, "latex", "--markdown", proofs))
	fromTeX("activations.sd", collect(t, 0, "latex", "--rules", act, filepath.Join(root, "examples", "activations.sd")))
	fromTeX("activations.rules as a script", collect(t, 0, "latex", act))

	// The --latex printers of the other commands.
	for _, c := range []struct {
		status int
		args   []string
	}{
		{0, []string{"diff", "--latex", "sigma(x)^2", "x"}},
		{0, []string{"diff", "--latex", "--defs", logistic, "CE", "w[k]"}},
		{0, []string{"diff", "--steps", "--latex", "--defs", logistic, "CE", "w[k]"}},
		{0, []string{"diff", "--steps", "--latex", "--rules", act, "gelu(t)^2", "t"}},
		{0, []string{"simplify", "--latex", "--steps", "log(sigma(u)/(1 - sigma(u)))"}},
		{0, []string{"prove", "--latex", "sigma(x)", "1/(1+exp(-x))"}},
		{1, []string{"prove", "--latex", "sum(i=1..n, A[i,j]*w[i])", "sum(i=1..n, A[i,j])*w[1]"}},
		{3, []string{"prove", "--latex", "sum(i=1..n, 1/(i*(i+1)))", "1 - 1/(n+1)"}},
		{1, []string{"prove", "--latex", "--neq", "sigma(x)", "1 - sigma(-x)"}},
		{0, []string{"run", "--latex", "--steps", logistic}},
	} {
		fs := textLaTeX(strings.Join(c.args[:2], " "), collect(t, c.status, c.args...))
		if len(fs) == 0 {
			t.Fatalf("symdiff %s: no formula", strings.Join(c.args, " "))
		}
		all = append(all, fs...)
	}

	// The REPL's :latex, of a derivation and of a simplified expression.
	var out, errb bytes.Buffer
	r := repl.New(&out, &errb)
	for _, line := range []string{"p[i] := sigma(z[i])", "d(y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]), z[i])", ":latex"} {
		r.Feed(context.Background(), line)
	}
	i := strings.Index(out.String(), "\\begin{align*}")
	if i < 0 {
		t.Fatalf("repl :latex printed no derivation:\n%s", out.String())
	}
	fromTeX("repl :latex of a derivation", out.String()[i:])
	out.Reset()
	r.Feed(context.Background(), "sigma(0)*x/x + mean(i=1..n, y[i])")
	r.Feed(context.Background(), ":latex")
	if errb.Len() > 0 {
		t.Fatalf("repl: %s", errb.String())
	}
	_, expr, _ := strings.Cut(out.String(), "\n")
	all = append(all, texcheck.Formula{TeX: strings.TrimSpace(expr), Name: "repl :latex of an expression"})

	t.Logf("KaTeX renders %d formulas (%d from the LaTeX goldens, %d from exprs.txt)", len(all), nGolden, nCorpus)
	texcheck.KaTeX(t, all)
}

// TestPDFLaTeX compiles documents that `symdiff latex --doc` writes, of
// every example and of the scripts the command-line tests render (their
// files taken from the txtar archives), with no overfull box wider than
// texcheck.MaxOverfull. The corpus of losses (softmax, the two-layer
// network) is compiled by TestCorpusLaTeX, the matrix derivations one by
// one by the latex package's TestMatrixDerivationTeX, the README image by
// TestImage.
func TestPDFLaTeX(t *testing.T) {
	root := repoRoot(t)
	logistic := filepath.Join(root, "examples", "logistic.sd")
	act := filepath.Join(root, "examples", "activations.rules")
	ex := func(name string) string { return filepath.Join(root, "examples", name) }
	scripts := t.TempDir()
	fromArchive := func(archive, file string) string {
		a, err := txtar.ParseFile(filepath.Join("testdata", "script", archive))
		if err != nil {
			t.Fatal(err)
		}
		var body []byte
		for _, f := range a.Files {
			if f.Name == file {
				body = append(body, f.Data...)
			}
		}
		if body == nil {
			t.Fatalf("%s holds no %s", archive, file)
		}
		path := filepath.Join(scripts, strings.TrimSuffix(archive, ".txtar")+"-"+file)
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	small, notes, verbs := fromArchive("latex.txtar", "small.sd"), fromArchive("algebra.txtar", "notes.sd"), fromArchive("algebra.txtar", "verbs.sd")
	for _, c := range []struct {
		name   string
		status int
		args   []string
	}{
		{"logistic", 0, []string{"latex", "--doc", logistic}},
		{"derivation", 0, []string{"latex", "--doc", "--defs", logistic, "CE", "--wrt", "w[k]"}},
		{"proofs", 1, []string{"latex", "--doc", "--title", "Proofs: 100% & more", filepath.Join("testdata", "latex", "proofs.sd")}},
		{"activations", 0, []string{"latex", "--doc", "--all-steps", "--rules", act, filepath.Join(root, "examples", "activations.sd")}},
		{"explain", 0, []string{"explain", "--latex", "--doc", logistic}},
		{"latex-explain", 0, []string{"latex", "--doc", logistic, "--explain", "CE", "--explain", "SQ"}},
		{"seed-claims", 0, []string{"latex", "--doc", filepath.Join(root, "examples", "seed-claims.sd")}},
		{"explain-seed", 0, []string{"explain", "--latex", "--doc", "--one-hot", filepath.Join(root, "examples", "seed-claims.sd")}},
		{"losses", 0, []string{"latex", "--doc", filepath.Join(root, "examples", "losses.sd")}},
		{"losses-all-steps", 0, []string{"latex", "--doc", "--all-steps", ex("losses.sd")}},
		{"logistic-matrix", 0, []string{"latex", "--doc", ex("logistic-matrix.sd")}},
		{"logistic-matrix-all-steps", 0, []string{"latex", "--doc", "--all-steps", ex("logistic-matrix.sd")}},
		{"explain-matrix", 0, []string{"latex", "--doc", ex("explain-matrix.sd")}},
		{"explain-matrix-argument", 0, []string{"explain", "--latex", "--doc", ex("explain-matrix.sd")}},
		{"seed-claims-all-steps", 0, []string{"latex", "--doc", "--all-steps", ex("seed-claims.sd")}},
		{"derivation-all-steps", 0, []string{"latex", "--doc", "--all-steps", "--defs", logistic, "CE", "--wrt", "z[m]"}},
		{"small", 0, []string{"latex", "--doc", "--title", "Losses & gradients", small}},
		{"verb-notes", 0, []string{"latex", "--doc", notes}},
		{"verbs", 0, []string{"latex", "--doc", verbs}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			doc := collect(t, c.status, c.args...)
			if !strings.HasPrefix(doc, `\documentclass`) || !strings.HasSuffix(doc, "\\end{document}\n") {
				t.Fatalf("not a document:\n%s", doc)
			}
			pdf := texcheck.PDFLaTeX(t, c.name, doc)
			if fi, err := os.Stat(pdf); err != nil || fi.Size() == 0 {
				t.Errorf("no PDF: %v", err)
			}
		})
	}
}
