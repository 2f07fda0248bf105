package session

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestZeroDivisionNestedConditions: a division by zero under nested
// conditions is said to happen wherever a condition holds that implies
// it. zeroDivisionWhere's own words named the outermost condition alone:
// if(x > 0, if(y > 0, 1/(z - z), 1), 1) "divides by zero wherever x > 0",
// though at x = 1, y = -1 it is 1; and sum(i=1..n, if(i == k, if(i == m,
// 1/(y - y), 1), 1)) "wherever i == k for some i = 1..n", though at k = 1,
// m = 2, n = 2 it is 2. The oracle is the evaluator: at every point where
// the stated condition holds, evaluation must fail.
func TestZeroDivisionNestedConditions(t *testing.T) {
	check := func(t *testing.T) (wrong int) {
		rng := rand.New(rand.NewPCG(7, 11))
		bad := []string{"1/(z - z)", "y/(2*z - z - z)", "(x - x)^-1"}
		good := []string{"1", "x", "y^2"}
		pick := func(l []string) string { return l[rng.IntN(len(l))] }
		forms := []func() string{
			func() string {
				return fmt.Sprintf("if(x > %d, if(y > %d, %s, %s), %s)", rng.IntN(3)-1, rng.IntN(3)-1, pick(bad), pick(good), pick(good))
			},
			func() string {
				return fmt.Sprintf("if(x > %d, %s, if(y < %d, %s, %s))", rng.IntN(3)-1, pick(good), rng.IntN(3)-1, pick(good), pick(bad))
			},
			func() string {
				return fmt.Sprintf("sum(i=1..n, if(i == k, if(i == m, %s, 1), 1))", pick(bad))
			},
			func() string {
				return fmt.Sprintf("[k <= %d]*if(x > 0, %s, 1)", 1+rng.IntN(3), pick(bad))
			},
		}
		// "C for some i = lo..hi", or "(C) for some ...": true where
		// C holds for some i in the range.
		forSome := regexp.MustCompile(`^\(?(.*?)\)? for some (\w+) = (.*)\.\.(.*)$`)
		for range 60 {
			src := forms[rng.IntN(len(forms))]()
			_, err := execOne(t, src)
			msg := fmt.Sprint(err)
			m := regexp.MustCompile(`(?:divides by zero wherever|is undefined wherever) (.*?)(?:, where| \(where|, whichever| \(whichever)`).FindStringSubmatch(msg)
			if err == nil || m == nil {
				continue // "except perhaps": no condition stated
			}
			condSrc := "if(" + m[1] + ", 1, 0)"
			if fs := forSome.FindStringSubmatch(m[1]); fs != nil {
				condSrc = fmt.Sprintf("if(sum(%s=%s..%s, if(%s, 1, 0)) > 0, 1, 0)", fs[2], fs[3], fs[4], fs[1])
			}
			cond := mustParseSession(t, condSrc)
			e := mustParseSession(t, src)
			for range 40 {
				pt := ast.Bindings{
					"n": ast.Scalar(float64(1 + rng.IntN(4))),
					"k": ast.Scalar(float64(1 + rng.IntN(4))),
					"m": ast.Scalar(float64(1 + rng.IntN(4))),
					"x": ast.Scalar(float64(rng.IntN(7)-3) / 2),
					"y": ast.Scalar(float64(rng.IntN(7)-3) / 2),
					"z": ast.Scalar(float64(1+rng.IntN(4)) / 2),
				}
				said, cerr := ast.EvalContext(context.Background(), cond, nil, pt)
				if cerr != nil {
					t.Fatalf("%s: the condition of %q does not evaluate: %v", src, msg, cerr)
				}
				if said != 1 {
					continue
				}
				if _, evalErr := ast.EvalContext(context.Background(), e, nil, pt); evalErr == nil {
					wrong++
					t.Logf("%s at %v: %q, but it has a value there", src, pt, msg)
					break
				}
			}
		}
		return wrong
	}
	if n := check(t); n > 0 {
		t.Errorf("%d inputs said to divide by zero where they have a value", n)
	}
	// The outermost condition alone was wrong (the test can fail).
	zeroWhereOwnWords = true
	defer func() { zeroWhereOwnWords = false }()
	t.Run("outermost condition alone", func(t *testing.T) {
		if n := check(t); n == 0 {
			t.Errorf("no input was said to divide by zero where it has a value: the test cannot fail")
		}
	})
}
