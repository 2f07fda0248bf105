package matrix

import "github.com/symdiff/symdiff/ast"

// FitValues writes the value of a name with a dimension of 1 the way e
// (with the definitions it uses opened) indexes it: [[1], [2]] as [1, 2]
// where e writes x[i], and [1, 2] as [[1], [2]] where it writes x[i,1];
// a row [[1, 2]] as [1, 2] where e writes P[j]. The numeric evaluator
// takes a value of as many dimensions as the name has indices, and a
// column of values is both a vector and an n×1 matrix (numpy's (n, 1)
// array takes x[i, 0]). A name e indexes both ways, or not at all, keeps
// its value. b is not modified.
func FitValues(b ast.Bindings, e ast.Expr, defs *ast.Defs) ast.Bindings {
	if len(b) == 0 {
		return b
	}
	if defs != nil {
		e = defs.Expand(e)
	}
	uses := map[string]int{} // the number of indices, -1 where it varies
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if ix, ok := x.(*ast.Index); ok {
			if v, ok := b[ix.Name]; ok && len(v.Data) == sizeOf(v) {
				if k, seen := uses[ix.Name]; seen && k != len(ix.Indices) {
					uses[ix.Name] = -1
				} else {
					uses[ix.Name] = len(ix.Indices)
				}
			}
		}
		return true
	})
	var out ast.Bindings
	set := func(name string, v ast.Value) {
		if out == nil {
			out = make(ast.Bindings, len(b))
			for k, w := range b {
				out[k] = w
			}
		}
		out[name] = v
	}
	for name, k := range uses {
		v := b[name]
		switch {
		case k == 1 && len(v.Shape) == 2 && v.Shape[1] == 1:
			set(name, ast.Value{Shape: []int{v.Shape[0]}, Data: v.Data})
		case k == 1 && len(v.Shape) == 2 && v.Shape[0] == 1:
			set(name, ast.Value{Shape: []int{v.Shape[1]}, Data: v.Data})
		case k == 2 && len(v.Shape) == 1:
			set(name, ast.Value{Shape: []int{v.Shape[0], 1}, Data: v.Data})
		}
	}
	if out == nil {
		return b
	}
	return out
}

// sizeOf is the number of entries v's shape holds.
func sizeOf(v ast.Value) int {
	n := 1
	for _, d := range v.Shape {
		n *= d
	}
	return n
}
