package derive_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// centralDiff returns the central difference of f at x with step h.
func centralDiff(f func(float64) (float64, error), x, h float64) (float64, error) {
	fp, err := f(x + h)
	if err != nil {
		return 0, err
	}
	fm, err := f(x - h)
	if err != nil {
		return 0, err
	}
	return (fp - fm) / (2 * h), nil
}

// step is the finite-difference step at x.
func step(x float64) float64 { return 1e-5 * math.Max(1, math.Abs(x)) }

// checkDerivRule compares a derivative rule of a built-in function with
// central differences of the function in the rule's argument at the given
// number of random points of its domain, the other arguments random too;
// it returns the first disagreement. Points near a kink (|u| small for
// abs(u), a near tie for max(a, b), ...), where no difference quotient
// converges, are skipped.
func checkDerivRule(d *rules.Rule, rng *rand.Rand, points int) error {
	if _, ok := ast.LookupFunc(d.Fn); !ok {
		return fmt.Errorf("%s is not a built-in function", d.Fn)
	}
	args := make([]ast.Expr, len(d.Params))
	for i, p := range d.Params {
		args[i] = ast.NewSym(p)
	}
	u := args[d.Wrt].(*ast.Sym)
	call := ast.NewCall(d.Fn, args...)
	body := d.Instantiate(args)
	lo, hi := -4.0, 4.0
	if d.Fn == "log" || d.Fn == "sqrt" {
		lo, hi = 0.05, 8
	}
	checked := 0
	for k := 0; k < 4*points && checked < points; k++ {
		pt := ast.Bindings{}
		for _, p := range d.Params {
			pt[p] = ast.Scalar(lo + (hi-lo)*rng.Float64())
		}
		x := pt[u.Name].Data[0]
		if dist, err := ast.KinkDistance(context.Background(), call, nil, pt); err == nil && dist < 1e3*step(x) {
			continue
		}
		eval := func(e ast.Expr, v float64) (float64, error) {
			q := ast.Bindings{}
			for n, val := range pt {
				q[n] = val
			}
			q[u.Name] = ast.Scalar(v)
			return ast.Eval(e, nil, q)
		}
		fd, err := centralDiff(func(v float64) (float64, error) { return eval(call, v) }, x, step(x))
		if err != nil {
			return fmt.Errorf("%s(%g) does not evaluate: %v", d.Fn, x, err)
		}
		got, err := eval(body, x)
		if err != nil {
			return fmt.Errorf("%s at %s=%g does not evaluate: %v", d, u.Name, x, err)
		}
		if !near(got, fd, 1e-6, 1e-9) {
			return fmt.Errorf("%s at %v: rule gives %.15g, central difference %.15g", d, pt, got, fd)
		}
		checked++
	}
	if checked < points {
		return fmt.Errorf("%s: only %d points away from kinks", d.Name, checked)
	}
	return nil
}

// TestDerivRulesFiniteDifferences checks every derivative rule of the
// built-in set against central differences of the function itself, at
// 250 random points of the function's domain.
func TestDerivRulesFiniteDifferences(t *testing.T) {
	ds := builtin.Derivs()
	if len(ds) == 0 {
		t.Fatal("no derivative rules")
	}
	for i, d := range ds {
		t.Run(d.Name, func(t *testing.T) {
			if err := checkDerivRule(d, rand.New(rand.NewPCG(uint64(i), 0xd1ff)), 250); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestDerivCheckCatchesWrongRules: the check is not vacuous.
func TestDerivCheckCatchesWrongRules(t *testing.T) {
	set, err := load.File(builtin, "wrong.rules", `deriv tanh(u) = 1 - tanh(u)
deriv phi(u) = u*phi(u)
deriv sqrt(u) = 1/sqrt(u)
deriv Phi(u) = phi(u) + 1e-5
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []string{"tanh", "phi", "sqrt", "Phi"} {
		d, _ := set.Deriv(fn, 0)
		if err := checkDerivRule(d, rand.New(rand.NewPCG(3, 4)), 250); err == nil {
			t.Errorf("%s was not caught", d)
		}
	}
}

// TestEveryFunctionHasDerivRule: every built-in function but delta (an
// integer function of indices) has a derivative rule for each argument.
func TestEveryFunctionHasDerivRule(t *testing.T) {
	set := builtin
	var missing []string
	for _, f := range ast.Funcs {
		if f.Name == "delta" {
			continue
		}
		for k := 0; k < f.Arity; k++ {
			if _, ok := set.Deriv(f.Name, k); !ok {
				missing = append(missing, fmt.Sprintf("%s/%d", f.Name, k))
			}
		}
	}
	if diff := cmp.Diff([]string(nil), missing); diff != "" {
		t.Errorf("functions without a derivative rule (-want +got):\n%s", diff)
	}
}

// A derivCase is d(Expr, Wrt) = Want, derived by hand. Show, when set, is
// the exact form Simplify is expected to print.
type derivCase struct {
	expr, wrt, want string
	show            string
	defs            string // extra definitions, one per line ("logistic" for examples/logistic.sd)
	lo, hi          float64
}

var derivCases = []derivCase{
	// Powers.
	{expr: "x^3", wrt: "x", want: "3*x^2", show: "3*x^2"},
	{expr: "x^2 + 5*x - 7", wrt: "x", want: "2*x + 5", show: "2*x + 5"},
	{expr: "1/x", wrt: "x", want: "-1/x^2", show: "-1/x^2"},
	{expr: "x^(-2)", wrt: "x", want: "-2/x^3", show: "-2/x^3"},
	{expr: "x^(3/2)", wrt: "x", want: "(3/2)*sqrt(x)", show: "3*sqrt(x)/2", lo: 0.1, hi: 5},
	{expr: "x^(1/3)", wrt: "x", want: "1/(3*x^(2/3))", show: "1/(3*x^(2/3))", lo: 0.1, hi: 5},
	{expr: "x^a", wrt: "x", want: "a*x^(a - 1)", show: "a*x^(a - 1)", lo: 0.1, hi: 3},
	{expr: "a^x", wrt: "x", want: "a^x*log(a)", show: "a^x*log(a)", lo: 0.1, hi: 3},
	{expr: "x^x", wrt: "x", want: "x^x*(log(x) + 1)", show: "x^x*(log(x) + 1)", lo: 0.1, hi: 3},
	{expr: "x^y", wrt: "y", want: "x^y*log(x)", show: "x^y*log(x)", lo: 0.1, hi: 3},
	{expr: "(x^2 + 1)^3", wrt: "x", want: "6*x*(x^2 + 1)^2", show: "6*x*(x^2 + 1)^2"},
	{expr: "sqrt(x)", wrt: "x", want: "1/(2*sqrt(x))", show: "1/(2*sqrt(x))", lo: 0.1, hi: 5},
	// Products and quotients.
	{expr: "x*y", wrt: "x", want: "y", show: "y"},
	{expr: "x^2*sin(x)", wrt: "x", want: "x*(x*cos(x) + 2*sin(x))", show: "x*(x*cos(x) + 2*sin(x))"},
	{expr: "x*exp(x)", wrt: "x", want: "exp(x)*(x + 1)", show: "exp(x)*(x + 1)"},
	{expr: "sin(x)/x", wrt: "x", want: "(x*cos(x) - sin(x))/x^2", show: "(x*cos(x) - sin(x))/x^2"},
	{expr: "x/(x + 1)", wrt: "x", want: "1/(x + 1)^2", show: "1/(x + 1)^2"},
	{expr: "y/x", wrt: "x", want: "-y/x^2", show: "-y/x^2"},
	{expr: "x^2*y + y^3", wrt: "y", want: "x^2 + 3*y^2", show: "x^2 + 3*y^2"},
	// Chain rule through every built-in function.
	{expr: "exp(x^2)", wrt: "x", want: "2*x*exp(x^2)", show: "2*x*exp(x^2)"},
	{expr: "log(x^2 + 1)", wrt: "x", want: "2*x/(x^2 + 1)", show: "2*x/(x^2 + 1)"},
	{expr: "sigma(2*x)", wrt: "x", want: "2*sigma(2*x)*(1 - sigma(2*x))", show: "2*sigma(2*x)*(1 - sigma(2*x))"},
	{expr: "softplus(3*x)", wrt: "x", want: "3*sigma(3*x)", show: "3*sigma(3*x)"},
	{expr: "tanh(x)", wrt: "x", want: "1 - tanh(x)^2", show: "1 - tanh(x)^2"},
	{expr: "sin(2*x)", wrt: "x", want: "2*cos(2*x)", show: "2*cos(2*x)"},
	{expr: "cos(x^2)", wrt: "x", want: "-2*x*sin(x^2)", show: "-2*x*sin(x^2)"},
	{expr: "Phi(x)", wrt: "x", want: "phi(x)", show: "phi(x)"},
	{expr: "phi(x)", wrt: "x", want: "-x*phi(x)", show: "-x*phi(x)"},
	{expr: "log(sigma(x))", wrt: "x", want: "1 - sigma(x)", show: "1 - sigma(x)"},
	{expr: "softplus(x)", wrt: "x", want: "sigma(x)", show: "sigma(x)"},
	// Nested functions.
	{expr: "sin(cos(x))", wrt: "x", want: "-sin(x)*cos(cos(x))", show: "-cos(cos(x))*sin(x)"},
	{expr: "exp(sin(x^2))", wrt: "x", want: "2*x*cos(x^2)*exp(sin(x^2))", show: "2*x*cos(x^2)*exp(sin(x^2))"},
	{expr: "log(log(x))", wrt: "x", want: "1/(x*log(x))", show: "1/(x*log(x))", lo: 1.1, hi: 6},
	{expr: "sqrt(1 + sin(x)^2)", wrt: "x", want: "sin(x)*cos(x)/sqrt(1 + sin(x)^2)"},
	{expr: "sigma(sigma(x))", wrt: "x", want: "sigma(sigma(x))*(1 - sigma(sigma(x)))*sigma(x)*(1 - sigma(x))"},
	// Derivatives written in the expression.
	{expr: "d(sin(x), x)", wrt: "x", want: "-sin(x)", show: "-sin(x)"},
	{expr: "d(x^3*y, y)", wrt: "x", want: "3*x^2", show: "3*x^2"},
	// Indexed names.
	{expr: "w[j]", wrt: "w[k]", want: "delta(j, k)", show: "delta(j, k)"},
	{expr: "w[k]", wrt: "w[k]", want: "1", show: "1"},
	{expr: "x[i,j]", wrt: "x[k,l]", want: "delta(i, k)*delta(j, l)", show: "delta(i, k)*delta(j, l)"},
	{expr: "sum(j=1..d, x[i,j]*w[j])", wrt: "w[k]", want: "x[i,k]", show: "x[i,k]"},
	{expr: "sum(k=1..n, a[k]*w[k])", wrt: "w[k]", want: "a[k]", show: "a[k]"},
	{expr: "sum(j=1..n, w[j]^2)", wrt: "w[k]", want: "2*w[k]", show: "2*w[k]"},
	{expr: "mean(i=1..n, a[i]*w[i])", wrt: "w[k]", want: "a[k]/n", show: "a[k]/n"},
	{expr: "sum(i=1..n, sum(j=1..d, x[i,j]*w[j]))", wrt: "w[k]", want: "sum(i=1..n, x[i,k])", show: "sum(i=1..n, x[i,k])"},
	{expr: "sum(k=1..n, w[k]*c[k,j])", wrt: "w[k]", want: "c[k,j]", show: "c[k,j]"},
	{expr: "w[1]*w[2]", wrt: "w[k]", want: "delta(1, k)*w[2] + w[1]*delta(2, k)"},
	{expr: "w[k]^2", wrt: "w[j]", want: "2*w[k]*delta(k, j)"},
	{expr: "sum(x=1..n, x^2) + x", wrt: "x", want: "1", show: "1"},
	{expr: "sum(j=1..d, w[j]*x)", wrt: "x", want: "sum(j=1..d, w[j])", show: "sum(i=1..d, w[i])"},
	// Through definitions, and with respect to a defined name.
	{defs: "logistic", expr: "CE", wrt: "z[m]", want: "(sigma(z[m]) - y[m])/n", show: "(p[m] - y[m])/n"},
	{defs: "logistic", expr: "CE", wrt: "w[k]", want: "mean(i=1..n, x[i,k]*(sigma(sum(j=1..d, x[i,j]*w[j])) - y[i]))", show: "mean(i=1..n, x[i,k]*(p[i] - y[i]))"},
	{defs: "logistic", expr: "MSE", wrt: "w[k]", want: "2*mean(i=1..n, x[i,k]*(sum(j=1..d, x[i,j]*w[j]) - y[i]))", show: "2*mean(i=1..n, x[i,k]*(q[i] - y[i]))"},
	{defs: "logistic", expr: "p[i]", wrt: "z[m]", want: "delta(i, m)*sigma(z[i])*(1 - sigma(z[i]))"},
	{defs: "s := x^2\nf := sin(s)", expr: "f", wrt: "x", want: "2*x*cos(x^2)", show: "2*x*cos(s)"},
	{defs: "s := x^2\nf := sin(s)", expr: "f", wrt: "s", want: "cos(s)", show: "cos(s)"},
	{defs: "s := x^2\nf := sin(s)", expr: "f*s", wrt: "s", want: "s*cos(s) + sin(s)"},
	{defs: "g(u) := u*sigma(u)", expr: "g(x^2)", wrt: "x", want: "2*x*(sigma(x^2) + x^2*sigma(x^2)*(1 - sigma(x^2)))"},
	{defs: "c := 3", expr: "c*x^2", wrt: "x", want: "6*x", show: "6*x"},
}

func (c derivCase) name() string { return "d(" + c.expr + ", " + c.wrt + ")" }

func (c derivCase) defsOf(t *testing.T) *ast.Defs {
	switch c.defs {
	case "":
		return nil
	case "logistic":
		return logisticDefs(t)
	}
	return defsFrom(t, c.defs)
}

// TestDerivTable differentiates each case with D, simplifies, and checks
// the result against the hand-derived derivative at random points (both
// D's raw result and the simplified one), and its printed form where
// the case states one.
func TestDerivTable(t *testing.T) {
	for ci, c := range derivCases {
		t.Run(c.name(), func(t *testing.T) {
			defs := c.defsOf(t)
			e := mustParse(t, c.expr, defs)
			v := mustParse(t, c.wrt, defs)
			want := mustParse(t, c.want, defs)
			raw, err := derive.D(bg, e, v, derive.Options{Rules: builtin, Defs: defs})
			if err != nil {
				t.Fatalf("D: %v", err)
			}
			if ast.HasDeriv(raw) {
				t.Fatalf("D left a derivative in %s", ast.String(raw))
			}
			// The free indices range as d(e, v) says (see simplify.InferRanges).
			ranges := simplify.InferRanges(defs, nil, ast.NewDeriv(e, v))
			res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin, Defs: defs, Ranges: ranges})
			if err != nil {
				t.Fatalf("Simplify: %v", err)
			}
			if res.Stop != simplify.StopFixpoint {
				t.Errorf("Simplify stopped early: %s (%s)", res.Stop, res.Detail)
			}
			if c.show != "" {
				if diff := cmp.Diff(c.show, ast.String(res.Expr)); diff != "" {
					t.Errorf("simplified form (-want +got):\n%s", diff)
				}
			}
			lo, hi := c.lo, c.hi
			if lo == 0 && hi == 0 {
				lo, hi = -3, 3
			}
			// The expressions with the definitions expanded, for naming the
			// free names; evaluation goes through the definitions.
			exp := func(x ast.Expr) ast.Expr { return defs.Expand(x) }
			nm := namesOf(exp(e), exp(raw), exp(want), exp(res.Expr), exp(v))
			// The function's domain: where it evaluates (with derivatives
			// written in it taken first).
			fn, _, err := derive.Expand(bg, e, derive.Options{Rules: builtin, Defs: defs})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(uint64(ci), 0x7ab1e))
			checked := 0
			for k := 0; k < 400 && checked < 100; k++ {
				b := point(rng, nm, lo, hi)
				if _, err := ast.Eval(fn, defs, b); err != nil {
					continue // outside the function's domain
				}
				w, err := ast.Eval(want, defs, b)
				if err != nil {
					continue
				}
				for _, got := range []struct {
					what string
					e    ast.Expr
				}{{"D", raw}, {"simplified", res.Expr}} {
					g, err := ast.Eval(got.e, defs, b)
					if err != nil {
						t.Fatalf("%s result %s does not evaluate at %v where the function does: %v", got.what, ast.String(got.e), b, err)
					}
					if !near(g, w, 1e-9, 1e-12) {
						t.Fatalf("%s result %s = %.15g at %v; hand-derived %s = %.15g", got.what, ast.String(got.e), g, b, c.want, w)
					}
				}
				checked++
			}
			if checked < 50 {
				t.Fatalf("only %d points checked", checked)
			}
		})
	}
}

// TestDerivScalarFiniteDifferences checks the table's scalar cases
// against finite differences too, so the hand derivations are themselves
// checked.
func TestDerivScalarFiniteDifferences(t *testing.T) {
	for ci, c := range derivCases {
		if c.defs != "" || strings.Contains(c.wrt, "[") || strings.Contains(c.expr, "[") || strings.Contains(c.expr, "d(") {
			continue
		}
		t.Run(c.name(), func(t *testing.T) {
			e := mustParse(t, c.expr, nil)
			want := mustParse(t, c.want, nil)
			v := c.wrt
			nm := namesOf(e, want)
			lo, hi := c.lo, c.hi
			if lo == 0 && hi == 0 {
				lo, hi = -3, 3
			}
			rng := rand.New(rand.NewPCG(uint64(ci), 0xfd))
			checked := 0
			for k := 0; k < 400 && checked < 50; k++ {
				b := point(rng, nm, lo, hi)
				x := b[v].Data[0]
				f := func(s float64) (float64, error) {
					bb := ast.Bindings{}
					for n, val := range b {
						bb[n] = val
					}
					bb[v] = ast.Scalar(s)
					return ast.Eval(e, nil, bb)
				}
				h := step(x)
				fd1, err1 := centralDiff(f, x, h)
				fd2, err2 := centralDiff(f, x, 2*h)
				w, err3 := ast.Eval(want, nil, b)
				if err1 != nil || err2 != nil || err3 != nil {
					continue
				}
				if !near(fd1, fd2, 1e-5, 1e-7) {
					continue // ill-conditioned here
				}
				if !near(w, fd1, 1e-5, 1e-7) {
					t.Fatalf("hand-derived %s = %.12g at %v, finite difference %.12g", c.want, w, b, fd1)
				}
				checked++
			}
			if checked < 25 {
				t.Fatalf("only %d points checked", checked)
			}
		})
	}
}

// TestDerivErrors: what cannot be differentiated is an error, not a panic
// or a wrong answer.
func TestDerivErrors(t *testing.T) {
	x := ast.NewSym("x")
	tests := []struct {
		name    string
		e, v    ast.Expr
		opt     derive.Options
		wantMsg string
	}{
		{"with respect to a number", ast.NewPow(x, ast.Two), ast.NewInt(3), derive.Options{Rules: builtin}, "cannot differentiate with respect to 3"},
		{"with respect to a sum", ast.NewPow(x, ast.Two), ast.NewAdd(x, ast.One), derive.Options{Rules: builtin}, "cannot differentiate with respect to x + 1"},
		{"with respect to a sum bound", ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.NewIndex("a", ast.NewSym("i"))), ast.NewSym("n"), derive.Options{Rules: builtin}, "a bound of the sum depends on it"},
		{"with respect to a lower bound", ast.NewSum(ast.OpMean, "i", ast.NewSym("m"), ast.NewInt(5), ast.NewIndex("a", ast.NewSym("i"))), ast.NewSym("m"), derive.Options{Rules: builtin}, "a bound of the sum depends on it"},
		{"index expression", ast.NewIndex("w", ast.NewSym("j")), ast.NewIndex("w", ast.NewAdd(ast.NewSym("k"), ast.One)), derive.Options{Rules: builtin}, "its indices must be names or numbers"},
		{"unknown function", ast.NewCall("foo", x), x, derive.Options{Rules: builtin}, "no derivative rule for foo"},
		{"function without rule", ast.NewCall("sin", x), x, derive.Options{Rules: rules.Empty()}, "no derivative rule for sin"},
		{"indexed name as scalar", ast.NewIndex("w", ast.NewSym("j")), ast.NewSym("w"), derive.Options{Rules: builtin}, "differentiate with respect to w[...]"},
		{"scalar name as indexed", ast.NewMul(ast.NewSym("w"), ast.NewIndex("w", ast.NewSym("j"))), ast.NewIndex("w", ast.NewSym("k")), derive.Options{Rules: builtin}, "w is used without indices in the expression: differentiate with respect to w, not w[k]"},
		{"rank mismatch", ast.NewIndex("x", ast.NewSym("i"), ast.NewSym("j")), ast.NewIndex("x", ast.NewSym("k")), derive.Options{Rules: builtin}, "has 2 indices"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := derive.D(bg, tc.e, tc.v, tc.opt)
			if err == nil {
				t.Fatalf("D(%s, %s) = %s, want an error", ast.String(tc.e), ast.String(tc.v), ast.String(got))
			}
			var de *derive.Error
			if !errors.As(err, &de) {
				t.Errorf("error %v (%T) is not a *derive.Error", err, err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tc.wantMsg)
			}
			// The error says where: the subexpression at fault.
			if de != nil && de.Expr() == nil {
				t.Errorf("error %q does not say where", err)
			}
		})
	}
}

// TestDerivCanceled: a cancelled context stops D.
func TestDerivCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := derive.D(ctx, sinNest(50), ast.NewSym("x"), derive.Options{Rules: builtin})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("D with a cancelled context: err = %v, want context.Canceled", err)
	}
}

// TestDerivCanceledLate: the context, which D asks only at some of the
// nodes it takes, is asked all along: cancelled after its first few
// answers, D stops with context.Canceled.
func TestDerivCanceledLate(t *testing.T) {
	for _, n := range []int{1, 3} {
		ctx := parsetest.CancelAfter(n)
		_, err := derive.D(ctx, powerSum(300), ast.NewSym("x"), derive.Options{Rules: builtin})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("D with a context cancelled after %d answers: err = %v, want context.Canceled", n, err)
		}
	}
}

// TestStepsAgreeWithD: the step-by-step derivation ends where D does
// (after Clean, which only removes zero terms and unit factors).
func TestStepsAgreeWithD(t *testing.T) {
	cases := []derivCase{}
	for _, c := range derivCases {
		if c.defs == "" {
			cases = append(cases, c)
		}
	}
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			e := mustParse(t, c.expr, nil)
			v := mustParse(t, c.wrt, nil)
			d, err := derive.D(bg, e, v, derive.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			st, err := derive.Step(bg, e, v, derive.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			rounds, err := derive.Rounds(st)
			if err != nil {
				t.Fatal(err)
			}
			last := ast.Expr(ast.NewDeriv(e, v))
			if len(rounds) > 0 {
				last = rounds[len(rounds)-1].After
			}
			for i := 1; i < len(rounds); i++ {
				if rounds[i].Before != rounds[i-1].After {
					t.Errorf("round %d starts at %s, not where round %d ended (%s)", i, ast.String(rounds[i].Before), i-1, ast.String(rounds[i-1].After))
				}
			}
			if ast.HasDeriv(last) {
				t.Fatalf("Steps ended with a derivative left: %s", ast.String(last))
			}
			sd, err1 := simplify.Simplify(bg, d, simplify.Options{Rules: builtin})
			sl, err2 := simplify.Simplify(bg, last, simplify.Options{Rules: builtin})
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if diff := cmp.Diff(ast.String(sd.Expr), ast.String(sl.Expr)); diff != "" {
				t.Errorf("D and Steps simplify differently (-D +Steps):\n%s", diff)
			}
		})
	}
}
