package numcheck

import (
	"context"
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// A KinkStep is what a central difference of e from lo through at to hi
// meets: whether a kink (of abs, max, relu, ..., or a condition's
// boundary) lies in the step or at its centre, and if so the slope that
// the convention at kinks prescribes at the centre.
type KinkStep struct {
	OnKink bool
	// Convention is the central difference of e with every piece kept
	// as at the centre (ast.EvalFrozen): sign(0) = 0, relu(0) and step(0)
	// on the piece 0, a tie of max or min to the first argument, clip's
	// argument on the closed interval, the piece a condition selects.
	Convention float64
}

// StepKink examines the step of a central difference: lo, at and hi bind
// the same values but for one entry, at x - h, x and x + h. The step meets
// a kink where the pieces taken at the three points are not all the same;
// a kink whose argument does not depend on the entry is not met.
func StepKink(ctx context.Context, e ast.Expr, defs *ast.Defs, lo, at, hi ast.Bindings, h float64) (KinkStep, error) {
	if !ast.HasKinks(e) {
		return KinkStep{}, nil
	}
	var br [3][]int
	for i, b := range []ast.Bindings{lo, at, hi} {
		r, err := ast.KinkBranches(ctx, e, defs, b)
		if err != nil {
			return KinkStep{}, err
		}
		br[i] = r
	}
	if slices.Equal(br[0], br[1]) && slices.Equal(br[1], br[2]) {
		return KinkStep{}, nil
	}
	fp, err := ast.EvalFrozen(ctx, e, defs, hi, br[1])
	if err != nil {
		return KinkStep{}, err
	}
	fm, err := ast.EvalFrozen(ctx, e, defs, lo, br[1])
	if err != nil {
		return KinkStep{}, err
	}
	return KinkStep{OnKink: true, Convention: (fp - fm) / (2 * h)}, nil
}
