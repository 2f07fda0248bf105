package parsetest

import (
	"context"
	"sync/atomic"
)

// LateCancel is a context that cancels itself once its Err has been
// asked n times: a cancellation that arrives while the work is under
// way, at a point counted in polls rather than in time, so a loaded
// machine cannot move it. From the (n+1)th question on, Err says
// context.Canceled and Done is closed, as a real cancellation does;
// Done is never nil, so code that skips polling a context that can never
// be done (context.Background) still polls this one.
type LateCancel struct {
	context.Context
	cancel context.CancelFunc
	n      int64
	asked  atomic.Int64 // the work may poll from several goroutines
}

// CancelAfter returns a context cancelled by the (n+1)th call of its Err.
func CancelAfter(n int) *LateCancel {
	ctx, cancel := context.WithCancel(context.Background())
	return &LateCancel{Context: ctx, cancel: cancel, n: int64(n)}
}

// Err counts the question, and cancels the context from the (n+1)th on.
func (c *LateCancel) Err() error {
	if c.asked.Add(1) > c.n {
		c.cancel()
		return context.Canceled
	}
	return c.Context.Err()
}

// Asked is how many times Err has been called.
func (c *LateCancel) Asked() int { return int(c.asked.Load()) }
