package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// Where a numeric evaluation failed: eval said "division by zero" with no
// place. The evaluator records the subexpression whose operation failed
// (ast.DomainError's At) and the sums' index values there; placeEval
// turns that into an error about a part of the expression as written (its
// Expr), which eval and a script put a caret under.

// An evalPartError is a DomainError of eval placed at a part of the
// expression as written.
type evalPartError struct {
	err error // the DomainError, as the evaluation gave it
	at  ast.Expr
	msg string
}

func (e *evalPartError) Error() string  { return e.msg }
func (e *evalPartError) Unwrap() error  { return e.err }
func (e *evalPartError) Expr() ast.Expr { return e.at }

// placeBudget bounds the search for the written part a failure is in,
// where the failing subexpression is not written (a derivative's term, a
// definition's body); past it the error names the subexpression alone. It
// is work (workCtx: about a second's), not time, so that the message does
// not depend on the machine's load.
const placeBudget = 1 << 14

// placeEval places err, eval's error on written at b, where it is a
// DomainError that says at which subexpression it happened: at that
// subexpression where it is written (division by zero in 1/(x - 1), and
// at i = 2 where it failed in a sum's term); else at the innermost part
// of written that fails on its own the same way (1/step(x) of
// d(1/step(x), x), whose derivative divides by step(x)), naming the
// subexpression that failed; else at the whole expression. An error that
// has a place already, or no subexpression, is returned as it is.
func (s *Session) placeEval(ctx context.Context, written ast.Expr, b ast.Bindings, err error) error {
	var de *ast.DomainError
	var placed interface{ Expr() ast.Expr }
	if err == nil || errors.As(err, &placed) || !errors.As(err, &de) || de.At == nil || ctx.Err() != nil {
		return err
	}
	if isPart(written, de.At) {
		return &evalPartError{err: err, at: de.At, msg: partMessage(err, de)}
	}
	pctx := newWorkCtx(ctx, placeBudget)
	var part ast.Expr
	var partErr *ast.DomainError
	for _, n := range candidateParts(written) {
		if pctx.Err() != nil {
			break
		}
		_, perr := s.evalUnplaced(pctx, n, b)
		var pde *ast.DomainError
		if errors.As(perr, &pde) && pde.Msg == de.Msg && pde.At != nil {
			part, partErr = n, pde
			break
		}
	}
	if part == nil {
		// No part fails alone: the whole expression, and what failed in it.
		msg := partMessage(err, de)
		if ast.HasDeriv(written) && !strings.Contains(msg, ast.String(written)) {
			msg += ", in " + ast.String(written) + " worked out"
		}
		return &evalPartError{err: err, at: written, msg: msg}
	}
	msg := partMessage(err, partErr)
	if partErr.At != part && !isPart(part, partErr.At) {
		if ast.HasDeriv(part) {
			msg += ", in " + ast.String(part) + " worked out"
		} else {
			msg += ", in " + ast.String(part)
		}
	}
	return &evalPartError{err: err, at: part, msg: msg}
}

// partMessage is de's message with the subexpression it failed at, where
// the message does not already quote it, and the index values it failed
// at: "division by zero in 1/(i - 2) at i = 2".
func partMessage(err error, de *ast.DomainError) string {
	msg := err.Error()
	at := ast.String(de.At)
	if strings.Contains(msg, at) {
		return msg
	}
	msg += " in " + at
	var where []string
	for k := len(de.Index) - 1; k >= 0; k-- { // outermost first
		if iv := de.Index[k]; ast.HasFree(de.At, iv.Var) {
			where = append(where, fmt.Sprintf("%s = %d", iv.Var, iv.Value))
		}
	}
	if len(where) > 0 {
		msg += " at " + strings.Join(where, ", ")
	}
	return msg
}

// isPart reports whether x is a node of e.
func isPart(e, x ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(n ast.Expr) bool {
		found = found || n == x
		return !found
	})
	return found
}

// maxPlaceParts bounds the parts placeEval tries.
const maxPlaceParts = 200

// candidateParts are the parts of e that placeEval tries, innermost first
// (a node after its children): not numbers or names, nor e itself, nor
// the pieces of an if, which a point may not reach.
func candidateParts(e ast.Expr) []ast.Expr {
	var out []ast.Expr
	seen := map[ast.Expr]bool{}
	var walk func(n ast.Expr)
	walk = func(n ast.Expr) {
		if seen[n] || len(out) >= maxPlaceParts {
			return
		}
		seen[n] = true
		if _, ok := n.(*ast.If); !ok {
			for _, k := range ast.Children(n) {
				walk(k)
			}
		}
		switch n.(type) {
		case *ast.Num, *ast.Sym:
			return
		}
		if n != e && len(out) < maxPlaceParts {
			out = append(out, n)
		}
	}
	walk(e)
	return out
}
