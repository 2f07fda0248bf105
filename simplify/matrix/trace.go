package matrix

import (
	"context"
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
)

// The derivation of a matrix result, as every view shows it: the matrix
// identities applied to the input, the translation to index form, the
// steps in index form, the translation back to matrix notation, the
// identities applied to the result, and for a gradient by a symmetric
// matrix its symmetrisation. All of it is the one trace type,
// rules.Step, recorded as the result was worked out.

var (
	// RuleToIndex is the translation of a matrix expression to index form.
	RuleToIndex = &rules.Rule{Name: "to_index_form", Kind: rules.Pass, Source: matSource,
		Doc:  "written entry by entry in index form",
		Text: "a matrix product is a sum over the shared index, a transpose swaps the indices, an element-wise operation acts on each entry"}
	// RuleFromIndex is the translation of an entry back to matrix notation.
	RuleFromIndex = &rules.Rule{Name: "from_index_form", Kind: rules.Pass, Source: matSource,
		Doc:  "translated back to matrix notation",
		Text: "a sum over a shared index is a matrix product, swapped indices a transpose, a product of entries with one index a diagonal or Hadamard product"}
	// RuleSymmetrised is the symmetrisation of a gradient by a symmetric
	// matrix, as a derivation shows it: RuleSymmetricGradient's step with
	// the convention in words.
	RuleSymmetrised = &rules.Rule{Name: "symmetric_gradient_step", Kind: rules.Pass, Source: matSource,
		Doc:  "symmetrised gradient (G + G')/2, G taken with the entries independent",
		Text: symmetricGradientText}
	// RuleSymmetricAlready is the symmetrisation of a gradient that is
	// symmetric as it stands.
	RuleSymmetricAlready = &rules.Rule{Name: "symmetric_gradient_kept", Kind: rules.Pass, Source: matSource,
		Doc:  "symmetrised gradient (G + G')/2, G taken with the entries independent; here G' = G",
		Text: "d(f, S) = (G + G')/2 = G when G' = G"}
)

// TraceRules are the rules a matrix derivation's steps may carry besides
// those of the index calculus.
func TraceRules() []*rules.Rule {
	return append(identityRules(), RuleToIndex, RuleFromIndex, RuleSymmetrised, RuleSymmetricAlready)
}

// Derivation returns the whole derivation of the result, from the input
// as written to its value: nil steps are left out. For a result with no
// matrix form it ends in index form.
func (r *Result) Derivation() (*simplify.Derivation, error) {
	return r.DerivationContext(context.Background())
}

// DerivationContext is Derivation, giving up once ctx is done (the index
// form's derivation of a deep result takes seconds).
func (r *Result) DerivationContext(ctx context.Context) (*simplify.Derivation, error) {
	d := &simplify.Derivation{Start: r.Input}
	if r.Simplified != nil {
		d.Stop, d.Detail = r.Simplified.Stop, r.Simplified.Detail
	}
	add := func(e ast.Expr, st rules.Step) {
		if n := len(d.Lines); n > 0 && d.Lines[n-1].Expr == e || n == 0 && e == r.Input {
			if n > 0 {
				d.Lines[n-1].Also = append(d.Lines[n-1].Also, st)
			}
			return
		}
		d.Lines = append(d.Lines, simplify.Line{Expr: e, Step: st})
	}
	written := r.Input
	if r.Written.Rule != nil {
		written = r.Written.After
		add(written, r.Written)
	}
	to := *RuleToIndex
	if len(r.Indices) > 0 {
		var rs []string
		for i, k := range r.Indices {
			rs = append(rs, k+" in 1.."+ast.String(r.Sizes[i]))
		}
		to.Doc = fmt.Sprintf("the entry at [%s] (%s), written in index form", strings.Join(r.Indices, ","), strings.Join(rs, ", "))
	}
	if len(r.Atoms) > 0 {
		to.Doc += ", with " + atomLegend(r.Atoms)
	}
	if r.Entry != nil {
		add(r.Entry, rules.Step{Rule: &to, Before: written, After: r.Entry})
	}
	if r.Simplified != nil {
		sd, err := r.Simplified.DerivationContext(ctx)
		if err != nil {
			return nil, err
		}
		if sd != nil {
			for _, l := range sd.Lines {
				add(l.Expr, l.Step)
				if n := len(d.Lines); n > 0 && d.Lines[n-1].Expr == l.Expr {
					d.Lines[n-1].Also = append(d.Lines[n-1].Also, l.Also...)
				}
			}
		} else {
			for _, st := range r.Simplified.Trace {
				add(r.Simplified.Show(st.After), st)
			}
		}
		if n := len(d.Lines); n == 0 || d.Lines[n-1].Expr != r.Simplified.Expr {
			// The last line of the index form is its simplified value.
			if r.Simplified.Expr != r.Entry && len(r.Simplified.Trace) > 0 {
				last := r.Simplified.Trace[len(r.Simplified.Trace)-1]
				add(r.Simplified.Expr, last)
			}
		}
	}
	if r.Value == nil {
		if r.Simplified != nil {
			d.Result = r.Simplified.Expr
			d.Ranges = r.Simplified.Ranges
		}
		return d, nil
	}
	// The value before the symmetrisation, and before that before the
	// identities.
	g := r.Value
	if r.Symmetrised.Rule != nil {
		g = r.Symmetrised.Before
	}
	back := g
	if r.Shown.Rule != nil {
		back = r.Shown.Before
	}
	before := written
	if n := len(d.Lines); n > 0 {
		before = d.Lines[n-1].Expr
	}
	add(back, rules.Step{Rule: RuleFromIndex, Before: before, After: back})
	if r.Shown.Rule != nil {
		add(r.Shown.After, r.Shown)
	}
	switch {
	case r.Symmetrised.Rule != nil:
		st := r.Symmetrised
		st.Rule, st.After = RuleSymmetrised, r.Value
		add(r.Value, st)
	case r.Convention != "":
		d.Lines = append(d.Lines, simplify.Line{Expr: r.Value, Step: rules.Step{Rule: RuleSymmetricAlready, Before: r.Value, After: r.Value}})
	}
	d.Result = r.Value
	return d, nil
}
