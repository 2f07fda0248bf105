package parser

import "github.com/symdiff/symdiff/ast"

// A declaration may name several inputs of one shape, w, v : vector(d),
// as Julia's and Fortran's do: it is a declaration of each name in turn,
// the same as one a line. The first is the statement lowered; the others
// are statements of their own, each placed at its name (an error about v
// points at v), which the callers of statement take with takeMore.

// moreDecl is a declaration after the first of a list, lowered.
type moreDecl struct {
	decl *ast.DeclStmt
	at   spot
}

// declareAll lowers X, Y, ... : S: every name is declared (and checked)
// in order, so the first wrong name is the one an error is about.
func (lw *lowerer) declareAll(e *exprSyntax) (ast.Stmt, error) {
	lw.more = lw.more[:0]
	first, err := lw.declare(e.X, e.Decl)
	if err != nil {
		return nil, err
	}
	for _, x := range e.More {
		d, err := lw.declare(x, e.Decl)
		if err != nil {
			lw.more = lw.more[:0]
			return nil, err
		}
		lw.more = append(lw.more, moreDecl{decl: d.(*ast.DeclStmt), at: x.pos()})
	}
	return first, nil
}

// takeMore returns the statements of the declarations after the first of
// the statement just lowered (none for any other statement).
func (lw *lowerer) takeMore() []*Statement {
	if len(lw.more) == 0 {
		return nil
	}
	out := make([]*Statement, len(lw.more))
	for i, m := range lw.more {
		s := lw.newStatement()
		*s = Statement{Stmt: m.decl, Pos: lw.cursor.pos(lw.text, int(m.at.off)), Text: m.decl.Name + " : " + m.decl.Shape.Decl(), src: lw.text}
		out[i] = s
	}
	lw.more = lw.more[:0]
	return out
}

// listError is the error of a list of names that is not a declaration:
// x, y := 1 defines one name a statement.
func (lw *lowerer) listError(e *exprSyntax) error {
	at := e.More[0].pos()
	// At the comma, as the error of a stray comma was.
	for i := int(at.off) - 1; i >= 0; i-- {
		if c := lw.src[i]; c == ',' {
			at = spot{int32(i)}
		} else if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		break
	}
	if e.Def != nil {
		return lw.errorf(at, "a definition defines one name: write each on its own line (a list of names is for a declaration, as in w, v : vector(d))")
	}
	return lw.errorf(at, `unexpected ",": a list of names is a declaration, as in w, v : vector(d); expected an operator or the end of the line`)
}
