package parser

import "context"

// Parsing stops when its context is done (Ctrl-C, --timeout): a 16 MB
// input takes seconds to read. The loops that run once per token or node
// (the lexer, the precedence climber, lowering) count, and look at the
// context once every stopEvery counts, so the check costs a counter and
// a mask, and a stop comes within a few thousand tokens.
const stopEvery = 4096

// A stopper is the context a parse honours; a nil stopper never stops.
type stopper struct {
	ctx context.Context
	err error // ctx.Err() once seen, kept so every loop returns the same
}

func newStopper(ctx context.Context) *stopper {
	if ctx == nil || ctx.Done() == nil {
		return nil // context.Background: nothing to check
	}
	return &stopper{ctx: ctx}
}

// check returns the context's error, if it is done.
func (s *stopper) check() error {
	if s == nil {
		return nil
	}
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}
