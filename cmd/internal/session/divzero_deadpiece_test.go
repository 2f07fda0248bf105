package session

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestDeriveDeadPieceNoZeroDivision (review3): a piece of an if that is
// never taken (its condition decided by simplify: x == x, 1 > 0, x^2 >= 0)
// may divide by zero; the function is defined everywhere, as simplify of
// it says, and so is its derivative. derivedZeroDivision decides on the
// canonical form without rules, which keeps the dead piece, and refused:
// "divides by zero wherever not (x == x)".
func TestDeriveDeadPieceNoZeroDivision(t *testing.T) {
	ctx := context.Background()
	for _, src := range []string{"if(x == x, x, 1/(x - x))", "if(1 > 0, x^2, 1/(x - x))", "if(x^2 >= 0, x, 1/(x - x))"} {
		f := mustParseSession(t, src)
		s := New()
		if _, err := s.Simplify(ctx, f); err != nil {
			t.Fatalf("simplify %s: %v (the oracle must be defined)", src, err)
		}
		if _, _, err := s.Derive(ctx, f, ast.NewSym("x")); err != nil {
			t.Errorf("d(%s, x): %v; simplify of the function has no error", src, err)
		}
		if _, err := execOne(t, "d("+src+", x)"); err != nil {
			t.Errorf("statement d(%s, x): %v; simplify of the function has no error", src, err)
		}
	}
}
