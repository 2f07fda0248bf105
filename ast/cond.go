package ast

import (
	"fmt"
	"slices"
)

// Conditions and the piecewise form. A condition compares two scalar
// expressions (x > 0, a <= b) or joins conditions with and, or and not;
// if(c, a, b) is a where c holds and b where it does not. Only the branch
// chosen is evaluated, so if(x > 0, log(x), 0) is defined everywhere.
//
// A condition is written only as the first argument of if (the parser
// rejects x > 0 used as a value); as a node it is an Expr like the others,
// so that the walkers, substitution and hash-consing treat it the same, and
// evaluated as a value it is 1 where it holds and 0 where not.

// CondOp names a comparison or a connective.
type CondOp uint8

const (
	CondLt  CondOp = iota // a < b
	CondLe                // a <= b
	CondGt                // a > b
	CondGe                // a >= b
	CondEq                // a == b
	CondNe                // a != b
	CondAnd               // c1 and c2 and ...
	CondOr                // c1 or c2 or ...
	CondNot               // not c
)

// Precedence levels of conditions, loosest first; every comparison binds
// more loosely than any arithmetic operator, which is why they are levels
// of their own rather than entries below PrecAdd.
const (
	CondPrecOr  = 1
	CondPrecAnd = 2
	CondPrecNot = 3
	CondPrecCmp = 4
)

// A CondInfo describes a comparison or connective: its input spellings
// and how the printers show it.
type CondInfo struct {
	Op      CondOp
	Token   string   // canonical input spelling
	Aliases []string // other accepted spellings
	Prec    int
	Text    string
	Unicode string
	LaTeX   string
}

// CondOps is the table of comparisons and connectives, indexed by CondOp;
// the parser takes the spellings from it and the printers the symbols.
var CondOps = [...]CondInfo{
	CondLt:  {Op: CondLt, Token: "<", Prec: CondPrecCmp, Text: " < ", Unicode: " < ", LaTeX: " < "},
	CondLe:  {Op: CondLe, Token: "<=", Aliases: []string{"≤"}, Prec: CondPrecCmp, Text: " <= ", Unicode: " ≤ ", LaTeX: ` \le `},
	CondGt:  {Op: CondGt, Token: ">", Prec: CondPrecCmp, Text: " > ", Unicode: " > ", LaTeX: " > "},
	CondGe:  {Op: CondGe, Token: ">=", Aliases: []string{"≥"}, Prec: CondPrecCmp, Text: " >= ", Unicode: " ≥ ", LaTeX: ` \ge `},
	CondEq:  {Op: CondEq, Token: "==", Prec: CondPrecCmp, Text: " == ", Unicode: " = ", LaTeX: " = "},
	CondNe:  {Op: CondNe, Token: "!=", Aliases: []string{"≠"}, Prec: CondPrecCmp, Text: " != ", Unicode: " ≠ ", LaTeX: ` \ne `},
	CondAnd: {Op: CondAnd, Token: "and", Prec: CondPrecAnd, Text: " and ", Unicode: " ∧ ", LaTeX: ` \wedge `},
	CondOr:  {Op: CondOr, Token: "or", Prec: CondPrecOr, Text: " or ", Unicode: " ∨ ", LaTeX: ` \vee `},
	CondNot: {Op: CondNot, Token: "not", Prec: CondPrecNot, Text: "not ", Unicode: "¬", LaTeX: `\neg `},
}

// IsComparison reports whether op compares two expressions.
func (op CondOp) IsComparison() bool { return op <= CondNe }

// ComparisonOp returns the comparison spelled tok, if any.
func ComparisonOp(tok string) (CondOp, bool) {
	for _, c := range CondOps {
		if c.Op.IsComparison() && (c.Token == tok || slices.Contains(c.Aliases, tok)) {
			return c.Op, true
		}
	}
	return 0, false
}

// Holds reports whether the comparison op holds between two values whose
// order is c (-1, 0 or 1, as a.Cmp(b)).
func (op CondOp) Holds(c int) bool {
	switch op {
	case CondLt:
		return c < 0
	case CondLe:
		return c <= 0
	case CondGt:
		return c > 0
	case CondGe:
		return c >= 0
	case CondEq:
		return c == 0
	case CondNe:
		return c != 0
	}
	panic(fmt.Sprintf("ast: %d is not a comparison", op))
}

// Negate returns the comparison that holds exactly where op does not.
func (op CondOp) Negate() CondOp {
	switch op {
	case CondLt:
		return CondGe
	case CondLe:
		return CondGt
	case CondGt:
		return CondLe
	case CondGe:
		return CondLt
	case CondEq:
		return CondNe
	case CondNe:
		return CondEq
	}
	panic(fmt.Sprintf("ast: %d is not a comparison", op))
}

type (
	// A Condition node represents a condition: the comparison Args[0] op
	// Args[1], the conjunction or disjunction of two or more conditions,
	// or the negation of one. As a value it is 1 where it holds, else 0.
	Condition struct {
		node
		Op   CondOp
		Args []Expr
	}

	// An If node represents the piecewise form if(Cond, Then, Else): Then
	// where Cond holds and Else where it does not.
	If struct {
		node
		Cond, Then, Else Expr
	}
)

func (*Condition) exprNode() {}
func (*If) exprNode()        {}

// NewCompare returns the comparison a op b.
func NewCompare(op CondOp, a, b Expr) *Condition {
	if !op.IsComparison() {
		panic("ast.NewCompare: not a comparison")
	}
	return internCond(op, []Expr{a, b})
}

// NewAnd returns the conjunction of the conditions (two or more; one is
// returned as it is).
func NewAnd(cs ...Expr) Expr { return newConnective(CondAnd, cs) }

// NewOr returns the disjunction of the conditions (two or more; one is
// returned as it is).
func NewOr(cs ...Expr) Expr { return newConnective(CondOr, cs) }

func newConnective(op CondOp, cs []Expr) Expr {
	switch len(cs) {
	case 0:
		panic("ast: a connective of no conditions")
	case 1:
		return cs[0]
	}
	return internCond(op, cs)
}

// NewNot returns the negation of the condition c.
func NewNot(c Expr) *Condition { return internCond(CondNot, []Expr{c}) }

// NewCondition returns the condition op(args...), checking the count of
// arguments; WithChildren rebuilds through it.
func NewCondition(op CondOp, args ...Expr) Expr {
	switch {
	case op.IsComparison():
		if len(args) != 2 {
			panic("ast.NewCondition: a comparison has two operands")
		}
		return NewCompare(op, args[0], args[1])
	case op == CondNot:
		if len(args) != 1 {
			panic("ast.NewCondition: not has one operand")
		}
		return NewNot(args[0])
	}
	return newConnective(op, args)
}

// NewIf returns if(cond, then, els).
func NewIf(cond, then, els Expr) *If { return internIf(cond, then, els) }

var (
	condTable = newTable[Condition]()
	ifTable   = newTable[If]()
)

func internCond(op CondOp, args []Expr) *Condition {
	return intern(condTable, key{op: uint8(op), kids: ids(args...)}, func(id uint64) *Condition {
		return &Condition{node: header(id, args...), Op: op, Args: clone(args)}
	})
}

func internIf(c, a, b Expr) *If {
	return intern(ifTable, key{kids: ids(c, a, b)}, func(id uint64) *If {
		return &If{node: header(id, c, a, b), Cond: c, Then: a, Else: b}
	})
}

// condPrec is the precedence of a condition as printed.
func condPrec(e Expr) int {
	if c, ok := e.(*Condition); ok {
		return CondOps[c.Op].Prec
	}
	return CondPrecCmp + 1 // a value in a condition's place: if(1, a, b)
}

// writeCond prints a condition with the fewest parentheses that parse
// back: and binds tighter than or, not tighter than both, and every
// comparison tighter than the connectives. out writes text, sym gives a
// comparison's or connective's symbol in the printer's style, value
// prints an operand of a comparison, and lparen and rparen are the
// printer's parentheses.
func writeCond(e Expr, out func(string), sym func(CondInfo) string, value func(Expr), lparen, rparen string) {
	c, ok := e.(*Condition)
	if !ok {
		value(e)
		return
	}
	info := CondOps[c.Op]
	sub := func(x Expr, paren bool) {
		if paren {
			out(lparen)
		}
		writeCond(x, out, sym, value, lparen, rparen)
		if paren {
			out(rparen)
		}
	}
	switch {
	case c.Op.IsComparison():
		value(c.Args[0])
		out(sym(info))
		value(c.Args[1])
	case c.Op == CondNot:
		out(sym(info))
		// not (x < 0) rather than not x < 0, which reads as (not x) < 0.
		sub(c.Args[0], condPrec(c.Args[0]) != CondPrecNot)
	default:
		for i, a := range c.Args {
			if i > 0 {
				out(sym(info))
			}
			// Left-associative and flat: (a and b) and c prints without
			// parentheses only when it was built flat.
			sub(a, condPrec(a) <= info.Prec)
		}
	}
}
