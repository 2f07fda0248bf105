package parsetest

import (
	"context"
	"errors"
	"testing"
)

// TestCancelAfter: the first n questions are answered nil with Done
// open; from the next on, context.Canceled with Done closed.
func TestCancelAfter(t *testing.T) {
	for _, n := range []int{0, 1, 5} {
		ctx := CancelAfter(n)
		if ctx.Done() == nil {
			t.Fatalf("n=%d: Done is nil", n)
		}
		for i := range n {
			if err := ctx.Err(); err != nil {
				t.Fatalf("n=%d: question %d: %v", n, i+1, err)
			}
			select {
			case <-ctx.Done():
				t.Fatalf("n=%d: Done closed after %d questions", n, i+1)
			default:
			}
		}
		for range 2 {
			if err := ctx.Err(); !errors.Is(err, context.Canceled) {
				t.Fatalf("n=%d: question %d: %v, want context.Canceled", n, n+1, err)
			}
		}
		select {
		case <-ctx.Done():
		default:
			t.Errorf("n=%d: Done still open after the cancellation", n)
		}
		if ctx.Asked() != n+2 {
			t.Errorf("n=%d: Asked() = %d, want %d", n, ctx.Asked(), n+2)
		}
	}
}
