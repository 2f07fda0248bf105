package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// undefinedResult says that e is undefined when its simplified form r has
// a part without names, not in e, that has no value: the simplifier
// writes such a part only where e has no value either, as under
// assumptions, where (-x)^(1/2) with x > 0 becomes sqrt(-1)*sqrt(x) and
// was printed as that. As in undefinedPart, the pieces of an if and a
// product with a bracket are not looked into; nor are sums (undefinedPart
// has looked at the input's, and a long one is not evaluated). The error
// names the form, the part, and the assumptions it holds under.
func (s *Session) undefinedResult(ctx context.Context, e ast.Expr, r *simplify.Result) error {
	in := map[ast.Expr]bool{}
	ast.InspectOnce(s.Defs.Expand(e), func(x ast.Expr) bool { in[x] = true; return true })
	var part ast.Expr
	var why string
	ast.InspectOnce(r.Expr, func(x ast.Expr) bool {
		if part != nil || ctx.Err() != nil || in[x] {
			return false
		}
		switch x := x.(type) {
		case *ast.Num, *ast.If, *ast.Sum:
			return false
		case *ast.Mul:
			for _, f := range x.Factors {
				if _, ok := f.(*ast.Iverson); ok {
					return false
				}
			}
		}
		if len(ast.FreeNames(x)) > 0 {
			return true
		}
		if ast.HasSum(x) {
			return false
		}
		if w, undefined, _ := noValue(ctx, x, s.evalDefs()); undefined {
			part, why = x, w
		}
		return false
	})
	if part == nil {
		return nil
	}
	where := "for every value of its names"
	if len(s.Assume) > 0 {
		as := make([]string, len(s.Assume))
		for i, a := range s.Assume {
			as[i] = strings.TrimPrefix(ast.StmtString(a), "assume ")
		}
		where = "wherever the assumptions hold (" + strings.Join(as, ", ") + ")"
	}
	return &partError{x: e, msg: fmt.Sprintf("%s is undefined %s: it simplifies to %s, and %v", ast.String(e), where, ast.String(r.Expr), undefinedError(part, why))}
}
