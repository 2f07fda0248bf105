package latex

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Explanation renders an explanation as a short argument: the gradient
// through the predictor, the cross derivative and what it decides, the
// mean function and log-partition, and the consequence for the weights,
// each formula with the verdict of the proof it rests on.
func (r *Renderer) Explanation(name string, e *explain.Explanation) {
	loss := r.tex(e.Loss)
	title := loss
	if name != "" {
		title = r.inline(loss)
	} else {
		title = r.inline(title)
	}
	z, y := r.tex(e.Z), r.tex(e.Y)
	dz := fmt.Sprintf("\\frac{\\partial %s}{\\partial %s}", paren(loss), z)
	done := map[int]bool{}
	take := func(parts ...explain.Part) []explain.Claim {
		var out []explain.Claim
		for i, c := range e.Claims {
			if slices.Contains(parts, c.Part) && !done[i] {
				done[i] = true
				out = append(out, c)
			}
		}
		return out
	}
	verdicts := func(cs []explain.Claim) string {
		var parts []string
		for _, c := range cs {
			parts = append(parts, r.claimWords(c))
		}
		return strings.Join(parts, " ")
	}
	heading := "Why the gradient of %s is features times residual."
	if e.Verdict != explain.Residual {
		heading = "Why the gradient of %s is not features times residual."
	}
	if r.Opt.Markdown {
		r.paragraph("**" + fmt.Sprintf(heading, title) + "**")
	} else {
		r.paragraph("\\paragraph{" + fmt.Sprintf(heading, title) + "}")
	}
	if m := e.Matrix; m != nil && m.Def != nil {
		iname := "\\ell"
		if name != "" {
			iname = loss
		}
		r.paragraph(fmt.Sprintf("In index form, with %s the entries of %s,", r.inline(r.tex(m.Def.Head())+" = "+r.tex(m.Def.Body)), r.inline(r.shaped(m.Predictor))))
		r.display(iname + " = " + r.tex(m.Index))
	}
	r.paragraph(fmt.Sprintf("Per sample, with predictor %s and label %s, the gradient through the predictor is", r.inline(z), r.inline(y)))
	r.display(dz + " = " + r.tex(e.Grad))
	if g := take(explain.PartGradient); len(g) > 0 {
		r.paragraph(verdicts(g))
	}
	for _, st := range e.Assumed {
		r.paragraph(fmt.Sprintf("Assuming %s, it is", r.text(session.AssumptionWords(e, st.Rule, ast.Unicode))))
		r.display(r.tex(st.After))
	}
	cross := fmt.Sprintf("\\frac{\\partial^2 %s}{\\partial %s\\,\\partial %s}", paren(loss), z, y)
	switch e.Verdict {
	case explain.Residual:
		cs := take(explain.PartCross, explain.PartResidual)
		r.paragraph(fmt.Sprintf("Its derivative with respect to the label is a constant, %s, so the gradient is the residual times %s with mean function %s. %s",
			r.inline(cross+" = "+r.tex(ast.NewNeg(e.C))), r.inline("c = "+r.tex(e.C)), r.inline("\\mu = "+r.tex(e.Mu)), verdicts(cs)))
		r.display(dz + " = " + r.tex(e.C) + " \\left(" + r.tex(e.Mu) + " - " + y + "\\right)")
		if f := e.Family; f != nil {
			cs := take(explain.PartFamily)
			note := ""
			if f.Note != "" {
				note = " (" + r.text(f.Note) + ")"
			}
			r.paragraph(fmt.Sprintf("The log-partition %s has %s. %s So %s: the negative log-likelihood of the %s family with its canonical link, %s%s.",
				r.inline("A("+z+") = "+r.tex(f.A)), r.inline("A' = \\mu"), verdicts(cs),
				r.inline("\\ell = c\\,(A(z) - y z) + B(y)"), r.text(f.Name), r.text(f.Link), note))
		}
		if wg := e.Weights; wg != nil {
			cs := take(explain.PartWeights)
			lead := "For the weights of the linear predictor the gradient is features times residual:"
			if wg.OnAssumed {
				lead = "For the weights of the linear predictor, on the assumed labels, the gradient is features times residual:"
			}
			r.paragraph(lead)
			grad := fmt.Sprintf("\\frac{\\partial %s}{\\partial %s} = %s", paren(loss), r.tex(wg.W), r.tex(wg.Index))
			if wg.MatrixExpr != nil { // none when the proved ranges are not full (a note says why)
				grad += " = " + r.matrixForm(e, wg.MatrixExpr)
			}
			r.display(grad)
			if wg.OnAssumed {
				r.paragraph("By the chain rule through the predictor: " + r.inline(r.tex(wg.Chain)) + ". " + verdicts(cs))
			} else {
				r.paragraph(verdicts(cs))
			}
			if ms := take(explain.PartMatrix); len(ms) > 0 {
				lead := "In matrix notation, entry by entry:"
				if wg.MatrixChain != nil {
					lead = "In matrix notation, entry by entry, by the chain rule through " + r.inline(r.tex(e.Matrix.Predictor)) + ":"
				}
				r.paragraph(lead + " " + verdicts(ms))
			}
		}
	case explain.NotResidual:
		cs := take(explain.PartCross)
		switch {
		case e.Jump:
			r.paragraph(fmt.Sprintf("It jumps with the label, which its derivative with respect to the label, %s where it is defined, does not show. %s", r.inline(cross+" = "+r.tex(e.Cross)), verdicts(cs)))
		case ast.IsNum(e.Cross, 0):
			r.paragraph(fmt.Sprintf("Its derivative with respect to the label, %s, is not a constant %s with %s. %s", r.inline(cross+" = 0"), r.inline("-c"), r.inline(`c \neq 0`), verdicts(cs)))
		default:
			r.paragraph(fmt.Sprintf("Its derivative with respect to the label, %s, is not a constant. %s", r.inline(cross+" = "+r.tex(e.Cross)), verdicts(cs)))
		}
		if e.Factor != nil {
			vs := take(explain.PartFactor)
			r.paragraph(fmt.Sprintf("The gradient is a residual times a factor that depends on %s:", r.inline(z)))
			r.display(dz + " = " + r.tex(e.Factor) + " \\left(" + r.tex(e.Mu) + " - " + y + "\\right)")
			if v := e.Variance; v != nil {
				r.paragraph(fmt.Sprintf("The factor is %s with the %s variance %s: %s does not cancel, so the link is not the %s family's canonical one. %s %s",
					r.inline("k\\,\\mu'(z)/V(\\mu)"), r.text(v.Family), r.inline("V(\\mu) = "+r.tex(v.V)), r.inline(r.tex(v.Ratio)), r.text(v.Family), verdicts(vs), verdicts(take(explain.PartResidual))))
			} else {
				r.paragraph(verdicts(take(explain.PartResidual)))
			}
		}
		if e.FactorGradient != nil {
			r.paragraph("For the weights, in matrix notation, the residual is weighted by the factor per sample:")
			r.display(fmt.Sprintf("\\nabla_{%s} %s = %s", r.shaped(ast.NewSym(e.Matrix.Weights)), loss, r.shaped(e.FactorGradient)))
			r.paragraph(verdicts(take(explain.PartMatrix)))
		}
	default:
		r.paragraph("The prover could not settle whether the gradient is features times residual.")
	}
	if rest := take(explain.PartGradient, explain.PartCross, explain.PartResidual, explain.PartFactor, explain.PartFamily, explain.PartWeights, explain.PartMatrix); len(rest) > 0 {
		r.paragraph(verdicts(rest))
	}
	for _, n := range e.Notes {
		r.paragraph("Note: " + r.text(n) + ".")
	}
}

// claimWords says a claim's verdict in a sentence.
func (r *Renderer) claimWords(c explain.Claim) string {
	pr := c.Proof
	eq := r.inline(r.tex(pr.A) + " = " + r.tex(pr.B))
	switch pr.Verdict {
	case prove.Proved:
		return fmt.Sprintf("Proved: %s (%s).", eq, r.text(pr.Method))
	case prove.Refuted:
		return fmt.Sprintf("Refuted: %s is false at %s, where the left side is %s and the right side %s.",
			eq, r.point(pr.Counter.Bindings), r.inline(shorten(pr.Counter.Left)), r.inline(shorten(pr.Counter.Right)))
	}
	return fmt.Sprintf("Undecided: %s.", eq)
}

// paren wraps a loss that is not a single name for a fraction's numerator.
func paren(s string) string {
	if strings.ContainsAny(s, " +-") {
		return "\\left(" + s + "\\right)"
	}
	return s
}

// matrixForm writes the weight gradient in matrix notation: for a loss
// in matrix notation a matrix expression, vectors and matrices in bold;
// else the text form's expression, whose X^T is the transpose.
func (r *Renderer) matrixForm(e *explain.Explanation, m ast.Expr) string {
	if e.Matrix != nil {
		return r.shaped(m)
	}
	return r.matrixTeX(m)
}

// matrixTeX writes the matrix form: X^T is the transpose.
func (r *Renderer) matrixTeX(e ast.Expr) string {
	return strings.ReplaceAll(r.tex(e), "^{T}", "^{\\top}")
}

// Card holds the formulas of an explanation for a card of its own (the
// playground's): each a LaTeX formula without delimiters, empty when the
// explanation has no such part.
type Card struct {
	Verdict     string       `json:"verdict"`             // "residual form", "not residual form", "undecided"
	Canonical   bool         `json:"canonical"`           // an exponential family with its canonical link, proved
	Holds       bool         `json:"holds"`               // every claim got the verdict it needs
	Gradient    string       `json:"gradient"`            // ∂ℓ/∂z = ...
	Predictor   string       `json:"predictor,omitempty"` // z_i = Σ_j X_ij w_j, the entries of Xw, for a loss in matrix notation
	C           string       `json:"c,omitempty"`
	Mu          string       `json:"mu,omitempty"`
	A           string       `json:"A,omitempty"`
	Family      string       `json:"family,omitempty"` // the family's name, its link and note in words
	Consequence string       `json:"consequence,omitempty"`
	Factor      string       `json:"factor,omitempty"` // W(z), which breaks the residual form
	Counter     *CardCounter `json:"counterexample,omitempty"`
	Notes       []string     `json:"notes,omitempty"`
}

// CardCounter is the counterexample that refutes the residual form: the
// identity refuted, the point and the two sides' values.
type CardCounter struct {
	Claim string `json:"claim"`
	At    string `json:"at"`
	Left  string `json:"left"`
	Right string `json:"right"`
}

// ExplainCard returns the parts of an explanation for a card.
func ExplainCard(s *session.Session, name string, e *explain.Explanation) Card {
	r := New(s, Options{})
	loss := r.tex(e.Loss)
	if name == "" {
		loss = `\ell`
		if e.Matrix == nil {
			loss = paren(r.tex(e.Loss))
		}
	}
	z, y := r.tex(e.Z), r.tex(e.Y)
	c := Card{Verdict: e.Verdict.String(), Canonical: e.Canonical(), Holds: true,
		Gradient: fmt.Sprintf("\\frac{\\partial %s}{\\partial %s} = %s", paren(loss), z, r.tex(e.Grad)), Notes: e.Notes}
	for _, cl := range e.Claims {
		c.Holds = c.Holds && cl.Holds()
	}
	if m := e.Matrix; m != nil && m.Def != nil {
		c.Predictor = r.tex(m.Def.Head()) + ` = ` + r.tex(m.Def.Body) + `, \text{ the entries of } ` + r.shaped(m.Predictor)
	}
	if e.Mu != nil {
		c.Mu = `\mu(` + z + `) = ` + r.tex(e.Mu)
	}
	switch e.Verdict {
	case explain.Residual:
		c.C = `c = ` + r.tex(e.C)
		if f := e.Family; f != nil {
			c.A = `A(` + z + `) = ` + r.tex(f.A)
			c.Family = f.Name + " with its canonical link (" + f.Link + ")"
			if f.Note != "" {
				c.Family += "; " + f.Note
			}
		}
		if wg := e.Weights; wg != nil {
			switch {
			case e.Matrix != nil && wg.MatrixExpr != nil:
				c.Consequence = `\nabla_{` + r.shaped(ast.NewSym(e.Matrix.Weights)) + `} ` + loss + ` = ` + r.shaped(wg.MatrixExpr)
			default:
				c.Consequence = fmt.Sprintf("\\frac{\\partial %s}{\\partial %s} = %s", paren(loss), r.tex(wg.W), r.tex(wg.Index))
				if wg.MatrixExpr != nil {
					c.Consequence += ` = ` + r.matrixTeX(wg.MatrixExpr)
				}
			}
		}
	case explain.NotResidual:
		if e.Factor != nil {
			c.Factor = `W(` + z + `) = ` + r.tex(e.Factor)
		}
		if e.FactorGradient != nil {
			c.Consequence = `\nabla_{` + r.shaped(ast.NewSym(e.Matrix.Weights)) + `} ` + loss + ` = ` + r.shaped(e.FactorGradient)
		} else if e.Factor != nil {
			c.Consequence = fmt.Sprintf("\\frac{\\partial %s}{\\partial %s} = %s \\left(%s - %s\\right)", paren(loss), z, r.tex(e.Factor), r.tex(e.Mu), y)
		}
		for _, cl := range e.Claims {
			if pr := cl.Proof; (cl.Part == explain.PartCross || e.Jump && cl.Part == explain.PartResidual) && pr.Verdict == prove.Refuted && pr.Counter != nil {
				c.Counter = &CardCounter{Claim: r.tex(pr.A) + " = " + r.tex(pr.B), At: r.pointTeX(pr.Counter.Bindings),
					Left: shorten(pr.Counter.Left), Right: shorten(pr.Counter.Right)}
				break
			}
		}
	}
	return c
}

// pointTeX writes the bindings of a point as one formula: n = 2,\ x = 1.
func (r *Renderer) pointTeX(b ast.Bindings) string {
	var parts []string
	for _, n := range slices.Sorted(maps.Keys(b)) {
		parts = append(parts, r.name(n)+" = "+valueTeX(b[n]))
	}
	return strings.Join(parts, `,\ `)
}

// declTeX writes a declaration as the set the name lies in:
// \mathbf{X} \in \mathbb{R}^{n \times d}.
func (r *Renderer) declTeX(s *session.Session, d *ast.DeclStmt) string {
	return New(s, Options{}).shaped(ast.NewSym(d.Name)) + ` \in ` + r.shapeTeX(d.Shape)
}
