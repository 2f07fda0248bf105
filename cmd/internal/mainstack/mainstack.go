// Package mainstack grows the main goroutine's stack once, to 32 KB, as
// the first package of the command to be initialised, so that it does
// not grow step by step.
//
// A goroutine's stack starts at 2 KB and doubles when a call would
// overflow it, copying the stack (and walking its frames) each time.
// Stacks under 32 KB come from per-size pools, and the first stack of
// each size carves a fresh 32 KB span into a free list, writing a link at
// the start of each piece: the main goroutine of `symdiff diff 'x^2' x`
// grew to 4 KB, 8 KB and 16 KB (in the initialisation of the packages it
// links, then in the command), each step a copy and page faults in a
// fresh span. A stack of 32 KB or more is taken from the heap as it is,
// and a frame of 16 KB makes the first growth go there at once; the
// pages the frame zeroes are the top of the stack, which the command uses
// anyway. Page faults of a statically linked `diff 'x^2' x`: 540 -> 515
// (medians of 800 runs).
//
// The package imports nothing: Go initialises packages in the order of
// their import paths among those whose imports are initialised, so this
// one comes right after the runtime, before any package that does work at
// initialisation. Import it, for its effect only, from a command's main
// package.
package mainstack

// frame is the size of grow's frame. A growth makes the stack large
// enough for the frame that asked for it: 2 KB doubled until 16 KB more
// fit, 32 KB.
const frame = 16 << 10

// grow has a frame of the given size: calling it grows the stack.
//
//go:noinline
func grow() byte {
	var b [frame]byte
	return use(&b)
}

// use keeps b (and so grow's frame) from being optimised away.
//
//go:noinline
func use(b *[frame]byte) byte { return b[0] | b[frame-1] }

// Calling grow at initialisation is the point of the package.
var _ = grow()
