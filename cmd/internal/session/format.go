package session

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Output. Plain text is line-oriented: a value is one line in the chosen
// printer's syntax (the input syntax by default, so it can be pasted back
// in); a proof is a verdict line, "proved: A == B", followed by indented
// detail lines. JSON is one object per result.

// A Printer formats results.
type Printer struct {
	Style ast.Style
	Steps bool // show proof chains
	S     *Session
	// Ctx bounds the work the printer does itself, with S's time limit
	// (a matrix result's derivation, which JSON lists): once it is done,
	// that work stops and the output says so. Nil is no bound but S's.
	Ctx context.Context
	// StepsStopped is why writing out a result's steps was stopped (by Ctx
	// or the time limit), set by JSON: the output is complete but for the
	// steps, and the command exits as a stopped statement does.
	StepsStopped error
	// Stopped is why printing a result's value was stopped (by Ctx or
	// the time limit), set by Value, Result and JSON: the output is not to
	// be written, and the command fails as a stopped statement does.
	// Result returns it.
	Stopped error
	// Spelled are the names written as spelled rather than in their
	// natural notation, so that no two names look alike (see
	// ast.DistinctNames): set for a document or a derivation. When it is
	// nil, the Unicode printer works it out for each expression (lambda
	// next to λ).
	Spelled map[string]bool
}

// spelled returns the names to write as spelled in e.
func (p *Printer) spelled(e ast.Expr) map[string]bool {
	if p.Spelled == nil && p.Style == ast.Unicode {
		return ast.DistinctNames(ast.Unicode, e)
	}
	return p.Spelled
}

// Expr prints an expression in the printer's style.
func (p *Printer) Expr(e ast.Expr) string {
	if sp := p.spelled(e); len(sp) > 0 {
		var shapes map[string]ast.Shape
		var defs *ast.Defs
		if p.S != nil {
			shapes, defs = p.S.Decls, p.S.Defs
		}
		s, _ := ast.FormatSpelled(e, p.Style, shapes, defs, sp)
		return s
	}
	if p.S != nil && p.Style == ast.LaTeX {
		s, _ := ast.FormatShaped(e, p.Style, p.S.Decls)
		return s
	}
	if p.S != nil {
		// sigmoid(x) where the user's sigma(u) := ... is in force.
		s, _ := ast.FormatIn(e, p.Style, p.S.Defs)
		return s
	}
	s, _ := ast.Format(e, p.Style)
	return s
}

// plain prints an expression in the input syntax, as it reads in the
// session (see ast.FormatIn).
func (p *Printer) plain(e ast.Expr) string {
	if p.S == nil {
		return ast.String(e)
	}
	s, _ := ast.FormatIn(e, ast.Plain, p.S.Defs)
	return s
}

// Value prints a result's value in the printer's style, with its shared
// subexpressions named once when its tree is much larger than its DAG
// (ast.Share): "u2*cos(x) where u1 = sin(x), u2 = sin(u1)", which parses
// back to the same expression.
func (p *Printer) Value(e ast.Expr) string { return p.shared(e).String(p.Style) }

func (p *Printer) shared(e ast.Expr) ast.Shared {
	var shapes map[string]ast.Shape
	var defs *ast.Defs
	if p.S != nil {
		shapes, defs = p.S.Decls, p.S.Defs
	}
	return p.printing(func(ctx context.Context) (ast.Shared, error) {
		return ast.FormatSharedSpelled(ctx, e, p.Style, shapes, defs, p.spelled(e))
	})
}

// bound is the context the printer's own work runs under: Ctx (or none)
// with the session's time limit, a window of its own.
func (p *Printer) bound() (context.Context, context.CancelFunc) {
	ctx := p.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if p.S == nil {
		return ctx, func() {}
	}
	return p.S.limit(ctx)
}

// printing runs a printer of a result under Ctx and the session's time
// limit (writing sin nested 100,000 deep takes a tenth of a second and
// more, which Ctrl-C must cut short too); once stopped, p.Stopped says
// why, and the text is not to be used.
func (p *Printer) printing(print func(context.Context) (ast.Shared, error)) ast.Shared {
	if p.Stopped != nil {
		return ast.Shared{}
	}
	ctx, cancel := p.bound()
	defer cancel()
	s, err := print(ctx)
	if err != nil && ctx.Err() != nil {
		p.Stopped = fmt.Errorf("%w (printing the result)", explain(err, ctx))
	}
	return s
}

// whereJSON lists the named subexpressions of a value for tools:
// [{"name": "u1", "expr": "sin(x)"}, ...], in the input syntax.
func whereJSON(s ast.Shared) []map[string]string {
	out := make([]map[string]string, len(s.Named))
	for i, n := range s.Named {
		out[i] = map[string]string{"name": n.Name, "expr": s.Defs[i]}
	}
	return out
}

// Result writes r as text. When printing it was stopped (Ctrl-C, the
// time limit), it writes nothing and returns why (p.Stopped).
func (p *Printer) Result(w io.Writer, r *Result) error {
	switch {
	case r.Value != nil:
		v := p.Value(r.Value)
		if p.Stopped != nil {
			return p.Stopped
		}
		// The ranges the result holds for follow it as a comment, so that
		// the line still parses: mean(...)  # for k = 1..d
		if rs := r.ranges(); len(rs) > 0 {
			fmt.Fprintf(w, "%s%s\n", v, p.RangeNote(rs))
		} else {
			fmt.Fprintln(w, v)
		}
		if r.Note != "" {
			fmt.Fprintln(w, "  "+r.Note)
		}
		if r.Simplified != nil && r.Simplified.Stop != simplify.StopFixpoint && r.Simplified.Stop != simplify.StopCycle {
			fmt.Fprintf(w, "  (simplification stopped early: %s: %s)\n", r.Simplified.Stop, r.Simplified.Detail)
		}
	case r.Proof != nil:
		p.Proof(w, r.Proof, r.Neq)
	case r.Explanation != nil:
		p.Explanation(w, LossName(r.Explanation), r.Explanation)
	}
	return nil
}

// FreeRanges keeps the ranges of the indices that occur free in es: a
// result in matrix notation (X'*r) holds for every entry, and the index
// its computation used inside is not the reader's.
func FreeRanges(r map[string]simplify.Range, es ...ast.Expr) map[string]simplify.Range {
	out := map[string]simplify.Range{}
	for k, v := range r {
		for _, e := range es {
			if e != nil && ast.HasFree(e, k) {
				out[k] = v
				break
			}
		}
	}
	return out
}

// RangesText states the ranges of free indices: "k = 1..d, m = 1..n".
func RangesText(r map[string]simplify.Range, st ast.Style) string {
	return simplify.FormatRanges(r, func(e ast.Expr) string {
		s, _ := ast.Format(e, st)
		return s
	})
}

// RangeNote is what follows a result that holds for index ranges: a
// comment in the input syntax and in Unicode ("  # for k = 1..d"), so the
// line still parses, and in LaTeX "\quad \text{for } k = 1, \dots, d".
func (p *Printer) RangeNote(r map[string]simplify.Range) string {
	if p.Style == ast.LaTeX {
		return ` \quad \text{for } ` + RangesLaTeX(r)
	}
	return "  # for " + RangesText(r, p.Style)
}

// RangesLaTeX is k = 1, \dots, d for each range.
func RangesLaTeX(r map[string]simplify.Range) string {
	return simplify.FormatRangesWith(r, func(k string, lo, hi ast.Expr) string {
		h := `\infty`
		if hi != nil {
			h = ast.LaTeXString(hi)
		}
		return ast.LaTeXString(ast.NewSym(k)) + " = " + ast.LaTeXString(lo) + `, \dots, ` + h
	})
}

// RangesJSON is the ranges of free indices as JSON: {"k": "1..d"}.
func RangesJSON(r map[string]simplify.Range) map[string]string {
	out := map[string]string{}
	for k, v := range r {
		hi := ""
		if v.Hi != nil {
			hi = ast.String(v.Hi)
		}
		out[k] = ast.String(v.Lo) + ".." + hi
	}
	return out
}

// Verdict is the first word of a proof's line.
func Verdict(pr *prove.Proof, neq bool) string {
	if !neq {
		return pr.Verdict.String()
	}
	switch pr.Verdict {
	case prove.Refuted:
		return "holds"
	case prove.Proved:
		return "fails"
	}
	return "unknown"
}

// Claim prints the statement a proof is about: A == B or A != B.
func (p *Printer) Claim(pr *prove.Proof, neq bool) string {
	op := " == "
	if neq {
		op = " != "
	}
	return p.Expr(pr.A) + op + p.Expr(pr.B)
}

// Proof writes a proof's verdict and evidence.
func (p *Printer) Proof(w io.Writer, pr *prove.Proof, neq bool) {
	fmt.Fprintf(w, "%s: %s\n", Verdict(pr, neq), p.Claim(pr, neq))
	if rs := FreeRanges(pr.Ranges, pr.A, pr.B); len(rs) > 0 {
		fmt.Fprintf(w, "  for %s\n", RangesText(rs, p.Style))
	}
	switch pr.Verdict {
	case prove.Proved:
		for _, n := range Assumed(pr.Trace) {
			fmt.Fprintf(w, "  (%s)\n", n)
		}
		if pr.Where != "" {
			fmt.Fprintf(w, "  (%s)\n", pr.Where)
		}
		if neq {
			fmt.Fprintf(w, "  the two sides are equal (%s)\n", pr.Method)
		}
		if p.Steps || neq {
			p.chain(w, pr)
		}
	case prove.Refuted:
		c := pr.Counter
		if point := c.Point(); point != "" {
			fmt.Fprintf(w, "  counterexample: %s\n", point)
		} else {
			fmt.Fprintf(w, "  the two sides are different numbers\n")
		}
		fmt.Fprintf(w, "  left:  %s\n  right: %s\n", c.Left, c.Right)
		if c.Diff != "" {
			fmt.Fprintf(w, "  left - right: %s\n", c.Diff)
		}
	case prove.Unknown:
		fmt.Fprintf(w, "  %s\n", pr.Tried)
	}
}

func (p *Printer) chain(w io.Writer, pr *prove.Proof) {
	for _, l := range pr.Lines() {
		if l.Step.Rule == nil {
			fmt.Fprintf(w, "    = %s\n", p.Expr(l.Expr))
		} else {
			fmt.Fprintf(w, "    = %s    [%s]\n", p.Expr(l.Expr), Justification(Explain(l.Step, nil), ast.Plain))
		}
	}
}

// Derivation writes a derivation, a line per step.
func (p *Printer) Derivation(w io.Writer, d *simplify.Derivation, all bool) {
	fmt.Fprintln(w, p.Expr(d.Start))
	width := 0
	lines := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		lines[i] = p.Expr(l.Expr)
		width = max(width, len([]rune(lines[i])))
	}
	width = min(width, 100)
	for i, l := range d.Lines {
		pad := strings.Repeat(" ", max(0, width-len([]rune(lines[i]))))
		fmt.Fprintf(w, "  = %s%s    (%s)\n", lines[i], pad, Justification(Explain(l.Step, l.Also), p.Style))
		if all {
			for _, m := range l.Step.Sub {
				fmt.Fprintf(w, "        %s: %s → %s\n", RuleWords(m.Rule), p.Expr(simplify.Tidy(m.Before)), p.Expr(simplify.Tidy(m.After)))
			}
		}
	}
}

// A Why is a step's justification, ready to be written in any syntax.
type Why struct {
	Defs     []*rules.Rule // definitions opened on the way: head = body
	Label    string        // the rules applied, in words
	Chain    []*rules.Rule // the derivative rules the chain rule used
	Identity *[2]ast.Expr  // an equation the step uses, shown beside it
	Rewrites []*rules.Rule // identities of the rule files applied, shown as equations
	Also     []string      // justifications of steps merged into this one
}

// isRewrite reports whether a rule is an identity of a rule file: it is
// shown as its equation (e^0 = 1), never by its name (exp_zero).
func isRewrite(r *rules.Rule) bool {
	return r != nil && (r.Kind == rules.Simplify || r.Kind == rules.Basis) && r.LHS != nil && r.RHS != nil
}

// RuleEquation is a rewrite rule as the equation it states, with its
// condition: exp(log(u)) = u for u > 0.
func RuleEquation(r *rules.Rule, st ast.Style) string {
	a, _ := ast.Format(r.LHS, st)
	b, _ := ast.Format(r.RHS, st)
	out := a + " = " + b
	if len(r.Conds) > 0 {
		var cs []string
		for _, c := range r.Conds {
			x, _ := ast.Format(c.X, st)
			y, _ := ast.Format(c.Y, st)
			op := c.Op
			if st == ast.LaTeX {
				op = map[string]string{">=": `\geq`, "<=": `\leq`, "!=": `\neq`, "==": "="}[op]
				if op == "" {
					op = c.Op
				}
				cs = append(cs, x+" "+op+" "+y)
				continue
			}
			cs = append(cs, x+" "+op+" "+y)
		}
		sep, and := " for ", " and "
		if st == ast.LaTeX {
			sep, and = `\ \text{for } `, `,\ `
		}
		out += sep + strings.Join(cs, and)
	}
	return out
}

// Explain says why a step holds, from the step's rule and the rules its
// sub-steps used; also are steps merged into it.
func Explain(st rules.Step, also []rules.Step) Why {
	var w Why
	for _, r := range st.Uses {
		if r.Kind == rules.Definition {
			w.Defs = append(w.Defs, r)
		}
	}
	switch {
	case st.Rule == nil:
	case st.Rule == derive.RuleChain:
		// The chain rule, and the bookkeeping that finished its round.
		names := []string{st.Rule.Doc}
		for _, s := range st.Sub {
			if d := s.Rule.Doc; s.Rule.Kind == rules.Calculus && !slices.Contains(names, d) {
				names = append(names, d)
			}
		}
		w.Label = strings.Join(names, ", ")
		for _, r := range st.Rules() {
			if r.Kind == rules.Deriv {
				w.Chain = append(w.Chain, r)
			}
		}
	case st.Rule.Kind == rules.Calculus:
		var names []string
		for _, s := range st.Sub {
			if d := s.Rule.Doc; !slices.Contains(names, d) {
				names = append(names, d)
			}
		}
		if len(names) == 0 {
			names = []string{st.Rule.Doc}
		}
		w.Label = strings.Join(names, ", ")
	case st.Rule == simplify.RuleCancelInverse:
		w.Label = "cancel"
		u := ast.NewSym("u")
		w.Identity = &[2]ast.Expr{ast.NewMul(ast.NewDiv(ast.One, u), u), ast.One}
	case st.Rule == simplify.RuleDeltaContraction:
		w.Label = st.Rule.Doc
		a := ast.NewSum(ast.OpSum, "j", ast.One, ast.NewSym("d"), ast.NewMul(ast.NewIndex("a", ast.NewSym("j")), ast.NewCall("delta", ast.NewSym("j"), ast.NewSym("k"))))
		w.Identity = &[2]ast.Expr{a, ast.NewIndex("a", ast.NewSym("k"))}
	case st.Rule.Kind == rules.Pass && len(st.Sub) > 0 && st.Rule != derive.RuleDifferentiate:
		var names []string
		for _, s := range st.Sub {
			if isRewrite(s.Rule) {
				if !slices.Contains(w.Rewrites, s.Rule) {
					w.Rewrites = append(w.Rewrites, s.Rule)
				}
				continue
			}
			if n := RuleWords(s.Rule); !slices.Contains(names, n) {
				names = append(names, n)
			}
			for _, u := range s.Uses { // the assumptions a rewrite rested on
				if n := u.Doc; u.Kind == rules.Assumption && !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
		w.Label = st.Rule.Doc
		if len(names) > 0 {
			w.Label += " (" + strings.Join(names, ", ") + ")"
		}
	case isRewrite(st.Rule):
		w.Label = "identity"
		w.Rewrites = []*rules.Rule{st.Rule}
	default:
		w.Label = RuleWords(st.Rule)
	}
	for _, a := range also {
		if a.Rule == nil {
			continue
		}
		l := Explain(a, nil).Label
		if l != "" && !strings.Contains(w.Label, l) && !slices.Contains(w.Also, l) {
			w.Also = append(w.Also, l)
		}
	}
	return w
}

// RuleWords names a rule for a reader: the engine's own rules by their
// description, the rule files' by their name.
func RuleWords(r *rules.Rule) string {
	if isRewrite(r) {
		return RuleEquation(r, ast.Unicode)
	}
	if r.Doc != "" { // a rule written in Go says what it does in its description
		return r.Doc
	}
	if r.Kind == rules.Deriv {
		// A derivative rule of a rule file is the formula it states.
		return DerivFormula(r.Fn, r.Params, r.Wrt, r.Body, ast.Unicode)
	}
	switch r.Kind {
	case rules.Simplify, rules.Basis, rules.Deriv:
		if r.LHS == nil && r.Doc != "" {
			// A built-in identity stated in words (the matrix identities).
			return r.Doc
		}
		return r.Name
	}
	if r.Doc != "" {
		return r.Doc
	}
	return r.Name
}

// Justification says in words why a line holds.
func Justification(w Why, st ast.Style) string {
	var parts []string
	for _, d := range w.Defs {
		s, _ := ast.Format(d.LHS, st)
		if d.RHS.Size() > 12 {
			parts = append(parts, "definition of "+s)
			continue
		}
		b, _ := ast.Format(d.RHS, st)
		parts = append(parts, s+" = "+b)
	}
	rule := w.Label
	if w.Identity != nil {
		a, _ := ast.Format(w.Identity[0], st)
		b, _ := ast.Format(w.Identity[1], st)
		rule += ": " + a + " = " + b
	}
	if len(w.Chain) > 0 {
		var fs []string
		for _, c := range w.Chain {
			fs = append(fs, DerivFormula(c.Fn, c.Params, c.Wrt, c.Body, st))
		}
		rule += ": " + strings.Join(fs, ", ")
	}
	if len(w.Rewrites) > 0 {
		var eqs []string
		for _, r := range w.Rewrites {
			eqs = append(eqs, RuleEquation(r, st))
		}
		rule += ": " + strings.Join(eqs, ", ")
	}
	if rule != "" {
		parts = append(parts, rule)
	}
	parts = append(parts, w.Also...)
	return strings.Join(parts, "; ")
}

// DerivFormula writes a derivative rule as f'(u) = body.
func DerivFormula(fn string, params []string, wrt int, body ast.Expr, st ast.Style) string {
	args := make([]ast.Expr, len(params))
	for i, p := range params {
		args[i] = ast.NewSym(p)
	}
	call := ast.NewCall(fn, args...)
	if _, builtin := ast.LookupFunc(fn); builtin && len(params) > 1 {
		// max_a(a, b) would read as a maximum over a, or as an internal
		// name: a partial derivative is written as one, as in LaTeX.
		d, _ := ast.Format(ast.NewDeriv(call, ast.NewSym(params[wrt])), st)
		b, _ := ast.Format(body, st)
		return d + " = " + b
	}
	head, _ := ast.Format(call, st)
	if !strings.Contains(head, "(") {
		head += "'" // √u' = 1/(2·√u)
	}
	if i := strings.Index(head, "("); i >= 0 {
		prime := "'"
		if st == ast.LaTeX {
			prime = "'"
		}
		if len(params) > 1 {
			prime = "_" + params[wrt]
		}
		head = head[:i] + prime + head[i:]
	} else {
		head = "d" + head + "/d" + params[wrt] // |u| has no name to prime
	}
	b, _ := ast.Format(body, st)
	return head + " = " + b
}

// JSON returns a result as a JSON-encodable value.
func (p *Printer) JSON(r *Result) any {
	out := p.json(r)
	if m, ok := out.(map[string]any); ok && len(r.Warnings) > 0 {
		m["warnings"] = r.Warnings
	}
	return out
}

func (p *Printer) json(r *Result) any {
	switch {
	case r.Value != nil:
		// result parses back: with a where clause when subexpressions are
		// named, which "where" also lists.
		plain := p.sharedPlain(r.Value)
		out := map[string]any{"input": r.Input, "result": plain.String(ast.Plain)}
		if len(plain.Named) > 0 {
			out["where"] = whereJSON(plain)
		}
		if p.Style != ast.Plain {
			out["formatted"] = p.Value(r.Value)
		}
		if len(r.Notes) > 0 {
			// As the notes of an explanation: a list of sentences.
			out["notes"] = r.Notes
		}
		if r.Simplified != nil {
			out["stop"] = r.Simplified.Stop.String()
			var steps []map[string]any
			if r.Matrix != nil {
				// The whole chain: identities, index form and back.
				var err error
				if steps, err = p.matrixStepsJSON(r); err != nil {
					steps = []map[string]any{}
					out["steps_stopped"] = err.Error()
					p.StepsStopped = err
				}
			}
			if steps == nil {
				var err error
				if steps, err = p.resultStepsJSON(r.Simplified); err != nil {
					steps = []map[string]any{}
					out["steps_stopped"] = err.Error()
					p.StepsStopped = err
				}
			}
			out["steps"] = steps
			if rs := r.ranges(); len(rs) > 0 {
				out["for"] = RangesJSON(rs)
			}
		}
		return out
	case r.Proof != nil:
		return p.ProofJSON(r.Input, r.Proof, r.Neq)
	case r.Explanation != nil:
		out := p.ExplanationJSON(LossName(r.Explanation), r.Explanation)
		out["input"] = r.Input
		return out
	case r.Def != nil:
		return map[string]any{"input": r.Input, "defined": ast.ShownName(r.Def.Name)}
	case r.Decl != nil:
		return map[string]any{"input": r.Input, "declared": r.Decl.Name, "shape": r.Decl.Shape.Decl()}
	case r.Rule != "":
		return map[string]any{"input": r.Input, "rule": r.Rule}
	}
	return map[string]any{"input": r.Input}
}

// ProofJSON describes a proof for tools.
func (p *Printer) ProofJSON(input string, pr *prove.Proof, neq bool) map[string]any {
	op := "=="
	if neq {
		op = "!="
	}
	out := map[string]any{
		"input":   input,
		"left":    p.plain(pr.A),
		"right":   p.plain(pr.B),
		"claim":   op,
		"verdict": Verdict(pr, neq),
		"equal":   pr.Verdict.String(),
	}
	if rs := FreeRanges(pr.Ranges, pr.A, pr.B); len(rs) > 0 {
		out["for"] = RangesJSON(rs)
	}
	switch pr.Verdict {
	case prove.Proved:
		n := Assumed(pr.Trace)
		if pr.Where != "" {
			n = append(n, pr.Where)
		}
		if n != nil {
			out["notes"] = n // as the notes of a value: the assumptions the proof used, and where it holds
		}
		out["method"] = pr.Method
		out["steps"] = p.proofStepsJSON(pr)
		out["checked"] = pr.Tried
	case prove.Refuted:
		c := pr.Counter
		point, exact := map[string]any{}, map[string]any{}
		for n, v := range c.Bindings {
			point[n] = valueJSON(v)
			if v.Shape == nil && v.Exact != nil {
				exact[n] = v.String() // "1/3": the point itself, where "point" has its nearest float64
			}
		}
		ce := map[string]any{"point": point, "left": c.Left, "right": c.Right}
		if c.Diff != "" {
			ce["difference"] = c.Diff
		}
		if len(exact) > 0 {
			ce["exact"] = exact
		}
		out["counterexample"] = ce
	case prove.Unknown:
		out["tried"] = pr.Tried
	}
	return out
}

// matrixStepsJSON lists the steps of a matrix result's whole derivation,
// nil if it has none. The error says why it stopped.
func (p *Printer) matrixStepsJSON(r *Result) ([]map[string]any, error) {
	return p.linesJSON(r.Matrix.DerivationContext)
}

// resultStepsJSON lists a result's steps: the lines the text and LaTeX
// views show (simplify.Result.StepsContext), so that the last is the
// result and every view lists the same steps.
func (p *Printer) resultStepsJSON(r *simplify.Result) ([]map[string]any, error) {
	steps, err := p.linesJSON(r.StepsContext)
	if steps == nil && err == nil {
		steps = []map[string]any{}
	}
	return steps, err
}

// linesJSON lists the lines of a derivation, nil if there is none,
// under p.Ctx and the session's time limit: the derivation of a deep
// result, and writing out its lines, take seconds. The error says why
// it stopped.
func (p *Printer) linesJSON(derivation func(context.Context) (*simplify.Derivation, error)) ([]map[string]any, error) {
	ctx, cancel := p.bound()
	defer cancel()
	d, err := derivation(ctx)
	if ctx.Err() != nil {
		return nil, explain(ctx.Err(), ctx)
	}
	if err != nil || d == nil {
		return nil, nil // none: a matrix result lists its index form's
	}
	steps := []map[string]any{}
	for _, l := range d.Lines {
		if err := ctx.Err(); err != nil {
			return nil, explain(err, ctx)
		}
		steps = append(steps, p.stepJSON(l.Step, l.Expr))
	}
	return steps, nil
}

func (p *Printer) proofStepsJSON(pr *prove.Proof) []map[string]any {
	out := []map[string]any{}
	for _, l := range pr.Lines() {
		if l.Step.Rule != nil {
			out = append(out, p.stepJSON(l.Step, l.Expr))
		}
	}
	return out
}

// stepJSON describes a step: its rule, its result as shown, and the
// rules it was made of.
func (p *Printer) stepJSON(st rules.Step, shown ast.Expr) map[string]any {
	m := map[string]any{"rule": RuleWords(st.Rule), "name": st.Rule.Name, "kind": st.Rule.Kind.String(), "result": p.whereString(shown)}
	var names []string
	for _, r := range st.Rules() {
		names = append(names, r.Name)
	}
	if len(names) > 0 {
		sort.Strings(names)
		m["rules"] = uniq(names)
	}
	return m
}

func uniq(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// ValueJSON is a binding's value as JSON: a number or nested lists.
func ValueJSON(v ast.Value) any { return valueJSON(v) }

func valueJSON(v ast.Value) any {
	if v.Shape == nil {
		return v.Data[0]
	}
	var rec func(dim, off int) (any, int)
	rec = func(dim, off int) (any, int) {
		list := make([]any, v.Shape[dim])
		for i := range list {
			if dim == len(v.Shape)-1 {
				list[i] = v.Data[off]
				off++
			} else {
				list[i], off = rec(dim+1, off)
			}
		}
		return list, off
	}
	r, _ := rec(0, 0)
	return r
}

// DerivationJSON describes a derivation for tools.
func (p *Printer) DerivationJSON(input string, d *simplify.Derivation) map[string]any {
	var lines []map[string]any
	for _, l := range d.Lines {
		// name is the rule's, as --json names each step's rule.
		m := map[string]any{"expr": p.plain(l.Expr), "rule": Justification(Explain(l.Step, l.Also), ast.Plain), "name": l.Step.Rule.Name}
		if p.Style != ast.Plain {
			m["formatted"] = p.Expr(l.Expr)
		}
		lines = append(lines, m)
	}
	out := map[string]any{"input": input, "derivative": p.plain(d.Start), "steps": lines, "result": p.plain(d.Result), "stop": d.Stop.String()}
	if rs := FreeRanges(d.Ranges, d.Start, d.Result); len(rs) > 0 {
		out["for"] = RangesJSON(rs)
	}
	return out
}

// ranges are the ranges a result's value holds for, of the indices it
// shows.
func (r *Result) ranges() map[string]simplify.Range {
	if r.Simplified == nil {
		return nil
	}
	out := FreeRanges(r.Simplified.Ranges, r.Expr, r.Value)
	if m := r.Matrix; m != nil && m.Value == nil {
		// An entry in index form is at [k,l] whether or not it mentions
		// both: w[k] is the entry at [k,l] of d(sum(w'*W), W).
		for _, k := range m.Indices {
			if rg, ok := r.Simplified.Ranges[k]; ok {
				out[k] = rg
			}
		}
	}
	return out
}

// Ranges are the ranges a result's value holds for, of the indices it
// shows.
func (r *Result) Ranges() map[string]simplify.Range { return r.ranges() }

// whereString is e in the input syntax, with its shared subexpressions
// named when its tree is much larger than its DAG, as it reads in the
// session.
func (p *Printer) whereString(e ast.Expr) string {
	return p.sharedPlain(e).String(ast.Plain)
}

// sharedPlain is e in the input syntax with its shared subexpressions
// named, as it reads in the session (see ast.FormatIn).
func (p *Printer) sharedPlain(e ast.Expr) ast.Shared {
	var defs *ast.Defs
	if p.S != nil {
		defs = p.S.Defs
	}
	return p.printing(func(ctx context.Context) (ast.Shared, error) {
		return ast.FormatSharedIn(ctx, e, ast.Plain, nil, defs)
	})
}
