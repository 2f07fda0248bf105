// Package parser reads symdiff's loss language into ast trees.
//
// Statements are parsed with participle; expressions inside them by a
// precedence-climbing function over ast's operator table, registered with
// participle.ParseTypeWith. The parse tree keeps positions; lowering it to
// ast checks names, arities and indices, so every error carries the place
// it was found (see Error).
package parser

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/symdiff/symdiff/ast"
)

// The statement grammar. Every statement ends with a Newline token (the
// lexer supplies one at the end of the input).
type fileSyntax struct {
	Stmts []*stmtSyntax `parser:"@@*"`
}

type stmtSyntax struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Tokens []lexer.Token // the last is the Newline that ends the statement
	// newline, on the fast path (which keeps no Tokens), is one more than
	// the offset of the Newline token that ends the statement.
	newline int
	Prove   *proveSyntax   `parser:"( @@"`
	Rule    *ruleSyntax    `parser:"| @@"`
	Deriv   *derivSyntax   `parser:"| @@"`
	Explain *explainSyntax `parser:"| @@"`
	Assume  *assumeSyntax  `parser:"| @@"`
	Expr    *exprSyntax    `parser:"| @@ ) Newline"`
}

type proveSyntax struct {
	A  Node   `parser:"'prove' @@"`
	Op string `parser:"@('==' | '!=')"`
	B  Node   `parser:"@@"`
}

type ruleSyntax struct {
	Name  string        `parser:"'rule' @Ident ':'"`
	LHS   Node          `parser:"@@ '->'"`
	RHS   Node          `parser:"@@"`
	Conds []*condSyntax `parser:"( 'if' @@ ( 'and' @@ )* )?"`
}

type condSyntax struct {
	X  Node   `parser:"@@"`
	Op string `parser:"@('>' | '>=' | '<' | '<=' | '!=' | '==')"`
	Y  Node   `parser:"@@"`
}

type derivSyntax struct {
	Head Node       `parser:"'deriv' @@"`
	Wrt  *wrtSyntax `parser:"( 'wrt' @@ )?"`
	Body Node       `parser:"'=' @@"`
}

// wrtSyntax is the parameter named after wrt, kept with its position.
// explainSyntax is `explain LOSS` or `explain LOSS wrt z`.
type explainSyntax struct {
	Loss Node             `parser:"'explain' @@"`
	Wrt  *predictorSyntax `parser:"( 'wrt' @@ )?"`
}

// predictorSyntax names the linear predictor of an explain statement.
type predictorSyntax struct {
	Name string `parser:"@Ident"`
}

type wrtSyntax struct {
	Pos  lexer.Position
	Name string `parser:"@Ident"`
}

type exprSyntax struct {
	X    Node   `parser:"@@"`
	More []Node `parser:"( ',' @@ )*"` // w, v : vector(d): the names after the first
	Def  Node   `parser:"( ':=' @@"`
	Decl Node   `parser:"| ':' @@ )?"` // X : matrix(n, d)
}

// grammar is built on first use: most inputs are expressions and
// definitions, which the fast path reads without it (see fast.go), and
// building it costs half a millisecond of every process's start.
var grammar = sync.OnceValue(func() *participle.Parser[fileSyntax] {
	return participle.MustBuild[fileSyntax](
		participle.Lexer(lexDef{}),
		participle.ParseTypeWith(parseNode),
		// Every alternative of the grammar starts with a token of its own, so
		// no lookahead is needed: a branch that has read a token is the one,
		// and an error in it is reported where it is, not at its start.
		participle.UseLookahead(0),
	)
})

// A Statement is one parsed statement with its place in the source.
type Statement struct {
	ast.Stmt
	Pos  Pos    // where it starts
	Text string // its source text
	// Warnings are said once about the statement: a definition whose name
	// shadows a built-in function's ("file:line:col: warning: ...").
	Warnings []string
	// Deferred is the error of a statement that uses _ and did not lower
	// with Context.DeferLast: it is to be parsed again (Text) once _ has
	// its shape (deferlast.go). Stmt is then the expression _.
	Deferred error

	// at is the side table of positions: ast trees carry none, so that
	// they can be hash-consed and shared. It holds byte offsets into src,
	// turned into lines and columns when asked, in the order the nodes
	// were lowered: a node's first entry is its first occurrence.
	at  []nodeAt
	src *source
}

// PosOf returns where the subexpression e of the statement first occurs
// in the source, so that an error found after parsing (a derivative with
// no rule, a shape mismatch) can point at the part it is about. It
// reports false for a node the statement does not contain as written,
// such as one built while simplifying.
func (s *Statement) PosOf(e ast.Expr) (Pos, bool) {
	return s.posOfID(e.ID())
}

// PositionsOf returns every place where the subexpression e of the
// statement occurs in the source, in order: a part written twice is one
// node, and an error about one occurrence (the one a condition reaches)
// points at it. The records kept are of first occurrences only (the memo
// does not record a repeated subexpression again), so the statement's
// text is lowered again with every record, which an error can afford;
// where that fails, the places kept are returned.
func (s *Statement) PositionsOf(e ast.Expr) []Pos {
	if s.src == nil {
		return nil
	}
	id := e.ID()
	recs, base := s.at, 0
	if off := s.Pos.Offset; off >= 0 && off <= len(s.src.text) && strings.HasPrefix(s.src.text[off:], s.Text) {
		if again, err := parseFile(nil, s.src.filename, s.Text, nil, true, true); err == nil && len(again) == 1 {
			recs, base = again[0].at, off
		}
	}
	var out []Pos
	for _, a := range recs {
		if a.id() == id {
			out = append(out, s.src.pos(base+int(a.off)))
		}
	}
	return out
}

// posOfID is PosOf, for the node with the given ID.
func (s *Statement) posOfID(id uint64) (Pos, bool) {
	if s.src == nil {
		return Pos{}, false
	}
	for _, a := range s.at {
		if a.id() == id {
			return s.src.pos(int(a.off)), true
		}
	}
	return Pos{}, false
}

// A source is the text a file's statements were parsed from, shared by
// them, with the offsets where its lines start (found on first use).
type source struct {
	filename, text string
	once           sync.Once
	lines          []int // offset of the start of each line
}

// pos returns the position of byte offset off, as the lexer counts it
// (columns in characters).
func (s *source) pos(off int) Pos {
	s.once.Do(func() {
		s.lines = append(s.lines, 0)
		for i := 0; ; {
			// IndexByte reads many bytes at a time; a loop of
			// comparisons was 7 instructions a byte of the input.
			j := strings.IndexByte(s.text[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			s.lines = append(s.lines, i)
		}
	})
	off = min(max(off, 0), len(s.text))
	line, _ := slices.BinarySearch(s.lines, off+1) // lines starting at or before off
	start := s.lines[line-1]
	return Pos{Filename: s.filename, Offset: off, Line: line, Col: utf8.RuneCountInString(s.text[start:off]) + 1}
}

// A posCursor computes positions of byte offsets that seldom decrease
// (each statement's start, in order) by counting the lines from the last
// one: what source.pos gives, without the table of every line's start,
// which a file of definitions need never build. It belongs to one
// lowerer (source is shared by the statements, read by any goroutine).
type posCursor struct {
	off, line, start int // off is on line line, which starts at start
}

// pos returns the position of byte offset off of s.
func (c *posCursor) pos(s *source, off int) Pos {
	off = min(max(off, 0), len(s.text))
	if off < c.off || c.line == 0 {
		*c = posCursor{line: 1}
	}
	for {
		j := strings.IndexByte(s.text[c.off:off], '\n')
		if j < 0 {
			break
		}
		c.off += j + 1
		c.line, c.start = c.line+1, c.off
	}
	c.off = off
	return Pos{Filename: s.filename, Offset: off, Line: c.line, Col: utf8.RuneCountInString(s.text[c.start:off]) + 1}
}

// ParseFile parses a script or rule file. ctx (which may be nil) holds the
// definitions made before it (a script's --defs, a REPL session's); it is
// not modified. The
// statements' own definitions are checked in order, so a name must be
// defined before it is used as a function.
func ParseFile(filename, src string, ctx *Context) ([]*Statement, error) {
	return parseFile(nil, filename, src, ctx, true, false)
}

// ParseFileContext is ParseFile, stopping when cx is done (Ctrl-C, a time
// limit): it then returns cx's error (errors.Is context.DeadlineExceeded
// or context.Canceled), within a few thousand tokens of the stop.
func ParseFileContext(cx context.Context, filename, src string, ctx *Context) ([]*Statement, error) {
	return parseFile(newStopper(cx), filename, src, ctx, true, false)
}

// parseFile is ParseFile, with the fast path or (for the tests that
// compare the two) without it; full turns off the lowerer's shortcuts
// (see lowerer.full), for the tests that compare with and without them.
func parseFile(stop *stopper, filename, src string, ctx *Context, fast, full bool) ([]*Statement, error) {
	newLw := func() *lowerer {
		lw := newLowerer(filename, src, ctx)
		lw.stop = stop
		if full {
			lw.full, lw.matrices = true, true
		}
		return lw
	}
	if fast {
		lw := newLw()
		out, ok, err := lowerFast(lw, filename, src, stop)
		lw.uses.release() // nothing reads it after the parse
		if ok || err != nil {
			return out, err
		}
	}
	// An error, or input the fast path does not read: participle reads
	// the whole input and says what is wrong where, then the statements
	// are lowered afresh.
	if err := stop.check(); err != nil {
		return nil, err
	}
	tree, err := parseSyntaxStop(stop, filename, src)
	if err != nil {
		return nil, err
	}
	lw := newLw()
	defer lw.uses.release()
	var out []*Statement
	for _, st := range tree.Stmts {
		s, err := lw.statement(st, src) // stream.go
		if err != nil {
			return nil, err
		}
		out = append(append(out, s), lw.takeMore()...)
	}
	return out, nil
}

// stmtText trims a statement's source: the comment at the end of its last
// line (# cannot occur in a token) and surrounding space.
func stmtText(s string) string {
	last := 0
	if strings.IndexByte(s, '\n') >= 0 { // most statements are one line: no byte-by-byte search back
		last = strings.LastIndexByte(s, '\n') + 1
	}
	if i := strings.IndexByte(s[last:], '#'); i >= 0 {
		s = s[:last+i]
	}
	return strings.TrimSpace(s)
}

// ParseExpr parses a single expression, such as a command-line argument.
// Errors are reported as line:col.
func ParseExpr(src string, ctx *Context) (ast.Expr, error) {
	return parseExpr(nil, src, ctx)
}

// ParseExprContext is ParseExpr, stopping when cx is done, as
// ParseFileContext does.
func ParseExprContext(cx context.Context, src string, ctx *Context) (ast.Expr, error) {
	return parseExpr(newStopper(cx), src, ctx)
}

func parseExpr(stop *stopper, src string, ctx *Context) (ast.Expr, error) {
	stmts, err := parseFile(stop, "", src, ctx, true, false)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		if len(stmts) == 0 {
			return nil, &Error{Pos: Pos{Line: 1, Col: 1}, Msg: "expected an expression, found nothing"}
		}
		return nil, errorAt(src, stmts[1].Pos, "expected one expression, found a second statement")
	}
	es, ok := stmts[0].Stmt.(*ast.ExprStmt)
	if !ok {
		return nil, errorAt(src, stmts[0].Pos, "expected an expression, found a statement (%s)", kindOf(stmts[0].Stmt))
	}
	return es.X, nil
}

func kindOf(s ast.Stmt) string {
	switch s.(type) {
	case *ast.DefStmt:
		return "a definition"
	case *ast.ProveStmt:
		return "prove"
	case *ast.RuleStmt:
		return "rule"
	case *ast.DerivStmt:
		return "deriv"
	case *ast.ExplainStmt:
		return "explain"
	case *ast.DeclStmt:
		return "a declaration"
	}
	return "an expression"
}

// parseSyntax parses src with participle.
func parseSyntax(filename, src string) (*fileSyntax, error) {
	return parseSyntaxStop(nil, filename, src)
}

// parseSyntaxStop is parseSyntax, stopping when stop is done.
func parseSyntaxStop(stop *stopper, filename, src string) (tree *fileSyntax, err error) {
	defer func() {
		// participle must not take the process down on input we did not
		// foresee: report it as an error at the start of the input.
		if r := recover(); r != nil {
			tree, err = nil, &Error{Pos: Pos{Filename: filename, Line: 1, Col: 1}, Msg: fmt.Sprintf("internal parser error: %v", r)}
		}
	}()
	lex, err := lexStream(filename, src, stop)
	if err == nil {
		tree, err = parseStream(lex, stop)
	}
	if err == nil {
		return tree, nil
	}
	if serr := stop.check(); serr != nil {
		return nil, serr // the stop, not what participle made of it
	}
	var pe *Error
	if errors.As(err, &pe) {
		if pe.Line == "" {
			pe.Line = lineAt(src, pe.Pos.Offset)
		}
		return nil, pe
	}
	var perr participle.Error
	if errors.As(err, &perr) {
		p := fromLexer(perr.Position())
		if p.Line == 0 {
			p = posOf(filename, src, min(p.Offset, len(src)))
		}
		return nil, errorAt(src, p, "%s", friendly(perr))
	}
	return nil, &Error{Pos: Pos{Filename: filename, Line: 1, Col: 1}, Msg: err.Error()}
}

// friendly rewords participle's messages in the terms of the language.
func friendly(err participle.Error) string {
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		t := ute.Unexpected
		tt := token{Type: tokType(t.Type), Value: t.Value}
		what := strings.TrimPrefix(describe(&tt), "the ") // unexpected number 2
		switch {
		case t.Type == tokNewline || t.Type == lexer.EOF:
			msg := "the statement is incomplete"
			if exp := expected(ute.Message()); exp != "" {
				msg += ": expected " + exp + " before " + describe(&tt)
			}
			return msg
		case t.Value == "<" || t.Value == "<=" || t.Value == ">" || t.Value == ">=":
			return fmt.Sprintf("unexpected %s: a comparison is a condition, not a value; write it as the condition of if(cond, a, b)", what)
		case t.Value == "==" || t.Value == "!=":
			return fmt.Sprintf("unexpected %s: write prove A %s B to compare two expressions", what, t.Value)
		case t.Value == "=" && expected(ute.Message()) != "a name":
			return "unexpected \"=\": write := to define a name, or == to compare"
		case t.Type == tokIdent && isReserved(t.Value):
			what = "keyword " + what
		}
		if exp := expected(ute.Message()); exp != "" {
			return "unexpected " + what + "; expected " + exp
		}
		return "unexpected " + what
	}
	return err.Message()
}

// expected turns participle's "(expected <grammar>)" into what may come at
// the spot: the first element of the rest of the grammar rule, in words.
func expected(msg string) string {
	i := strings.Index(msg, "(expected ")
	if i < 0 {
		return ""
	}
	if strings.Contains(msg[i:], "AssumeCmpSyntax") {
		return `a comparison (> 0, < 1, == 1) or "in"` // after assume X
	}
	exp := strings.TrimSuffix(msg[i+len("(expected "):], ")")
	first := exp
	switch {
	case strings.HasPrefix(exp, "("):
		depth := 0
		for j, r := range exp {
			if r == '(' {
				depth++
			} else if r == ')' {
				depth--
				if depth == 0 {
					first = exp[1:j]
					break
				}
			}
		}
	case strings.HasPrefix(exp, `"`):
		if j := strings.IndexByte(exp[1:], '"'); j >= 0 {
			first = exp[:j+2]
		}
	default:
		if j := strings.IndexByte(exp, ' '); j >= 0 {
			first = exp[:j]
		}
	}
	alts := strings.Split(first, " | ")
	for j, a := range alts {
		switch a {
		case "Node":
			alts[j] = "an expression"
		case "<ident>":
			alts[j] = "a name"
		case "<newline>":
			alts[j] = "an operator or the end of the line"
		case "CondSyntax":
			alts[j] = "a condition"
		case "WrtSyntax":
			alts[j] = "a parameter name"
		case "PredictorSyntax":
			alts[j] = "the name of the linear predictor"
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return strings.Join(alts[:len(alts)-1], ", ") + " or " + alts[len(alts)-1]
}
