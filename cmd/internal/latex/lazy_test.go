package latex

import (
	"sync"
	"testing"
)

// TestEscapeConcurrent: the table of symbols written as math is made on
// first use; goroutines escaping text at once all get it whole (run with
// -race: a first use that is not synchronised fails there).
func TestEscapeConcurrent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a ≤ b", `a $\leq$ b`},
		{"x → ∞", `x $\to$ $\infty$`},
		{"Σ over ℝ", `$\Sigma$ over $\mathbb{R}$`},
		{"50% & #1", `50\% \& \#1`},
	}
	const n = 8
	var wg sync.WaitGroup
	got := make([][]string, n)
	for i := range n {
		wg.Go(func() {
			for _, tt := range tests {
				got[i] = append(got[i], Escape(tt.in))
			}
		})
	}
	wg.Wait()
	for i := range n {
		for k, tt := range tests {
			if got[i][k] != tt.want {
				t.Errorf("goroutine %d: Escape(%q) = %q, want %q", i, tt.in, got[i][k], tt.want)
			}
		}
	}
}
