package parser

import (
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// The piecewise form if(cond, a, b) and its conditions. A condition is a
// comparison of two values (x > 0, a <= b, and chains 0 < x < 1), or
// conditions joined by and, or and not, with parentheses:
//
//	cond    := and { "or" and }
//	and     := not { "and" not }
//	not     := "not" not | operand
//	operand := "(" cond ")" | value cmp value { cmp value }
//
// Conditions occur only as the first argument of if: a comparison used as
// a value (2*(x > 0)) is an error that says so. A "(" where a condition's
// operand starts may open a condition or a value ((x + 1)*2 > 0); which
// one is decided by what follows its contents, so no token is read twice.

type (
	// ifNode is if(cond, a, b).
	ifNode struct {
		at   spot
		cond Node
		a, b Node
	}
	// cmpNode is a comparison x op y.
	cmpNode struct {
		at   spot // of the operator
		op   ast.CondOp
		x, y Node
	}
	// logicNode is c1 and c2 ..., c1 or c2 ..., or not c.
	logicNode struct {
		at   spot
		op   ast.CondOp
		args []Node
	}
)

func (n *ifNode) pos() spot    { return n.at }
func (n *cmpNode) pos() spot   { return n.x.pos() }
func (n *logicNode) pos() spot { return n.at }

func isWord(t *token, w string) bool { return t.Type == tokIdent && t.Value == w }

// comparisonTokens lists the comparisons for messages: <, <=, >, >=, ==, !=.
func comparisonTokens() string {
	var s []string
	for _, c := range ast.CondOps {
		if c.Op.IsComparison() {
			s = append(s, c.Token)
		}
	}
	return strings.Join(s, ", ")
}

// isComparison reports whether t is a comparison operator.
func isComparison(t *token) (ast.CondOp, bool) {
	if t.Type != tokPunct {
		return 0, false
	}
	return ast.ComparisonOp(t.Value)
}

// notAValue is the error for a comparison met where a value must be.
func (p *exprParser) notAValue(t *token) error {
	return p.errorf(t, "unexpected %q: a comparison is a condition, not a value; write it as the condition of if(cond, a, b)", t.Value)
}

// ifForm parses if(cond, a, b); the keyword is the next token.
func (p *exprParser) ifForm() (Node, error) {
	kw := p.next()
	at := kw.spot()
	p.next() // (
	form := "if needs a condition and two values: if(x > 0, a, b)"
	if isPunct(p.peek(), ")") {
		return nil, p.errorf(p.peek(), "%s", form)
	}
	c, err := p.condOr(nil)
	if err != nil {
		return nil, err
	}
	var vals [2]Node
	for i, what := range []string{"after the condition of if", "between the two values of if"} {
		t := p.peek()
		if isPunct(t, ")") {
			return nil, p.errorf(t, "%s", form)
		}
		if _, err := p.expect(",", what); err != nil {
			return nil, err
		}
		if vals[i], err = p.binary(ast.PrecAdd); err != nil {
			return nil, err
		}
	}
	t := p.peek()
	if isPunct(t, ",") {
		return nil, p.errorf(t, "%s: found a fourth argument (write if(c1, a, if(c2, b, c)) for more pieces)", form)
	}
	if _, err := p.expect(")", "to close if"); err != nil {
		return nil, err
	}
	return &ifNode{at: at, cond: c, a: vals[0], b: vals[1]}, nil
}

// condOr parses conditions joined by or; first, if not nil, is the first
// operand, already read.
func (p *exprParser) condOr(first Node) (Node, error) {
	return p.connective(ast.CondOr, first, p.condAnd)
}

func (p *exprParser) condAnd(first Node) (Node, error) {
	return p.connective(ast.CondAnd, first, p.condNot)
}

// connective parses operand { word operand } for and and or, flat.
func (p *exprParser) connective(op ast.CondOp, first Node, operand func(Node) (Node, error)) (Node, error) {
	x, err := operand(first)
	if err != nil {
		return nil, err
	}
	args := []Node{x}
	for isWord(p.peek(), ast.CondOps[op].Token) {
		t := p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		y, err := operand(nil)
		p.depth--
		if err != nil {
			return nil, err
		}
		args = append(args, y)
	}
	if len(args) == 1 {
		return x, nil
	}
	return &logicNode{at: x.pos(), op: op, args: args}, nil
}

// condNot parses not c, or an operand of a condition.
func (p *exprParser) condNot(first Node) (Node, error) {
	if first != nil {
		return first, nil
	}
	t := p.peek()
	if !isWord(t, ast.CondOps[ast.CondNot].Token) {
		return p.condOperand()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.condNot(nil)
	if err != nil {
		return nil, err
	}
	return &logicNode{at: t.spot(), op: ast.CondNot, args: []Node{x}}, nil
}

// condOperand parses a parenthesised condition or a comparison.
func (p *exprParser) condOperand() (Node, error) {
	x, isCond, err := p.condOrValue()
	if err != nil || isCond {
		return x, err
	}
	return p.comparison(x)
}

// condOrValue parses what may start a condition's operand: a
// parenthesised condition (isCond), or the whole value that begins a
// comparison.
func (p *exprParser) condOrValue() (Node, bool, error) {
	t := p.peek()
	if !isPunct(t, "(") {
		v, err := p.binary(ast.PrecAdd)
		return v, false, err
	}
	if err := p.enter(t); err != nil {
		return nil, false, err
	}
	defer func() { p.depth-- }()
	at := t.spot()
	p.next()
	var inner Node
	isCond := false
	if isWord(p.peek(), ast.CondOps[ast.CondNot].Token) {
		c, err := p.condOr(nil)
		if err != nil {
			return nil, false, err
		}
		inner, isCond = c, true
	} else {
		x, xc, err := p.condOrValue()
		if err != nil {
			return nil, false, err
		}
		if !xc {
			if _, ok := condComparison(p.peek()); ok {
				if x, err = p.comparison(x); err != nil {
					return nil, false, err
				}
				xc = true
			}
		}
		if xc {
			if x, err = p.condOr(x); err != nil {
				return nil, false, err
			}
		} else if t := p.peek(); isWord(t, "and") || isWord(t, "or") {
			return nil, false, p.errorf(t, "expected a comparison (%s) before %q: a condition compares values, like x > 0", comparisonTokens(), t.Value)
		}
		inner, isCond = x, xc
	}
	if _, err := p.expect(")", "to close the \"(\" at "+fromLexer(p.lexPos(t)).String()); err != nil {
		return nil, false, err
	}
	paren := &parenNode{at: at, x: inner}
	if isCond {
		return paren, true, nil
	}
	// A value in parentheses goes on as a value: (x + 1)*2 > 0, and
	// (x + 1)² > 0 with a postfix.
	var v Node = paren
	if t := p.peek(); t.Type == tokSuper || t.Type == tokPunct && isPostfix(t.Value) {
		var err error
		if v, err = p.postfix(paren); err != nil {
			return nil, false, err
		}
	}
	v, err := p.climb(v, ast.PrecAdd)
	return v, false, err
}

// condComparison is isComparison, with = for == too, as the Unicode
// printer writes equality in a condition (if(x = 0, a, b)).
func condComparison(t *token) (ast.CondOp, bool) {
	if isPunct(t, "=") {
		return ast.CondEq, true
	}
	return isComparison(t)
}

// comparison parses the rest of x op y (op z ...) after the value x; a
// chain 0 < x < 1 is 0 < x and x < 1.
func (p *exprParser) comparison(x Node) (Node, error) {
	t := p.peek()
	op, ok := condComparison(t)
	if !ok {
		return nil, p.errorf(t, "expected a comparison (%s) in the condition, found %s: a condition compares values, like x > 0", comparisonTokens(), describe(t))
	}
	var cmps []Node
	for ok {
		p.next()
		y, err := p.binary(ast.PrecAdd)
		if err != nil {
			return nil, err
		}
		cmps = append(cmps, &cmpNode{at: t.spot(), op: op, x: x, y: y})
		x = y
		t = p.peek()
		op, ok = condComparison(t)
	}
	if len(cmps) == 1 {
		return cmps[0], nil
	}
	return &logicNode{at: cmps[0].pos(), op: ast.CondAnd, args: cmps}, nil
}

// lowerIf lowers if(cond, a, b).
func (lw *lowerer) lowerIf(n *ifNode) (ast.Expr, error) {
	c, err := lw.cond(n.cond)
	if err != nil {
		return nil, err
	}
	a, err := lw.expr(n.a)
	if err != nil {
		return nil, err
	}
	b, err := lw.expr(n.b)
	if err != nil {
		return nil, err
	}
	e := ast.NewIf(c, a, b)
	if err := lw.checkShape(e, n.at); err != nil {
		return nil, err
	}
	return e, nil
}

// cond lowers a condition.
func (lw *lowerer) cond(n Node) (ast.Expr, error) {
	var e ast.Expr
	switch n := n.(type) {
	case *parenNode:
		return lw.cond(n.x)
	case *cmpNode:
		x, err := lw.expr(n.x)
		if err != nil {
			return nil, err
		}
		y, err := lw.expr(n.y)
		if err != nil {
			return nil, err
		}
		e = ast.NewCompare(n.op, x, y)
	case *logicNode:
		args := make([]ast.Expr, len(n.args))
		for i, a := range n.args {
			c, err := lw.cond(a)
			if err != nil {
				return nil, err
			}
			args[i] = c
		}
		e = ast.NewCondition(n.op, args...)
	default:
		return nil, lw.errorf(n.pos(), "expected a condition (a comparison such as x > 0)")
	}
	lw.record(e, n.pos())
	return e, nil
}

// notValue is the error for a condition lowered as a value; the parser
// builds conditions only where they belong, so it is a safeguard.
func (lw *lowerer) notValue(n Node) error {
	return lw.errorf(n.pos(), "a condition is not a value: write it as the condition of if(cond, a, b)")
}
