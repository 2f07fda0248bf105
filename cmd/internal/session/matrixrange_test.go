package session

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestMatrixEntriesAsScalars: an entry of a vector is evaluated as the
// scalar is (the oracle: Session.Eval, itself checked against closed
// forms by TestEvalSilentRangeLoss): x.^4 at x = [1e-83, 1] printed
// [0, 1] where x^4 at 1e-83 says that the value, about 1e-332, is too
// small for a float64. Each element-wise expression at a vector gives,
// entry by entry, the scalar's value, or the first failing entry's error,
// saying which entry.
func TestMatrixEntriesAsScalars(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 2026))
	pow10 := func() float64 { return math.Pow(10, 600*rng.Float64()-300) }
	families := []struct {
		scalar, vector func(a, b int) string
		draw           func() float64
	}{
		{func(a, _ int) string { return fmt.Sprintf("x^%d", a) }, func(a, _ int) string { return fmt.Sprintf("x.^%d", a) }, pow10},
		{func(a, _ int) string { return fmt.Sprintf("x^%d/x", a) }, func(a, _ int) string { return fmt.Sprintf("x.^%d./x", a) }, pow10},
		{func(a, _ int) string { return fmt.Sprintf("x/x^%d", a) }, func(a, _ int) string { return fmt.Sprintf("x./x.^%d", a) }, pow10},
		{func(a, b int) string { return fmt.Sprintf("exp(%d*x)*exp(-%d*x)", a, b) }, func(a, b int) string { return fmt.Sprintf("exp(%d*x).*exp(-%d*x)", a, b) },
			func() float64 { return 10*rng.Float64() - 5 }},
		{func(int, int) string { return "(1e-300 + x^2) - x^2" }, func(int, int) string { return "(1e-300 + x.^2) - x.^2" },
			func() float64 { return math.Pow(10, 200*rng.Float64()) }},
	}
	ctx := context.Background()
	wrong := 0
	for _, f := range families {
		for range 40 {
			a, b := 2+rng.IntN(700), 1+rng.IntN(700)
			xs := []float64{f.draw(), f.draw(), 1}
			bind := ast.Bindings{"x": {Shape: []int{3}, Data: xs}}
			s := New()
			s.DeclareBindings(bind)
			e, err := s.ParseExpr(ctx, f.vector(a, b), "EXPR")
			if err != nil {
				t.Fatal(err)
			}
			got, gerr := s.EvalValue(ctx, e, bind)
			for i, x := range xs {
				se := mustParseSession(t, f.scalar(a, b))
				want, werr := New().Eval(ctx, se, ast.Bindings{"x": ast.Scalar(x)})
				if fv, ferr := ast.Eval(se, nil, ast.Bindings{"x": ast.Scalar(x)}); ferr == nil && (werr != nil || fv != want) {
					wrong++ // float64 alone gives a wrong number here
				}
				if werr != nil {
					if gerr == nil || !strings.Contains(gerr.Error(), fmt.Sprintf("entry [%d] of", i+1)) || !strings.HasSuffix(gerr.Error(), werr.Error()) {
						t.Errorf("%s at x = %v: %v, %v; want entry %d's error %q", f.vector(a, b), xs, got, gerr, i+1, werr)
					}
					break
				}
				if gerr != nil {
					t.Errorf("%s at x = %v: %v; want %v at entry %d", f.vector(a, b), xs, gerr, want, i+1)
					break
				}
				if got.Data[i] != want {
					t.Errorf("%s at x = %v: entry %d is %v, want %v", f.vector(a, b), xs, i+1, got.Data[i], want)
				}
			}
		}
	}
	if wrong < 20 {
		t.Errorf("float64 alone was wrong at only %d entries: the cases do not test the fix", wrong)
	}
}
