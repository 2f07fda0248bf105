// Package latex renders scripts, derivations and proofs as LaTeX (or as
// Markdown with math blocks, which GitHub renders). Every formula comes
// from ast's LaTeX printer and every step from the engine's own trace, so
// a rendered derivation cannot disagree with the result symdiff computes.
package latex

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/once"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Options choose the output form.
type Options struct {
	Doc      bool   // a complete document that pdflatex compiles
	Markdown bool   // Markdown with ```math blocks
	AllSteps bool   // list every rewrite under each step
	Title    string // the document's title
	// Warn receives the script's warnings (a definition that shadows a
	// built-in), one a line, as run writes them; nil drops them.
	Warn io.Writer
}

// Renderer writes LaTeX for a session.
type Renderer struct {
	S   *session.Session
	Opt Options
	b   strings.Builder
	// spelled are the names the document writes as spelled, so that no
	// two of its names look alike (ast.DistinctNames); see Spell.
	spelled map[string]bool
}

// New returns a renderer over a session.
func New(s *session.Session, opt Options) *Renderer { return &Renderer{S: s, Opt: opt} }

// tex writes e in LaTeX, with the names the document writes as spelled.
func (r *Renderer) tex(e ast.Expr) string {
	s, _ := ast.FormatSpelled(e, ast.LaTeX, nil, nil, r.spelled)
	return s
}

// String returns what has been rendered, wrapped in a document if asked.
func (r *Renderer) String() string {
	body := r.b.String()
	if r.Opt.Doc && !r.Opt.Markdown {
		return Document(r.Opt.Title, body)
	}
	return body
}

// Document wraps a body in a complete article.
func Document(title, body string) string {
	var b strings.Builder
	b.WriteString("\\documentclass[10pt]{article}\n")
	b.WriteString("\\usepackage{amsmath,amssymb}\n")
	b.WriteString("\\usepackage[a4paper,landscape,margin=1.5cm]{geometry}\n")
	b.WriteString("\\allowdisplaybreaks\n")
	b.WriteString("\\begin{document}\n")
	if title != "" {
		fmt.Fprintf(&b, "\\section*{%s}\n\n", Escape(title))
	}
	b.WriteString(body)
	b.WriteString("\\end{document}\n")
	return b.String()
}

// paragraph writes prose.
func (r *Renderer) paragraph(text string) {
	if r.Opt.Markdown {
		r.b.WriteString(text + "\n\n")
		return
	}
	r.b.WriteString(text + "\n\n")
}

// display writes one displayed formula.
func (r *Renderer) display(formula string) {
	if r.Opt.Markdown {
		r.b.WriteString("```math\n" + formula + "\n```\n\n")
		return
	}
	r.b.WriteString("\\[\n" + formula + "\n\\]\n\n")
}

// align writes rows "left &= right && why" as an aligned display.
func (r *Renderer) align(rows []string) {
	body := strings.Join(rows, " \\\\\n")
	if r.Opt.Markdown {
		r.b.WriteString("```math\n\\begin{aligned}\n" + body + "\n\\end{aligned}\n```\n\n")
		return
	}
	r.b.WriteString("\\begin{align*}\n" + body + "\n\\end{align*}\n\n")
}

// inline writes math inside prose.
func (r *Renderer) inline(formula string) string {
	if r.Opt.Markdown {
		return "$`" + formula + "`$"
	}
	return "$" + formula + "$"
}

// Derivation renders d(E, v) = ... as an aligned chain, a line per step.
func (r *Renderer) Derivation(d *simplify.Derivation) {
	var lines []chainLine
	for _, l := range d.Lines {
		cl := chainLine{Expr: l.Expr, Why: r.justification(session.Explain(l.Step, l.Also))}
		if r.Opt.AllSteps {
			for _, m := range l.Step.Sub {
				cl.Subs = append(cl.Subs, chainSub{simplify.Tidy(m.Before), simplify.Tidy(m.After), r.justification(session.Explain(m, nil))})
			}
		}
		lines = append(lines, cl)
	}
	if len(lines) == 0 {
		lines = append(lines, chainLine{Expr: d.Result})
	}
	r.align(r.chainRows(r.tex(d.Start), lines))
	r.ranges(session.FreeRanges(d.Ranges, d.Start, d.Result))
}

// ranges states the ranges of the free indices a result holds for.
func (r *Renderer) ranges(rs map[string]simplify.Range) {
	if len(rs) == 0 {
		return
	}
	r.paragraph("for " + r.inline(session.RangesLaTeX(rs)) + ".")
}

// justification renders why a line holds, in math mode. A definition
// that was opened is shown as an equation when it is short, by name when
// it is long (the reader has it above).
func (r *Renderer) justification(l session.Why) string {
	var parts []string
	for _, d := range l.Defs {
		if d.RHS.Size() <= maxInlineDef {
			parts = append(parts, r.tex(d.LHS)+" = "+r.tex(d.RHS))
		} else {
			parts = append(parts, "\\text{definition of } "+r.tex(d.LHS))
		}
	}
	rule := "\\text{" + Escape(l.Label) + "}"
	if l.Identity != nil {
		rule = "\\text{" + Escape(l.Label) + ": } " + r.tex(l.Identity[0]) + " = " + r.tex(l.Identity[1])
	}
	if len(l.Chain) > 0 {
		var fs []string
		for _, c := range l.Chain {
			fs = append(fs, r.derivFormula(c.Fn, c.Params, c.Wrt, c.Body))
		}
		rule = "\\text{" + Escape(l.Label) + ": } " + strings.Join(fs, ",\\ ")
	}
	if len(l.Rewrites) > 0 {
		var eqs []string
		for _, r := range l.Rewrites {
			eqs = append(eqs, session.RuleEquation(r, ast.LaTeX))
		}
		rule += `\text{: } ` + strings.Join(eqs, `,\ `)
	}
	if l.Label != "" {
		parts = append(parts, rule)
	}
	for _, a := range l.Also {
		parts = append(parts, "\\text{"+Escape(a)+"}")
	}
	return strings.Join(parts, ";\\ ")
}

// maxInlineDef is the largest definition body (in nodes) shown beside a
// step.
const maxInlineDef = 12

// derivFormula writes f'(u) = body.
func (r *Renderer) derivFormula(fn string, params []string, wrt int, body ast.Expr) string {
	args := make([]ast.Expr, len(params))
	for i, p := range params {
		args[i] = ast.NewSym(p)
	}
	head := r.tex(ast.NewCall(fn, args...))
	_, builtin := ast.LookupFunc(fn)
	i := strings.LastIndex(head, "(")
	switch {
	case i <= 0 && fn == "sqrt":
		head += "'" // \sqrt{u}' = \frac{1}{2 \sqrt{u}}
	case i <= 0 || builtin && len(params) > 1:
		// |u| has no name to prime, and \max_{b} would read as a maximum
		// over b: write the derivative as an operator.
		d := `\frac{d}{d ` + r.name(params[wrt]) + "} "
		if len(params) > 1 {
			d = `\frac{\partial}{\partial ` + r.name(params[wrt]) + "} "
		}
		head = d + head
	case len(params) > 1:
		head = head[:i] + "_{" + r.name(params[wrt]) + "}" + head[i:]
	default:
		// f(u) → f'(u): the prime goes after the function's name.
		head = head[:i] + "'" + head[i:]
	}
	return head + " = " + r.tex(body)
}

// Proof renders a proof: the chain of equalities for a proved one, the
// counterexample in a sentence for a refuted one.
func (r *Renderer) Proof(pr *prove.Proof, neq bool) {
	rel := " = "
	if neq {
		rel = " \\neq "
	}
	claim := r.inline(r.tex(pr.A) + rel + r.tex(pr.B))
	switch pr.Verdict {
	case prove.Proved:
		if neq {
			r.paragraph(fmt.Sprintf("The claim %s is false: the two sides are equal (%s).", claim, r.text(pr.Method)))
		} else {
			r.paragraph(fmt.Sprintf("Proved: %s (%s).", claim, r.text(pr.Method)))
		}
		// The conditions the plain and JSON views state under the
		// verdict (the assumptions and the sides' domains the proof used,
		// where it holds): a derivation without them claims more than was
		// proved.
		for _, n := range session.Assumed(pr.Trace) {
			r.paragraph(fmt.Sprintf("This holds %s.", r.text(n)))
		}
		if pr.Where != "" {
			r.paragraph(fmt.Sprintf("This holds %s.", r.text(pr.Where)))
		}
		var lines []chainLine
		for _, l := range pr.Lines() {
			cl := chainLine{Expr: l.Expr}
			if l.Step.Rule != nil {
				cl.Why = r.justification(session.Explain(l.Step, nil))
			}
			lines = append(lines, cl)
		}
		if len(lines) == 0 {
			lines = []chainLine{{Expr: pr.B}}
		}
		rows := r.chainRows(r.tex(pr.A), lines)
		r.align(rows)
	case prove.Refuted:
		c := pr.Counter
		point := r.point(c.Bindings)
		eq := r.inline(r.tex(pr.A) + " = " + r.tex(pr.B))
		lead := fmt.Sprintf("Refuted: %s is false.", eq)
		if neq {
			lead = fmt.Sprintf("The claim %s holds: the two sides differ.", claim)
		}
		r.paragraph(fmt.Sprintf("%s At %s the left side is %s and the right side is %s.",
			lead, point, r.inline(shorten(c.Left)), r.inline(shorten(c.Right))))
	default:
		r.paragraph(fmt.Sprintf("Undecided: %s. %s.", claim, r.text(capitalize(pr.Tried))))
	}
}

// text escapes prose for the output form (Markdown needs none).
func (r *Renderer) text(s string) string {
	if r.Opt.Markdown {
		return s
	}
	return Escape(s)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// shorten keeps 12 significant digits of a high-precision value.
func shorten(s string) string {
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		return s
	}
	return fmt.Sprintf("%.12g", f)
}

// point writes the bindings of a counterexample: n = 2, x = (...).
func (r *Renderer) point(b ast.Bindings) string {
	names := make([]string, 0, len(b))
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, r.inline(r.name(n)+" = "+valueTeX(b[n])))
	}
	switch len(parts) {
	case 0:
		return "every point (the two sides have no free names)"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func valueTeX(v ast.Value) string {
	num := func(f float64) string {
		if f == 0 {
			f = 0 // +0: a point where x is -0 is the point x = 0
		}
		return fmt.Sprint(f)
	}
	switch len(v.Shape) {
	case 0:
		return num(v.Data[0])
	case 1:
		parts := make([]string, len(v.Data))
		for i, f := range v.Data {
			parts[i] = num(f)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case 2:
		var rows []string
		for i := 0; i < v.Shape[0]; i++ {
			var cols []string
			for j := 0; j < v.Shape[1]; j++ {
				cols = append(cols, num(v.Data[i*v.Shape[1]+j]))
			}
			rows = append(rows, strings.Join(cols, " & "))
		}
		return "\\begin{pmatrix} " + strings.Join(rows, " \\\\ ") + " \\end{pmatrix}"
	}
	return "\\text{" + Escape(v.String()) + "}"
}

// Script runs a script in the session and renders every statement:
// comments as prose, definitions as displayed equations, d(...) as
// derivations, proofs as chains of equalities or counterexamples.
func (r *Renderer) Script(ctx context.Context, filename, src string) (session.Status, error) {
	stmts, err := r.S.Parse(ctx, filename, src)
	if err != nil {
		return session.BadInput, err
	}
	var es []ast.Expr
	for _, st := range stmts {
		es = append(es, stmtExprs(st.Stmt)...)
	}
	r.Spell(es...)
	comments := collectComments(src)
	status := session.OK
	prevLine := 0
	for _, st := range stmts {
		// Full-line comments before the statement become prose; a line
		// without a comment ends a paragraph.
		var prose []string
		flush := func() {
			if len(prose) > 0 {
				text := strings.Join(prose, " ")
				if !r.Opt.Markdown {
					text = Prose(text)
				}
				r.paragraph(text)
				prose = nil
			}
		}
		for line := prevLine + 1; line < st.Pos.Line; line++ {
			if c, ok := comments[line]; ok && c.full {
				prose = append(prose, c.text)
			} else {
				flush()
			}
		}
		flush()
		prevLine = st.Pos.Line + strings.Count(st.Text, "\n")
		note := ""
		if c, ok := comments[prevLine]; ok && !c.full {
			note = c.text
		}
		res, err := r.S.Exec(ctx, st)
		if err != nil {
			return session.BadInput, session.At(src, st, err)
		}
		status = session.Worse(status, res.Status)
		if r.Opt.Warn != nil {
			for _, w := range res.Warnings {
				fmt.Fprintln(r.Opt.Warn, w)
			}
		}
		if err := r.result(ctx, res, note); err != nil {
			return session.BadInput, err
		}
	}
	return status, nil
}

func (r *Renderer) result(ctx context.Context, res *session.Result, note string) error {
	suffix := ""
	if note != "" {
		suffix = " \\qquad \\text{(" + Escape(note) + ")}"
	}
	switch x := res.Stmt.(type) {
	case *ast.DefStmt:
		r.display(r.tex(res.Def.Head()) + " \\mathrel{:=} " + r.shaped(res.Def.Body) + suffix)
	case *ast.DeclStmt:
		r.display(r.shaped(ast.NewSym(x.Name)) + ` \in ` + r.shapeTeX(x.Shape) + suffix)
	case *ast.ExprStmt:
		if res.Matrix != nil {
			return r.matrixResult(ctx, res, suffix)
		}
		if _, isDeriv := res.Expr.(*ast.Deriv); isDeriv {
			d, err := r.S.StepsContext(ctx, res)
			if err != nil {
				return err
			}
			r.Derivation(d)
			return nil
		}
		// What the result says besides its value (factor: irreducible over
		// the rationals; the assumptions it used) goes beside it, or under
		// it as prose when it is long.
		long := len(res.Note) > maxInlineNote
		if res.Note != "" && !long {
			suffix += ` \qquad \text{` + Escape(strings.ReplaceAll(res.Note, "\n  ", " ")) + `}`
		}
		if res.Value == res.Expr {
			r.display(r.tex(res.Expr) + suffix)
		} else {
			r.display(r.tex(res.Expr) + " = " + r.tex(res.Value) + suffix)
		}
		if long {
			r.paragraph(Escape(strings.ReplaceAll(res.Note, "\n  ", " ")))
		}
		r.ranges(res.Ranges())
	case *ast.ProveStmt:
		r.Proof(res.Proof, x.Neq)
		r.ranges(session.FreeRanges(res.Proof.Ranges, res.Proof.A, res.Proof.B))
	case *ast.RuleStmt:
		cond := ""
		for i, c := range x.Conds {
			word := " \\quad\\text{if } "
			if i > 0 {
				word = " \\text{ and } "
			}
			cond += word + r.tex(c.X) + " " + texRel(c.Op) + " " + r.tex(c.Y)
		}
		r.display("\\text{rule " + Escape(x.Name) + ": } " + r.tex(x.LHS) + " \\to " + r.tex(x.RHS) + cond)
	case *ast.DerivStmt:
		r.display(r.derivFormula(x.Fn, x.Params, x.Wrt, x.Body))
	case *ast.ExplainStmt:
		r.Explanation(session.LossName(res.Explanation), res.Explanation)
	case *ast.AssumeStmt:
		r.display("\\text{assume } " + r.assumeTeX(x))
	}
	return nil
}

type comment struct {
	text string
	full bool // the whole line is a comment
}

// collectComments maps line numbers to their comments.
func collectComments(src string) map[int]comment {
	out := map[int]comment{}
	for i, line := range strings.Split(src, "\n") {
		j := strings.IndexByte(line, '#')
		if j < 0 {
			continue
		}
		text := strings.TrimSpace(line[j+1:])
		if text == "" {
			continue
		}
		out[i+1] = comment{text: text, full: strings.TrimSpace(line[:j]) == ""}
	}
	return out
}

// Escape protects LaTeX's special characters in text, and writes Greek
// letters (which pdflatex cannot typeset in text) as math.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '$', '&', '#', '%', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '^':
			b.WriteString(`\^{}`)
		case '~':
			b.WriteString(`\~{}`)
		default:
			switch name := ast.LaTeXName(string(r)); {
			case r < 128:
				b.WriteRune(r)
			case strings.HasPrefix(name, `\`) && !strings.HasPrefix(name, `\text`):
				b.WriteString("$" + name + "$") // a Greek letter
			case isMathSymbol(r):
				b.WriteString("$" + mathSymbol()[r] + "$")
			case textSafe(r):
				b.WriteRune(r)
			default:
				b.WriteString("?") // a character no package we load can set
			}
		}
	}
	return b.String()
}

// mathSymbol writes the symbols a comment may use as math, since
// pdflatex cannot set them as text. The table is made on first use: every
// command links this package, few write LaTeX. (A sync.Once beside the
// table, not a sync.OnceValue: that is a call every start makes.)
var mathSymbolOnce struct {
	once.Once
	m map[rune]string
}

func mathSymbol() map[rune]string {
	mathSymbolOnce.Do(func() { mathSymbolOnce.m = makeMathSymbol() })
	return mathSymbolOnce.m
}

func makeMathSymbol() map[rune]string {
	return map[rune]string{
		'·': `\cdot`, '−': `-`, '≠': `\neq`, '≤': `\leq`, '≥': `\geq`, '→': `\to`, '←': `\leftarrow`, '↔': `\leftrightarrow`,
		'⇒': `\Rightarrow`, '⇔': `\Leftrightarrow`, 'Σ': `\Sigma`, '∂': `\partial`, '∇': `\nabla`, '≈': `\approx`, '∞': `\infty`,
		'∈': `\in`, '∉': `\notin`, '⊂': `\subset`, '⊆': `\subseteq`, '∪': `\cup`, '∩': `\cap`, '∀': `\forall`, '∃': `\exists`,
		'±': `\pm`, '×': `\times`, '÷': `\div`, '≡': `\equiv`, '∝': `\propto`, '∑': `\sum`, '∏': `\prod`, '√': `\surd`,
		'∫': `\int`, '⋅': `\cdot`, '…': `\ldots`, '‖': `\|`, '⟨': `\langle`, '⟩': `\rangle`, '°': `^\circ`, '′': `'`,
		'ᵀ': `^\top`, '¹': `^1`, '²': `^2`, '³': `^3`, '⁻': `^-`, '₀': `_0`, '₁': `_1`, '₂': `_2`, '₃': `_3`, 'ℝ': `\mathbb{R}`,
		'ℕ': `\mathbb{N}`, 'ℓ': `\ell`, '⊙': `\odot`, '⊘': `\oslash`, '∘': `\circ`, '⊤': `\top`, '≪': `\ll`, '≫': `\gg`,
	}
}

func isMathSymbol(r rune) bool { _, ok := mathSymbol()[r]; return ok }

// textSafe reports whether pdflatex sets r as text with its default UTF-8
// input encoding (ASCII and the accented Latin letters).
func textSafe(r rune) bool { return r < 0x250 && r != 0xD7 && r != 0xF7 }

// Prose escapes a comment for the text of a document.
func Prose(s string) string { return Escape(s) }

// texRel is the LaTeX of a comparison of a rule's condition.
func texRel(op string) string {
	switch op {
	case ">=":
		return `\geq`
	case "<=":
		return `\leq`
	case "!=":
		return `\neq`
	case "==":
		return "="
	}
	return op
}

// assumeTeX is an assumption in LaTeX: 0 < p < 1, k \in \{1, \dots, d\},
// y_{i} \in \{0, 1\}.
func (r *Renderer) assumeTeX(a *ast.AssumeStmt) string {
	out := r.tex(a.X)
	switch {
	case a.In && a.Set != nil:
		parts := make([]string, len(a.Set))
		for i, v := range a.Set {
			parts[i] = r.tex(v)
		}
		out += " \\in \\{" + strings.Join(parts, ", ") + "\\}"
	case a.In:
		out += " \\in \\{" + r.tex(a.Lo) + ", \\dots, " + r.tex(a.Hi) + "\\}"
	}
	for i, op := range a.Ops {
		out += " " + texRel(op) + " " + r.tex(a.Rest[i])
	}
	return out
}

// AssumeTeX is an assumption in LaTeX, each name in its natural notation.
func AssumeTeX(a *ast.AssumeStmt) string { return (&Renderer{}).assumeTeX(a) }

// DeclTeX is a declaration in LaTeX: the name, in bold, and its shape.
func DeclTeX(s *session.Session, d *ast.DeclStmt) string { return (&Renderer{}).declTeX(s, d) }

// name writes a name in LaTeX, as spelled where the document needs it.
func (r *Renderer) name(n string) string { return ast.NameIn(n, ast.LaTeX, r.spelled) }

// Spell has the document write apart the names of es and of the session's
// definitions that would look alike (x1, x_1 and x[1] are all x_{1};
// lambda and λ are both \lambda): each name keeps its natural notation
// unless another name of the document takes it, and then it is written as
// spelled, \mathit{x1} (ast.DistinctNames, which says which is kept).
// Script calls it with its statements.
func (r *Renderer) Spell(es ...ast.Expr) {
	if r.S != nil {
		for _, d := range r.S.Defs.All() {
			es = append(es, d.Head(), d.Body)
		}
	}
	r.spelled = ast.DistinctNames(ast.LaTeX, es...)
}

// stmtExprs returns the expressions a statement names things in.
func stmtExprs(st ast.Stmt) []ast.Expr {
	switch x := st.(type) {
	case *ast.DefStmt:
		return []ast.Expr{x.Def.Head(), x.Def.Body}
	case *ast.ExprStmt:
		return []ast.Expr{x.X}
	case *ast.ProveStmt:
		return []ast.Expr{x.A, x.B}
	case *ast.RuleStmt:
		return []ast.Expr{x.LHS, x.RHS}
	case *ast.DerivStmt:
		es := []ast.Expr{x.Body}
		for _, p := range x.Params {
			es = append(es, ast.NewSym(p))
		}
		return es
	case *ast.AssumeStmt:
		es := append([]ast.Expr{x.X, x.Lo, x.Hi}, x.Rest...)
		return append(es, x.Set...)
	case *ast.ExplainStmt:
		return []ast.Expr{x.Loss}
	case *ast.DeclStmt:
		return []ast.Expr{ast.NewSym(x.Name)}
	}
	return nil
}
