package session

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestUndefinedWhereOracle: a part with no value for any value of its
// names (log(x - x), sqrt(x - x - 1), log(0)) inside a sum whose range may
// be empty, a piece of an if or a product with a bracket makes simplify
// say where the input is undefined, and that is where it is:
// sum(i=2..n, log(x - x)) printed log(0)*[2 <= n]*(n - 1) with exit status
// 0; diff of it printed 0; prove of it equal to itself said "proved". The
// oracle is the evaluator, independent of the walk: at random
// points (sizes and brackets' names from 1), the input fails to evaluate
// exactly where the condition the error states holds, everywhere when the
// error states none, and nowhere when there is no error; and an error's
// condition holds at one of the points (if(x > x, log(0), 1) and
// [k <= 0]*log(0), sizes being from 1, have values everywhere).
func TestUndefinedWhereOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 17))
	bad := []string{"log(x - x)", "sqrt(x - x - 1)", "log(y - y - 2)", "(x - x - 1)^(1/2)", "log(0)", "sqrt(-1)", "log(2*x - x - x)*y", "log(x - x - 1/2)"}
	good := []string{"1", "x", "y^2", "log(y)", "sqrt(y)"}
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	forms := []func() string{
		func() string { return fmt.Sprintf("sum(i=%d..n, %s)", rng.IntN(4), pick(bad)) },
		func() string { return fmt.Sprintf("x + sum(i=%d..n, i*%s)", rng.IntN(4), pick(bad)) },
		func() string { return fmt.Sprintf("sum(i=2..n+%d, %s)*y", rng.IntN(3), pick(bad)) },
		func() string { return fmt.Sprintf("if(x > %d, %s, %s)", rng.IntN(3), pick(bad), pick(good)) },
		func() string { return fmt.Sprintf("if(x > %d and y < 2, %s, %s)", rng.IntN(3), pick(good), pick(bad)) },
		func() string { return fmt.Sprintf("if(x > x, %s, %s)", pick(bad), pick(good)) },
		func() string { return fmt.Sprintf("if(y >= y, %s, %s)", pick(good), pick(bad)) },
		func() string { return fmt.Sprintf("[k <= %d]*(%s)", rng.IntN(4), pick(bad)) },
		func() string { return fmt.Sprintf("[%d <= k]*%s + %s", rng.IntN(4), pick(bad), pick(good)) },
		func() string { return fmt.Sprintf("sum(i=1..n, [i <= %d]*%s)", rng.IntN(3), pick(bad)) },
		func() string { return fmt.Sprintf("sum(i=1..n, sum(j=i+%d..n, %s))", rng.IntN(3), pick(bad)) },
		func() string {
			return fmt.Sprintf("sum(i=2..n, if(x > %d, %s, %s))", rng.IntN(3), pick(bad), pick(good))
		},
		func() string {
			return fmt.Sprintf("if(x < 1, %s, sum(i=%d..k, %s))", pick(good), rng.IntN(4), pick(bad))
		},
		func() string { return fmt.Sprintf("%s + 0*%s", pick(good), pick(good)) },
		// An empty sum makes a product 0 as a false bracket does.
		func() string { return fmt.Sprintf("sum(i=%d..n, x)*%s", rng.IntN(4), pick(bad)) },
		func() string { return fmt.Sprintf("y*sum(i=%d..k, i)^2*(%s)", rng.IntN(4), pick(bad)) },
	}
	stmts := []func(src string) (string, string){
		func(src string) (string, string) { return src, src }, // simplify
		func(src string) (string, string) { return "d(" + src + ", x)", src },
		// A proof of a claim whose sides are undefined wherever a
		// condition holds: prove said "proved".
		func(src string) (string, string) { return "prove " + src + " == 1*(" + src + ") + 0*x", src },
	}
	forSome := regexp.MustCompile(`^(.*) for some (\w+) = (.*)\.\.(.*)$`)
	errs, conditional, clean := 0, 0, 0
	where := regexp.MustCompile(`^(.*) is undefined wherever (.*?) \(where`)
	for i := range 450 {
		stmt, src := stmts[i%len(stmts)](forms[rng.IntN(len(forms))]())
		r, err := execOne(t, stmt)
		// "unknown" finds no point where both sides are defined: right
		// where they are defined nowhere.
		unknown := err == nil && r.Proof != nil && r.Proof.Verdict == prove.Unknown
		if err == nil && r.Proof != nil && r.Proof.Verdict == prove.Refuted {
			t.Errorf("%s: refuted", stmt)
			continue
		}
		msg := fmt.Sprint(err)
		var cond ast.Expr // not 0 where the input is said to be undefined
		switch m := where.FindStringSubmatch(msg); {
		case unknown:
			cond = ast.One
			errs++
		case err == nil:
			cond = ast.Zero
			clean++
		case m != nil:
			c := m[2]
			if f := forSome.FindStringSubmatch(c); f != nil {
				c = fmt.Sprintf("sum(%s=%s..%s, if(%s, 1, 0))", f[2], f[3], f[4], f[1])
			} else {
				c = "if(" + c + ", 1, 0)"
			}
			cond = mustParseSession(t, c)
			conditional++
		case strings.Contains(msg, " is undefined: "), strings.HasSuffix(msg, " is undefined"), strings.Contains(msg, "divides by zero: it is undefined everywhere"):
			cond = ast.One
			errs++
		default:
			t.Errorf("%s: %v; want where it is undefined", stmt, err)
			continue
		}
		e := mustParseSession(t, src)
		failed := false // an error must say something: a point fails
		for range 40 {
			pt := ast.Bindings{
				"n": ast.Scalar(float64(1 + rng.IntN(5))),
				"k": ast.Scalar(float64(1 + rng.IntN(5))),
				"x": ast.Scalar(float64(rng.IntN(12)-4) / 2), // x > 2 at 3 of 12
				"y": ast.Scalar(float64(1+rng.IntN(8)) / 2),
			}
			_, evalErr := ast.EvalContext(context.Background(), e, nil, pt)
			said, cerr := ast.EvalContext(context.Background(), cond, nil, pt)
			if cerr != nil {
				t.Fatalf("%s: the condition of %q does not evaluate: %v", src, msg, cerr)
			}
			if (evalErr != nil) != (said != 0) {
				t.Errorf("%s at %v: %q, but evaluation gives error %v", stmt, pt, msg, evalErr)
				failed = true
				break
			}
			failed = failed || evalErr != nil
		}
		if (err != nil || unknown) && !failed {
			t.Errorf("%s: %q, but it evaluates at every point tried", stmt, msg)
		}
	}
	t.Logf("%d conditional errors, %d errors everywhere, %d without", conditional, errs, clean)
	if conditional < 150 || clean < 30 {
		t.Errorf("the forms made %d conditional errors and %d inputs without: too few to test", conditional, clean)
	}
}

// TestProveUndefinedSides: Session.Prove (symdiff prove) answers as the
// prove statement does: an error where a side is undefined wherever a
// condition holds (it printed "proved"), and a proof where the sides are
// defined everywhere.
func TestProveUndefinedSides(t *testing.T) {
	cases := []struct{ a, b, wantErr string }{
		{"sum(i=2..n, log(x - x))", "sum(i=2..n, log(y - y))", "log(x - x) is undefined wherever 2 <= n"},
		{"x", "x + sum(i=2..n, 0*log(y - y))", "log(y - y) is undefined wherever 2 <= n"},
		{"sum(i=2..n, 1/(x - x))", "sum(i=2..n, 1/(y - y))", "is undefined wherever 2 <= n (where the sum over i = 2..n has terms; where it has none, the sum is 0): division by zero"},
		{"if(x > 0, sqrt(y - y - 1), 1)", "if(x > 0, sqrt(z - z - 1), 1)", "sqrt(y - y - 1) is undefined wherever x > 0"},
		{"sum(i=2..n, x)", "(n - 1)*x*[2 <= n]", ""},
	}
	for _, c := range cases {
		p, err := New().Prove(context.Background(), mustParseSession(t, c.a), mustParseSession(t, c.b))
		_, xerr := execOne(t, "prove "+c.a+" == "+c.b)
		switch {
		case c.wantErr == "" && (err != nil || p.Verdict != prove.Proved):
			t.Errorf("prove %s == %s: %v %v; want proved", c.a, c.b, p, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("prove %s == %s: %v; want an error with %q", c.a, c.b, err, c.wantErr)
		case fmt.Sprint(err) != fmt.Sprint(xerr):
			t.Errorf("prove %s == %s: %v from Prove, %v from the statement", c.a, c.b, err, xerr)
		}
	}
}
