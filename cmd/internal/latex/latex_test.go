package latex

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/session"
)

// render runs a script through a fresh session's renderer.
func render(t *testing.T, opt Options, src string) (string, session.Status) {
	t.Helper()
	r := New(session.New(), opt)
	status, err := r.Script(context.Background(), "t.sd", src)
	if err != nil {
		t.Fatalf("Script(%q): %v", src, err)
	}
	return r.String(), status
}

// TestScript renders each kind of statement.
func TestScript(t *testing.T) {
	for _, c := range []struct {
		name   string
		opt    Options
		src    string
		want   string
		status session.Status
	}{
		{"definition with its trailing comment", Options{}, "f := x^2   # a square\n",
			"\\[\nf \\mathrel{:=} x^{2} \\qquad \\text{(a square)}\n\\]\n\n", session.OK},
		{"comments before a statement become prose", Options{}, "# The model,\n# in index notation: 100% & more.\np[i] := sigma(z[i])\n",
			"The model, in index notation: 100\\% \\& more.\n\n\\[\np_{i} \\mathrel{:=} \\sigma(z_{i})\n\\]\n\n", session.OK},
		{"an expression and its value", Options{}, "x + x\n",
			"\\[\nx + x = 2 x\n\\]\n\n", session.OK},
		{"an expression that is its own value", Options{}, "x\n",
			"\\[\nx\n\\]\n\n", session.OK},
		{"a derivative rule", Options{}, "swish(u) := u*sigma(u)\nderiv swish(u) = swish(u) + sigma(u)*(1 - swish(u))\n",
			"\\[\n\\operatorname{swish}(u) \\mathrel{:=} u \\sigma(u)\n\\]\n\n\\[\n\\operatorname{swish}'(u) = \\operatorname{swish}(u) + \\sigma(u) \\left(1 - \\operatorname{swish}(u)\\right)\n\\]\n\n", session.OK},
		{"a derivative rule of two arguments", Options{}, "f(u, v) := u*v\nderiv f(u, v) wrt v = u\n",
			"\\[\nf(u, v) \\mathrel{:=} u v\n\\]\n\n\\[\nf_{v}(u, v) = u\n\\]\n\n", session.OK},
		{"a derivation", Options{}, "d(x^2, x)\n",
			"\\begin{align*}\n\\frac{\\partial}{\\partial x} \\left(x^{2}\\right) &= 2 x && \\text{power rule, derivative of a variable}\n\\end{align*}\n\n", session.OK},
		{"markdown", Options{Markdown: true}, "# Note.\nd(x^2, x)\nprove x == y\n",
			"Note.\n\n```math\n\\begin{aligned}\n\\frac{\\partial}{\\partial x} \\left(x^{2}\\right) &= 2 x && \\text{power rule, derivative of a variable}\n\\end{aligned}\n```\n\n" +
				"Refuted: $`x = y`$ is false. At $`x = 1`$ and $`y = -1.25`$ the left side is $`1`$ and the right side is $`-1.25`$.\n\n", session.Refuted},
		{"refuted with a matrix", Options{}, "prove sum(i=1..n, A[i,j]*w[i]) == sum(i=1..n, A[i,j])*w[1]\n",
			"Refuted: $\\sum_{i=1}^{n} A_{ij} w_{i} = \\left(\\sum_{i=1}^{n} A_{ij}\\right) w_{1}$ is false. At $A = \\begin{pmatrix} -0.75 & 1.75 \\\\ 1 & 0.75 \\end{pmatrix}$, $j = 2$, $n = 2$ and $w = (-1.5, -1.25)$ the left side is $-3.5625$ and the right side is $-3.75$.\n\n", session.Refuted},
		{"!= that holds", Options{}, "prove sigma(x) != 1/(1 + exp(x))\n",
			"The claim $\\sigma(x) \\neq \\frac{1}{1 + \\exp(x)}$ holds: the two sides differ. At $x = 1$ the left side is $0.73105857863$ and the right side is $0.26894142137$.\n\n", session.OK},
		{"a claim about constants", Options{}, "c := 2\nprove c == 3\n",
			"\\[\nc \\mathrel{:=} 2\n\\]\n\nRefuted: $c = 3$ is false. At every point (the two sides have no free names) the left side is $2$ and the right side is $3$.\n\n", session.Refuted},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, status := render(t, c.opt, c.src)
			if diff := cmp.Diff(strings.Split(c.want, "\n"), strings.Split(got, "\n")); diff != "" {
				t.Errorf("Script(%q) (-want +got):\n%s", c.src, diff)
			}
			if status != c.status {
				t.Errorf("status %d, want %d", status, c.status)
			}
		})
	}
}

// TestScriptErrors: a script with an error renders nothing and says where.
func TestScriptErrors(t *testing.T) {
	r := New(session.New(), Options{})
	status, err := r.Script(context.Background(), "bad.sd", "a := 1\nb := (a +\n")
	if err == nil || !strings.HasPrefix(err.Error(), "bad.sd:2:6: unclosed \"(\"") || status != session.BadInput {
		t.Errorf("Script of a broken file: status %d, error %v", status, err)
	}
	if r.String() != "" {
		t.Errorf("a broken script rendered %q", r.String())
	}
}

// TestRuleConditionShown: a rule's side condition is part of what it says.
func TestRuleConditionShown(t *testing.T) {
	got, _ := render(t, Options{}, "swish(u) := u*sigma(u)\nrule so: swish(u)/u -> sigma(u) if u != 0\n")
	if !strings.Contains(got, `u \neq 0`) {
		t.Errorf("the condition u != 0 is missing:\n%s", got)
	}
}

// TestCommentParagraphs: a blank line between comments separates
// paragraphs.
func TestCommentParagraphs(t *testing.T) {
	got, _ := render(t, Options{}, "# First.\n\n# Second.\nx\n")
	if !strings.HasPrefix(got, "First.\n\nSecond.\n\n") {
		t.Errorf("paragraphs joined:\n%s", got)
	}
}

func TestDocument(t *testing.T) {
	got := Document("Losses & gradients_1", "Body.\n\n")
	want := "\\documentclass[10pt]{article}\n\\usepackage{amsmath,amssymb}\n\\usepackage[a4paper,landscape,margin=1.5cm]{geometry}\n\\allowdisplaybreaks\n\\begin{document}\n" +
		"\\section*{Losses \\& gradients\\_1}\n\nBody.\n\n\\end{document}\n"
	if got != want {
		t.Errorf("Document:\n%s\nwant:\n%s", got, want)
	}
	if got := Document("", "B\n"); strings.Contains(got, `\section`) {
		t.Errorf("a document without a title has a section:\n%s", got)
	}
	// The renderer wraps only with Doc, and never Markdown.
	r := New(session.New(), Options{Doc: true, Title: "T"})
	if _, err := r.Script(context.Background(), "t.sd", "x\n"); err != nil {
		t.Fatal(err)
	}
	if s := r.String(); !strings.HasPrefix(s, `\documentclass`) || !strings.Contains(s, "\\section*{T}\n") {
		t.Errorf("Doc output:\n%s", s)
	}
	r = New(session.New(), Options{Doc: true, Markdown: true})
	if _, err := r.Script(context.Background(), "t.sd", "x\n"); err != nil {
		t.Fatal(err)
	}
	if s := r.String(); strings.Contains(s, `\documentclass`) {
		t.Errorf("Markdown output is wrapped in a document:\n%s", s)
	}
}

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, 1 + 2 = 3.", "plain text, 1 + 2 = 3."},
		{`50% & $5 #1 a_b {c}`, `50\% \& \$5 \#1 a\_b \{c\}`},
		{`~ ^ \`, `\~{} \^{} \textbackslash{}`},
		{"σ(z) and λ", `$\sigma$(z) and $\lambda$`},
		{"ŷ", `$\hat{y}$`},
		{"a·b − c ≠ d ≤ e ≥ f → g", `a$\cdot$b $-$ c $\neq$ d $\leq$ e $\geq$ f $\to$ g`},
		{"Σ ∂ x² Xᵀ", `$\Sigma$ $\partial$ x$^2$ X$^\top$`},
		{"∂ℓ/∂z", `$\partial$$\ell$/$\partial$z`}, // explain's notes say ∂ℓ/∂z
		{"café", "café"}, // accented letters are text (pdflatex reads UTF-8)
	} {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if Prose("50%") != `50\%` {
		t.Errorf("Prose does not escape")
	}
}

// TestEscapeMathSymbols: symbols a comment about mathematics is likely to
// hold must not reach the text raw, where pdflatex cannot typeset them.
func TestEscapeMathSymbols(t *testing.T) {
	for _, r := range "≈∇∈×∞′ℓ⊙⊘" {
		if got := Escape(string(r)); strings.ContainsRune(got, r) {
			t.Errorf("Escape(%q) = %q: the symbol is left in the text", string(r), got)
		}
	}
}
