package main

import (
	"context"
	"runtime"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// Statements that only read the session (a value, a proof) are independent
// of each other: run computes them on all cores while it goes on reading
// the script, and prints every result in the script's order. Statements
// that change the session (definitions, rules) run in order, and one that
// reads the last value (_) waits for the values before it.

// jobs is how many statements are computed at once by default.
func jobs(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// independent reports whether st only reads the session and not its last
// value, so that it can run beside the statements around it.
func independent(st *parser.Statement) bool {
	switch x := st.Stmt.(type) {
	case *ast.ExprStmt:
		return !ast.HasFree(x.X, "_")
	case *ast.ProveStmt:
		return !ast.HasFree(x.A, "_") && !ast.HasFree(x.B, "_")
	}
	return false
}

// A job is a statement being run, and its outcome once done is closed.
type job struct {
	st   *parser.Statement
	done chan struct{}
	r    *session.Result
	err  error
}

// pipeline runs a script's statements with up to n at once and hands
// each outcome to emit in the script's order.
type pipeline struct {
	ctx    context.Context
	cancel context.CancelFunc
	s      *session.Session
	sem    chan struct{}
	queue  []*job
	wg     sync.WaitGroup
	emit   func(*parser.Statement, *session.Result, error) error
}

func newPipeline(ctx context.Context, s *session.Session, n int, emit func(*parser.Statement, *session.Result, error) error) *pipeline {
	ctx, cancel := context.WithCancel(ctx)
	return &pipeline{ctx: ctx, cancel: cancel, s: s, sem: make(chan struct{}, jobs(n)), emit: emit}
}

// add runs st: in the background on a snapshot of the session if it is
// independent, else in order once everything before it is out.
func (p *pipeline) add(st *parser.Statement) error {
	if !independent(st) || cap(p.sem) == 1 {
		if err := p.drain(); err != nil {
			return err
		}
		r, err := p.s.Exec(p.ctx, st)
		return p.emit(st, r, err)
	}
	j := &job{st: st, done: make(chan struct{})}
	p.queue = append(p.queue, j)
	snap := p.s.Snapshot()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(j.done)
		select {
		case p.sem <- struct{}{}:
		case <-p.ctx.Done():
			j.err = p.ctx.Err()
			return
		}
		defer func() { <-p.sem }()
		j.r, j.err = snap.Exec(p.ctx, st)
	}()
	return nil
}

// drain waits for the statements in flight and emits them in order; the
// first error stops the rest.
func (p *pipeline) drain() error {
	for i, j := range p.queue {
		<-j.done
		if j.err == nil {
			if _, isExpr := j.st.Stmt.(*ast.ExprStmt); isExpr {
				p.s.Last = j.r // what _ means for the statements after it
			}
		}
		if err := p.emit(j.st, j.r, j.err); err != nil {
			p.queue = p.queue[i+1:]
			p.close()
			return err
		}
	}
	p.queue = nil
	return nil
}

// close cancels what is still running and waits for it.
func (p *pipeline) close() {
	p.cancel()
	p.wg.Wait()
}

// runAll runs the statements through the pipeline and waits for the last.
func runAll(p *pipeline, stmts []*parser.Statement) error {
	defer p.close()
	for _, st := range stmts {
		if err := p.add(st); err != nil {
			return err
		}
	}
	return p.drain()
}

// forEach calls f(0), ..., f(n-1) on up to workers goroutines and returns
// when all have returned.
func forEach(n, workers int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
