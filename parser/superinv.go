package parser

import (
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// The Unicode printer writes the inverse of a matrix A as A⁻¹ and the
// transpose of its inverse as A⁻ᵀ (the Matrix Cookbook's A^{-T}), stacked
// for an inverse of an inverse (A⁻¹⁻ᵀ is inv(inv(A))'); the printed output
// parses back. The lexer reads ⁻ᵀ as ⁻¹ (^-1, at the position of the ⁻),
// so A⁻¹⁻ᵀ arrives as A^-1^-1, that is A^(-(1^-1)) with each ^ at a ⁻ of
// the source. superInverse reads a power of a vector or matrix written
// with such superscripts as the inverses and transposes they stand for.
// Written A^-1 in ASCII it stays the error that asks for .^-1 or inv(A);
// on a scalar, x⁻¹ is 1/x and x⁻ᵀ an error.
func (lw *lowerer) superInverse(x ast.Expr, y Node, at spot) (ast.Expr, bool, error) {
	var marks []bool // per superscript, outermost first: whether it is ⁻ᵀ
	for {
		kind, ok := lw.superMark(at)
		if !ok {
			return nil, false, nil
		}
		u, ok := y.(*unaryNode)
		if !ok || u.op.Op != ast.OpNeg {
			return nil, false, nil
		}
		marks = append(marks, kind)
		if n, ok := u.x.(*numNode); ok && n.lit == "1" {
			break
		}
		b, ok := u.x.(*binaryNode)
		if !ok || b.op.Op != ast.OpPow {
			return nil, false, nil
		}
		if n, ok := b.x.(*numNode); !ok || n.lit != "1" {
			return nil, false, nil
		}
		y, at = b.y, b.at
	}
	if lw.isScalar(x) {
		for _, transposed := range marks {
			if transposed {
				return nil, true, lw.errorf(at, "%s is a scalar: the transpose ᵀ applies to vectors and matrices", ast.String(x))
			}
		}
		return nil, false, nil // x⁻¹ is 1/x, as before
	}
	e := x
	for _, transposed := range marks {
		e = ast.NewMatOp(ast.MatInv, e)
		if transposed {
			e = ast.NewTranspose(e)
		}
		if err := lw.checkShape(e, at); err != nil {
			return nil, true, err
		}
	}
	return e, true, nil
}

// superMark reports whether the ^ at at was written as the superscript ⁻¹
// (false) or ⁻ᵀ (true).
func (lw *lowerer) superMark(at spot) (transposed, ok bool) {
	if at.off < 0 || int(at.off) >= len(lw.text.text) {
		return false, false
	}
	src := lw.text.text[at.off:]
	switch {
	case strings.HasPrefix(src, "⁻ᵀ"):
		return true, true
	case strings.HasPrefix(src, "⁻¹"):
		rest := src[len("⁻¹"):]
		for _, d := range "⁰¹²³⁴⁵⁶⁷⁸⁹" {
			if strings.HasPrefix(rest, string(d)) {
				return false, false // x⁻¹² is x^-12
			}
		}
		return false, true
	}
	return false, false
}
