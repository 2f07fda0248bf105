//go:build !unix

package parsetest

import "time"

// CPUTime cannot be read here: the stop tests fall back on wall time.
func CPUTime() (d time.Duration, ok bool) { return 0, false }
