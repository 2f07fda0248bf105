package matrix

import (
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// The derivative of det(A) is det(A)*inv(A)' (Jacobi's formula, the
// Matrix Cookbook's (49), and what SymPy and MatrixCalculus.org write),
// a form with a value only where A is invertible, although det(A), a
// polynomial in A's entries, is differentiable everywhere: its gradient
// is the transposed adjugate of A, which is det(A)*inv(A)' where A is
// invertible. A result that has inv(A) only through the derivative of
// det(A) says so, since it is undefined where the input is not. An input
// with inv(A) or logdet(A) of its own is undefined where A is singular
// already, and needs no note.

// invertibleNotes says, for each inverse in r that only the derivative of
// a determinant in the input brought in, where the result holds: input is
// the input as written, written the input after the identities.
func invertibleNotes(t *Translator, r *Result, input, written ast.Expr) []string {
	var notes []string
	var inputs []ast.Expr // with definitions inlined, made when needed
	for _, a := range r.Atoms {
		if a.Kind != ast.MatInv || !mentionsAtom(r, a) {
			continue
		}
		if inputs == nil {
			inputs = []ast.Expr{t.inline(input), written}
		}
		own, det := false, false
		for _, in := range inputs {
			ast.InspectOnce(in, func(x ast.Expr) bool {
				if m, ok := x.(*ast.MatOp); ok && sameMatrix(m, a.Arg) {
					switch m.Kind {
					case ast.MatInv, ast.MatLogDet:
						own = true
					case ast.MatDet:
						det = true
					}
				}
				return !own
			})
		}
		if own || !det {
			continue
		}
		m := ast.String(a.Arg)
		if n, ok := rankOne(t, a); ok {
			notes = append(notes, fmt.Sprintf("(this form holds where %s is invertible, and %s has rank 1: for %s >= 2 it is singular for every value, where det(%s) is 0 and so is its derivative)", m, m, n, m))
			continue
		}
		notes = append(notes, fmt.Sprintf("(this form holds where %s is invertible: det(%s) is differentiable everywhere, and its derivative is written with det(%s)*inv(%s)', the transposed adjugate of %s where %s is invertible)", m, m, m, m, m, m))
	}
	return notes
}

// sameMatrix reports whether the operation m applies to arg or to arg'.
func sameMatrix(m *ast.MatOp, arg ast.Expr) bool {
	if len(m.Args) != 1 {
		return false
	}
	x := m.Args[0]
	if x == arg {
		return true
	}
	if t, ok := isMat(x, ast.MatTranspose); ok && t.Args[0] == arg {
		return true
	}
	if t, ok := isMat(arg, ast.MatTranspose); ok && t.Args[0] == x {
		return true
	}
	return false
}

// mentionsAtom reports whether r's result mentions the inverse a: in
// matrix notation, or by the atom's name in index form.
func mentionsAtom(r *Result, a *Atom) bool {
	found := false
	if r.Value != nil {
		ast.InspectOnce(r.Value, func(x ast.Expr) bool {
			if m, ok := isMat(x, ast.MatInv); ok && sameMatrix(m, a.Arg) {
				found = true
			}
			return !found
		})
		return found
	}
	if r.Simplified == nil {
		return false
	}
	ast.InspectOnce(r.Simplified.Expr, func(x ast.Expr) bool {
		if ix, ok := x.(*ast.Index); ok && ix.Name == a.Name {
			found = true
		}
		return !found
	})
	return found
}

// rankOne reports whether a's matrix is a product through a vector
// (x*y', u*v'*B), of rank at most 1, and returns its size.
func rankOne(t *Translator, a *Atom) (string, bool) {
	p, ok := isMat(a.Arg, ast.MatMul)
	if !ok {
		return "", false
	}
	if ast.IsNum(a.Size, 1) {
		return "", false
	}
	for _, f := range p.Args[:len(p.Args)-1] {
		if s, err := t.Env.Of(f); err == nil && ast.IsNum(s.Cols, 1) {
			return ast.String(a.Size), true
		}
	}
	return "", false
}

// cancelNotes says, for each inverse that inv_cancel or
// inv_transpose_cancel took out of r (inv(W)*W = eye(d)) and that r's
// result no longer mentions, that the result holds where the matrix is
// invertible: the input has no value where it is singular, the result
// has one.
func cancelNotes(r *Result) []string {
	var notes []string
	seen := map[ast.Expr]bool{}
	for _, st := range []rules.Step{r.Written, r.Shown} {
		for _, sub := range st.Sub {
			if sub.Rule != RuleInvCancel && sub.Rule != RuleInvTransposeCancel {
				continue
			}
			ast.InspectOnce(sub.Before, func(x ast.Expr) bool {
				m, ok := isMat(x, ast.MatInv)
				if !ok || seen[m.Args[0]] {
					return true
				}
				seen[m.Args[0]] = true
				if r.Value != nil && mentionsInverse(r.Value, m.Args[0]) {
					return true // the result has no value there either
				}
				a := ast.String(m.Args[0])
				used := fmt.Sprintf("inv(%s)*%s", a, a)
				if sub.Rule == RuleInvTransposeCancel {
					used = fmt.Sprintf("inv(%s)'*%s'", a, a)
				}
				if _, ok := m.Args[0].(*ast.Sym); !ok {
					used = strings.ReplaceAll(strings.ReplaceAll(used, "*"+a, "*("+a+")"), "inv(("+a+"))", "inv("+a+")")
				}
				notes = append(notes, fmt.Sprintf("(%s = eye was used: the result holds where %s is invertible; the input has no value where it is singular)", used, a))
				return true
			})
		}
	}
	return notes
}

// mentionsInverse reports whether e has inv(a).
func mentionsInverse(e, a ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if m, ok := isMat(x, ast.MatInv); ok && m.Args[0] == a {
			found = true
		}
		return !found
	})
	return found
}
