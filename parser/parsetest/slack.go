package parsetest

import (
	"fmt"
	"strings"
	"time"
)

// StopSlack is how late past a time limit, a Ctrl-C or a client leaving
// the time-out tests accept a stop: the standard is 100 ms, but the
// machine the tests run on is shared, and a loop that looks at its
// context every millisecond can still lose the processor for a few
// hundred (the tests log the times they see). The race detector's
// slowdown gets three times as much.
func StopSlack() time.Duration {
	if raceEnabled {
		return 3 * time.Second
	}
	return time.Second
}

// HugeSum is x1 + x2 + ... + xn: input that takes long to read.
func HugeSum(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "x%d", i)
	}
	return b.String()
}
