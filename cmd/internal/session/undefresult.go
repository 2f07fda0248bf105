package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// undefinedResult says that e is undefined when its simplified form r has
// a part without names that has no value (undefinedPart, run on the
// result): the simplifier writes such a part only where e has no value
// either, as under assumptions, where (-x)^(1/2) with x > 0 becomes
// sqrt(-1)*sqrt(x) and was printed as that. The error names the form, the
// part, and the assumptions it holds under.
func (s *Session) undefinedResult(ctx context.Context, e ast.Expr, r *simplify.Result) error {
	perr := undefinedPart(ctx, r.Expr, s.evalDefs(), s.options())
	if perr == nil {
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
	return &partError{x: e, msg: fmt.Sprintf("%s is undefined %s: it simplifies to %s, and %v", ast.String(e), where, ast.String(r.Expr), perr)}
}
