package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// Statements that only read the session (a value, a proof) are independent
// of each other: run computes them on all cores, each on a snapshot of the
// session as the script had made it so far. The statements that change the
// session (definitions, declarations, assumptions, rules) run in order on
// the session itself, at once, so that the script goes on past them while
// the proofs before them are still running; one that reads the last value
// (_) waits for the values before it. Each statement's output is rendered
// where it ran, in the session as it stood for that statement, and printed
// in the script's order; the first error stops the script after what
// comes before it is printed.

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
		return !hasLast(st, x.X)
	case *ast.ProveStmt:
		return !hasLast(st, x.A) && !hasLast(st, x.B)
	case *ast.ExplainStmt:
		return !hasLast(st, x.Loss)
	}
	return false
}

// readsLast reports whether st reads the last value (_), so that it must
// wait for the statements before it.
func readsLast(st *parser.Statement) bool {
	switch x := st.Stmt.(type) {
	case *ast.DefStmt:
		return hasLast(st, x.Def.Body)
	case *ast.ExprStmt, *ast.ProveStmt, *ast.ExplainStmt:
		return !independent(st)
	}
	return false
}

// hasLast is ast.HasFree(e, "_") for a part e of st, asking the tree
// only when the text may read _ (session.MayReadLast): ast.FreeNames sorts
// every free name of the tree (100,000 for a sum of as many terms, about
// 100 ms with no look at a Ctrl-C). A deferred statement's tree is _
// itself, put there because a line with a comment that says _ did not
// lower.
func hasLast(st *parser.Statement, e ast.Expr) bool {
	return session.MayReadLast(st) && ast.HasFree(e, "_")
}

// A job is a statement being run; done is closed once r or err and the
// rendered output are there.
type job struct {
	st   *parser.Statement
	bg   bool // run on a snapshot, in the background
	done chan struct{}
	r    *session.Result
	err  error
	out  bytes.Buffer
	// panicked is the value of a panic in computing or rendering the
	// statement (a bug), passed on in order by flush (see panicked).
	panicked any
}

// A panicked error carries a statement's panic from the goroutine it ran
// on to the one that called the pipeline, in the script's order: the
// results before it are emitted first, and Main reports it as it does
// one statement at a time (see rethrow).
type panicked struct{ v any }

func (p panicked) Error() string { return fmt.Sprint(p.v) }

// rethrow panics again with the value of a panicked error.
func rethrow(err error) {
	if pv, ok := err.(panicked); ok {
		panic(pv.v)
	}
}

// execJob runs st on s into j, rendering its result; a panic is kept in j.
func (p *pipeline) execJob(ctx context.Context, s *session.Session, st *parser.Statement, j *job) {
	defer func() {
		if r := recover(); r != nil {
			j.r, j.err, j.panicked = nil, nil, r
		}
	}()
	if err := ctx.Err(); err != nil {
		j.err = notStarted(err) // a definition would run to its end
		return
	}
	j.r, j.err = s.Exec(ctx, st)
	if j.err == nil {
		p.render(s, &j.out, j.r)
	}
}

// notStarted is the error of a statement not started because the run
// was cancelled (err is the context's): what Exec says of a statement
// stopped while it runs.
func notStarted(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("stopped: the time limit was reached")
	}
	return errors.New("interrupted")
}

// closed returns the done channel of a job that ran in place, one for the
// process, made on first use: a channel made at package level is work at
// every start, for a command that runs no script.
func closed() chan struct{} {
	closedOnce.Do(func() {
		closedChan = make(chan struct{})
		close(closedChan)
	})
	return closedChan
}

var (
	closedOnce sync.Once
	closedChan chan struct{}
)

// pipeline runs a script's statements with up to n at once and hands
// each outcome to emit in the script's order.
type pipeline struct {
	ctx    context.Context
	cancel context.CancelFunc
	s      *session.Session
	sem    chan struct{}
	queue  []*job // added, not yet emitted, in order
	bg     int    // background jobs in queue
	// The background jobs are run by up to cap(sem) workers, started as
	// they are needed, which take them from work in order. A goroutine
	// per statement started with a small stack and grew it again for
	// every statement: 3–4% of the CPU of W8's batch at --jobs 2 went to
	// copying stacks.
	work      chan bgTask
	workers   int
	dry       atomic.Int32 // the times a worker found no job waiting (for tests)
	closeWork sync.Once
	wg        sync.WaitGroup // the workers
	// render writes r as it reads in the session s it ran in; it runs
	// where the statement ran, so concurrently with other renders.
	render func(s *session.Session, w io.Writer, r *session.Result)
	// emit takes the outcomes in the script's order, with what render
	// wrote; an error it returns stops the script. An outcome that was
	// held (below) comes with only the statement, status and warnings
	// of its result.
	emit func(st *parser.Statement, r *session.Result, out []byte, err error) error
	// While holding, the outcomes without an error are kept in held
	// instead of being emitted: the script is still being read, and if
	// it has a syntax error that is all run prints (see runRead). What is
	// kept is what render wrote and what emit reads of the result, not
	// the result: a proof's holds the tables of its prover, and holding
	// a dozen of them doubled the live heap the collector marks.
	holding bool
	held    []*job
}

func newPipeline(ctx context.Context, s *session.Session, n int,
	render func(*session.Session, io.Writer, *session.Result),
	emit func(*parser.Statement, *session.Result, []byte, error) error) *pipeline {
	ctx, cancel := context.WithCancel(ctx)
	n = jobs(n)
	// add keeps at most inFlight·n background jobs in the queue, so it
	// never waits to hand one over.
	return &pipeline{ctx: ctx, cancel: cancel, s: s, sem: make(chan struct{}, n), work: make(chan bgTask, inFlight*n+1),
		render: render, emit: emit}
}

// inFlight·n background statements at most are in flight at --jobs n
// (running, waiting for a worker, or done and waiting to be printed in
// order). Past that, add waits for the oldest: while it runs, the
// workers take what is queued behind it, and with 2n they ran out of
// work behind a slower proof. W8's batch at --jobs 2 and load 20, after
// the script was read: the workers waited for work 12% of their time
// with 2n (median of 24 runs), 2.5% with 4n (TestInFlightBehindSlow).
const inFlight = 4

// A bgTask is a background job and the snapshot of the session it runs on.
type bgTask struct {
	j    *job
	snap *session.Session
}

// worker runs background jobs until work is closed, each once it has a
// place of sem, or not at all if the run was cancelled first.
//
// After each job it yields. The job's end wakes the goroutine that reads
// the script and hands out the statements (add, waiting in flush for the
// oldest job), and Go runs a goroutine woken so next on the same core,
// but only once the one running there stops: a worker that went straight
// on to the next job kept it waiting until the queue ran dry and the
// workers stopped for want of work. W8's batch at --jobs 2, after the
// script was read, on a machine at load 10: the workers waited 35–245 ms
// in all in runs of 150–700 ms, yielding 0.1–20 ms; at load 20, 34% of
// their time (median of 24 runs) against 14% (TestWorkersYield).
func (p *pipeline) worker() {
	defer p.wg.Done()
	for {
		if len(p.work) == 0 {
			p.dry.Add(1)
		}
		t, ok := <-p.work
		if !ok {
			return
		}
		p.runBg(t)
		runtime.Gosched()
	}
}

func (p *pipeline) runBg(t bgTask) {
	defer close(t.j.done)
	select {
	case p.sem <- struct{}{}:
	case <-p.ctx.Done():
		t.j.err = notStarted(p.ctx.Err())
		return
	}
	defer func() { <-p.sem }()
	p.execJob(p.ctx, t.snap, t.j.st, t.j)
}

// add runs st: in the background on a snapshot of the session if it is
// independent, else in place on the session (after the statements before
// it if it reads _).
func (p *pipeline) add(st *parser.Statement) error {
	if !independent(st) || cap(p.sem) == 1 {
		if readsLast(st) || cap(p.sem) == 1 {
			if err := p.flush(len(p.queue)); err != nil {
				return err
			}
		}
		j := &job{st: st, done: closed()}
		p.execJob(p.ctx, p.s, st, j)
		p.queue = append(p.queue, j)
		if j.err != nil || j.panicked != nil {
			return p.flush(len(p.queue)) // stops at j's error
		}
		return p.ready()
	}
	// At most inFlight·n statements in flight: each holds a snapshot, and
	// a script far ahead of its output gains nothing.
	if p.bg >= inFlight*cap(p.sem) {
		if err := p.flushBg(); err != nil {
			return err
		}
	}
	j := &job{st: st, bg: true, done: make(chan struct{})}
	p.queue = append(p.queue, j)
	p.bg++
	if p.workers < cap(p.sem) {
		p.workers++
		p.wg.Add(1)
		go p.worker()
	}
	p.work <- bgTask{j: j, snap: p.s.Snapshot()}
	return p.ready()
}

// ready emits the finished statements at the head of the queue without
// waiting for the others.
func (p *pipeline) ready() error {
	n := 0
scan:
	for _, j := range p.queue {
		select {
		case <-j.done:
			n++
		default:
			break scan
		}
	}
	return p.flush(n)
}

// flushBg emits statements in order up to and including the first one
// that runs in the background.
func (p *pipeline) flushBg() error {
	for i, j := range p.queue {
		if j.bg {
			return p.flush(i + 1)
		}
	}
	return nil
}

// flush waits for the first n statements of the queue and emits them in
// order; the first error stops the rest.
func (p *pipeline) flush(n int) error {
	for i, j := range p.queue[:n] {
		<-j.done
		if j.panicked != nil {
			p.queue = p.queue[i+1:]
			p.close()
			return panicked{j.panicked}
		}
		if j.bg {
			p.bg--
			if _, isExpr := j.st.Stmt.(*ast.ExprStmt); isExpr && j.err == nil {
				p.s.Last = j.r // what _ means for the statements after it
			}
		}
		if p.holding && j.err == nil {
			r := &session.Result{Stmt: j.r.Stmt, Input: j.r.Input, Status: j.r.Status, Warnings: j.r.Warnings}
			p.held = append(p.held, &job{st: j.st, r: r, out: j.out})
			continue
		}
		if err := p.emit(j.st, j.r, j.out.Bytes(), j.err); err != nil {
			p.queue = p.queue[i+1:]
			p.close()
			return err
		}
	}
	clear(p.queue[:n]) // the results emitted are garbage now
	p.queue = p.queue[n:]
	return nil
}

// release emits the outcomes held and stops holding.
func (p *pipeline) release() {
	p.holding = false
	for _, j := range p.held {
		_ = p.emit(j.st, j.r, j.out.Bytes(), nil) // nil for an outcome without error
	}
	p.held = nil
}

// close cancels what is still running and waits for it; no statement is
// added after it.
func (p *pipeline) close() {
	p.cancel()
	p.closeWork.Do(func() { close(p.work) })
	p.wg.Wait()
}

// runAll runs the statements through the pipeline and waits for the last.
func runAll(p *pipeline, stmts []*parser.Statement) (err error) {
	defer func() { rethrow(err) }()
	defer p.close()
	for _, st := range stmts {
		if err := p.add(st); err != nil {
			return err
		}
	}
	return p.flush(len(p.queue))
}

// runRead runs the statements of a script through the pipeline as rd
// reads them: the first are computed while the rest is read. A script
// with a syntax error, or an error found reading a statement, prints
// nothing but that error, as when it is read whole before it runs: the
// outcomes are held until rd has read the script to its end. When a
// statement fails before that, rd still reads to the end, and its error,
// if it finds one, is the one reported.
//
// An error that ends the script (a syntax error, the time limit of
// reading, Ctrl-C) is all that is printed, so it cancels at once the
// statements still running and those read but not yet started: a syntax
// error on the last line of 1,200 derivatives is reported once it is
// read, not after the derivatives have been computed.
func runRead(p *pipeline, rd *scriptReader) (err error) {
	defer func() { rethrow(err) }()
	defer p.close()
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-rd.done:
			if rd.err != io.EOF {
				p.cancel()
			}
		case <-finished:
		}
	}()
	p.holding = true
	for {
		st, err := rd.next()
		if err == io.EOF {
			p.release()
			return p.flush(len(p.queue))
		}
		if err != nil {
			return err
		}
		if err := p.add(st); err != nil {
			if rerr := rd.wait(); rerr != nil {
				return rerr
			}
			p.release()
			return err
		}
	}
}

// A scriptReader reads a script's statements on a goroutine of its own
// (parser.Stream), so that reading does not wait for the statements that
// run meanwhile, and its time limit counts reading alone. It takes one of
// the pipeline's places while it reads: on two cores, one reads while
// the other computes the first statements, and then both compute. Three
// at once on two cores cost more CPU than they saved (the collector's
// work and the interning tables' locks, shared three ways), ~10% of the
// batch of W8.
type scriptReader struct {
	mu    sync.Mutex
	stmts []*parser.Statement // read, not yet taken
	err   error               // io.EOF at the end, or the error that ended it
	more  chan struct{}       // signalled when stmts or err changes
	done  chan struct{}       // closed at the end
}

// readScript starts reading src, a script named name, under the
// session's time limit, in the session as it is now: the definitions the
// script's statements then make as they run do not change how it reads
// (the parser keeps its own, as it does reading the script whole). It
// holds a place of sem while it reads; sem must have two or more.
func readScript(ctx context.Context, s *session.Session, name, src string, sem chan struct{}) *scriptReader {
	cancel := context.CancelFunc(func() {})
	if s.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
	}
	stream := parser.NewStream(ctx, name, src, s.Context())
	rd := &scriptReader{more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(rd.done)
		defer cancel()
		sem <- struct{}{}
		defer func() { <-sem }()
		for {
			st, err := stream.Next()
			rd.mu.Lock()
			if err != nil {
				rd.err = readError(name, err)
			} else {
				rd.stmts = append(rd.stmts, st)
			}
			rd.mu.Unlock()
			select {
			case rd.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return rd
}

// next returns the next statement read, waiting for it, or io.EOF, or
// the error that ended the script: at once, once there is one, before
// the statements read but not yet taken, which would print nothing.
func (rd *scriptReader) next() (*parser.Statement, error) {
	for {
		rd.mu.Lock()
		if rd.err != nil && rd.err != io.EOF {
			err := rd.err
			rd.mu.Unlock()
			return nil, err
		}
		if len(rd.stmts) > 0 {
			st := rd.stmts[0]
			rd.stmts[0] = nil
			rd.stmts = rd.stmts[1:]
			rd.mu.Unlock()
			return st, nil
		}
		err := rd.err
		rd.mu.Unlock()
		if err != nil {
			return nil, err
		}
		<-rd.more
	}
}

// wait waits for the end of the script and returns the error that ended
// it, nil if none did.
func (rd *scriptReader) wait() error {
	<-rd.done
	if rd.err == io.EOF {
		return nil
	}
	return rd.err
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
