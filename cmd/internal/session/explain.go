package session

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	expl "github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/prove"
)

// ExplainOptions are what a user chooses about an explanation: the
// predictor, the labels and what is assumed about them.
type ExplainOptions struct {
	Wrt, Label string
	Assume     expl.Assumptions
}

// Explain explains the gradient of a loss in this session.
func (s *Session) Explain(ctx context.Context, loss ast.Expr, o ExplainOptions) (*expl.Explanation, error) {
	ctx, cancel := s.limit(ctx)
	defer cancel()
	e, err := expl.Explain(ctx, loss, expl.Options{Simplify: s.options(), Wrt: o.Wrt, Label: o.Label, Assume: o.Assume, Decls: s.Decls})
	return e, explain(err, ctx)
}

// LossName is the name an explanation's loss is shown by: the defined
// name it is, or none for an expression.
func LossName(e *expl.Explanation) string {
	if s, ok := e.Loss.(*ast.Sym); ok {
		return s.Name
	}
	return ""
}

// Explanation writes an explanation as text: a heading, the gradient,
// the verdict with the proofs it rests on, and the consequence for the
// weights.
func (p *Printer) Explanation(w io.Writer, name string, e *expl.Explanation) {
	// A loss given as an expression is called ℓ after the first line.
	short := func(x ast.Expr) ast.Expr { return x }
	loss := name
	if loss == "" {
		ell := ast.NewSym("ℓ")
		loss = "ℓ = " + p.Expr(e.Loss)
		if e.Matrix != nil {
			loss = "ℓ = " + p.Expr(e.Matrix.Loss) // as written
		}
		short = func(x ast.Expr) ast.Expr {
			return ast.Map(x, func(n ast.Expr) ast.Expr {
				if n == e.Loss {
					return ell
				}
				return n
			})
		}
	}
	f := func(x ast.Expr) string { return p.Expr(short(x)) }
	if m := e.Matrix; m != nil && m.Def != nil {
		fmt.Fprintf(w, "explain %s (predictor %s, the entries of %s; labels %s)\n", loss, f(e.Z), p.Expr(m.Predictor), f(e.Y))
		fmt.Fprintf(w, "  in index form: %s, with %s\n", p.indexForm(e), p.Expr(m.Def.Head())+" = "+p.Expr(m.Def.Body))
	} else {
		fmt.Fprintf(w, "explain %s (predictor %s, labels %s)\n", loss, f(e.Z), f(e.Y))
	}
	fmt.Fprintf(w, "  %s = %s\n", f(ast.NewDeriv(e.Loss, e.Z)), f(e.Grad))
	done := map[int]bool{}
	next := func(part expl.Part) {
		// Each section prints the claims that belong to it.
		for i, c := range e.Claims {
			if c.Part == part && !done[i] {
				done[i] = true
				p.claim(w, c, short)
			}
		}
	}
	next(expl.PartGradient)
	for _, st := range e.Assumed {
		fmt.Fprintf(w, "  assuming %s, ∂ℓ/∂z = %s\n", AssumptionWords(e, st.Rule, p.Style), f(st.After))
	}
	switch e.Verdict {
	case expl.Residual:
		fmt.Fprintf(w, "  residual form: ∂ℓ/∂z = c·(μ(z) − y) with c = %s and μ(z) = %s\n", f(e.C), p.opened(e, e.Mu))
		next(expl.PartCross)
		next(expl.PartResidual)
		if fam := e.Family; fam != nil {
			fmt.Fprintf(w, "  log-partition A(z) = %s, so ℓ = c·(A(z) − y·z) + B(y)\n", f(fam.A))
			next(expl.PartFamily)
			note := ""
			if fam.Note != "" {
				note = "; " + fam.Note
			}
			fmt.Fprintf(w, "  family: %s with its canonical link (%s)%s\n", fam.Name, fam.Link, note)
		}
		if wg := e.Weights; wg != nil {
			of := e.Loss
			if wg.Loss != nil {
				of = wg.Loss
			}
			fmt.Fprintf(w, "  weights (z = Xw): %s = %s\n", f(ast.NewDeriv(of, wg.W)), f(wg.Index))
			if wg.OnAssumed {
				fmt.Fprintln(w, "    on the assumed labels, by the chain rule through z:")
			}
			next(expl.PartWeights)
			if wg.Penalty != nil {
				fmt.Fprintf(w, "    the residual form plus the gradient of the terms that do not go through z: %s\n", f(wg.Penalty))
			}
			if e.Matrix != nil && wg.MatrixExpr != nil {
				nabla := "∇_" + e.Matrix.Weights
				fmt.Fprintf(w, "  in matrix notation: %s = %s\n", nabla, p.Expr(wg.MatrixExpr))
				if wg.OnAssumed && wg.MatrixChain != nil {
					fmt.Fprintf(w, "    on the assumed labels; by the chain rule through z = %s: %s = %s\n", p.Expr(e.Matrix.Predictor), nabla, p.Expr(wg.MatrixChain))
				}
				next(expl.PartMatrix)
			} else if wg.Matrix != "" { // none when the proved ranges are not full (a note says why)
				fmt.Fprintf(w, "    matrix form: ∇_w = %s\n", wg.Matrix)
			}
		}
	case expl.NotResidual:
		switch {
		case e.Jump:
			fmt.Fprintf(w, "  not residual form: ∂ℓ/∂z jumps with the label y, which ∂²ℓ/∂z∂y = %s (where it is defined) does not show\n", f(e.Cross))
		case ast.IsNum(e.Cross, 0):
			fmt.Fprintln(w, "  not residual form: ∂²ℓ/∂z∂y = 0, not a constant −c with c ≠ 0")
		default:
			fmt.Fprintf(w, "  not residual form: ∂²ℓ/∂z∂y = %s is not a constant\n", f(e.Cross))
		}
		next(expl.PartCross)
		if e.Factor != nil {
			fmt.Fprintf(w, "  ∂ℓ/∂z = W(z)·(μ(z) − y) with μ(z) = %s and W(z) = %s\n", p.opened(e, e.Mu), f(e.Factor))
			if v := e.Variance; v != nil {
				fmt.Fprintf(w, "  W(z) = k·μ′(z)/V(μ) with the %s variance V(μ) = %s and k = %s:\n", v.Family, f(v.V), f(v.K))
				fmt.Fprintf(w, "    the factor μ′(z)/V(μ) = %s does not cancel, so the link is not the %s family's canonical one\n", p.opened(e, short(v.Ratio)), v.Family)
				next(expl.PartFactor)
			} else {
				fmt.Fprintf(w, "  the factor that breaks the residual form: W(z) = %s\n", f(e.Factor))
			}
			next(expl.PartResidual)
		}
		if e.FactorGradient != nil {
			fmt.Fprintf(w, "  in matrix notation: ∇_%s = %s, the residual weighted by W per sample\n", e.Matrix.Weights, p.Expr(e.FactorGradient))
			next(expl.PartMatrix)
		}
	default:
		fmt.Fprintln(w, "  undecided: the prover could not settle the residual form")
	}
	for i, c := range e.Claims {
		if !done[i] {
			p.claim(w, c, short)
		}
	}
	for _, n := range e.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// indexForm shows a loss in matrix notation as explain read it: its
// index form, under its name.
func (p *Printer) indexForm(e *expl.Explanation) string {
	if n := LossName(e); n != "" {
		return n + " = " + p.Expr(e.Matrix.Index)
	}
	return "ℓ = " + p.Expr(e.Matrix.Index)
}

// opened shows x, and x with its definitions opened (pₘ = σ(zₘ)) when
// that reads differently.
func (p *Printer) opened(e *expl.Explanation, x ast.Expr) string {
	o := e.ExpandExceptPredictor(x)
	if o == x {
		return p.Expr(x)
	}
	return p.Expr(x) + " = " + p.Expr(o)
}

// AssumptionWords says what an assumption step assumed.
func AssumptionWords(e *expl.Explanation, r *rules.Rule, st ast.Style) string {
	f := func(x ast.Expr) string { s, _ := ast.Format(x, st); return s }
	switch r {
	case expl.RuleLabelSet:
		ls := e.Assume.LabelSet
		return fmt.Sprintf("%s ∈ {%s, %s} (on two values, ∂ℓ/∂z equals its interpolation, affine in %s)", f(e.Y), ls[0], ls[1], f(e.Y))
	case expl.RuleOneHot:
		if e.OneHotSum != nil { // the range the sum it set to 1 runs over
			return fmt.Sprintf("one-hot labels (%s = 1)", f(e.OneHotSum))
		}
		y := e.Y.(*ast.Index)
		v := ast.NewSym("j")
		at := append(slices.Clone(y.Indices[:len(y.Indices)-1]), v)
		sum := ast.NewSum(ast.OpSum, "j", ast.One, ast.NewSym("K"), ast.NewIndex(y.Name, at...))
		return fmt.Sprintf("one-hot labels (%s = 1)", f(sum))
	}
	return r.Doc
}

// claim writes a claim's proof as prove does, indented: the verdict line
// with what it says, and a counterexample under a refutation.
func (p *Printer) claim(w io.Writer, c expl.Claim, short func(ast.Expr) ast.Expr) {
	var b strings.Builder
	pr := *c.Proof // shown with the loss's short name
	pr.A, pr.B = short(pr.A), short(pr.B)
	p.Proof(&b, &pr, false)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	fmt.Fprintf(w, "    %s    (%s)\n", lines[0], c.Say)
	for _, l := range lines[1:] {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

// ExplanationJSON describes an explanation for tools.
func (p *Printer) ExplanationJSON(name string, e *expl.Explanation) map[string]any {
	str := func(x ast.Expr) any {
		if x == nil {
			return nil
		}
		return ast.String(x)
	}
	out := map[string]any{
		"loss":      name,
		"expr":      ast.String(e.Loss),
		"predictor": ast.String(e.Z),
		"label":     ast.String(e.Y),
		"gradient":  ast.String(e.Grad),
		"cross":     str(e.Cross),
		"verdict":   e.Verdict.String(),
		"canonical": e.Canonical(),
	}
	if name == "" {
		out["loss"] = ast.String(e.Loss)
	}
	var assumed []map[string]any
	for _, st := range e.Assumed {
		says := st.Rule.Text
		if st.Rule == expl.RuleOneHot && e.OneHotSum != nil { // the rule's text names 1..K; say the sum actually set to 1
			says = ast.String(e.OneHotSum) + " = 1"
		}
		assumed = append(assumed, map[string]any{"rule": st.Rule.Name, "says": says, "gradient": ast.String(st.After)})
	}
	if assumed != nil {
		out["assumed"] = assumed
	}
	switch e.Verdict {
	case expl.Residual:
		out["c"], out["mu"] = str(e.C), str(e.Mu)
		if f := e.Family; f != nil {
			out["family"] = map[string]any{"name": f.Name, "link": f.Link, "note": f.Note, "A": ast.String(f.A)}
		}
		if wg := e.Weights; wg != nil {
			m := map[string]any{"wrt": ast.String(wg.W), "index": ast.String(wg.Index), "on_assumed_labels": wg.OnAssumed}
			if wg.Matrix != "" {
				m["matrix"] = wg.Matrix // omitted where there is no matrix form
			}
			if wg.Penalty != nil {
				m["penalty"] = ast.String(wg.Penalty)
			}
			if e.Matrix != nil && wg.MatrixExpr != nil {
				// A matrix expression in the input syntax, proved.
				m["matrix_expr"] = ast.String(wg.MatrixExpr)
				if wg.MatrixChain != nil {
					m["matrix_chain"] = ast.String(wg.MatrixChain)
				}
			}
			out["weights"] = m
		}
	case expl.NotResidual:
		out["mu"], out["factor"] = str(e.Mu), str(e.Factor)
		if e.Jump {
			out["jump"] = true // the gradient jumps with the label
		}
		if e.FactorGradient != nil {
			out["factor_gradient"] = ast.String(e.FactorGradient)
		}
		if v := e.Variance; v != nil {
			out["variance"] = map[string]any{"family": v.Family, "V": ast.String(v.V), "k": ast.String(v.K), "ratio": ast.String(v.Ratio)}
		}
	}
	if m := e.Matrix; m != nil {
		mj := map[string]any{"loss": ast.String(m.Loss), "index": ast.String(m.Index)}
		if m.Def != nil {
			mj["predictor"], mj["definition"], mj["weights"] = ast.String(m.Predictor), m.Def.String(), m.Weights
		}
		out["matrix"] = mj
	}
	var claims []map[string]any
	for _, c := range e.Claims {
		pj := p.ProofJSON(ast.String(c.Proof.A)+" == "+ast.String(c.Proof.B), c.Proof, false)
		pj["says"] = c.Say
		pj["part"] = string(c.Part)
		pj["needed"] = c.Want.String()
		pj["holds"] = c.Holds()
		claims = append(claims, pj)
	}
	out["claims"] = claims
	if e.Notes != nil {
		out["notes"] = e.Notes
	}
	return out
}

// ExplainStatus is the exit status an explanation reports: 0 for a
// residual form whose every claim is proved, or for a refuted one; 3 when
// the prover could not decide; 1 when a claim to be proved was refuted.
func ExplainStatus(e *expl.Explanation) Status {
	switch e.Verdict {
	case expl.Undecided:
		return Unknown
	case expl.NotResidual:
		return OK // a refutation decides it; other claims only inform
	}
	status := OK
	for _, c := range e.Claims {
		switch {
		case c.Proof.Verdict == prove.Unknown:
			return Unknown
		case c.Proof.Verdict == prove.Refuted && c.Want == prove.Proved:
			// A consequence that was to be proved is false (the weight
			// gradient of a loss with the weights outside z too): the
			// explanation says so, and the status must not be success.
			status = Refuted
		}
	}
	return status
}

// ParseLabelSet reads a label set such as "0,1" or "-1,1".
func ParseLabelSet(s string) ([]ast.Number, error) {
	var out []ast.Number
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lit, neg := strings.CutPrefix(part, "-")
		v, err := ast.ParseNumber(lit)
		if neg {
			v = v.Neg()
		}
		if err != nil {
			return nil, fmt.Errorf("label set %q: %q is not a number", s, part)
		}
		out = append(out, v)
	}
	if len(out) != 2 {
		return nil, fmt.Errorf("label set %q: give two values, like 0,1 or -1,1", s)
	}
	return out, nil
}
