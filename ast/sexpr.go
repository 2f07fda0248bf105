package ast

import (
	"fmt"
	"strings"
)

// Sexpr returns a fully parenthesised S-expression of e that shows the
// tree's structure rather than its notation, for debugging and for readable
// test diffs: -x^2 + 2*y is (add (neg (pow x 2)) (mul 2 y)).
//
// Numbers print as their exact value (2, -3, 0.1, 1/3), scalar names as
// themselves and indexed names as x[i,j]. Every other node is
// (op children...), where op is neg, add, mul, div, pow, call (followed by
// the function's name), sum or mean (followed by the variable), or d. For
// names the parser accepts, two trees have the same S-expression exactly
// when they are the same tree.
func Sexpr(e Expr) string {
	var b strings.Builder
	sexpr(&b, e)
	return b.String()
}

func sexpr(b *strings.Builder, e Expr) {
	list := func(head string, kids ...Expr) {
		b.WriteString("(")
		b.WriteString(head)
		for _, k := range kids {
			b.WriteString(" ")
			sexpr(b, k)
		}
		b.WriteString(")")
	}
	switch e := e.(type) {
	case nil:
		b.WriteString("<nil>")
	case *Num:
		b.WriteString(e.Value.String())
	case *Sym:
		b.WriteString(e.Name)
	case *Index:
		b.WriteString(e.Name)
		b.WriteString("[")
		for i, x := range e.Indices {
			if i > 0 {
				b.WriteString(",")
			}
			sexpr(b, x)
		}
		b.WriteString("]")
	case *Neg:
		list("neg", e.X)
	case *Add:
		list("add", e.Terms...)
	case *Mul:
		list("mul", e.Factors...)
	case *Div:
		list("div", e.X, e.Y)
	case *Pow:
		list("pow", e.X, e.Y)
	case *Call:
		list("call "+e.Fn, e.Args...)
	case *Sum:
		list(e.Op.String()+" "+e.Var, e.Lo, e.Hi, e.Body)
	case *Iverson:
		list("iverson", e.Args...)
	case *Deriv:
		list("d", e.X, e.Wrt)
	case *MatOp:
		list(fmt.Sprintf("mat%d", e.Kind), e.Args...)
	case *Condition:
		list(CondOps[e.Op].Token, e.Args...)
	case *If:
		list("if", e.Cond, e.Then, e.Else)
	default:
		panic(fmt.Sprintf("ast.Sexpr: unexpected node %T", e))
	}
}
