package session

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestDeriveKeepsZeroDivision: a derivative has a value only where its
// function has one, but differentiating drops the part that has none:
// diff 'sum(i=2..n, 1/(x - x))' x printed 0, exit 0, though the function
// divides by zero wherever 2 <= n. Two oracles, at random functions with
// and without such parts: evaluation (wherever the derivative that diff
// answers has a value, the function has one too), and simplify of the
// function (diff fails exactly when it says the function divides by zero,
// with its words), for Derive and for a script's d(...) statement.
func TestDeriveKeepsZeroDivision(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 3))
	bad := []string{"1/(x - x)", "y/(y - y)", "(2*x - x - x)^-1", "x/(y - y)",
		// Divisors that only the rules make 0: diff printed 0.
		"1/(log(exp(x)) - x)", "x/((x + 1)^2 - x^2 - 2*x - 1)", "y/(sin(x)^2 + cos(x)^2 - 1)", "(exp(log(y)) - y)^-2"}
	good := []string{"1", "x", "x*y^2", "log(y)", "x^3"}
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	any := func() string {
		if rng.IntN(2) == 0 {
			return pick(bad)
		}
		return pick(good)
	}
	forms := []func() string{
		func() string { return fmt.Sprintf("sum(i=%d..n, %s)", rng.IntN(4), any()) },
		func() string { return fmt.Sprintf("x^2 + sum(i=%d..n, i*%s)", rng.IntN(4), any()) },
		func() string { return fmt.Sprintf("sum(i=2..n+%d, %s)*x", rng.IntN(3), any()) },
		func() string { return fmt.Sprintf("if(x > %d, %s, %s)", rng.IntN(3), any(), any()) },
		// Conditions that simplify decides: the piece never taken may
		// divide by zero and the function is defined everywhere.
		func() string {
			return fmt.Sprintf("if(%s, %s, %s)", []string{"x == x", "1 > 0", "x^2 >= 0", "0 > 1"}[rng.IntN(4)], any(), any())
		},
		func() string { return fmt.Sprintf("[k <= %d]*(%s)", rng.IntN(4), any()) },
		func() string { return fmt.Sprintf("sum(i=3..n, x)*%s", any()) },
		func() string { return fmt.Sprintf("sum(i=2..n, %s) + x*%s", any(), any()) },
	}
	ctx := context.Background()
	saw := map[bool]int{}
	for range 250 {
		src := forms[rng.IntN(len(forms))]()
		f := mustParseSession(t, src)
		s := New()
		_, serr := s.Simplify(ctx, f)
		zero := serr != nil && strings.Contains(serr.Error(), "divides by zero")
		saw[zero]++
		_, r, derr := s.Derive(ctx, f, ast.NewSym("x"))
		_, xerr := execOne(t, "d("+src+", x)")
		for _, got := range []error{derr, xerr} {
			switch {
			case zero && (got == nil || got.Error() != serr.Error()):
				t.Errorf("d(%s, x): %v; want simplify's %q", src, got, serr)
			case !zero && serr == nil && got != nil:
				t.Errorf("d(%s, x): %v; simplify of it has no error", src, got)
			}
		}
		if derr != nil {
			continue
		}
		for range 10 {
			pt := ast.Bindings{
				"n": ast.Scalar(float64(1 + rng.IntN(5))),
				"k": ast.Scalar(float64(1 + rng.IntN(5))),
				"x": ast.Scalar(float64(rng.IntN(9)-4) / 2),
				"y": ast.Scalar(float64(1+rng.IntN(8)) / 2),
			}
			if _, err := ast.EvalContext(ctx, r.Expr, nil, pt); err != nil {
				continue
			}
			if _, err := ast.EvalContext(ctx, f, nil, pt); err != nil {
				t.Errorf("d(%s, x) = %s has a value at %v, where the function has none: %v", src, ast.String(r.Expr), pt, err)
				break
			}
		}
	}
	if saw[true] < 20 || saw[false] < 20 {
		t.Errorf("functions that divide by zero somewhere: %d, others %d; want both kinds", saw[true], saw[false])
	}
}

// TestMayDivideByZero: the skip in derivedZeroDivision is sound: at random
// expressions built of everything mayDivideByZero looks at, where it says
// that the canonical form cannot divide by zero, the canonical form does
// not; and d(F, x) answers the same with the skip and without it.
func TestMayDivideByZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 4))
	leaves := []string{"x", "y", "0", "1", "2", "n", "w[i]"}
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth == 0 || rng.IntN(4) == 0 {
			return leaves[rng.IntN(len(leaves))]
		}
		a, b := gen(depth-1), gen(depth-1)
		switch rng.IntN(13) {
		case 0:
			return "(" + a + " - " + b + ")"
		case 1:
			return "(" + a + " + " + b + ")"
		case 2:
			return "(" + a + ")*(" + b + ")"
		case 3:
			return "(" + a + ")/(" + b + ")"
		case 4:
			return fmt.Sprintf("(%s)/%d", a, rng.IntN(3))
		case 5:
			return fmt.Sprintf("(%s)^%d", a, rng.IntN(5)-2)
		case 6:
			return "(" + a + ")^(" + b + ")"
		case 7:
			fns := []string{"exp", "log", "sqrt", "sigma", "tanh", "sin", "cos", "abs", "step", "sign"}
			return fns[rng.IntN(len(fns))] + "(" + a + ")"
		case 8:
			return fmt.Sprintf("sum(i=%d..n, %s)", rng.IntN(3), a)
		case 9:
			return fmt.Sprintf("mean(i=%d..n, %s)", rng.IntN(3), a)
		case 10:
			return "max(" + a + ", " + b + ")"
		case 11:
			// A divisor that is 0 for every value, which only the
			// canonical form sees.
			return "(" + a + ")/(" + b + " - " + b + ")"
		default:
			return "-(" + a + ")"
		}
	}
	ctx := context.Background()
	cleared, total := 0, 0
	for range 400 {
		src := gen(4)
		f := mustParseSession(t, src)
		total++
		if !mayDivideByZero(f) {
			cleared++
			if c := simplify.PlainCanonical(f); divByZero(c) {
				t.Errorf("%s: cleared, but its canonical form %s divides by zero", src, ast.String(c))
			}
		}
		d := ast.NewDeriv(f, ast.NewSym("x"))
		_, with := New().Simplify(ctx, d)
		derivZeroSkip = false
		_, without := New().Simplify(ctx, d)
		derivZeroSkip = true
		if fmt.Sprint(with) != fmt.Sprint(without) {
			t.Errorf("d(%s, x): %v with the skip, %v without", src, with, without)
		}
	}
	if cleared < total/10 || cleared > total*9/10 {
		t.Errorf("%d of %d cleared; want both kinds", cleared, total)
	}
}

// TestRuleZeroSkip: the skip in ruleZeroDivisor is sound: at random
// divisors built of polynomials and functions with inverses, where
// nonzeroSomewhere finds a value other than 0, the simplifier (whose rules
// are the oracle here) does not make the divisor 0; and d(F, x) answers
// the same with the skip and without it.
func TestRuleZeroSkip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	leaves := []string{"x", "y", "1", "2", "log(exp(x))", "exp(log(y))", "sin(x)^2", "cos(x)^2", "(x + 1)^2", "x^2", "2*x", "sqrt(y^2)", "abs(y)", "@"}
	// Forms equal for every value (y > 0 for exp(log(y))): a template
	// with one written either way is a difference the rules make 0.
	same := [][2]string{{"log(exp(x))", "x"}, {"exp(log(y))", "y"}, {"sin(x)^2 + cos(x)^2", "1"}, {"(x + 1)^2", "x^2 + 2*x + 1"}, {"sqrt(y^2)", "abs(y)"}}
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth == 0 || rng.IntN(3) == 0 {
			return leaves[rng.IntN(len(leaves))]
		}
		a, b := gen(depth-1), gen(depth-1)
		switch rng.IntN(3) {
		case 0:
			return "(" + a + " - " + b + ")"
		case 1:
			return "(" + a + " + " + b + ")"
		default:
			return "(" + a + ")*(" + b + ")"
		}
	}
	ctx := context.Background()
	s := New()
	cleared, zeros := 0, 0
	for range 400 {
		src := gen(3)
		if strings.Contains(src, "@") && rng.IntN(2) == 0 {
			p := same[rng.IntN(len(same))]
			src = "(" + strings.ReplaceAll(src, "@", "("+p[0]+")") + ") - (" + strings.ReplaceAll(src, "@", "("+p[1]+")") + ")"
		} else {
			src = strings.ReplaceAll(src, "@", "x")
		}
		v := mustParseSession(t, src)
		r, err := simplify.Simplify(ctx, v, s.options())
		zero := err == nil && r.Canonical == ast.Zero
		if zero {
			zeros++
		}
		if nonzeroSomewhere(ctx, v, s.evalDefs()) {
			cleared++
			if zero {
				t.Errorf("%s: cleared, but the rules make it 0", ast.String(v))
			}
		}
		d := ast.NewDeriv(ast.NewDiv(ast.NewSym("x"), v), ast.NewSym("x"))
		_, with := New().Simplify(ctx, d)
		ruleZeroSkip = false
		_, without := New().Simplify(ctx, d)
		ruleZeroSkip = true
		if fmt.Sprint(with) != fmt.Sprint(without) {
			t.Errorf("d(x/(%s), x): %v with the skip, %v without", ast.String(v), with, without)
		}
	}
	t.Logf("%d divisors cleared, %d made 0 by the rules", cleared, zeros)
	if cleared < 100 || zeros < 20 {
		t.Errorf("%d cleared, %d zeros; want both kinds", cleared, zeros)
	}
}

// TestNestedDerivRuleZero: a derivative of a derivative whose innermost
// function has a divisor that only the rules make 0 is undefined there,
// as simplify of that function says (diff printed 0); a chain rule that
// writes 0/0 for the derivative of a function that is 0 everywhere
// (sqrt(log(exp(y)) - y) is sqrt(0)) is no division by zero: the function
// is the constant 0 and so is its derivative. The oracle is the
// evaluator: where an error is wanted the function has no value at the
// points tried, or one beyond 2^200 at 256 bits (its divisor is 0 up to
// rounding), and it is 0 at every point where the answer 0 is wanted.
func TestNestedDerivRuleZero(t *testing.T) {
	cases := []struct {
		f, wrt1, wrt2 string
		wantErr       bool
	}{
		{"x*y/(log(exp(y)) - y)", "x", "y", true},
		{"1/(log(exp(x)) - x)", "x", "y", true},
		{"x^2/(sin(y)^2 + cos(y)^2 - 1)", "y", "x", true},
		{"x*sqrt(log(exp(y)) - y)", "y", "x", false},
		{"sqrt(y - y)*x", "x", "y", false},
	}
	ctx := context.Background()
	for _, c := range cases {
		f := mustParseSession(t, c.f)
		src := fmt.Sprintf("d(d(%s, %s), %s)", c.f, c.wrt1, c.wrt2)
		r, err := execOne(t, src)
		_, serr := New().Simplify(ctx, f)
		for _, pt := range []ast.Bindings{{"x": ast.Scalar(0.5), "y": ast.Scalar(1.5)}, {"x": ast.Scalar(-2), "y": ast.Scalar(3)}} {
			v, ferr := ast.EvalContext(ctx, f, nil, pt)
			if c.wantErr {
				// The divisor is 0 up to rounding: at 256 bits the value
				// is beyond 10^60 or none.
				big, berr := ast.EvalBig(ctx, f, nil, pt, 256)
				if berr == nil && big.MantExp(nil) < 200 {
					t.Fatalf("%s: the function has the value %v at %v: the case is wrong", c.f, big, pt)
				}
				continue
			}
			if ferr != nil || math.Abs(v) > 1e-7 {
				t.Fatalf("%s: the function is %g (%v) at %v, not 0: the case is wrong", c.f, v, ferr, pt)
			}
			if big, berr := ast.EvalBig(ctx, f, nil, pt, 256); berr != nil || big.Sign() != 0 && big.MantExp(nil) > -100 {
				t.Fatalf("%s: the function is %v (%v) at %v at 256 bits, not 0: the case is wrong", c.f, big, berr, pt)
			}
		}
		switch {
		case c.wantErr && (err == nil || serr == nil || err.Error() != serr.Error()):
			t.Errorf("%s: %v; want simplify's %v", src, err, serr)
		case !c.wantErr && err != nil:
			t.Errorf("%s: %v; want 0", src, err)
		case !c.wantErr && ast.String(r.Value) != "0":
			t.Errorf("%s: %s; want 0", src, ast.String(r.Value))
		}
	}
}
