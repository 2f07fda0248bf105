// Package once runs a package's lazy initialiser once, as sync.Once does,
// and makes a panic in it a panic of every later call too, as
// sync.OnceValue does: after a panicking first call a sync.Once returns at
// once, and its value was left zero (a nil rule set, an empty table) for
// the callers after, far from the cause.
package once

import "sync"

// A Once runs a function once. Its zero value is ready, and costs a
// package nothing at initialisation (a sync.OnceValue is a call at every
// start).
type Once struct {
	once     sync.Once
	panicked bool
	p        any // the value f panicked with
}

// Do calls f if and only if Do is called for the first time for this Once.
// If f panics, Do panics with the same value, then and on every later
// call.
func (o *Once) Do(f func()) {
	o.once.Do(func() {
		done := false
		defer func() {
			if !done {
				o.p = recover()
				o.panicked = true
				panic(o.p)
			}
		}()
		f()
		done = true
	})
	if o.panicked {
		panic(o.p)
	}
}
