package session

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// What the declarations say of a scalar claim or expression (one with no
// vector or matrix expression in it): its entries of a symmetric matrix
// are symmetric, and its names used as sizes are sizes.

// proveAsMatrix reports whether a claim goes to the matrix prover: it has
// a vector or matrix expression, or an entry of a matrix declared
// symmetric (S[1,2] == S[2,1]), whose symmetry only the matrix prover
// knows (it proves with S[a,b] written (S[a,b] + S[b,a])/2, and checks a
// counterexample at symmetric values).
func (s *Session) proveAsMatrix(a, b ast.Expr) bool {
	return s.involved(a) || s.involved(b) || s.mentionsSymmetric(a) || s.mentionsSymmetric(b)
}

func (s *Session) mentionsSymmetric(e ast.Expr) bool {
	return slices.ContainsFunc(ast.FreeNames(e), func(n string) bool { return s.Decls[n].Symmetric })
}

// proveOptions are the options of a scalar claim: a name a declaration
// uses as a size (X : matrix(n, d)) is a whole number at least 1 in every
// claim, also one with no array of that size in it (abs(d) == d). A name
// the claim already uses as a whole number, in a sum's bounds or a
// bracket, is left as it is: the check draws it as a size, from the small
// sizes that make sums evaluable, where a range 1.. would draw it up to
// 2^40 and leave only the points at 1 (sum(i=1..n, x[i]) == x[1] was
// then "numerically equal").
func (s *Session) proveOptions(a, b ast.Expr) simplify.Options {
	opt := s.options()
	opt.Decls = s.Decls
	var whole map[string]bool
	for _, name := range s.declaredSizes() {
		if _, ok := opt.Ranges[name]; ok || !ast.HasFree(a, name) && !ast.HasFree(b, name) {
			continue
		}
		if whole == nil {
			whole = wholeNames(a)
			maps.Copy(whole, wholeNames(b))
		}
		if whole[name] {
			continue
		}
		if opt.Ranges == nil {
			opt.Ranges = map[string]simplify.Range{}
		} else {
			opt.Ranges = maps.Clone(opt.Ranges)
		}
		opt.Ranges[name] = simplify.Range{Lo: ast.One}
	}
	return opt
}

// declaredSizes lists the names the declarations use as sizes, sorted.
// The shape of _ is not a declaration (claimOptions): with it, n was a
// size after A : symmetric(n), A*A, A : symmetric(m) in the REPL and the
// playground, and prove abs(n) == n unknown there, refuted in run.
func (s *Session) declaredSizes() []string {
	var out []string
	for name, sh := range s.Decls {
		if name == lastName {
			continue
		}
		for _, d := range []ast.Expr{sh.Rows, sh.Cols} {
			if n, ok := d.(*ast.Sym); ok && !slices.Contains(out, n.Name) {
				out = append(out, n.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// withSizes checks the values of declared names against their
// declarations, as eval of a vector or matrix does (a symmetric S must
// have a symmetric value: eval S[1,2] at S = [[1, 2], [3, 4]] would
// otherwise print 2, an entry of no matrix the declaration allows), and
// returns b with the sizes the values imply: with x : vector(n), eval of
// sum(i=1..n, x[i]) at x = [1, 2, 3], which uses x only indexed, said n
// had no value, and x[1] at n = 4 gave 1 for an x of 3 entries.
func (s *Session) withSizes(b ast.Bindings) (ast.Bindings, error) {
	decls := map[string]ast.Shape{}
	for name, sh := range s.Decls {
		if _, bound := b[name]; bound {
			decls[name] = sh
		}
	}
	if len(decls) == 0 {
		return b, nil
	}
	return matrix.BindSizes(b, decls)
}

// SymmetricEntryNote says, for e with a derivative by an off-diagonal
// entry of a matrix declared symmetric, which derivative that is: the
// entries are taken as independent variables, as for any indexed name
// (and SymPy's MatrixSymbol, which has no symmetric entries), so
// d(S[1,2], S[2,1]) is 0 though S[1,2] = S[2,1]. The note gives the
// derivative along the symmetric entry, the Matrix Cookbook's structured
// one, which d(f, S) relates to as its note says. Empty where there is
// no such derivative.
func (s *Session) SymmetricEntryNote(e ast.Expr) string {
	var entry *ast.Index
	ast.Inspect(e, func(x ast.Expr) bool {
		if d, ok := x.(*ast.Deriv); ok && entry == nil {
			if ix, ok := d.Wrt.(*ast.Index); ok && len(ix.Indices) == 2 && ix.Indices[0] != ix.Indices[1] && s.Decls[ix.Name].Symmetric {
				entry = ix
			}
		}
		return entry == nil
	})
	if entry == nil {
		return ""
	}
	mirror := ast.NewIndex(entry.Name, entry.Indices[1], entry.Indices[0])
	return fmt.Sprintf("%s is symmetric, but a derivative by %s takes %s and %s as independent variables, as for any indexed name: d(%s, %s) is 0; "+
		"along the symmetric entry (both moving together, the Matrix Cookbook's structured derivative) it is d(f, %s) + d(f, %s)",
		entry.Name, ast.String(entry), ast.String(entry), ast.String(mirror), ast.String(mirror), ast.String(entry), ast.String(entry), ast.String(mirror))
}

// noteSymmetricEntry adds SymmetricEntryNote to r.
func (s *Session) noteSymmetricEntry(r *Result, e ast.Expr) {
	if n := s.SymmetricEntryNote(e); n != "" {
		r.addNote(n)
	}
}

// sizeHint adds to an error that a size has no value what the value
// probably is: in eval of sum(i=1..n, x[i]) at x = [1, 2, 3], with x not
// declared, n is the bound of a sum over the entries of x, and x has 3.
// It is not taken as n (a sum may stop short of the end): the user is
// told to give it, or to declare x : vector(n), which reads it off x.
func (s *Session) sizeHint(e ast.Expr, b ast.Bindings, err error) error {
	var me *ast.MissingError
	if !errors.As(err, &me) {
		return err
	}
	e = s.Defs.Expand(e)
	for _, name := range me.Names {
		hint := ""
		ast.Inspect(e, func(x ast.Expr) bool {
			sum, ok := x.(*ast.Sum)
			if hint != "" || !ok {
				return hint == ""
			}
			if hi, ok := sum.Hi.(*ast.Sym); !ok || hi.Name != name {
				return true
			}
			ast.Inspect(sum.Body, func(y ast.Expr) bool {
				ix, ok := y.(*ast.Index)
				if !ok || hint != "" {
					return hint == ""
				}
				v, bound := b[ix.Name]
				for k, i := range ix.Indices {
					if sym, ok := i.(*ast.Sym); ok && sym.Name == sum.Var && bound && len(v.Shape) == len(ix.Indices) {
						decl := fmt.Sprintf("%s : vector(%s)", ix.Name, name)
						if len(v.Shape) == 2 {
							decl = fmt.Sprintf("%s : matrix(%s, ...)", ix.Name, name)
							if k == 1 {
								decl = fmt.Sprintf("%s : matrix(..., %s)", ix.Name, name)
							}
						}
						hint = fmt.Sprintf("%s is the end of the sum over %s: give %s=%d to sum over all %d, or declare %s (--defs) to read %s off the value", name, ast.String(ix), name, v.Shape[k], v.Shape[k], decl, name)
					}
				}
				return hint == ""
			})
			return hint == ""
		})
		if hint != "" {
			return fmt.Errorf("%w; %s", err, hint)
		}
	}
	return err
}
