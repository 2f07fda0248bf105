package session

import (
	"context"
	"errors"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// Doubts about a zero. The check for parts without a value (undefined.go)
// takes a part for 0 when it is 0 at 256, 4096 and 32768 bits; a value
// below about e^-22000 of its terms is 0 there too (1 - sigma(30000) is
// e^-30000), and simplify called 1/(1 - sigma(30000)) undefined, which it
// is not. Where exact arithmetic confirms the zero (1 - exp(0)), it
// stands; where it cannot tell, the check notes a doubt, and a conclusion
// "undefined" that rests on one becomes an UndecidedError: symdiff cannot
// decide, and says why (exit status 3, as a proof that could not decide).

// doubtsKey keys the doubts recorded during one check in its context.
type doubtsKey struct{}

// doubts collects the zeros taken without exact confirmation.
type doubts struct {
	mu  sync.Mutex
	why []string
	at  []ast.Expr
}

// withDoubts returns a context in which noteDoubt records.
func withDoubts(ctx context.Context) (context.Context, *doubts) {
	d := &doubts{}
	return context.WithValue(ctx, doubtsKey{}, d), d
}

// noteDoubt records that x was taken for 0, or for undefined, on numbers
// alone, and why.
func noteDoubt(ctx context.Context, x ast.Expr, why string) {
	if d, ok := ctx.Value(doubtsKey{}).(*doubts); ok {
		d.mu.Lock()
		d.why = append(d.why, why)
		d.at = append(d.at, x)
		d.mu.Unlock()
	}
}

// undecided turns err, a conclusion that a part has no value, into an
// UndecidedError when a doubt was noted on the way.
func (d *doubts) undecided(err error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err == nil || len(d.why) == 0 {
		return err
	}
	var pe *partError
	if !errors.As(err, &pe) {
		return err
	}
	return &UndecidedError{x: pe.x, msg: "cannot decide whether " + ast.String(pe.x) + " has a value: " + d.why[0] +
		" (values below about e^-22000 of the terms are 0 at that precision); if it is, " + pe.msg}
}

// An UndecidedError says that symdiff cannot decide whether a part of the
// input has a value.
type UndecidedError struct {
	x   ast.Expr
	msg string
}

func (e *UndecidedError) Error() string  { return e.msg }
func (e *UndecidedError) Expr() ast.Expr { return e.x }

// ErrStatus is the exit status of a command that failed with err: 3
// (unknown) where symdiff could not decide, else 2 (bad input).
func ErrStatus(err error) Status {
	var u *UndecidedError
	if errors.As(err, &u) {
		return Unknown
	}
	return BadInput
}

// placedUndecided is an UndecidedError placed in its statement (At): it
// reads as the positioned error and is still one that could not decide.
type placedUndecided struct {
	placed *parser.Error
	u      *UndecidedError
}

func (e *placedUndecided) Error() string   { return e.placed.Error() }
func (e *placedUndecided) Unwrap() []error { return []error{e.placed, e.u} }
