package texcheck

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records what the helpers report instead of stopping the test, so
// the tests can assert that failures and skips are reported. Methods it does
// not override (TempDir, Context, Setenv, ...) go to the real test.
type fakeTB struct {
	testing.TB
	skipped string
	fatal   string
	errors  []string
	logs    []string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Skip(args ...any)               { f.skipped = fmt.Sprint(args...) }
func (f *fakeTB) Fatalf(format string, a ...any) { f.fatal = fmt.Sprintf(format, a...) }
func (f *fakeTB) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeTB) Logf(format string, a ...any) { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }

// Tests that pass a fakeTB first check the tool with the real test, so that
// a missing tool skips them (or fails them under SYMDIFF_REQUIRE_TEX).
func needKaTeX(t *testing.T)    { katexReady(t) }
func needPDFLaTeX(t *testing.T) { tool(t, "pdflatex", PDFLaTeXHint) }

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("module github.com/symdiff/symdiff\n")) {
		t.Errorf("RepoRoot = %s, whose go.mod is not symdiff's", root)
	}
}

func TestKaTeXValid(t *testing.T) {
	KaTeX(t, []Formula{
		{Name: "fraction", TeX: `\frac{d}{dx}\sin\left(x^{2}\right) = 2 x \cos\left(x^{2}\right)`},
		{Name: "partial", TeX: `\frac{\partial f}{\partial x} + \sqrt{x} \cdot e^{-x}`},
		{Name: "operatorname", TeX: `\operatorname{sech}^{2}(x) - \ln\lvert x\rvert`},
		{Name: "display sum", TeX: `\sum_{i=1}^{n} w_i \left(y_i - \hat{y}_i\right)^2`, Display: true},
		{Name: "amssymb", TeX: `f \colon \mathbb{R}^n \to \mathbb{R},\ \nabla f \neq 0`},
		{Name: "matrix", TeX: `\begin{pmatrix} 1 & x \\ 0 & 1 \end{pmatrix}`, Display: true},
		{Name: "text", TeX: `x \quad \text{for } x > 0`},
	})
}

func TestKaTeXAlign(t *testing.T) {
	const rows = `\frac{d}{dx} x^2 &= 2x \\ &= 2 \cdot x`
	KaTeX(t, []Formula{
		{Name: "aligned inline", TeX: `\begin{aligned}` + rows + `\end{aligned}`},
		{Name: "aligned display", TeX: `\begin{aligned}` + rows + `\end{aligned}`, Display: true},
		{Name: "align* display", TeX: `\begin{align*}` + rows + `\end{align*}`, Display: true},
	})
	// align* is a top-level display environment: KaTeX refuses it inline,
	// as LaTeX refuses it inside math.
	r := KaTeXResults(t, []Formula{{TeX: `\begin{align*}` + rows + `\end{align*}`}})
	if r[0].OK || !strings.Contains(r[0].Error, "display mode") {
		t.Errorf("inline align*: got %+v, want a display-mode error", r[0])
	}
}

func TestKaTeXDetectsErrors(t *testing.T) {
	cases := []struct {
		f    Formula
		want string // substring of the error; "" for a formula that renders
	}{
		{Formula{TeX: `x + 1`}, ""},
		{Formula{TeX: `\frac{1}{`}, "Unexpected end of input"},
		{Formula{TeX: `\frac{1}{2}`, Display: true}, ""},
		{Formula{TeX: `\sinx`}, "Undefined control sequence"},
		{Formula{TeX: `\left( x`}, "Expected '\\right'"},
		{Formula{TeX: `x^`}, "Expected group"},
		{Formula{TeX: `x % comment`}, "commentAtEnd"},
		{Formula{TeX: `a}`}, "Expected 'EOF'"},
		{Formula{TeX: `y`}, ""},
	}
	fs := make([]Formula, len(cases))
	for i, c := range cases {
		fs[i] = c.f
	}
	results := KaTeXResults(t, fs)
	for i, c := range cases {
		r := results[i]
		switch {
		case c.want == "" && !r.OK:
			t.Errorf("%q: rejected: %s", c.f.TeX, r.Error)
		case c.want != "" && r.OK:
			t.Errorf("%q: accepted, want an error containing %q", c.f.TeX, c.want)
		case c.want != "" && !strings.Contains(r.Error, c.want):
			t.Errorf("%q: error %q, want it to contain %q", c.f.TeX, r.Error, c.want)
		}
	}
}

// KaTeX itself must fail the test, naming the formula, its TeX and the error.
func TestKaTeXReportsFailure(t *testing.T) {
	needKaTeX(t)
	f := &fakeTB{TB: t}
	KaTeX(f, []Formula{
		{Name: "good", TeX: `x^2`},
		{Name: "derivative of sin", TeX: `\frac{1}{`},
	})
	if f.skipped != "" || f.fatal != "" {
		t.Fatalf("skipped %q, fatal %q", f.skipped, f.fatal)
	}
	if len(f.errors) != 1 {
		t.Fatalf("got %d errors, want 1: %q", len(f.errors), f.errors)
	}
	for _, want := range []string{"derivative of sin", `\frac{1}{`, "KaTeX parse error"} {
		if !strings.Contains(f.errors[0], want) {
			t.Errorf("error %q does not mention %q", f.errors[0], want)
		}
	}
}

// Unicode text in math mode is LaTeX-incompatible but tolerated: the
// formula passes and the warning is logged.
func TestKaTeXWarning(t *testing.T) {
	needKaTeX(t)
	f := &fakeTB{TB: t}
	KaTeX(f, []Formula{{Name: "accent", TeX: `é + 1`}})
	if len(f.errors) != 0 || f.fatal != "" {
		t.Fatalf("errors %q, fatal %q", f.errors, f.fatal)
	}
	if len(f.logs) != 1 || !strings.Contains(f.logs[0], "unicodeTextInMathMode") {
		t.Errorf("logs = %q, want one unicodeTextInMathMode warning", f.logs)
	}
}

func TestKaTeXEmpty(t *testing.T) {
	if r := KaTeXResults(t, nil); len(r) != 0 {
		t.Errorf("KaTeXResults(nil) = %v", r)
	}
}

// A missing tool skips, unless SYMDIFF_REQUIRE_TEX is set.
func TestMissingTools(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // nothing to find
	for _, require := range []string{"", "1"} {
		t.Setenv(RequireEnv, require)
		for _, c := range []struct {
			name string
			run  func(testing.TB)
			hint string
		}{
			{"KaTeX", func(tb testing.TB) { KaTeX(tb, []Formula{{TeX: "x"}}) }, KaTeXHint},
			{"PDFLaTeX", func(tb testing.TB) { PDFLaTeX(tb, "doc", minimalDocument) }, PDFLaTeXHint},
			{"PDFToPNG", func(tb testing.TB) { PDFToPNG(tb, "x.pdf", filepath.Join(t.TempDir(), "x.png")) }, PDFToPPMHint},
		} {
			f := &fakeTB{TB: t}
			c.run(f)
			got := f.skipped
			if require != "" {
				got = f.fatal
				if f.skipped != "" {
					t.Errorf("%s with %s=1: skipped: %s", c.name, RequireEnv, f.skipped)
				}
			} else if f.fatal != "" {
				t.Errorf("%s: failed instead of skipping: %s", c.name, f.fatal)
			}
			if !strings.Contains(got, c.hint) {
				t.Errorf("%s (%s=%q): message %q, want it to contain %q", c.name, RequireEnv, require, got, c.hint)
			}
		}
	}
}

const minimalDocument = `\documentclass{article}
\usepackage{amsmath}
\usepackage{amssymb}
\pagestyle{empty}
\begin{document}
The derivative, step by step:
\begin{align*}
  \frac{d}{dx} \sin\left(x^{2}\right)
    &= \cos\left(x^{2}\right) \cdot \frac{d}{dx} x^{2} \\
    &= 2x \cos\left(x^{2}\right), \qquad x \in \mathbb{R}.
\end{align*}
Inline: $\begin{aligned} a &= b \\ c &= d \end{aligned}$ and
\[ \begin{aligned} f'(x) &= \operatorname{sech}^{2}(x) \end{aligned} \]
\end{document}
`

func TestPDFLaTeX(t *testing.T) {
	pdf := PDFLaTeX(t, "align star", minimalDocument)
	if filepath.Base(pdf) != "align_star.pdf" {
		t.Errorf("PDF path %s, want align_star.pdf", pdf)
	}
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Errorf("%s is not a PDF: %.20q", pdf, data)
	}
	// SOURCE_DATE_EPOCH makes the output reproducible.
	again, err := os.ReadFile(PDFLaTeX(t, "align star", minimalDocument))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Errorf("two compilations of the same document differ")
	}
}

func TestPDFLaTeXReportsError(t *testing.T) {
	needPDFLaTeX(t)
	for _, c := range []struct {
		name, from, to string
		want           []string
	}{
		{"typo", `\cdot \frac{d}{dx} x^{2}`, `\cdott \frac{d}{dx} x^{2}`,
			[]string{"! Undefined control sequence.", `l.11 \end{align*}`, `\cdott`}},
		{"unbalanced", `\cdot \frac{d}{dx} x^{2}`, `\cdot \frac{d}{dx x^{2}`,
			[]string{"! File ended while scanning use of \\align*."}},
		{"inline align", `Inline: $\begin{aligned}`, `Inline: $\begin{align*}`,
			[]string{"! Package amsmath Error: \\begin{align*} allowed only in paragraph mode."}},
	} {
		doc := strings.Replace(minimalDocument, c.from, c.to, 1)
		if doc == minimalDocument {
			t.Fatalf("%s: %q not in the document", c.name, c.from)
		}
		f := &fakeTB{TB: t}
		if pdf := PDFLaTeX(f, c.name, doc); pdf != "" {
			t.Errorf("%s: broken document gave a PDF %s", c.name, pdf)
		}
		if f.skipped != "" {
			t.Fatalf("skipped: %s", f.skipped)
		}
		for _, want := range append(c.want, "pdflatex failed on "+c.name, "--- document ---\n   1  \\documentclass") {
			if !strings.Contains(f.fatal, want) {
				t.Errorf("%s: failure message does not contain %q:\n%s", c.name, want, f.fatal)
			}
		}
		if strings.Contains(f.fatal, "Here is how much") {
			t.Errorf("%s: failure message has TeX's memory statistics:\n%s", c.name, f.fatal)
		}
		t.Logf("%s reported:\n%s", c.name, f.fatal)
	}
}

func TestPDFLaTeXMissingPackage(t *testing.T) {
	needPDFLaTeX(t)
	doc := strings.Replace(minimalDocument, `\usepackage{amssymb}`, `\usepackage{nosuchpackage}`, 1)
	f := &fakeTB{TB: t}
	PDFLaTeX(f, "missing", doc)
	if !strings.Contains(f.fatal, "File `nosuchpackage.sty' not found") {
		t.Errorf("failure message does not name the missing package:\n%s", f.fatal)
	}
}

func TestPDFToPNG(t *testing.T) {
	pdf := PDFLaTeX(t, "page", minimalDocument)
	out := filepath.Join(t.TempDir(), "page.png")
	PDFToPNG(t, pdf, out)
	file, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	img, err := png.Decode(file)
	if err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	b := img.Bounds()
	// A4 or US letter at 150 dpi: about 1240 or 1275 pixels wide.
	if b.Dx() < 1200 || b.Dy() < 1600 {
		t.Errorf("page is %dx%d pixels, want a full page at 150 dpi", b.Dx(), b.Dy())
	}
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				dark++
			}
		}
	}
	if dark < 1000 {
		t.Errorf("page has %d dark pixels: no text rendered?", dark)
	}
}

func TestLogExcerpt(t *testing.T) {
	log := "This is pdfTeX\n(./doc.tex\n! Undefined control sequence.\nl.7 \\foo\n         bar\nmore\n! Emergency stop.\n<*> doc.tex\n\nNo pages of output.\n"
	got := logExcerpt(log)
	want := "! Undefined control sequence.\nl.7 \\foo\n         bar\n! Emergency stop.\n<*> doc.tex\n\nNo pages of output.\n\n"
	if got != want {
		t.Errorf("logExcerpt = %q, want %q", got, want)
	}
	if got := logExcerpt("a\nb\n"); got != "a\nb\n" {
		t.Errorf("logExcerpt without errors = %q, want the tail", got)
	}
}

func TestKaTeXInstalled(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("package-lock.json", `{"packages": {"node_modules/katex": {"version": "1.2.3"}}}`)
	if err := katexInstalled(dir); err == nil || !strings.Contains(err.Error(), "node_modules/katex is missing") {
		t.Errorf("no node_modules: got %v", err)
	}
	write("node_modules/katex/package.json", `{"name": "katex", "version": "1.2.2"}`)
	if err := katexInstalled(dir); err == nil || !strings.Contains(err.Error(), "katex 1.2.2, package-lock.json pins 1.2.3") {
		t.Errorf("stale node_modules: got %v", err)
	}
	write("node_modules/katex/package.json", `{"name": "katex", "version": "1.2.3"}`)
	if err := katexInstalled(dir); err != nil {
		t.Errorf("matching node_modules: %v", err)
	}
}
