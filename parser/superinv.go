package parser

import (
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// The Unicode printer writes the inverse of a matrix A as A⁻¹ and the
// transpose of its inverse as A⁻ᵀ (the Matrix Cookbook's A^{-T}), stacked
// for an inverse of an inverse (A⁻¹⁻ᵀ is inv(inv(A))'); the printed output
// parses back. A superscript is a postfix on the operand before it (the
// lexer's Super token): A⁻¹⁻ᵀ is (A⁻¹)⁻ᵀ and A⁻¹.^2 is (A⁻¹).^2. The
// parser reads ⁻ᵀ as ⁻¹, x^-1 with the ^ at the ⁻ of the source, and
// superInverse reads such a power of a vector or matrix as the inverse
// (and transpose) it stands for; the operand has been lowered already,
// so stacked superscripts apply one at a time. Written A^-1 in ASCII it
// stays the error that asks for .^-1 or inv(A); on a scalar, x⁻¹ is 1/x
// and x⁻ᵀ an error.
func (lw *lowerer) superInverse(x ast.Expr, y Node, at spot) (ast.Expr, bool, error) {
	transposed, ok := lw.superMark(at)
	if !ok {
		return nil, false, nil
	}
	if u, ok := y.(*unaryNode); !ok || u.op.Op != ast.OpNeg {
		return nil, false, nil
	} else if n, ok := u.x.(*numNode); !ok || n.lit != "1" {
		return nil, false, nil
	}
	if lw.isScalar(x) {
		if transposed {
			return nil, true, lw.errorf(at, "%s is a scalar: the transpose ᵀ applies to vectors and matrices", ast.String(x))
		}
		return nil, false, nil // x⁻¹ is 1/x, as before
	}
	e := ast.NewMatOp(ast.MatInv, x)
	if transposed {
		e = ast.NewTranspose(e)
	}
	if err := lw.checkShape(e, at); err != nil {
		return nil, true, err
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
