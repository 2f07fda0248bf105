package parser

import (
	"context"
	"io"

	"github.com/alecthomas/participle/v2/lexer"
)

// A Stream reads a script one statement at a time, so that a caller can
// start on the first statements while the rest is still being read (run
// computes independent statements on other cores meanwhile). The
// statements, and the error that ends them, are exactly ParseFileContext's:
// a syntax error anywhere is reported in preference to an error found
// lowering an earlier statement (a name used before it is defined), as
// ParseFile reports it (it reads on for a syntax error after a statement
// that does not lower). So a caller
// that must print nothing but the error of a script that has one holds
// its output until Next has returned io.EOF.
//
// Statements are read by the fast path (fast.go) one at a time; at the
// first one it does not read, the input is read whole the slow way, which
// reports the syntax error, or gives the statements from there on.
type Stream struct {
	filename, src string
	stop          *stopper
	lw            *lowerer
	sc            *scanner // nil once the fast path is left
	slowRead      bool     // the input has been read the slow way
	p             exprParser
	buf           []token
	lines         *lineCounter  // positions for the statements participle reads
	read          int           // statements read so far
	slow          []*stmtSyntax // the statements read the slow way, from read on
	err           error         // what Next returns from now on
	more          []*Statement  // lowered, not yet returned (w, v : vector(d))
}

// NewStream returns a stream over src; ctx (which may be nil) holds the
// definitions made before it and is not modified, and it is read now, so
// a caller may change what it was made from once NewStream has returned.
// Reading stops when cx is done, as ParseFileContext does.
func NewStream(cx context.Context, filename, src string, ctx *Context) *Stream {
	st := &Stream{filename: filename, src: src, stop: newStopper(cx)}
	st.lw = newLowerer(filename, src, ctx)
	st.lw.stop = st.stop
	if sc, err := newScanner(filename, src); err == nil {
		sc.stop = st.stop
		st.sc = sc
		st.lines = &lineCounter{filename: filename, src: src, line: 1, col: 1}
	}
	return st
}

// Next returns the next statement, or io.EOF after the last, or the error
// that ends the script (then again on every later call).
func (st *Stream) Next() (*Statement, error) {
	if st.err != nil {
		return nil, st.err
	}
	if len(st.more) > 0 { // the declarations after the first of w, v : vector(d)
		s := st.more[0]
		st.more = st.more[1:]
		return s, nil
	}
	syn, err := st.syntax()
	if err == nil && syn == nil {
		err = io.EOF
	}
	if err != nil {
		st.err = err
		return nil, err
	}
	s, err := st.lw.statement(syn, st.src)
	if err != nil {
		// A syntax error after it is reported first, as ParseFile does.
		for {
			syn, serr := st.syntax()
			if serr != nil {
				err = serr
				break
			}
			if syn == nil {
				break
			}
		}
		st.err = err
		return nil, err
	}
	st.more = st.lw.takeMore()
	return s, nil
}

// syntax returns the parse tree of the next statement, or nil at the end.
func (st *Stream) syntax() (*stmtSyntax, error) {
	if st.sc == nil {
		if !st.slowRead {
			return st.fallback() // the scanner refused the input
		}
		return st.slowNext()
	}
	toks, _, err := st.sc.scan(st.buf[:0], true)
	if err != nil || len(toks) == 0 {
		return st.fallback()
	}
	st.buf = toks
	end := toks[len(toks)-1]
	if end.Type != tokNewline {
		return nil, nil // the EOF token, alone
	}
	var s *stmtSyntax
	if t := toks[0]; t.Type == tokIdent && statementWords[t.Value] {
		s = st.p.keywordStmt(toks, st.lines, st.stop, false)
	} else {
		// The statement before has been lowered: its tree's memory is
		// reused.
		if st.p.arena != nil {
			st.p.arena.reset()
		}
		st.p = exprParser{toks: toks, stop: st.stop, ticks: st.p.ticks, arena: st.p.arena}
		s = st.p.stmt()
	}
	if s == nil {
		return st.fallback()
	}
	s.Pos = lexer.Position{Filename: st.filename, Offset: int(toks[0].off)}
	s.newline = int(end.off) + 1
	st.read++
	return s, nil
}

// fallback reads the whole input the slow way, as parseFile does when
// the fast path gives up, and goes on from the statement the fast path
// stopped at.
func (st *Stream) fallback() (*stmtSyntax, error) {
	st.sc, st.slowRead = nil, true
	if err := st.stop.check(); err != nil {
		return nil, err
	}
	tree, err := parseSyntaxStop(st.stop, st.filename, st.src)
	if err != nil {
		return nil, err
	}
	st.slow = tree.Stmts[min(st.read, len(tree.Stmts)):]
	return st.slowNext()
}

func (st *Stream) slowNext() (*stmtSyntax, error) {
	if len(st.slow) == 0 {
		return nil, nil
	}
	s := st.slow[0]
	st.slow = st.slow[1:]
	st.read++
	return s, nil
}

// statement lowers one statement's parse tree; src is the whole input.
func (lw *lowerer) statement(st *stmtSyntax, src string) (*Statement, error) {
	s, err := lw.stmt(st)
	start, end := st.Pos.Offset, st.EndPos.Offset
	if st.newline > 0 {
		end = st.newline - 1 // not the comments and blank lines after it
	} else if n := len(st.Tokens); n > 0 && st.Tokens[n-1].Type == tokNewline {
		end = st.Tokens[n-1].Pos.Offset
	}
	if end > len(src) || end < start {
		end = len(src)
	}
	var deferred error
	if err != nil {
		if serr := lw.stop.check(); serr != nil {
			return nil, serr // stopped (Ctrl-C, a time limit): not a statement to defer, nor to scan
		}
	}
	if err != nil {
		placeholder, ok := lw.deferLast(src[start:end]) // deferlast.go
		if !ok {
			return nil, err
		}
		s, deferred = placeholder, err
	}
	out := lw.newStatement()
	*out = Statement{Stmt: s, Pos: lw.cursor.pos(lw.text, start), Text: stmtText(src[start:end]), Warnings: lw.warnings, at: lw.stmtAt(), src: lw.text, Deferred: deferred}
	lw.warnings = nil
	return out, nil
}

// newStatement returns a Statement of a slab shared by the statements of
// one input (a file of definitions is thousands of them): the slabs
// double from 4 up to 64, so that a command's one expression gets one.
func (lw *lowerer) newStatement() *Statement {
	if len(lw.stmtSlab) == 0 {
		lw.stmtSlabN = min(64, max(4, 2*lw.stmtSlabN))
		lw.stmtSlab = make([]Statement, lw.stmtSlabN)
	}
	s := &lw.stmtSlab[0]
	lw.stmtSlab = lw.stmtSlab[1:]
	return s
}
