package latex

import (
	"context"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
)

// shaped writes e with the session's vectors and matrices in bold.
func (r *Renderer) shaped(e ast.Expr) string {
	s, _ := ast.FormatSpelled(e, ast.LaTeX, r.S.Decls, nil, r.spelled)
	return s
}

// shapeTeX writes the set a declared name lies in: \mathbb{R}^{n \times d}.
func (r *Renderer) shapeTeX(s ast.Shape) string {
	switch {
	case s.IsScalar():
		return `\mathbb{R}`
	case s.IsVector():
		return `\mathbb{R}^{` + r.tex(s.Rows) + `}`
	case s.Symmetric:
		// The symmetric n×n matrices.
		return `\mathbb{S}^{` + r.tex(s.Rows) + `} \quad \text{(symmetric } ` + r.tex(s.Rows) + ` \times ` + r.tex(s.Rows) + `\text{)}`
	}
	return `\mathbb{R}^{` + r.tex(s.Rows) + ` \times ` + r.tex(s.Cols) + `}`
}

// maxInlineNote is the longest note written beside a matrix result;
// a longer one is a paragraph under it.
const maxInlineNote = 80

// matrixResult shows a matrix expression's value in matrix notation,
// followed by the derivation of an entry in index form when it is a
// derivative.
func (r *Renderer) matrixResult(ctx context.Context, res *session.Result, suffix string) error {
	long := len(res.Note) > maxInlineNote
	if res.Note != "" && !long {
		suffix += ` \qquad \text{` + Escape(res.Note) + `}`
	}
	r.display(r.shaped(res.Expr) + " = " + r.shaped(res.Value) + suffix)
	if long {
		// A long note (the convention of a derivative by a symmetric
		// matrix) is prose under the formula, where it can wrap.
		r.paragraph(Escape(strings.ReplaceAll(res.Note, "\n  ", " ")))
	}
	if !ast.HasDeriv(res.Expr) {
		return nil
	}
	d, err := r.S.StepsContext(ctx, res)
	if err != nil || d == nil {
		return err
	}
	r.paragraph("Step by step: to index form, entry by entry, and back to matrix notation:")
	r.Derivation(d)
	return nil
}
