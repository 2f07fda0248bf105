package ast

import "context"

// Printing under a context. A result's text can take a tenth of a second
// and more to write (sin nested 100,000 deep, printed as a tree, is
// 100,000 nested calls; a where clause of 100,000 names), which Ctrl-C
// and a time limit must cut short as they do the work before it. The
// printers look at the context every printPoll writes: a few
// microseconds of work apart.

const printPoll = 1024

// printStop polls a context for a printer; one is shared by the printers
// of a result's parts (100,000 named subexpressions of a few writes each).
// A nil *printStop never stops.
type printStop struct {
	ctx   context.Context
	polls int
	err   error // the context's error once seen
}

// stop reports whether printing should stop, looking at the context
// every printPoll calls.
func (s *printStop) stop() bool {
	if s == nil {
		return false
	}
	if s.err != nil {
		return true
	}
	s.polls++
	if s.polls%printPoll != 0 {
		return false
	}
	s.err = s.ctx.Err()
	return s.err != nil
}

// newPrintStop returns a poller of ctx, or nil (never stop) for nil.
func newPrintStop(ctx context.Context) *printStop {
	if ctx == nil {
		return nil
	}
	return &printStop{ctx: ctx}
}
