package session

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestUndefinedBothPieces: an if both of whose pieces have a part with no
// value, under conditions inside them, is said undefined wherever either
// piece's conditions hold. undefinedPart stopped at the first piece:
// if(x > 0, if(y > 0, 1/(z - z), 1), if(y < 0, log(w - w), 2)) was
// "undefined wherever x > 0 and y > 0", and read as defined at x = -1,
// y = -1, where it is log(0). The oracle is the evaluator: at each point
// where a stated condition holds, evaluation fails (the words are true),
// and at each point where evaluation fails, a stated condition holds (they
// are whole).
func TestUndefinedBothPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 13))
	bad := []string{"1/(z - z)", "log(w - w)", "(x - x)^-1"}
	good := []string{"1", "x", "y^2"}
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	cmp := []string{">", "<", ">=", "=="}
	cond := func(n string) string {
		return fmt.Sprintf("%s %s %d", n, cmp[rng.IntN(len(cmp))], rng.IntN(3)-1)
	}
	// piece is a bad part under zero to two conditions.
	var piece func(depth int) string
	piece = func(depth int) string {
		if depth == 0 || rng.IntN(3) == 0 {
			return pick(bad)
		}
		inner, other := piece(depth-1), pick(good)
		if rng.IntN(2) == 0 {
			inner, other = other, inner
		}
		return fmt.Sprintf("if(%s, %s, %s)", cond([]string{"x", "y"}[rng.IntN(2)]), inner, other)
	}
	clause := regexp.MustCompile(`is undefined wherever (.*?) \(where`)
	for range 80 {
		src := fmt.Sprintf("if(%s, %s, %s)", cond("x"), piece(2), piece(2))
		_, err := execOne(t, src)
		if err == nil {
			t.Errorf("simplify %s: no error", src)
			continue
		}
		msg := err.Error()
		var conds []ast.Expr
		for _, m := range clause.FindAllStringSubmatch(msg, -1) {
			conds = append(conds, mustParseSession(t, "if("+m[1]+", 1, 0)"))
		}
		if strings.Contains(msg, "whichever piece the if takes") {
			// zeroDivision's words for an if both of whose pieces divide
			// by zero with no condition inside: wherever its condition
			// is decided, everywhere here.
			conds = append(conds, ast.One)
		}
		if len(conds) == 0 {
			if !strings.Contains(msg, "perhaps") {
				t.Errorf("simplify %s: %q states no condition", src, msg)
			}
			continue
		}
		e := mustParseSession(t, src)
		for _, x := range []float64{-2, -1, 0, 1, 2} {
			for _, y := range []float64{-2, -1, 0, 1, 2} {
				pt := ast.Bindings{"x": ast.Scalar(x), "y": ast.Scalar(y), "z": ast.Scalar(1.5), "w": ast.Scalar(2.5)}
				said := false
				for _, c := range conds {
					v, cerr := ast.EvalContext(context.Background(), c, nil, pt)
					if cerr != nil {
						t.Fatalf("%s: a condition of %q does not evaluate: %v", src, msg, cerr)
					}
					said = said || v == 1
				}
				_, evalErr := ast.EvalContext(context.Background(), e, nil, pt)
				switch {
				case said && evalErr == nil:
					t.Errorf("simplify %s: %q, but at x = %v, y = %v it has a value", src, msg, x, y)
				case !said && evalErr != nil:
					t.Errorf("simplify %s: %q, but at x = %v, y = %v, where no condition stated holds, it is undefined (%v)", src, msg, x, y, evalErr)
				}
			}
		}
	}
}
