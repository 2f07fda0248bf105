package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestInterruptContext: once the command has run for interruptAfter,
// Ctrl-C cancels its context (with signal.NotifyContext's cause), and
// stop cancels it too. The test holds SIGINT itself as well, so that a
// handler not installed would fail the test rather than end it.
func TestInterruptContext(t *testing.T) {
	guard := make(chan os.Signal, 1)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)

	ctx, stop := interruptContext(context.Background())
	defer stop()
	time.Sleep(interruptAfter + 50*time.Millisecond) // the handler is installed by now, on an idle machine
	if ctx.Err() != nil {
		t.Fatalf("cancelled before any signal: %v", ctx.Err())
	}
	// Ctrl-C, again every 100 ms: on a loaded machine the handler's
	// timer can fire later than the sleep, and a signal before it
	// reaches only the guard.
	deadline := time.After(5 * time.Second)
	for sent := 0; ctx.Err() == nil; sent++ {
		if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
			t.Skipf("cannot signal this process: %v", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatalf("%d Ctrl-C over 5 s did not cancel the context", sent+1)
		}
	}
	var ie interruptError
	if cause := context.Cause(ctx); !errors.As(cause, &ie) || cause.Error() != "interrupt signal received" {
		t.Errorf("cause %v, want interrupt signal received", cause)
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("ctx.Err() = %v, want context.Canceled", ctx.Err())
	}
}

// TestInterruptContextStop: stop before the handler is installed cancels
// the context and keeps the handler from being installed; a signal then
// reaches only the test's own channel.
func TestInterruptContextStop(t *testing.T) {
	ctx, stop := interruptContext(context.Background())
	stop()
	if !errors.Is(ctx.Err(), context.Canceled) || context.Cause(ctx) != context.Canceled {
		t.Errorf("after stop: err %v, cause %v", ctx.Err(), context.Cause(ctx))
	}
	time.Sleep(interruptAfter + 50*time.Millisecond)

	// A second context, stopped after its handler was installed.
	ctx2, stop2 := interruptContext(context.Background())
	time.Sleep(interruptAfter + 50*time.Millisecond)
	stop2()
	if context.Cause(ctx2) != context.Canceled {
		t.Errorf("stopped after install: cause %v, want context.Canceled", context.Cause(ctx2))
	}
	guard := make(chan os.Signal, 1)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Skipf("cannot signal this process: %v", err)
	}
	select {
	case <-guard:
	case <-time.After(5 * time.Second):
		t.Fatal("the signal did not arrive")
	}
}
