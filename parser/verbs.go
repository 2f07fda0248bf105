package parser

import (
	"github.com/symdiff/symdiff/ast"
)

// verb lowers a call to an algebra verb (expand(E), apart(E, x), ...):
// a Call node the session evaluates. The variable of apart, collect and
// subs must be a name or an indexed name (collect also takes a call such
// as sigma(z), which it treats as one variable).
func (lw *lowerer) verb(n *callNode, v *ast.Verb) (ast.Expr, error) {
	if len(n.args) != v.Arity {
		return nil, lw.errorf(n.at, "%s takes %s, found %d: write %s", v.Name, count(v.Arity, "argument", "arguments"), len(n.args), v.Usage)
	}
	args := make([]ast.Expr, len(n.args))
	for i, a := range n.args {
		e, err := lw.expr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if v.Arity >= 2 {
		_, isCall := args[1].(*ast.Call)
		switch args[1].(type) {
		case *ast.Sym, *ast.Index:
		default:
			if isCall && v.Name == "collect" {
				break
			}
			return nil, lw.errorf(n.args[1].pos(), "the second argument of %s must be a name like x or w[k]: write %s", v.Name, v.Usage)
		}
	}
	return ast.NewCall(v.Name, args...), nil
}
