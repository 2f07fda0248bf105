package numcheck

import (
	"context"
	"math/big"

	"github.com/symdiff/symdiff/ast"
)

// An Equation is an equality assumption solved for one name: the name
// (a scalar, or every entry of an array its Indices select) equals Value
// at every point. Indices are names (any entry: y[j] == 2, with j bound to
// the entry's position in Value) or numbers (one entry). The prover draws
// the other names, then gives each solved name its value, equations in
// the order given (the prover orders them so that a value never reads a
// name solved later).
type Equation struct {
	Name    string
	Indices []ast.Expr // nil: a scalar
	Value   ast.Expr
}

// eqPrec is the precision a solved value is computed at: a value float64
// cannot hold exactly (b + 1e-30, exp(b)) makes the point unusable, for
// the high-precision comparison would see its rounding as a difference.
const eqPrec = 256

// solve gives the solved names their values at b. It reports false when a
// value is undefined or not exactly a float64 there, or breaks a set or
// interval assumed for the name: no point is drawn then.
func (as *Assumptions) solve(g *pointGen, b ast.Bindings) bool {
	for _, eq := range as.Equations {
		g.drawMissing(b, eq)
		cur, ok := b[eq.Name]
		if !ok {
			if len(eq.Indices) == 0 {
				cur = ast.Scalar(0)
			} else {
				shape := g.missingShape(eq.Name, len(eq.Indices), b)
				size := 1
				for _, d := range shape {
					size *= d
				}
				cur = ast.Value{Shape: shape, Data: make([]float64, size)}
			}
		}
		if len(eq.Indices) != len(cur.Shape) {
			return false
		}
		data := append([]float64(nil), cur.Data...)
		ok = eachEntry(cur.Shape, eq.Indices, b, func(k int, at ast.Bindings) bool {
			v, exact := exactValue(eq.Value, at)
			if !exact || !as.Holds(eq.Name, v) {
				return false
			}
			data[k] = v
			return true
		})
		if !ok {
			return false
		}
		b[eq.Name] = ast.Value{Shape: cur.Shape, Data: data}
	}
	return true
}

// admitsEquations reports whether every equation holds exactly at pt.
func (as *Assumptions) admitsEquations(pt ast.Bindings) bool {
	for _, eq := range as.Equations {
		cur, ok := pt[eq.Name]
		if !ok {
			continue // not a name of the point
		}
		if len(eq.Indices) != len(cur.Shape) {
			return false
		}
		if !eachEntry(cur.Shape, eq.Indices, pt, func(k int, at ast.Bindings) bool {
			v, exact := exactValue(eq.Value, at)
			return exact && v == cur.Data[k]
		}) {
			return false
		}
	}
	return true
}

// eachEntry calls f for each entry (by its offset in row-major data) that
// the indices select, with the index names bound to its 1-based position;
// it stops and reports false when f does.
func eachEntry(shape []int, indices []ast.Expr, b ast.Bindings, f func(k int, at ast.Bindings) bool) bool {
	size := 1
	for _, d := range shape {
		size *= d
	}
	for p, ix := range indices {
		// An entry past the array's shape has no value: an equation for
		// it holds at no point (assume w[2] == 1 with w : vector(n) at
		// n = 1 was taken to hold, there being no entry to set).
		if n, ok := ix.(*ast.Num); ok && p < len(shape) {
			if k, ok := n.Value.Int64(); !ok || k < 1 || k > int64(shape[p]) {
				return false
			}
		}
	}
	at := make(ast.Bindings, len(b)+len(indices))
	for k, v := range b {
		at[k] = v
	}
	pos := make([]int, len(shape))
entries:
	for k := range size {
		rest := k
		for p := len(shape) - 1; p >= 0; p-- {
			pos[p] = rest%shape[p] + 1
			rest /= shape[p]
		}
		bound := map[string]int{}
		for p, ix := range indices {
			switch x := ix.(type) {
			case *ast.Sym:
				if old, ok := bound[x.Name]; ok && old != pos[p] {
					continue entries // y[i, i]: the diagonal only
				}
				bound[x.Name] = pos[p]
			case *ast.Num:
				n, ok := x.Value.Int64()
				if !ok || int(n) != pos[p] {
					continue entries
				}
			default:
				return false
			}
		}
		for name, v := range bound {
			at[name] = ast.Scalar(float64(v))
		}
		if !f(k, at) {
			return false
		}
	}
	return true
}

// exactValue evaluates e at b at high precision and reports whether the
// value is a float64 exactly.
func exactValue(e ast.Expr, b ast.Bindings) (float64, bool) {
	v, err := ast.EvalBig(context.Background(), e, nil, b, eqPrec)
	if err != nil || v.IsInf() {
		return 0, false
	}
	f, acc := v.Float64()
	return f, acc == big.Exact
}

// drawMissing draws the names an equation's value reads that the point
// lacks (the claim does not use them): scalars, and arrays.
func (g *pointGen) drawMissing(b ast.Bindings, eq Equation) {
	skip := map[string]bool{}
	for _, ix := range eq.Indices {
		if s, ok := ix.(*ast.Sym); ok {
			skip[s.Name] = true
		}
	}
	var walk func(e ast.Expr, bound map[string]bool)
	walk = func(e ast.Expr, bound map[string]bool) {
		switch x := e.(type) {
		case *ast.Sym:
			if _, ok := b[x.Name]; !ok && !skip[x.Name] && !bound[x.Name] {
				b[x.Name] = ast.Scalar(g.real(5))
			}
			return
		case *ast.Index:
			if _, ok := b[x.Name]; !ok {
				shape := g.missingShape(x.Name, len(x.Indices), b)
				size := 1
				for _, d := range shape {
					size *= d
				}
				data := make([]float64, size)
				for k := range data {
					data[k] = g.real(1)
				}
				b[x.Name] = ast.Value{Shape: shape, Data: data}
			}
			for _, i := range x.Indices {
				walk(i, bound)
			}
			return
		case *ast.Sum:
			walk(x.Lo, bound)
			walk(x.Hi, bound)
			inner := map[string]bool{x.Var: true}
			for k := range bound {
				inner[k] = true
			}
			walk(x.Body, inner)
			return
		}
		for _, k := range ast.Children(e) {
			walk(k, bound)
		}
	}
	walk(eq.Value, nil)
}

// missingShape is the shape of an array of rank dimensions that the
// claim does not read, drawn for an equation: its declared shape at the
// sizes of the point b (bound first if b lacks them), else arrayDim in
// every dimension. A counterexample showed w : vector(n) at 16 entries
// with n = 4.
func (g *pointGen) missingShape(name string, rank int, b ast.Bindings) []int {
	if g.as.declared(name) {
		g.bindSizesOf(name, b)
		if full, _ := g.arrayDims(name, b, nil); len(full) == rank {
			return full
		}
	}
	shape := make([]int, rank)
	for k := range shape {
		shape[k] = arrayDim
	}
	return shape
}
