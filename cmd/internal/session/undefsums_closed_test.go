package session

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestUndefinedLongSumsClosedPower: a power without the index whose
// exponent is not a number (2^(1+1)), inside an argument that
// longSumDefined hands to polyCandidates, is a number like any other: the
// verdict is the one of the same sum over a short range, never a panic
// (polyOf read the exponent of any power as an *ast.Num).
func TestUndefinedLongSumsClosedPower(t *testing.T) {
	cases := []struct {
		src     string
		wantErr string
	}{
		{"sum(i=1..100000, 1/(i + 2^(1+1)))", ""},
		{"sum(i=1..100000, 1/(i - 2^(2*2)))", "sum(i=1..100000, 1/(i - 2^(2*2))) is undefined: division by zero at i = 16"},
		{"sum(i=1..100000, log(i^2 - 2^(1+1)))", "sum(i=1..100000, log(i^2 - 2^(1 + 1))) is undefined: log(-3) is undefined at i = 1"},
		{"sum(i=1..100000, sqrt(i - (1+1)^2))", "sum(i=1..100000, sqrt(i - (1 + 1)^2)) is undefined: sqrt(-3) is undefined at i = 1"},
	}
	for _, c := range cases {
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			_, err = execOne(t, c.src)
		}()
		if c.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", c.src, err)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.wantErr) {
			t.Errorf("%s: %v, want an error starting %q", c.src, err, c.wantErr)
		}
	}
}

// TestUndefinedLongSumsRandom: the verdict on random sums over ranges
// just long enough to be decided from the body's form, against the
// evaluator adding up the terms one by one (an overflow aside, which is
// not a reason to be undefined).
func TestUndefinedLongSumsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 13))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	poly := func() string {
		switch rng.IntN(6) {
		case 0:
			return fmt.Sprintf("(i - %d)", rng.IntN(41)-20)
		case 1:
			return fmt.Sprintf("(i^2 - %d)", rng.IntN(50))
		case 2:
			return fmt.Sprintf("(%d*i^2 + %d*i + %d)", rng.IntN(5)-2, rng.IntN(21)-10, rng.IntN(41)-20)
		case 3:
			return fmt.Sprintf("(i + %s)", pick("2^(1+1)", "sqrt(4)", "2^2", "(1+1)^2", "-2^(2*2)", "exp(0)", "log(1)", "3/2", "-7"))
		case 4:
			return fmt.Sprintf("(i - %d)^2", rng.IntN(21)-10)
		default:
			return fmt.Sprintf("(%d - i)", rng.IntN(41)-20)
		}
	}
	term := func() string {
		switch rng.IntN(7) {
		case 0:
			return "1/" + poly()
		case 1:
			return "log(" + poly() + ")"
		case 2:
			return "sqrt(" + poly() + ")"
		case 3:
			return poly() + "^" + pick("-1", "-2", "2", "3", "0")
		case 4:
			return pick("sigma", "tanh", "abs", "sin") + "(" + poly() + "/" + poly() + ")"
		case 5:
			return "i/" + poly()
		default:
			return poly()
		}
	}
	n := 150
	if testing.Short() {
		n = 40
	}
	for k := range n {
		body := term()
		for range rng.IntN(3) {
			body += pick(" + ", " - ", "*") + term()
		}
		lo := rng.IntN(41) - 20
		src := fmt.Sprintf("sum(i=%d..%d, %s)", lo, lo+enumerateLimit+rng.IntN(3), body)
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, oerr := ast.EvalContext(context.Background(), e, nil, nil)
		var de *ast.DomainError
		if oerr != nil && (!errors.As(oerr, &de) || strings.Contains(oerr.Error(), "Inf")) {
			continue // an overflow: not the question
		}
		var serr error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("#%d %s: panic: %v", k, src, p)
					serr = oerr
				}
			}()
			_, serr = execOne(t, src)
		}()
		if (serr != nil) != (oerr != nil) {
			t.Errorf("#%d %s:\n session: %v\n oracle (term by term): %v", k, src, serr, oerr)
		}
	}
}
