package numcheck

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestOverflowedAgrees: overflowed, which looks at the value before the
// error, answers as errors.As on the error and a test of the value do, for
// every error (none, a domain error, one wrapped, another) and value
// (finite, ±Inf, NaN).
func TestOverflowedAgrees(t *testing.T) {
	de := &ast.DomainError{Msg: "log of a negative number"}
	errs := []error{nil, de, fmt.Errorf("at x: %w", de), errors.New("other"), ast.ErrTooManySteps}
	vals := []float64{0, 1.5, -2, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64}
	for _, err := range errs {
		for _, v := range vals {
			var target *ast.DomainError
			want := errors.As(err, &target) && (math.IsInf(v, 0) || math.IsNaN(v))
			if got := overflowed(v, err); got != want {
				t.Errorf("overflowed(%v, %v) = %v, want %v", v, err, got, want)
			}
		}
	}
	if a := testing.AllocsPerRun(100, func() { _ = overflowed(1, nil) }); a != 0 {
		t.Errorf("overflowed of a value without error allocates %v times", a)
	}
}
