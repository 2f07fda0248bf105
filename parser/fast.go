package parser

import (
	"github.com/alecthomas/participle/v2/lexer"
)

// The fast path. Most input is expressions, definitions and declarations
// (a loss written out, a file of definitions, a command-line argument):
// statements the precedence climber reads on its own. parseFast splits the
// tokens into statements at their Newline tokens and parses those itself,
// in place in the one token slice; only the statements that start with a
// keyword (prove, rule, deriv, explain, assume) go through participle, one
// statement at a time. On any syntax error it gives up, and ParseFile reads
// the whole input again the slow way, so that every error is reported as
// participle's path reports it: the fast path never has to word one.

// parseFast returns the parse tree of src, or false when src has a syntax
// error (or the lexer rejects it).
func parseFast(filename, src string) (*fileSyntax, bool) {
	toks, err := tokenize(filename, src)
	if err != nil {
		return nil, false
	}
	tree := &fileSyntax{}
	p := &exprParser{}
	for start := 0; toks[start].Type != lexer.EOF; {
		end := start
		for toks[end].Type != tokNewline {
			if toks[end].Type == lexer.EOF {
				return nil, false // cannot happen: the lexer ends each statement
			}
			end++
		}
		// toks[start:end+1] is the statement with its Newline, and
		// toks[end+1] the token after it.
		stmt := toks[start : end+1]
		var st *stmtSyntax
		if t := stmt[0]; t.Type == tokIdent && statementWords[t.Value] {
			st = slowStmt(stmt, toks[end+1])
		} else {
			*p = exprParser{toks: stmt}
			st = p.stmt()
		}
		if st == nil {
			return nil, false
		}
		st.Pos, st.EndPos, st.Tokens = stmt[0].Pos, toks[end+1].Pos, stmt
		tree.Stmts = append(tree.Stmts, st)
		start = end + 1
	}
	return tree, true
}

// stmt parses an expression statement: X, X := Y or X : S, then the end
// of the statement. It returns nil on an error.
func (p *exprParser) stmt() *stmtSyntax {
	x, err := p.node()
	if err != nil {
		return nil
	}
	e := &exprSyntax{X: x}
	if t := p.peek(); t.Type == tokPunct && (t.Value == ":=" || t.Value == ":") {
		p.next()
		y, err := p.node()
		if err != nil {
			return nil
		}
		if t.Value == ":=" {
			e.Def = y
		} else {
			e.Decl = y
		}
	}
	if p.peek().Type != tokNewline {
		return nil
	}
	return &stmtSyntax{Expr: e}
}

// slowStmt parses one statement that starts with a keyword with
// participle. after is the token after the statement, which stands in as
// the end of the input.
func slowStmt(stmt []lexer.Token, after lexer.Token) *stmtSyntax {
	toks := make([]lexer.Token, len(stmt)+1)
	copy(toks, stmt)
	toks[len(stmt)] = lexer.EOFToken(after.Pos)
	var tree *fileSyntax
	func() {
		defer func() {
			if recover() != nil {
				tree = nil // the slow path reports it
			}
		}()
		lex, err := lexer.Upgrade(&tokenList{toks: toks})
		if err == nil {
			tree, err = grammar().ParseFromLexer(lex)
		}
		if err != nil {
			tree = nil
		}
	}()
	if tree == nil || len(tree.Stmts) != 1 {
		return nil
	}
	return tree.Stmts[0]
}
