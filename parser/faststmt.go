package parser

// The fast path of prove statements. A batch of proofs is a file of
// `prove A == B` lines, and participle took half of the time of reading
// one (its tokens, its stream, its reflection over the grammar: W8's
// batch, 4.4 MB of its 22 MB allocated) for a statement the precedence
// climber reads in two calls. proveSyntax's
// grammar is 'prove' Node ('==' | '!=') Node Newline; participle reads each
// Node with parseNode, which runs the climber on the tokens from the
// Node's start to the end of the statement. proveStmt does the same on the
// same tokens, so the tree is the one participle's path builds, and on
// anything else (a syntax error, another statement) it returns nil: the
// caller then takes participle's path, which words the error.

// proveStmt parses the statement in p.toks, which starts with the keyword
// prove and ends with its Newline token, as participle's path does, or
// returns nil. The nodes go on p's arena.
func (p *exprParser) proveStmt() *stmtSyntax {
	toks := p.toks
	if len(toks) < 2 || toks[0].Type != tokIdent || toks[0].Value != "prove" || toks[len(toks)-1].Type != tokNewline {
		return nil
	}
	// Each side is parsed as parseNode parses it: a climber of its own
	// over the tokens from the side's start to the statement's end.
	side := func(from int) (Node, int) {
		q := exprParser{toks: toks[from:], stop: p.stop, ticks: p.ticks, arena: p.arena}
		x, err := q.node()
		p.ticks, p.arena = q.ticks, q.arena
		if err != nil {
			return nil, 0
		}
		return x, from + q.i
	}
	a, i := side(1)
	if a == nil {
		return nil
	}
	op := &toks[i]
	if op.Type != tokPunct || (op.Value != "==" && op.Value != "!=") || i+1 >= len(toks) {
		return nil
	}
	b, j := side(i + 1)
	if b == nil || toks[j].Type != tokNewline {
		return nil
	}
	m := p.mem()
	st := m.stmts.new()
	st.Prove = &proveSyntax{A: a, Op: op.Value, B: b}
	return st
}

// keywordStmt parses a statement that starts with a keyword (toks, up to
// its Newline): a prove statement with p, the rest, and a prove statement
// proveStmt does not read, with participle. Unless keep is set, p's arena
// is reset first: the trees read before are no longer used.
func (p *exprParser) keywordStmt(toks []token, lc *lineCounter, stop *stopper, keep bool) *stmtSyntax {
	if toks[0].Value == "prove" {
		if !keep && p.arena != nil {
			p.arena.reset()
		}
		*p = exprParser{toks: toks, stop: stop, ticks: p.ticks, arena: p.arena}
		if st := p.proveStmt(); st != nil {
			return st
		}
	}
	return slowStmt(toks, lc, stop)
}
