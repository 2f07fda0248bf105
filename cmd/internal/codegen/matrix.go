package codegen

import "github.com/symdiff/symdiff/ast"

// matrixNotation reports whether the loss, with its definitions opened,
// is written in matrix notation: code is generated from index form only.
func matrixNotation(en Engine, loss ast.Expr) bool {
	e := loss
	if en.Defs != nil {
		e = en.Defs.Expand(loss)
	}
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if _, ok := x.(*ast.MatOp); ok {
			found = true
		}
		return !found
	})
	return found
}
