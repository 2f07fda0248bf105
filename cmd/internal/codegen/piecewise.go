package codegen

import (
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// The piecewise form if(cond, a, b) and its conditions.
//
// A piece is computed only where its condition selects it. The plan makes
// a variable only of a node that is computed outside every piece anyway
// (plan.uncond), so nothing inside a piece is hoisted out of its branch or
// out of a loop; the piece is rendered inline, in its branch:
//   - Go: an immediately called function literal with an if statement;
//   - C: the conditional operator c ? a : b;
//   - Python: the conditional expression a if c else b;
// each evaluates only the operand selected, so log(x) in
// if(x > 0, log(x), 0) never sees x <= 0. NumPy computes every element of
// both pieces and selects with np.where (see piecewiseHelperPy).
//
// The gradient of an if is the if of the pieces' gradients
// (piecewise_rule), generated the same way. A condition used as a value
// (1 where it holds, else 0) is rendered as if(cond, 1, 0).

// loopCond renders a condition for a language with loops: comparisons of
// rendered values, joined by the dialect's connectives, each operand of a
// connective in parentheses.
func (le *loopEmitter) loopCond(c *comp, e ast.Expr) string {
	cd, ok := e.(*ast.Condition)
	if !ok { // a value in a condition's place: true where it is non-zero
		return le.expr(c, e, false).paren(pAdd) + " != 0"
	}
	and, or, not := le.d.connectives()
	switch {
	case cd.Op.IsComparison():
		a := le.expr(c, cd.Args[0], false)
		b := le.expr(c, cd.Args[1], false)
		return a.paren(pAdd) + " " + ast.CondOps[cd.Op].Token + " " + b.paren(pAdd)
	case cd.Op == ast.CondNot:
		return not + "(" + le.loopCond(c, cd.Args[0]) + ")"
	}
	sep := and
	if cd.Op == ast.CondOr {
		sep = or
	}
	parts := make([]string, len(cd.Args))
	for i, a := range cd.Args {
		parts[i] = "(" + le.loopCond(c, a) + ")"
	}
	return strings.Join(parts, " "+sep+" ")
}

// loopIf renders if(cond, a, b) so that only the selected piece is
// evaluated.
func (le *loopEmitter) loopIf(c *comp, cond, a, b ast.Expr) code {
	return le.d.ifElse(le.loopCond(c, cond), le.expr(c, a, false), le.expr(c, b, false))
}

// The dialects' conditionals.

func (goDialect) connectives() (and, or, not string) { return "&&", "||", "!" }
func (cDialect) connectives() (and, or, not string)  { return "&&", "||", "!" }
func (pyDialect) connectives() (and, or, not string) { return "and", "or", "not " }

// Go has no conditional expression: a function literal called at once
// evaluates the selected piece only.
func (goDialect) ifElse(cond string, a, b code) code {
	return code{"func() float64 {\nif " + cond + " {\nreturn " + a.s + "\n}\nreturn " + b.s + "\n}()", pAtom}
}

func (cDialect) ifElse(cond string, a, b code) code {
	return code{"(" + cond + " ? " + a.paren(pAdd) + " : " + b.paren(pAdd) + ")", pAtom}
}

func (pyDialect) ifElse(cond string, a, b code) code {
	return code{"(" + a.paren(pAdd) + " if " + cond + " else " + b.paren(pAdd) + ")", pAtom}
}

// NumPy.

// npCond vectorises a condition: a boolean array (or a bool, when every
// operand is a number). np.logical_and, _or and _not, not &, | and ~:
// ~ of a Python bool is an integer (~True is -2), which is true.
func (ne *npEmitter) npCond(e ast.Expr) val {
	cd, ok := e.(*ast.Condition)
	if !ok {
		v := ne.vec(e, false)
		return val{code{v.paren(pAdd) + " != 0", pAdd}, v.idx}
	}
	switch {
	case cd.Op.IsComparison():
		a, b := ne.vec(cd.Args[0], false), ne.vec(cd.Args[1], false)
		u := ne.union(a, b)
		return val{code{ne.align(a, u, pAdd) + " " + ast.CondOps[cd.Op].Token + " " + ne.align(b, u, pAdd), pAdd}, u}
	case cd.Op == ast.CondNot:
		x := ne.npCond(cd.Args[0])
		return val{code{"np.logical_not(" + x.s + ")", pAtom}, x.idx}
	}
	fn := "np.logical_and"
	if cd.Op == ast.CondOr {
		fn = "np.logical_or"
	}
	acc := ne.npCond(cd.Args[0])
	for _, a := range cd.Args[1:] {
		x := ne.npCond(a)
		u := ne.union(acc, x)
		acc = val{code{fn + "(" + ne.align(acc, u, pAdd) + ", " + ne.align(x, u, pAdd) + ")", pAtom}, u}
	}
	return acc
}

// npIf vectorises if(cond, a, b) with the helper piecewise.
func (ne *npEmitter) npIf(cond, a, b ast.Expr) val {
	c := ne.npCond(cond)
	x, y := ne.vec(a, false), ne.vec(b, false)
	u := ne.union(c, x, y)
	ne.uses["piecewise"] = true
	return val{code{"piecewise(" + ne.align(c, u, pAdd) + ", lambda: " + ne.align(x, u, pAdd) + ", lambda: " + ne.align(y, u, pAdd) + ")", pAtom}, u}
}

// piecewiseHelperPy is the NumPy helper for if(cond, a, b).
const piecewiseHelperPy = `

def piecewise(cond, then, other):
    """then() where cond holds, other() where not, elementwise.

    Both pieces are computed on every element, under np.errstate so that a
    piece undefined where it is not selected (the log of a negative number)
    warns of nothing; np.where then takes each element from the selected
    piece alone, so a NaN or inf of the other piece never reaches the
    result. A gradient is a piecewise of its own (the pieces' gradients),
    never a product with the unselected piece, so nothing leaks into it.
    """
    with np.errstate(all="ignore"):
        a = then()
        b = other()
    return np.where(cond, a, b)
`
