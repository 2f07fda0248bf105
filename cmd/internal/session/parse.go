package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
)

// Parsing under the session's time limit. A 16 MB script takes seconds
// to read, so reading it is limited and interrupted as running a
// statement is, and says so in the same words, naming what it was
// reading.

// Parse parses a script (file names it; "" for a line typed or sent)
// under ctx and the session's time limit.
func (s *Session) Parse(ctx context.Context, file, src string) ([]*parser.Statement, error) {
	ctx, cancel := s.limit(ctx)
	defer cancel()
	stmts, err := parser.ParseFileContext(ctx, file, src, s.Context())
	if file == "" {
		return stmts, stoppedReading(err, "", "the input")
	}
	return stmts, stoppedReading(err, file+": ", "the script")
}

// ReadScript reads a script file under the session's time limit, as Parse
// then parses it: run --timeout 50ms of a 16 MB script read it whole first,
// some 100 ms past the limit on a machine where each page costs a fault.
func (s *Session) ReadScript(ctx context.Context, file string) (string, error) {
	ctx, cancel := s.limit(ctx)
	defer cancel()
	return ReadSourceContext(ctx, file)
}

// ParseExpr parses one expression (a command-line argument, a REPL
// command's) under ctx and the session's time limit; what names it in
// the message of a stop.
func (s *Session) ParseExpr(ctx context.Context, src, what string) (ast.Expr, error) {
	ctx, cancel := s.limit(ctx)
	defer cancel()
	e, err := parser.ParseExprContext(ctx, src, s.Context())
	return e, stoppedReading(err, "", what)
}

// stoppedReading words a parse's stop as Exec words a statement's; the
// error still says what stopped it (errors.Is context.DeadlineExceeded or
// context.Canceled).
func stoppedReading(err error, prefix, what string) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &stopError{fmt.Sprintf("%sstopped: the time limit was reached (reading %s)", prefix, what), err}
	case errors.Is(err, context.Canceled):
		return &stopError{fmt.Sprintf("%sinterrupted (reading %s)", prefix, what), err}
	}
	return err
}

// A stopError is a parse stopped by its context, in words.
type stopError struct {
	msg string
	err error
}

func (e *stopError) Error() string { return e.msg }
func (e *stopError) Unwrap() error { return e.err }

// Stopped reports whether err says that work was stopped by its context
// (a time limit, Ctrl-C, a client that left) rather than failed.
func Stopped(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// LoadDefsContext is LoadDefs, reading and running the definitions under
// ctx and the session's time limit.
func (s *Session) LoadDefsContext(ctx context.Context, file string) error {
	src, err := readFile(file)
	if err != nil {
		return err
	}
	return s.LoadDefsSourceContext(ctx, file, src)
}

// LoadDefsSource is LoadDefsSourceContext without a context (the time
// limit still applies).
func (s *Session) LoadDefsSource(file, src string) error {
	return s.LoadDefsSourceContext(context.Background(), file, src)
}

// LoadRulesContext is LoadRules, reading the file under ctx and the
// session's time limit.
func (s *Session) LoadRulesContext(ctx context.Context, file string) error {
	src, err := readFile(file)
	if err != nil {
		return err
	}
	ctx, cancel := s.limit(ctx)
	defer cancel()
	rs, err := load.FileContext(ctx, s.Rules, file, src)
	if err != nil {
		return stoppedReading(err, file+": ", "the rules")
	}
	s.Rules = rs
	return nil
}
