package matrix

import "github.com/symdiff/symdiff/ast"

// CheckValues checks the values of declared names against their
// declarations (dimensions, sizes that agree, symmetry), as Eval does
// before it evaluates: for a caller that evaluates entries of declared
// arrays in index form (eval S[1,2]), which never meets Eval.
func CheckValues(b ast.Bindings, decls map[string]ast.Shape) error {
	_, err := bindSizes(b, decls)
	return err
}

// BindSizes is CheckValues that also returns the bindings with the sizes
// the values imply (n = 3 for x : vector(n) at x = [1, 2, 3]): for a
// caller that evaluates index form (sum(i=1..n, x[i])) and so needs n.
func BindSizes(b ast.Bindings, decls map[string]ast.Shape) (ast.Bindings, error) {
	return bindSizes(b, decls)
}
