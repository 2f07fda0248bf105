package main

import (
	"strings"
	"testing"
	"time"
)

// deepGradient is a script whose last statement is a matrix result
// (the gradient of sin nested 300 deep) computed in tens of
// milliseconds, whose JSON steps take seconds to work out and write.
func deepGradient() string {
	return "w : vector(3)\nd(sum(" + strings.Repeat("sin(", 300) + "w" + strings.Repeat(")", 300) + "), w)\n"
}

// TestJSONStepsStoppedExitStatus: when writing out the last statement's
// JSON steps is stopped, the object says so (steps_stopped) and the
// command fails as a stopped statement does: exit status 2 and the
// reason on standard error (README, "Exit status"). It exited 0 before.
// Here the time limit stops them; TestJSONStepsInterruptedExitStatus
// sends Ctrl-C. With --jobs 2 the result is held while the script is
// read, and reaches the output as a copy.
func TestJSONStepsStoppedExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("a derivation 300 deep")
	}
	for _, jobs := range []string{"1", "2"} {
		// The limit must fall in the steps (seconds), after the value
		// (20-40 ms of CPU, ten times that by the clock at a load of 20
		// under the race detector): a stop in the value is tried again
		// with a limit four times as long, at most three times in all.
		var stdout, stderr string
		var status int
		for limit := 500 * time.Millisecond; ; limit *= 4 {
			stdout, stderr, status = runMainStdin(t, deepGradient(), "run", "--json", "--jobs", jobs, "--timeout", limit.String(), "-")
			inValue := status == 2 && !strings.Contains(stderr, "(writing the steps)") && strings.Contains(stderr, "stopped: the time limit was reached")
			if !inValue || limit >= 8*time.Second {
				break
			}
			t.Logf("--jobs %s: the limit of %v fell in the value: %.100q", jobs, limit, stderr)
		}
		if !strings.Contains(stdout, `"steps_stopped":"stopped: the time limit was reached"`) {
			t.Fatalf("--jobs %s: the steps were not stopped: %.300s", jobs, stdout)
		}
		want := "<stdin>:2:1: stopped: the time limit was reached (writing the steps)\n"
		if status != 2 || !strings.HasPrefix(stderr, want) {
			t.Errorf("--jobs %s: status %d, stderr %.200q; want 2, %q", jobs, status, stderr, want)
		}
	}
}
