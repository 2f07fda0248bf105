package parser

import (
	"github.com/alecthomas/participle/v2/lexer"
)

// The fast path. Most input is expressions, definitions and declarations
// (a loss written out, a file of definitions, a command-line argument):
// statements the precedence climber reads on its own. parseFast lexes the
// input a statement at a time, up to the Newline token that ends it, and
// parses those statements itself; of the statements that start with a
// keyword (prove, rule, deriv, explain, assume), prove statements are read
// by faststmt.go and the rest go through participle, one statement at a
// time. On any syntax error it gives up, and ParseFile reads
// the whole input again the slow way, so that every error is reported as
// participle's path reports it: the fast path never has to word one.

// parseFast returns the parse tree of src, or false when src has a syntax
// error (or the lexer rejects it). It lexes one statement at a time into
// one reused buffer: the parse tree keeps positions and substrings of src,
// never tokens.
func parseFast(filename, src string, stop *stopper) (*fileSyntax, bool, error) {
	tree := &fileSyntax{}
	var prev *stmtSyntax
	ok, err := eachFast(filename, src, stop, true, func(st *stmtSyntax) {
		if prev != nil {
			prev.EndPos = st.Pos
		}
		tree.Stmts = append(tree.Stmts, st)
		prev = st
	})
	if !ok {
		return nil, false, err
	}
	return tree, true, nil
}

// lowerFast parses and lowers src a statement at a time with the fast
// path, each statement's parse tree lowered as soon as it is read and its
// memory reused for the next: what parseFast and lowering each statement
// of its tree give, without the parse tree of the whole input. It returns
// false when the fast path gives up (a syntax error, or a statement it
// does not read); the caller then reads the input the slow way, which
// reports a syntax error in preference to an error found lowering an
// earlier statement, as ParseFile does.
func lowerFast(lw *lowerer, filename, src string, stop *stopper) ([]*Statement, bool, error) {
	var (
		out  []*Statement
		lerr error // the first statement that does not lower
	)
	ok, err := eachFast(filename, src, stop, false, func(st *stmtSyntax) {
		if lerr != nil {
			return // the rest is read for a syntax error only
		}
		s, err := lw.statement(st, src)
		if err != nil {
			lerr = err
			return
		}
		out = append(append(out, s), lw.takeMore()...)
	})
	if !ok {
		return nil, false, err
	}
	if lerr != nil {
		return nil, true, lerr
	}
	return out, true, nil
}

// eachFast reads src a statement at a time with the fast path and calls
// f with each statement's parse tree. Unless keep is set, the tree lives
// only until f returns: the memory of its nodes is reused. It returns
// false when src has a syntax error (or the lexer rejects it), with the
// stop's error if it is done.
func eachFast(filename, src string, stop *stopper, keep bool, f func(*stmtSyntax)) (bool, error) {
	sc, err := newScanner(filename, src)
	if err != nil {
		return false, nil
	}
	sc.stop = stop
	p := &exprParser{}
	lc := &lineCounter{filename: filename, src: src, line: 1, col: 1}
	var buf []token
	for {
		toks, _, err := sc.scan(buf[:0], true)
		if err != nil || len(toks) == 0 {
			return false, stop.check()
		}
		buf = toks
		end := toks[len(toks)-1]
		if end.Type != tokNewline {
			break // the EOF token, alone
		}
		var st *stmtSyntax
		if t := toks[0]; t.Type == tokIdent && statementWords[t.Value] {
			st = p.keywordStmt(toks, lc, stop, keep)
		} else {
			if !keep && p.arena != nil {
				p.arena.reset()
			}
			*p = exprParser{toks: toks, stop: stop, ticks: p.ticks, arena: p.arena}
			st = p.stmt()
		}
		if st == nil {
			return false, stop.check()
		}
		// ParseFile reads where the statement ends from the Newline
		// token that ends it.
		st.Pos = lexer.Position{Filename: filename, Offset: int(toks[0].off)}
		st.newline = int(end.off) + 1
		f(st)
	}
	return true, nil
}

// stmt parses an expression statement: X, X := Y or X : S, then the end
// of the statement. It returns nil on an error.
func (p *exprParser) stmt() *stmtSyntax {
	x, err := p.node()
	if err != nil {
		return nil
	}
	a := p.mem()
	e := a.exprs.new()
	e.X = x
	for isPunct(p.peek(), ",") {
		p.next() // w, v : vector(d); lowering says where else a list is wrong
		y, err := p.node()
		if err != nil {
			return nil
		}
		e.More = append(e.More, y)
	}
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
	st := a.stmts.new()
	st.Expr = e
	return st
}

// slowStmt parses one statement that starts with a keyword with
// participle, on participle's tokens (with positions from lc).
func slowStmt(stmt []token, lc *lineCounter, stop *stopper) *stmtSyntax {
	toks := lc.tokens(make([]lexer.Token, 0, len(stmt)+1), stmt)
	toks = append(toks, lexer.EOFToken(toks[len(toks)-1].Pos))
	var tree *fileSyntax
	func() {
		defer func() {
			if recover() != nil {
				tree = nil // the slow path reports it
			}
		}()
		lex, err := upgrade(toks, stop)
		if err == nil {
			tree, err = parseStream(lex, stop)
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
