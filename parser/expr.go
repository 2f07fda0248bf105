package parser

import (
	"fmt"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/symdiff/symdiff/ast"
)

// The parse tree of an expression. Unlike ast it keeps positions and
// parentheses (which decide whether a + b + c is one sum or two); lower.go
// turns it into an ast.Expr.

// A Node is an expression as parsed.
type Node interface{ pos() Pos }

type (
	numNode struct {
		at  Pos
		lit string
	}
	identNode struct {
		at   Pos
		name string
	}
	indexNode struct {
		at      Pos
		name    string
		indices []Node
	}
	callNode struct {
		at   Pos
		fn   string
		args []Node
	}
	// sumNode is sum(v=lo..hi, body) or mean(...).
	sumNode struct {
		at     Pos
		op     string
		v      string
		vAt    Pos
		lo, hi Node
		body   Node
	}
	unaryNode struct {
		at Pos
		op *ast.OpInfo
		x  Node
	}
	binaryNode struct {
		at   Pos // of the operator
		op   *ast.OpInfo
		x, y Node
	}
	parenNode struct {
		at Pos
		x  Node
	}
	// whereNode is x where u1 = a, u2 = b: names for subexpressions,
	// each standing for its expression as if written in its place (how
	// symdiff prints a result whose tree is much larger than its DAG).
	whereNode struct {
		at   Pos // of the keyword
		x    Node
		defs []whereDef
	}
	// postfixNode is x' (or xᵀ), the transpose.
	postfixNode struct {
		at Pos // of the operator
		op *ast.OpInfo
		x  Node
	}
)

func (n *numNode) pos() Pos     { return n.at }
func (n *identNode) pos() Pos   { return n.at }
func (n *indexNode) pos() Pos   { return n.at }
func (n *callNode) pos() Pos    { return n.at }
func (n *sumNode) pos() Pos     { return n.at }
func (n *unaryNode) pos() Pos   { return n.at }
func (n *binaryNode) pos() Pos  { return n.x.pos() }
func (n *parenNode) pos() Pos   { return n.at }
func (n *postfixNode) pos() Pos { return n.x.pos() }
func (n *whereNode) pos() Pos   { return n.x.pos() }

// A whereDef is one name = expression of a where clause.
type whereDef struct {
	name string
	at   Pos
	x    Node
}

// stopWords may follow an expression inside a statement (rule conditions,
// derivative rules); any other name right after an operand is a missing
// operator.
var stopWords = map[string]bool{"if": true, "and": true, "wrt": true, "in": true, "where": true}

// statementWords can only start a statement.
var statementWords = map[string]bool{"prove": true, "rule": true, "deriv": true, "explain": true, "assume": true}

// exprParser parses one expression by precedence climbing over the operator
// table. It reads the tokens of one statement in place: toks ends with the
// Newline (or EOF) token that ends the statement, which no expression
// consumes.
type exprParser struct {
	toks  []lexer.Token
	i     int
	depth int
}

// parseNode is registered with participle.ParseTypeWith. It parses from
// the tokens of participle's stream up to the end of the statement, in
// place, then moves the stream past what it read.
func parseNode(lex *lexer.PeekingLexer) (Node, error) {
	start, cp := lex.RawCursor(), lex.MakeCheckpoint()
	n := 1
	for t := lex.Next(); t.Type != tokNewline && !t.EOF(); t = lex.Next() {
		n++
	}
	lex.LoadCheckpoint(cp)
	p := &exprParser{toks: lex.Range(start, start+lexer.RawCursor(n))}
	x, err := p.node()
	if p.i > 0 {
		lex.FastForward(start + lexer.RawCursor(p.i) - 1)
	}
	return x, err
}

// node parses one whole expression.
func (p *exprParser) node() (Node, error) {
	n, err := p.binary(ast.PrecAdd)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.Type == tokIdent && t.Value == "where" {
		if n, err = p.where(n); err != nil {
			return nil, err
		}
	}
	if t := p.peek(); startsOperand(t) {
		return nil, p.errorf(t, "missing operator before %s (write a*b for a product)", describe(t))
	}
	return n, nil
}

// peek returns the next token; at the end of the statement it stays on
// the token that ends it.
func (p *exprParser) peek() *lexer.Token { return &p.toks[p.i] }

// next consumes and returns the next token, never the one ending the
// statement.
func (p *exprParser) next() *lexer.Token {
	t := &p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// peek2 returns the token after the next one.
func (p *exprParser) peek2() *lexer.Token { return &p.toks[min(p.i+1, len(p.toks)-1)] }

func (p *exprParser) errorf(t *lexer.Token, format string, args ...any) error {
	return participle.Errorf(t.Pos, format, args...)
}

func (p *exprParser) enter(t *lexer.Token) error {
	p.depth++
	if p.depth > MaxNesting {
		return p.errorf(t, "nested too deeply: more than %d levels", MaxNesting)
	}
	return nil
}

func isPunct(t *lexer.Token, v string) bool { return t.Type == tokPunct && t.Value == v }

func startsOperand(t *lexer.Token) bool {
	switch t.Type {
	case tokNumber:
		return true
	case tokIdent:
		return !stopWords[t.Value]
	case tokPunct:
		return t.Value == "(" || t.Value == "["
	}
	return false
}

// describe names a token for an error message.
func describe(t *lexer.Token) string {
	switch t.Type {
	case lexer.EOF:
		return "the end of the input"
	case tokNewline:
		return "the end of the line"
	case tokNumber:
		return "the number " + t.Value
	case tokIdent:
		return fmt.Sprintf("%q", t.Value)
	}
	return fmt.Sprintf("%q", t.Value)
}

// binary parses an expression whose binary operators bind at least as
// tightly as min. Precedence, associativity and which operators are
// prefixes all come from ast.Operators: nothing here knows that ^ is
// right-associative or that -x^2 is -(x^2).
func (p *exprParser) binary(min int) (Node, error) {
	if err := p.enter(p.peek()); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	return p.expr(min)
}

func (p *exprParser) expr(min int) (Node, error) {
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	return p.climb(x, min)
}

// climb extends x with the binary operators that bind at least as tightly
// as min. A left-associative operator loops here; its right operand takes
// only tighter operators, a right-associative one's takes its own too.
func (p *exprParser) climb(x Node, min int) (Node, error) {
	for {
		t := p.peek()
		if t.Type != tokPunct {
			return x, nil
		}
		op, ok := binaryOps[t.Value]
		if !ok || op.Prec < min {
			return x, nil
		}
		p.next()
		if err := p.doubled(t, x); err != nil {
			return nil, err
		}
		// The operator counts as a level of nesting, so a tower
		// x^x^...^x is reported at the ^ that goes too deep.
		if err := p.enter(t); err != nil {
			return nil, err
		}
		next := op.Prec + 1
		if op.RightAss {
			next = op.Prec
		}
		y, err := p.expr(next)
		p.depth--
		if err != nil {
			return nil, err
		}
		x = &binaryNode{at: fromLexer(t.Pos), op: op, x: x, y: y}
	}
}

// doubled reports x**2, a power written as in Python or Fortran, with the
// form to write instead.
func (p *exprParser) doubled(op *lexer.Token, x Node) error {
	t := p.peek()
	if op.Value != ast.Operators[ast.OpMul].Token || !isPunct(t, op.Value) {
		return nil
	}
	base, exp := "a", "b"
	switch x := x.(type) {
	case *identNode:
		base = x.name
	case *numNode:
		base = x.lit
	}
	if e := p.peek2(); e.Type == tokIdent || e.Type == tokNumber {
		exp = e.Value
	}
	return p.errorf(t, "unexpected %q: write %s%s%s for a power", t.Value, base, ast.Operators[ast.OpPow].Token, exp)
}

// unary parses an operand with its prefix operators. A prefix operator
// takes as its operand everything that binds tighter than it, so -x^2 is
// -(x^2) and -a*b is (-a)*b; it may follow any binary operator (2^-x).
func (p *exprParser) unary() (Node, error) {
	t := p.peek()
	op, ok := prefixOps[t.Value]
	if t.Type != tokPunct || !ok {
		return p.postfix()
	}
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.next()
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	if x, err = p.climb(x, op.Prec); err != nil {
		return nil, err
	}
	return &unaryNode{at: fromLexer(t.Pos), op: op, x: x}, nil
}

// postfix parses an operand followed by postfix operators (X', Xᵀ), which
// bind tightest.
func (p *exprParser) postfix() (Node, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	depth := p.depth
	defer func() { p.depth = depth }()
	for {
		t := p.peek()
		op, ok := postfixOps[t.Value]
		if t.Type != tokPunct || !ok {
			return x, nil
		}
		// Each transpose is a level of nesting: X'''... is bounded too.
		if err := p.enter(t); err != nil {
			return nil, err
		}
		p.next()
		x = &postfixNode{at: fromLexer(t.Pos), op: op, x: x}
	}
}

func (p *exprParser) expect(v, context string) (*lexer.Token, error) {
	t := p.peek()
	if _, ok := isComparison(t); ok && !isPunct(t, v) {
		return nil, p.notAValue(t)
	}
	if !isPunct(t, v) {
		return nil, p.errorf(t, "expected %q %s, found %s", v, context, describe(t))
	}
	return p.next(), nil
}

func (p *exprParser) primary() (Node, error) {
	t := p.peek()
	at := fromLexer(t.Pos)
	switch {
	case t.Type == tokNumber:
		p.next()
		return &numNode{at: at, lit: t.Value}, nil
	case t.Type == tokIdent:
		if statementWords[t.Value] {
			return nil, p.errorf(t, "%q can only start a statement", t.Value)
		}
		if t.Value == "if" && p.nextIs("(") {
			return p.ifForm()
		}
		if stopWords[t.Value] {
			return nil, p.errorf(t, "expected an expression, found the keyword %q", t.Value)
		}
		p.next()
		switch {
		case isPunct(p.peek(), "(") && (t.Value == "sum" || t.Value == "mean"):
			return p.sum(t)
		case isPunct(p.peek(), "(") && t.Value == "subs":
			return p.subsCall(t)
		case isPunct(p.peek(), "("):
			p.next()
			args, err := p.list(")", "to close the arguments of "+t.Value)
			if err != nil {
				return nil, err
			}
			return &callNode{at: at, fn: t.Value, args: args}, nil
		case isPunct(p.peek(), "["):
			p.next()
			idx, err := p.list("]", "to close the indices of "+t.Value)
			if err != nil {
				return nil, err
			}
			if len(idx) == 0 {
				return nil, p.errorf(t, "%s[] needs at least one index", t.Value)
			}
			return &indexNode{at: at, name: t.Value, indices: idx}, nil
		case t.Value == "sum" || t.Value == "mean":
			return nil, p.errorf(p.peek(), "%s needs a range and a body: %s(i=1..n, body)", t.Value, t.Value)
		}
		if f, ok := ast.LookupFunc(t.Value); ok && !f.IsConst() && startsOperand(p.peek()) {
			return nil, p.errorf(p.peek(), "%s needs parentheses around its argument%s: write %s", t.Value, plural(f.Arity), callForm(t.Value, f.Arity))
		}
		return &identNode{at: at, name: t.Value}, nil
	case isPunct(t, "("):
		p.next()
		if isPunct(p.peek(), ")") {
			return nil, p.errorf(p.peek(), "expected an expression inside the parentheses")
		}
		x, err := p.binary(ast.PrecAdd)
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(")", "to close the \"(\" at "+at.String()); err != nil {
			return nil, err
		}
		return &parenNode{at: at, x: x}, nil
	case isPunct(t, "["):
		return p.bracket()
	}
	return nil, p.errorf(t, "expected an expression, found %s", describe(t))
}

// list parses comma-separated expressions up to the closing bracket.
func (p *exprParser) list(closer, context string) ([]Node, error) {
	var out []Node
	if isPunct(p.peek(), closer) {
		p.next()
		return nil, nil
	}
	for {
		x, err := p.binary(ast.PrecAdd)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		t := p.peek()
		if isPunct(t, ",") {
			p.next()
			continue
		}
		if isPunct(t, closer) {
			p.next()
			return out, nil
		}
		if _, ok := isComparison(t); ok {
			return nil, p.notAValue(t)
		}
		return nil, p.errorf(t, "expected \",\" or %q %s, found %s", closer, context, describe(t))
	}
}

// sum parses the rest of sum(i=lo..hi, body) after the keyword.
func (p *exprParser) sum(kw *lexer.Token) (Node, error) {
	p.next() // (
	at := fromLexer(kw.Pos)
	v := p.peek()
	if v.Type != tokIdent || !p.nextIs("=") {
		if isPunct(v, ")") {
			return nil, p.errorf(v, "%s needs a range first: %s(i=1..n, body)", kw.Value, kw.Value)
		}
		// sum(v): the sum of the entries of a vector or matrix; lowering
		// checks that v is one.
		args, err := p.list(")", "to close the arguments of "+kw.Value)
		if err != nil {
			return nil, err
		}
		return &callNode{at: at, fn: kw.Value, args: args}, nil
	}
	p.next()
	p.next() // =
	lo, err := p.binary(ast.PrecAdd)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect("..", "in the range of "+kw.Value+" (i=1..n)"); err != nil {
		return nil, err
	}
	hi, err := p.binary(ast.PrecAdd)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); isPunct(t, ")") {
		return nil, p.errorf(t, "%s needs a body after the range: %s(%s=%s, body)", kw.Value, kw.Value, v.Value, "a..b")
	}
	if _, err := p.expect(",", "between the range and the body of "+kw.Value); err != nil {
		return nil, err
	}
	body, err := p.binary(ast.PrecAdd)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(")", "to close "+kw.Value); err != nil {
		return nil, err
	}
	return &sumNode{at: at, op: kw.Value, v: v.Value, vAt: fromLexer(v.Pos), lo: lo, hi: hi, body: body}, nil
}

// nextIs reports whether the token after the next one is the punctuation v.
func (p *exprParser) nextIs(v string) bool {
	return isPunct(p.peek2(), v)
}

// where parses the clause after x: where NAME = EXPR, NAME = EXPR, ...
func (p *exprParser) where(x Node) (Node, error) {
	kw := p.next()
	w := &whereNode{at: fromLexer(kw.Pos), x: x}
	for {
		t := p.peek()
		if t.Type != tokIdent || stopWords[t.Value] || statementWords[t.Value] {
			return nil, p.errorf(t, "expected a name after %q, found %s", w.last(), describe(t))
		}
		p.next()
		if _, err := p.expect("=", "after "+t.Value+" in a where clause"); err != nil {
			return nil, err
		}
		v, err := p.binary(ast.PrecAdd)
		if err != nil {
			return nil, err
		}
		w.defs = append(w.defs, whereDef{name: t.Value, at: fromLexer(t.Pos), x: v})
		if !isPunct(p.peek(), ",") {
			return w, nil
		}
		p.next()
	}
}

// last is the word or comma before the next name of a where clause.
func (w *whereNode) last() string {
	if len(w.defs) == 0 {
		return "where"
	}
	return ","
}
