package codegen

import (
	"fmt"
	"slices"
	"strings"
)

// Declared row vectors. R : matrix(1, d) is read as R[j] in index form, so
// the code computes with a vector of d entries; at the function's edges it
// takes R as a 1 × d array (numpy's X[0:1, :]) and gives back the gradient
// with respect to R in that shape, and each Hessian block in the shapes of
// its two variables put together (PyTorch's convention: a gradient has the
// shape of its parameter). A column matrix(n, 1) is declared exactly as a
// vector(n) is (the parser keeps the shape n×1 for both), so it stays an
// array of n entries, and a matrix(1, 1) a number.

// declDims are an input's dimensions as declared: "1" and then d for a
// row vector.
func (in *input) declDims() []string {
	ds := in.dimNames()
	if in.row {
		return append([]string{"1"}, ds...)
	}
	return ds
}

// outPads returns the axes of an output, as the caller sees it, that the
// code's value of it lacks: the rows' leading axes of length 1.
func outPads(p *problem, o *output) []int {
	var ins []*input
	switch o.kind {
	case outGrad:
		ins = []*input{p.wrt[o.a].in}
	case outHess:
		ins = []*input{p.wrt[o.a].in, p.wrt[o.b].in}
	}
	var pads []int
	at := 0
	for _, in := range ins {
		if in.row {
			pads = append(pads, at)
		}
		at += len(in.declDims())
	}
	return pads
}

func isPad(pads []int, axis int) bool {
	for _, x := range pads {
		if x == axis {
			return true
		}
	}
	return false
}

// npPadded writes a NumPy array with axes of length 1 inserted at pads:
// h[None, :, None, :] for the Hessian block of two rows.
func npPadded(name string, rank int, pads []int) string {
	parts := make([]string, rank)
	for k := range parts {
		parts[k] = ":"
		if isPad(pads, k) {
			parts[k] = "None"
		}
	}
	return name + "[" + strings.Join(parts, ", ") + "]"
}

// pyPadded writes a Python expression that nests a list with lists of one
// element inserted at pads: [grad_R] for a row's gradient,
// [[[r1] for r1 in h]] for the Hessian block of a row.
func pyPadded(src string, rank int, pads []int) string {
	var rec func(src string, axis, depth int) string
	rec = func(src string, axis, depth int) string {
		rest := false
		for _, x := range pads {
			rest = rest || x >= axis
		}
		if !rest || axis == rank {
			return src
		}
		if isPad(pads, axis) {
			return "[" + rec(src, axis+1, depth) + "]"
		}
		v := fmt.Sprintf("r%d", depth+1)
		return "[" + rec(v, axis+1, depth+1) + " for " + v + " in " + src + "]"
	}
	return rec(src, 0, 0)
}

// goPadded writes Go statements that set dst, of rank rank, to src with
// axes of length 1 inserted at pads; what has no pad below it is shared,
// not copied.
func goPadded(b *strings.Builder, dst, src string, rank int, pads []int) {
	vars := []string{"i1", "i2", "i3", "i4", "i5", "i6", "i7"}
	var rec func(dst, src string, axis, depth int, ind string)
	rec = func(dst, src string, axis, depth int, ind string) {
		rest := false
		for _, x := range pads {
			rest = rest || x >= axis
		}
		if !rest || axis == rank {
			fmt.Fprintf(b, "%s%s = %s\n", ind, dst, src)
			return
		}
		typ := strings.Repeat("[]", rank-axis) + "float64"
		if isPad(pads, axis) && !slices.ContainsFunc(pads, func(x int) bool { return x > axis }) {
			fmt.Fprintf(b, "%s%s = %s{%s}\n", ind, dst, typ, src)
			return
		}
		if isPad(pads, axis) {
			fmt.Fprintf(b, "%s%s = make(%s, 1)\n", ind, dst, typ)
			rec(dst+"[0]", src, axis+1, depth, ind)
			return
		}
		v := vars[depth]
		fmt.Fprintf(b, "%s%s = make(%s, len(%s))\n", ind, dst, typ, src)
		fmt.Fprintf(b, "%sfor %s := range %s {\n", ind, v, src)
		rec(dst+"["+v+"]", src+"["+v+"]", axis+1, depth+1, ind+"\t")
		fmt.Fprintf(b, "%s}\n", ind)
	}
	rec(dst, src, 0, 0, "\t")
}
