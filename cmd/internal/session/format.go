package session

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
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
}

// Expr prints an expression in the printer's style.
func (p *Printer) Expr(e ast.Expr) string {
	s, _ := ast.Format(e, p.Style)
	return s
}

// Result writes r as text.
func (p *Printer) Result(w io.Writer, r *Result) {
	switch {
	case r.Value != nil:
		fmt.Fprintln(w, p.Expr(r.Value))
		if r.Simplified != nil && r.Simplified.Stop != simplify.StopFixpoint && r.Simplified.Stop != simplify.StopCycle {
			fmt.Fprintf(w, "  (simplification stopped early: %s: %s)\n", r.Simplified.Stop, r.Simplified.Detail)
		}
	case r.Proof != nil:
		p.Proof(w, r.Proof, r.Neq)
	}
}

// Verdict is the first word of a proof's line.
func Verdict(pr *simplify.Proof, neq bool) string {
	if !neq {
		return pr.Verdict.String()
	}
	switch pr.Verdict {
	case simplify.Refuted:
		return "holds"
	case simplify.Proved:
		return "fails"
	}
	return "unknown"
}

// Claim prints the statement a proof is about: A == B or A != B.
func (p *Printer) Claim(pr *simplify.Proof, neq bool) string {
	op := " == "
	if neq {
		op = " != "
	}
	return p.Expr(pr.A) + op + p.Expr(pr.B)
}

// Proof writes a proof's verdict and evidence.
func (p *Printer) Proof(w io.Writer, pr *simplify.Proof, neq bool) {
	fmt.Fprintf(w, "%s: %s\n", Verdict(pr, neq), p.Claim(pr, neq))
	switch pr.Verdict {
	case simplify.Proved:
		if neq {
			fmt.Fprintf(w, "  the two sides are equal (%s)\n", pr.Method)
		}
		if p.Steps || neq {
			p.chain(w, pr)
		}
	case simplify.Refuted:
		c := pr.Counter
		if point := c.Point(); point != "" {
			fmt.Fprintf(w, "  counterexample: %s\n", point)
		} else {
			fmt.Fprintf(w, "  the two sides are different numbers\n")
		}
		fmt.Fprintf(w, "  left:  %s\n  right: %s\n", c.Left, c.Right)
	case simplify.Unknown:
		fmt.Fprintf(w, "  %s\n", pr.Tried)
	}
}

func (p *Printer) chain(w io.Writer, pr *simplify.Proof) {
	for _, l := range ChainLines(pr, p.S, p.Expr) {
		if l.Rule == "" {
			fmt.Fprintf(w, "    = %s\n", l.Text)
		} else {
			fmt.Fprintf(w, "    = %s    [%s]\n", l.Text, l.Rule)
		}
	}
}

// A ChainLine is one equality of a proof as shown.
type ChainLine struct {
	Expr ast.Expr
	Text string
	Rule string
}

// ChainLines lists the equalities of a proof from A to B as they are
// shown: steps that do not change what is displayed are merged into the
// step before, and B closes the chain only if the last step does not
// already show it.
func ChainLines(pr *simplify.Proof, s *Session, show func(ast.Expr) string) []ChainLine {
	end := show(pr.B)
	out := []ChainLine{{Expr: pr.A, Text: show(pr.A)}}
	for _, st := range pr.Steps {
		if out[len(out)-1].Text == end {
			break // the rest of the chain only leads back to B
		}
		e := s.Display(st.After, pr.A, pr.B)
		t := show(e)
		// A form seen before closes a detour: cut it out.
		if i := slices.IndexFunc(out, func(l ChainLine) bool { return l.Text == t }); i >= 0 {
			out = out[:i+1]
			continue
		}
		out = append(out, ChainLine{Expr: e, Text: t, Rule: st.Rule})
	}
	if out[len(out)-1].Text != end {
		out = append(out, ChainLine{Expr: pr.B, Text: end})
	}
	return out[1:]
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
		fmt.Fprintf(w, "  = %s%s    (%s)\n", lines[i], pad, Justification(l, p.Style))
		if all {
			for _, m := range l.Micro {
				fmt.Fprintf(w, "        %s: %s → %s\n", m.Rule, p.Expr(p.S.Display(m.Before)), p.Expr(p.S.Display(m.After)))
			}
		}
	}
}

// Justification says in words why a line of a derivation holds.
func Justification(l simplify.Line, st ast.Style) string {
	var parts []string
	for _, d := range l.Defs {
		s, _ := ast.Format(d.Head(), st)
		if d.Body.Size() > 12 {
			parts = append(parts, "definition of "+s)
			continue
		}
		b, _ := ast.Format(d.Body, st)
		parts = append(parts, s+" = "+b)
	}
	rule := l.Rule
	if l.Identity != nil {
		a, _ := ast.Format(l.Identity[0], st)
		b, _ := ast.Format(l.Identity[1], st)
		rule += ": " + a + " = " + b
	}
	if len(l.Chain) > 0 {
		var fs []string
		for _, c := range l.Chain {
			fs = append(fs, DerivFormula(c.Fn, c.Params, c.Wrt, c.Body, st))
		}
		rule += ": " + strings.Join(fs, ", ")
	}
	parts = append(parts, rule)
	parts = append(parts, l.Also...)
	return strings.Join(parts, "; ")
}

// DerivFormula writes a derivative rule as f'(u) = body.
func DerivFormula(fn string, params []string, wrt int, body ast.Expr, st ast.Style) string {
	args := make([]ast.Expr, len(params))
	for i, p := range params {
		args[i] = ast.NewSym(p)
	}
	head, _ := ast.Format(ast.NewCall(fn, args...), st)
	if i := strings.Index(head, "("); i >= 0 {
		prime := "'"
		if st == ast.LaTeX {
			prime = "'"
		}
		if len(params) > 1 {
			prime = "_" + params[wrt]
		}
		head = head[:i] + prime + head[i:]
	}
	b, _ := ast.Format(body, st)
	return head + " = " + b
}

// JSON returns a result as a JSON-encodable value.
func (p *Printer) JSON(r *Result) any {
	switch {
	case r.Value != nil:
		out := map[string]any{"input": r.Input, "result": ast.String(r.Value)}
		if p.Style != ast.Plain {
			out["formatted"] = p.Expr(r.Value)
		}
		if r.Simplified != nil {
			out["stop"] = r.Simplified.Stop.String()
			out["steps"] = stepsJSON(r.Simplified.Steps, p.S)
		}
		return out
	case r.Proof != nil:
		return p.ProofJSON(r.Input, r.Proof, r.Neq)
	case r.Def != nil:
		return map[string]any{"input": r.Input, "defined": r.Def.Name}
	case r.Rule != "":
		return map[string]any{"input": r.Input, "rule": r.Rule}
	}
	return map[string]any{"input": r.Input}
}

// ProofJSON describes a proof for tools.
func (p *Printer) ProofJSON(input string, pr *simplify.Proof, neq bool) map[string]any {
	op := "=="
	if neq {
		op = "!="
	}
	out := map[string]any{
		"input":   input,
		"left":    ast.String(pr.A),
		"right":   ast.String(pr.B),
		"claim":   op,
		"verdict": Verdict(pr, neq),
		"equal":   pr.Verdict.String(),
	}
	switch pr.Verdict {
	case simplify.Proved:
		out["method"] = pr.Method
		out["steps"] = stepsJSON(pr.Steps, p.S)
		out["checked"] = pr.Tried
	case simplify.Refuted:
		c := pr.Counter
		point := map[string]any{}
		for n, v := range c.Bindings {
			point[n] = valueJSON(v)
		}
		out["counterexample"] = map[string]any{"point": point, "left": c.Left, "right": c.Right}
	case simplify.Unknown:
		out["tried"] = pr.Tried
	}
	return out
}

func stepsJSON(steps []simplify.Step, s *Session) []map[string]any {
	out := []map[string]any{}
	for _, st := range steps {
		m := map[string]any{"rule": st.Rule, "result": ast.String(s.Display(st.After))}
		var rules []string
		for _, mi := range st.Micro {
			rules = append(rules, mi.Rule)
		}
		if len(rules) > 0 {
			sort.Strings(rules)
			m["rules"] = uniq(rules)
		}
		out = append(out, m)
	}
	return out
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
		m := map[string]any{"expr": ast.String(l.Expr), "rule": Justification(l, ast.Plain)}
		if p.Style != ast.Plain {
			m["formatted"] = p.Expr(l.Expr)
		}
		lines = append(lines, m)
	}
	return map[string]any{"input": input, "derivative": ast.String(d.Start), "steps": lines, "result": ast.String(d.Result), "stop": d.Stop.String()}
}
