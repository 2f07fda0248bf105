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

// TestZeroDivisionWhere: simplify of an expression whose canonical form
// divides by zero says where it is undefined, and that is where it is:
// sum(i=2..n, 1/(x - x)) said "undefined everywhere", but at n = 1 the sum
// is empty and evaluates to 0 (its canonical form takes the constant out:
// (n - 1)/0). The oracle is the evaluator: at random points (sizes from
// 1), the input fails to evaluate exactly where the condition the error
// states holds, and everywhere when it says everywhere.
func TestZeroDivisionWhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 15))
	bad := []string{"1/(x - x)", "y/(y - y)", "(2*x - x - x)^-1", "log(y)/(x - x)"}
	good := []string{"1", "x", "y^2", "log(y)"}
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	forms := []func() string{
		func() string { return fmt.Sprintf("sum(i=%d..n, %s)", rng.IntN(4), pick(bad)) },
		func() string { return fmt.Sprintf("x + sum(i=%d..n, i*%s)", rng.IntN(4), pick(bad)) },
		func() string { return fmt.Sprintf("sum(i=1..n, %s)", pick(bad)) },
		func() string { return fmt.Sprintf("sum(i=2..n+%d, %s)*y", rng.IntN(3), pick(bad)) },
		func() string { return fmt.Sprintf("if(x > %d, %s, %s)", rng.IntN(3), pick(bad), pick(good)) },
		func() string { return fmt.Sprintf("if(x > %d and y < 2, %s, %s)", rng.IntN(3), pick(good), pick(bad)) },
		func() string { return fmt.Sprintf("if(x > 0, %s, %s)", pick(bad), pick(bad)) },
		func() string { return fmt.Sprintf("[k <= %d]*(%s)", rng.IntN(4), pick(bad)) },
		func() string { return fmt.Sprintf("sum(i=3..n, 1)*%s", pick(bad)) },
		func() string { return fmt.Sprintf("sum(i=2..n, %s) + %s", pick(bad), pick(bad)) },
	}
	where := regexp.MustCompile(`^(.*) divides by zero wherever (.*?), (where|whichever)`)
	// undefinedPart's words, which zeroDivision uses for a division under
	// a condition: "1/(x - x) is undefined wherever x > 0 (where ...".
	partWhere := regexp.MustCompile(`^(.*?) is undefined wherever (.*?) \((where|whichever)`)
	for range 120 {
		src := forms[rng.IntN(len(forms))]()
		_, err := execOne(t, src)
		msg := fmt.Sprint(err)
		var cond ast.Expr // 1 where the input is said to be undefined
		m := where.FindStringSubmatch(msg)
		if m == nil {
			m = partWhere.FindStringSubmatch(msg)
		}
		switch {
		case err == nil:
			cond = ast.Zero // [k <= 0]*(1/(x - x)) is 0: indices are from 1
		case m != nil && !strings.HasPrefix(m[2], "its condition "):
			cond = mustParseSession(t, "if("+m[2]+", 1, 0)")
		case strings.HasSuffix(msg, "divides by zero: it is undefined everywhere"),
			strings.HasSuffix(msg, "is 0 for every value)"): // undefinedPart's word for it
			cond = ast.One
		case m != nil:
			cond = ast.One // undefined whichever piece the if takes
		default:
			t.Errorf("%s: %v; want where it divides by zero", src, err)
			continue
		}
		e := mustParseSession(t, src)
		for range 12 {
			pt := ast.Bindings{
				"n": ast.Scalar(float64(1 + rng.IntN(5))),
				"k": ast.Scalar(float64(1 + rng.IntN(5))),
				"x": ast.Scalar(float64(rng.IntN(9)-4) / 2),
				"y": ast.Scalar(float64(1+rng.IntN(8)) / 2),
			}
			_, evalErr := ast.EvalContext(context.Background(), e, nil, pt)
			said, cerr := ast.EvalContext(context.Background(), cond, nil, pt)
			if cerr != nil {
				t.Fatalf("%s: the condition of %q does not evaluate: %v", src, msg, cerr)
			}
			if (evalErr != nil) != (said == 1) {
				t.Errorf("%s at %v: %q, but evaluation gives error %v", src, pt, msg, evalErr)
				break
			}
		}
	}
}
