package parser

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/symdiff/symdiff/ast"
)

// The parse tree of an expression. Unlike ast it keeps positions and
// parentheses (which decide whether a + b + c is one sum or two); lower.go
// turns it into an ast.Expr.

// A spot is where a node of the parse tree starts: its byte offset. A
// parse tree has a node for every two tokens or so, so this is kept small;
// the line and column are computed from the offset when a spot becomes a
// Pos (an error's place, see lowerer.pos).
type spot struct{ off int32 }

// A Node is an expression as parsed.
type Node interface{ pos() spot }

type (
	numNode struct {
		at  spot
		lit string
	}
	identNode struct {
		at   spot
		name string
	}
	indexNode struct {
		at      spot
		name    string
		indices []Node
	}
	callNode struct {
		at   spot
		end  int32 // the offset after its ")", for the lowerer's memo (0: none)
		fn   string
		args []Node
	}
	// sumNode is sum(v=lo..hi, body) or mean(...).
	sumNode struct {
		at     spot
		op     string
		v      string
		vAt    spot
		lo, hi Node
		body   Node
	}
	unaryNode struct {
		at spot
		op *ast.OpInfo
		x  Node
	}
	binaryNode struct {
		at   spot // of the operator
		op   *ast.OpInfo
		x, y Node
	}
	parenNode struct {
		at  spot
		end int32 // the offset after its ")", for the lowerer's memo
		x   Node
	}
	// whereNode is x where u1 = a, u2 = b: names for subexpressions,
	// each standing for its expression as if written in its place (how
	// symdiff prints a result whose tree is much larger than its DAG).
	whereNode struct {
		at   spot // of the keyword
		x    Node
		defs []whereDef
	}
	// postfixNode is x' (or xᵀ), the transpose.
	postfixNode struct {
		at spot // of the operator
		op *ast.OpInfo
		x  Node
	}
)

func (n *numNode) pos() spot     { return n.at }
func (n *identNode) pos() spot   { return n.at }
func (n *indexNode) pos() spot   { return n.at }
func (n *callNode) pos() spot    { return n.at }
func (n *sumNode) pos() spot     { return n.at }
func (n *unaryNode) pos() spot   { return n.at }
func (n *binaryNode) pos() spot  { return n.x.pos() }
func (n *parenNode) pos() spot   { return n.at }
func (n *postfixNode) pos() spot { return n.x.pos() }
func (n *whereNode) pos() spot   { return n.x.pos() }

// A whereDef is one name = expression of a where clause.
type whereDef struct {
	name string
	at   spot
	x    Node
}

// stopWords may follow an expression inside a statement (rule conditions,
// derivative rules); any other name right after an operand is a missing
// operator.
var stopWords = map[string]bool{"if": true, "and": true, "wrt": true, "in": true, "where": true}

// isKeyword reports whether name is one of stopWords or statementWords
// (a switch: the parser asks it of every name).
func isKeyword(name string) bool {
	switch name {
	case "if", "and", "wrt", "in", "where", "prove", "rule", "deriv", "explain", "assume":
		return true
	}
	return false
}

// statementWords can only start a statement.
var statementWords = map[string]bool{"prove": true, "rule": true, "deriv": true, "explain": true, "assume": true}

// exprParser parses one expression by precedence climbing over the operator
// table. It reads the tokens of one statement in place: toks ends with the
// Newline (or EOF) token that ends the statement, which no expression
// consumes.
type exprParser struct {
	toks []token
	i    int
	// lexToks, on participle's path, are participle's tokens for toks,
	// one for one: their positions are those of the errors (see lexPos).
	lexToks []lexer.Token
	depth   int
	stop    *stopper // nil when the parse has no context
	ticks   int      // calls of enter, for stop
	arena   *arena   // where the nodes are allocated (nil: made on first use)
}

// An arena allocates the nodes of parse trees in blocks: a definition is
// a node per two tokens or so, and one allocation each was half of all
// of a parse's allocations. A parse tree is dropped as a whole once
// lowered, so the blocks never keep alive more than it.
type arena struct {
	idents   block[identNode]
	nums     block[numNode]
	binaries block[binaryNode]
	calls    block[callNode]
	parens   block[parenNode]
	unaries  block[unaryNode]
	lists    block[Node] // the arguments of calls and indices
	stack    []Node      // the lists being read, innermost last
	stmts    block[stmtSyntax]
	exprs    block[exprSyntax]
}

// reset makes the arena's memory free for the next parse tree: the
// trees made so far must no longer be used.
func (a *arena) reset() {
	a.idents.reset()
	a.nums.reset()
	a.binaries.reset()
	a.calls.reset()
	a.parens.reset()
	a.unaries.reset()
	a.lists.reset()
	a.stmts.reset()
	a.exprs.reset()
}

// A block hands out the elements of a slice allocated ahead, the next
// one twice as long (up to a limit): a short expression allocates little.
type block[T any] struct {
	free []T
	last []T // the slice free is the rest of
	next int
}

func (b *block[T]) grow(n int) {
	b.next = min(max(2*b.next, 8, n), max(1024, n))
	b.free = make([]T, b.next)
	b.last = b.free
}

// reset hands out the last slice again, from its start (cleared, so that
// it refers to nothing of the trees before).
func (b *block[T]) reset() {
	used := b.last[:len(b.last)-len(b.free)]
	clear(used)
	b.free = b.last
}

func (b *block[T]) new() *T {
	if len(b.free) == 0 {
		b.grow(1)
	}
	t := &b.free[0]
	b.free = b.free[1:]
	return t
}

// take returns a slice of n elements (length and capacity n).
func (b *block[T]) take(n int) []T {
	if len(b.free) < n {
		b.grow(n)
	}
	t := b.free[:n:n]
	b.free = b.free[n:]
	return t
}

func (p *exprParser) mem() *arena {
	if p.arena == nil {
		p.arena = &arena{}
	}
	return p.arena
}

// parseNode is registered with participle.ParseTypeWith. It parses from
// the tokens of participle's stream up to the end of the statement, read
// as the fast path's tokens, then moves the stream past what it read.
func parseNode(lex *lexer.PeekingLexer) (Node, error) {
	start, cp := lex.RawCursor(), lex.MakeCheckpoint()
	stop := streamStopper(lex) // nil unless the parse has a context
	if err := stop.check(); err != nil {
		return nil, err
	}
	n := 1
	for t := lex.Next(); t.Type != tokNewline && !t.EOF(); t = lex.Next() {
		if n++; n%stopEvery == 0 && stop != nil {
			if err := stop.check(); err != nil {
				lex.LoadCheckpoint(cp)
				return nil, err
			}
		}
	}
	lex.LoadCheckpoint(cp)
	lt := lex.Range(start, start+lexer.RawCursor(n))
	toks := make([]token, len(lt))
	for i := range lt {
		toks[i] = token{Type: tokType(lt[i].Type), Value: lt[i].Value, off: int32(lt[i].Pos.Offset)}
	}
	p := &exprParser{toks: toks, lexToks: lt, stop: stop}
	x, err := p.node()
	if p.i > 0 {
		lex.FastForward(start + lexer.RawCursor(p.i) - 1)
	}
	return x, err
}

// lexPos returns the position of t for an error. On participle's path it
// is that of participle's token; the fast path reports no error (it
// gives up, and participle's path reads the input again), so there it
// is the offset alone.
func (p *exprParser) lexPos(t *token) lexer.Position {
	lt := p.lexToks
	i, _ := slices.BinarySearchFunc(lt, t.off, func(a lexer.Token, off int32) int { return cmp.Compare(a.Pos.Offset, int(off)) })
	if i < len(lt) && lt[i].Pos.Offset == int(t.off) {
		return lt[i].Pos
	}
	return lexer.Position{Offset: int(t.off)}
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
func (p *exprParser) peek() *token { return &p.toks[p.i] }

// next consumes and returns the next token, never the one ending the
// statement.
func (p *exprParser) next() *token {
	t := &p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// peek2 returns the token after the next one.
func (p *exprParser) peek2() *token { return &p.toks[min(p.i+1, len(p.toks)-1)] }

func (p *exprParser) errorf(t *token, format string, args ...any) error {
	return participle.Errorf(p.lexPos(t), format, args...)
}

func (p *exprParser) enter(t *token) error {
	p.depth++
	// Every operand and operator enters: the place to honour the context.
	if p.ticks++; p.ticks%stopEvery == 0 && p.stop != nil {
		if err := p.stop.check(); err != nil {
			return err
		}
	}
	if p.depth > MaxNesting {
		return p.errorf(t, "nested too deeply: more than %d levels", MaxNesting)
	}
	return nil
}

func isPunct(t *token, v string) bool { return t.Type == tokPunct && t.Value == v }

func startsOperand(t *token) bool {
	switch t.Type {
	case tokNumber:
		return true
	case tokIdent:
		return !stopWords[t.Value] && t.Value != "or" // x/delta or y > 1: delta is a name
	case tokPunct:
		return t.Value == "(" || t.Value == "["
	}
	return false
}

// describe names a token for an error message.
func describe(t *token) string {
	switch t.Type {
	case tokEOF:
		return "the end of the input"
	case tokNewline:
		return "the end of the line"
	case tokNumber:
		return "the number " + t.Value
	case tokIdent:
		return fmt.Sprintf("%q", t.Value)
	case tokSuper:
		return "the superscript " + superText(t.Value)
	case tokSub:
		return "the subscript " + subText(t.Value)
	}
	return fmt.Sprintf("%q", t.Value)
}

// binary parses an expression whose binary operators bind at least as
// tightly as min. Precedence, associativity and which operators are
// prefixes all come from ast.Operators: nothing here knows that ^ is
// right-associative or that -x^2 is -(x^2).
//
// An expression nested n deep (sin(sin(...)), ((...))) is parsed n calls
// of binary, unary, primary and list deep, so these keep small stack
// frames: the error messages, which need room to be formatted, are built
// in functions of their own, and no defer is used on the way down.
func (p *exprParser) binary(min int) (Node, error) {
	if err := p.enter(p.peek()); err != nil {
		return nil, err
	}
	x, err := p.unary()
	if err == nil {
		x, err = p.climb(x, min)
	}
	p.depth--
	return x, err
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
		op, ok := binaryOp(t.Value)
		if !ok || op.Prec < min {
			return x, nil
		}
		p.next()
		// doubled only when ** is written: a call per product was a
		// fifth of climb's own work.
		if op.Op == ast.OpMul && p.peek().Type == tokPunct {
			if err := p.doubled(t, x); err != nil {
				return nil, err
			}
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
		b := p.mem().binaries.new()
		*b = binaryNode{at: t.spot(), op: op, x: x, y: y}
		x = b
	}
}

// doubled reports x**2, a power written as in Python or Fortran, with the
// form to write instead.
func (p *exprParser) doubled(op *token, x Node) error {
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
	var op *ast.OpInfo
	if t.Type == tokPunct {
		op, _ = prefixOp(t.Value)
	}
	if op == nil {
		x, err := p.primary()
		if err != nil {
			return nil, err
		}
		switch t := p.peek(); t.Type {
		case tokPunct:
			if _, ok := postfixOp(t.Value); ok {
				return p.postfix(x)
			}
		case tokSuper:
			return p.postfix(x)
		}
		return x, nil
	}
	if err := p.enter(t); err != nil {
		return nil, err
	}
	p.next()
	x, err := p.unary()
	if err == nil {
		x, err = p.climb(x, op.Prec)
	}
	p.depth--
	if err != nil {
		return nil, err
	}
	u := p.mem().unaries.new()
	*u = unaryNode{at: t.spot(), op: op, x: x}
	return u, nil
}

// postfix extends the operand x with postfix operators, which bind
// tightest: the transpose (X', Xᵀ) and a superscript exponent (x², A⁻¹,
// A⁻ᵀ), so that A⁻¹.^2 is (A⁻¹).^2, x⁻¹⁻¹ is (x⁻¹)⁻¹ and A⁻¹' is
// (A⁻¹)'.
func (p *exprParser) postfix(x Node) (Node, error) {
	depth := p.depth
	defer func() { p.depth = depth }()
	for {
		t := p.peek()
		var op *ast.OpInfo
		switch t.Type {
		case tokPunct:
			op, _ = postfixOp(t.Value)
		case tokSuper:
			op = &ast.Operators[ast.OpPow]
		}
		if op == nil {
			return x, nil
		}
		// Each is a level of nesting: X''' and x²²² are bounded too.
		if err := p.enter(t); err != nil {
			return nil, err
		}
		p.next()
		if t.Type == tokSuper {
			b := p.mem().binaries.new()
			*b = binaryNode{at: t.spot(), op: op, x: x, y: p.superExponent(t)}
			x = b
			continue
		}
		x = &postfixNode{at: t.spot(), op: op, x: x}
	}
}

// superExponent returns the exponent of the Super token t as the tokens
// ^ - 12 of x^-12 parse: a number, negated for ⁻, at the places of the
// source's characters (the ⁻, then the first digit).
func (p *exprParser) superExponent(t *token) Node {
	a := p.mem()
	lit, neg := t.Value, false
	if lit[0] == '-' {
		lit, neg = lit[1:], true
	}
	if lit == "T" {
		lit = "1" // ⁻ᵀ: the inverse, then its transpose (superinv.go)
	}
	if c := lit[0]; isASCIILetter(c) {
		id := a.idents.new() // xⁿ: the exponent is the name n
		*id = identNode{at: t.spot(), name: lit}
		return id
	}
	n := a.nums.new()
	if !neg {
		*n = numNode{at: t.spot(), lit: lit}
		return n
	}
	*n = numNode{at: spot{t.off + int32(len("⁻"))}, lit: lit}
	u := a.unaries.new()
	*u = unaryNode{at: t.spot(), op: &ast.Operators[ast.OpNeg], x: n}
	return u
}

func (p *exprParser) expect(v, context string) (*token, error) {
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
	switch {
	case t.Type == tokNumber:
		p.next()
		n := p.mem().nums.new()
		*n = numNode{at: t.spot(), lit: t.Value}
		return n, nil
	case t.Type == tokIdent:
		if isKeyword(t.Value) {
			return p.keyword(t)
		}
		p.next()
		// The token after the name decides, tested once by its type
		// (most names are followed by an operator, a comma or ")").
		next := p.peek()
		switch next.Type {
		case tokPunct:
			switch next.Value {
			case "(":
				if isSumWord(t.Value) {
					return p.sum(t)
				}
				if t.Value == "subs" {
					return p.subsCall(t)
				}
				p.next()
				args, err := p.list(")", t)
				if err != nil {
					return nil, err
				}
				c := p.mem().calls.new()
				*c = callNode{at: t.spot(), end: p.toks[p.i-1].off + 1, fn: t.Value, args: args}
				return c, nil
			case "[":
				p.next()
				idx, err := p.list("]", t)
				if err != nil {
					return nil, err
				}
				if len(idx) == 0 {
					return nil, p.noIndex(t)
				}
				return &indexNode{at: t.spot(), name: t.Value, indices: idx}, nil
			case "_":
				if t.Value == string(sigmaOp) {
					return p.uniSum(t)
				}
			}
		case tokSub:
			return p.subscripted(t, next)
		}
		if t.Value != string(sigmaOp) && isSumWord(t.Value) { // Σ alone is a name
			return nil, p.noRange(t)
		}
		if startsOperand(next) {
			if err := p.needsParens(t); err != nil {
				return nil, err
			}
		}
		id := p.mem().idents.new()
		*id = identNode{at: t.spot(), name: t.Value}
		return id, nil
	case isPunct(t, "("):
		return p.paren(t)
	case isPunct(t, "["):
		return p.bracket()
	case isPunct(t, "|"):
		return p.abs(t)
	case isPunct(t, "∂"):
		return p.partial(t)
	}
	return nil, p.notAnExpression(t)
}

// isSumWord reports whether name starts a sum: sum, mean or Σ.
func isSumWord(name string) bool {
	return name == "sum" || name == "mean" || name == string(sigmaOp)
}

// keyword parses an operand that starts with a keyword: if(...); any
// other keyword is an error here.
func (p *exprParser) keyword(t *token) (Node, error) {
	if statementWords[t.Value] {
		return nil, p.errorf(t, "%q can only start a statement", t.Value)
	}
	if t.Value == "if" && p.nextIs("(") {
		return p.ifForm()
	}
	return nil, p.errorf(t, "expected an expression, found the keyword %q", t.Value)
}

// needsParens reports a function applied without parentheses (sin x).
func (p *exprParser) needsParens(t *token) error {
	if f, ok := ast.LookupFunc(t.Value); ok && !f.IsConst() {
		return p.errorf(p.peek(), "%s needs parentheses around its argument%s: write %s", t.Value, plural(f.Arity), callForm(t.Value, f.Arity))
	}
	return nil
}

func (p *exprParser) noIndex(t *token) error {
	return p.errorf(t, "%s[] needs at least one index", t.Value)
}

func (p *exprParser) noRange(t *token) error {
	return p.errorf(p.peek(), "%s needs a range and a body: %s(i=1..n, body)", t.Value, t.Value)
}

func (p *exprParser) notAnExpression(t *token) error {
	return p.errorf(t, "expected an expression, found %s", describe(t))
}

// paren parses ( expression ).
func (p *exprParser) paren(t *token) (Node, error) {
	p.next()
	if isPunct(p.peek(), ")") {
		return nil, p.errorf(p.peek(), "expected an expression inside the parentheses")
	}
	x, err := p.binary(ast.PrecAdd)
	if err != nil {
		return nil, err
	}
	if !isPunct(p.peek(), ")") {
		return nil, p.unclosedParen(t)
	}
	end := p.next().off + 1
	n := p.mem().parens.new()
	*n = parenNode{at: t.spot(), end: end, x: x}
	return n, nil
}

func (p *exprParser) unclosedParen(open *token) error {
	_, err := p.expect(")", "to close the \"(\" at "+fromLexer(p.lexPos(open)).String())
	return err
}

// list parses comma-separated expressions up to the closing bracket, the
// arguments or indices of name.
func (p *exprParser) list(closer string, name *token) ([]Node, error) {
	if isPunct(p.peek(), closer) {
		p.next()
		return nil, nil
	}
	// The elements go on the arena's stack (a list inside this one pushes
	// and pops above them), then into a slice of the arena's.
	a := p.mem()
	base := len(a.stack)
	for {
		x, err := p.binary(ast.PrecAdd)
		if err != nil {
			a.pop(base)
			return nil, err
		}
		a.stack = append(a.stack, x)
		t := p.peek()
		if isPunct(t, ",") {
			p.next()
			continue
		}
		if isPunct(t, closer) {
			p.next()
			out := a.lists.take(len(a.stack) - base)
			copy(out, a.stack[base:])
			a.pop(base)
			return out, nil
		}
		a.pop(base)
		return nil, p.listError(t, closer, name)
	}
}

// pop drops the stack's elements from base on.
func (a *arena) pop(base int) {
	clear(a.stack[base:])
	a.stack = a.stack[:base]
}

func (p *exprParser) listError(t *token, closer string, name *token) error {
	if _, ok := isComparison(t); ok {
		return p.notAValue(t)
	}
	context := "to close the arguments of " + name.Value
	if closer == "]" {
		context = "to close the indices of " + name.Value
	}
	return p.errorf(t, "expected \",\" or %q %s, found %s", closer, context, describe(t))
}

// sum parses the rest of sum(i=lo..hi, body) after the keyword.
func (p *exprParser) sum(kw *token) (Node, error) {
	p.next() // (
	at := kw.spot()
	v := p.peek()
	if v.Type != tokIdent || !p.nextIs("=") {
		if isPunct(v, ")") {
			return nil, p.errorf(v, "%s needs a range first: %s(i=1..n, body)", kw.Value, kw.Value)
		}
		// sum(v): the sum of the entries of a vector or matrix; lowering
		// checks that v is one.
		args, err := p.list(")", kw)
		if err != nil {
			return nil, err
		}
		fn := kw.Value
		if fn == string(sigmaOp) {
			fn = "sum" // Σ(v), the sum of v's entries
		}
		return &callNode{at: at, fn: fn, args: args}, nil
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
	return &sumNode{at: at, op: kw.Value, v: v.Value, vAt: v.spot(), lo: lo, hi: hi, body: body}, nil
}

// nextIs reports whether the token after the next one is the punctuation v.
func (p *exprParser) nextIs(v string) bool {
	return isPunct(p.peek2(), v)
}

// where parses the clause after x: where NAME = EXPR, NAME = EXPR, ...
func (p *exprParser) where(x Node) (Node, error) {
	kw := p.next()
	w := &whereNode{at: kw.spot(), x: x}
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
		if len(w.defs) == cap(w.defs) {
			if w.defs, err = growPolled(w.defs, p.stop); err != nil {
				return nil, err
			}
		}
		w.defs = append(w.defs, whereDef{name: t.Value, at: t.spot(), x: v})
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

// superText writes the value of a Super token as it was written: ⁻¹².
func superText(v string) string {
	if v == superT {
		return "⁻ᵀ"
	}
	var sb strings.Builder
	for _, c := range v {
		switch {
		case c == '-':
			sb.WriteString("⁻")
		case c >= '0' && c <= '9':
			sb.WriteString(supDigits[c-'0'])
		default:
			for r, l := range superLetters {
				if rune(l) == c {
					sb.WriteRune(r)
				}
			}
		}
	}
	return sb.String()
}

var supDigits = [10]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// subWidth is the width in bytes of every subscript character (subChars):
// the place of the k-th is k*subWidth bytes after the first.
const subWidth = len("ᵢ")

// subText writes the value of a Sub token as it was written: ᵢⱼ.
func subText(v string) string {
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		for r, c := range subChars {
			if c == v[i] {
				sb.WriteRune(r)
				break
			}
		}
	}
	return sb.String()
}

// subscripted parses the subscripts sub after the name t, as the Unicode
// printer writes indices: xᵢ is x[i], xᵢⱼ is x[i,j] (each letter is an
// index, as in δⱼₖ), x₁₂ is x[12] (digits are one number, as Mathematica
// shows Subscript[x, 12]; x[1,2] has no subscript form). A run of letters
// and digits (xᵢ₁: x[i1] or x[i,1]?) is refused, as is x_1ᵢ's kin where
// the reading is not the printer's. δⱼₖ, δ₁ⱼ are Kronecker's delta(j,k).
func (p *exprParser) subscripted(t, sub *token) (Node, error) {
	p.next()
	v, name := sub.Value, t.Value
	a := p.mem()
	one := func(i int) Node {
		at := spot{sub.off + int32(i*subWidth)}
		if isDigit(v[i]) {
			n := a.nums.new()
			*n = numNode{at: at, lit: v[i : i+1]}
			return n
		}
		id := a.idents.new()
		*id = identNode{at: at, name: v[i : i+1]}
		return id
	}
	if name == "δ" {
		if len(v) != 2 {
			return nil, p.errorf(sub, "δ%s: Kronecker's delta takes two subscripts, as in δⱼₖ (or write delta(j,k))", subText(v))
		}
		c := a.calls.new()
		*c = callNode{at: t.spot(), fn: "delta", args: []Node{one(0), one(1)}}
		return c, nil
	}
	if name == string(sigmaOp) {
		return nil, p.errorf(t, "Σ%s has no range: write Σ_{%s=1}^{n} body, or Σ(%s=1..n, body)", subText(v), v, v)
	}
	digits := 0
	for i := 0; i < len(v); i++ {
		if isDigit(v[i]) {
			digits++
		}
	}
	switch {
	case digits == len(v):
		n := a.nums.new()
		*n = numNode{at: sub.spot(), lit: v}
		return &indexNode{at: t.spot(), name: name, indices: []Node{n}}, nil
	case digits > 0:
		return nil, p.errorf(sub, "the subscript %s mixes letters and digits, which is ambiguous: write %s[%s] for one index, or %s[%s]", subText(v), name, v, name, strings.Join(strings.Split(v, ""), ","))
	}
	idx := make([]Node, len(v))
	for i := range idx {
		idx[i] = one(i)
	}
	return &indexNode{at: t.spot(), name: name, indices: idx}, nil
}

// uniSum parses the rest of Σ_{i=lo}^{hi} body after the Σ, the sum as
// the Unicode printer writes it. Σ binds like a product: its body is the
// product or quotient after the range (Σᵢ xᵢ·yᵢ + c is (Σᵢ xᵢ·yᵢ) + c,
// as Mathematica reads ∑), and the printer brackets a sum that is not
// last in a product. As in LaTeX, a last value of one name or number
// needs no braces: Σ_{i=1}^n xᵢ.
func (p *exprParser) uniSum(kw *token) (Node, error) {
	const form = "Σ_{i=1}^{n} body, or Σ(i=1..n, body)"
	p.next() // _
	if t := p.peek(); !isPunct(t, "{") {
		return nil, p.errorf(t, "expected \"{\" after Σ_: the range of a sum is in braces, as in %s", form)
	}
	p.next()
	v := p.peek()
	if v.Type != tokIdent || isKeyword(v.Value) || !p.nextIs("=") {
		return nil, p.errorf(v, "expected an index and its first value after Σ_{, as in %s; found %s", form, describe(v))
	}
	p.next()
	p.next() // =
	if err := p.enter(kw); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	lo, err := p.binary(ast.PrecAdd)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect("}", "to close the start of the range, as in "+form); err != nil {
		return nil, err
	}
	if _, err := p.expect("^", "after Σ_{...}: the last value of the index follows, as in "+form); err != nil {
		return nil, err
	}
	var hi Node
	switch t := p.peek(); {
	case isPunct(t, "{"):
		p.next()
		if hi, err = p.binary(ast.PrecAdd); err != nil {
			return nil, err
		}
		if _, err := p.expect("}", "to close the end of the range, as in "+form); err != nil {
			return nil, err
		}
	case t.Type == tokNumber || t.Type == tokIdent && !isKeyword(t.Value) && p.peek2().Type != tokSub:
		p.next()
		if s := p.peek(); isPunct(s, "-") || isPunct(s, "+") {
			// Σ_{i=1}^n − 1 ...: LaTeX's ^n takes the n alone, but n − 1
			// may have been meant.
			return nil, p.errorf(s, "a sign after Σ_{...}^%s is ambiguous: write Σ_{...}^{%s %s ...} for the range, or Σ_{...}^{%s} (%s...) for the body", t.Value, t.Value, s.Value, t.Value, s.Value)
		}
		if t.Type == tokNumber {
			n := p.mem().nums.new()
			*n = numNode{at: t.spot(), lit: t.Value}
			hi = n
		} else {
			id := p.mem().idents.new()
			*id = identNode{at: t.spot(), name: t.Value}
			hi = id
		}
	default:
		return nil, p.errorf(t, "expected the last value of the index after ^, in braces unless it is a name or a number: %s", form)
	}
	if t := p.peek(); t.Type == tokNewline || t.Type == tokEOF || isPunct(t, ",") || isPunct(t, ")") {
		return nil, p.errorf(t, "expected the body of the sum after its range, as in %s; found %s", form, describe(t))
	}
	body, err := p.binary(ast.PrecMul)
	if err != nil {
		return nil, err
	}
	return &sumNode{at: kw.spot(), op: "sum", v: v.Value, vAt: v.spot(), lo: lo, hi: hi, body: body}, nil
}

// abs parses |x|, the absolute value as the Unicode printer writes it. A
// bar where an operand starts opens one, and a bar after an operand
// closes the innermost (the language has no implicit product), so
// ||x| − 1| is abs(abs(x) − 1). An operand right after a closing bar is
// refused: |a|b|c| could be |a|·b·|c| or |a·|b|·c|.
func (p *exprParser) abs(open *token) (Node, error) {
	p.next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	x, err := p.binary(ast.PrecAdd)
	p.depth--
	if err != nil {
		return nil, err
	}
	if !isPunct(p.peek(), "|") {
		_, err := p.expect("|", "to close the \"|\" at "+fromLexer(p.lexPos(open)).String())
		return nil, err
	}
	p.next()
	if t := p.peek(); (startsOperand(t) || isPunct(t, "∂")) && !isWord(t, "or") && !isWord(t, "not") {
		return nil, p.errorf(t, "missing operator after the \"|\" that closes the one at %s (|a|b|c| could be |a|·b·|c| or |a·|b|·c|: write the operators)", fromLexer(p.lexPos(open)))
	}
	c := p.mem().calls.new()
	*c = callNode{at: open.spot(), fn: "abs", args: p.mem().lists.take(1)}
	c.args[0] = x
	return c, nil
}

// partial parses ∂x/∂y, the derivative d(x, y) as the Unicode printer
// writes it: x is an operand (a name, an entry, a call, |u|, or anything
// in parentheses) and y a name or an entry. ∂x²/∂y and ∂x/∂y² are
// refused as ambiguous: write ∂(x²)/∂y, or (∂x/∂y)² for the power.
func (p *exprParser) partial(t *token) (Node, error) {
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if err := p.noPostfix("write ∂(x²)/∂y: brackets around what is differentiated"); err != nil {
		return nil, err
	}
	if !isPunct(p.peek(), "/") || !isPunct(p.peek2(), "∂") {
		return nil, p.errorf(p.peek(), "expected \"/∂\" and the variable after ∂ and what is differentiated: ∂f/∂x, ∂(x·y)/∂x; found %s", describe(p.peek()))
	}
	p.next()
	p.next()
	w, err := p.primary()
	if err != nil {
		return nil, err
	}
	if err := p.noPostfix("write (∂x/∂y)² for a power of the derivative"); err != nil {
		return nil, err
	}
	c := p.mem().calls.new()
	*c = callNode{at: t.spot(), fn: "d", args: p.mem().lists.take(2)}
	c.args[0], c.args[1] = x, w
	return c, nil
}

// isPostfix reports whether v spells a postfix operator.
func isPostfix(v string) bool { _, ok := postfixOp(v); return ok }

// noPostfix refuses a superscript or a transpose next, with the advice.
func (p *exprParser) noPostfix(advice string) error {
	t := p.peek()
	_, post := postfixOp(t.Value)
	if t.Type == tokSuper || t.Type == tokPunct && post {
		return p.errorf(t, "%s here is ambiguous: %s", describe(t), advice)
	}
	return nil
}
