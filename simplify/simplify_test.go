package simplify_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// A displayCase is an input and the simplest form of it, stated by hand.
type displayCase struct {
	in, want string
	defs     string // "logistic" for the definitions of examples/logistic.sd
	lo, hi   float64
}

var displayCases = []displayCase{
	// Collecting terms and powers.
	{in: "x*x^2", want: "x^3"},
	{in: "2*(x + y) - 2*y", want: "2*x"},
	{in: "x - x", want: "0"},
	{in: "x + x + x", want: "3*x"},
	{in: "3*x - 2*x", want: "x"},
	{in: "x*y - y*x", want: "0"},
	{in: "x/x", want: "1"},
	{in: "x^2/x", want: "x"},
	{in: "x^2*x^(-2)", want: "1"},
	{in: "(x^3)^2", want: "x^6"},
	{in: "(x*y)^2", want: "x^2*y^2"},
	{in: "(-x)^2", want: "x^2"},
	{in: "x^0", want: "1"},
	{in: "0*x", want: "0"},
	{in: "-(-x)", want: "x"},
	{in: "1/(1/x)", want: "x"},
	{in: "1 - (1 - sigma(x))", want: "sigma(x)"},
	{in: "(x + 1)*(x - 1) - x^2", want: "-1"},
	{in: "y*(1 - sigma(z)) - (1 - y)*sigma(z)", want: "y - sigma(z)"},
	// Numbers.
	{in: "2^10", want: "1024"},
	{in: "4^(1/2)", want: "2"},
	{in: "1/3 + 1/6", want: "0.5"},
	// Roots: (x^2)^(1/2) is |x|, so it must not become x.
	{in: "(x^2)^(1/2)", want: "abs(x)"},
	{in: "sqrt(x^2)", want: "abs(x)"},
	{in: "sqrt(x)^2", want: "x", lo: 0.1, hi: 4},
	{in: "x^(1/2)*x^(1/2)", want: "x", lo: 0.1, hi: 4},
	// Functions.
	{in: "exp(log(x))", want: "x", lo: 0.1, hi: 4},
	{in: "log(exp(x))", want: "x"},
	{in: "exp(2*log(x))", want: "x^2", lo: 0.1, hi: 4},
	{in: "exp(x)*exp(y)", want: "exp(x + y)"},
	{in: "exp(0) + log(1)", want: "1"},
	{in: "sigma(0)", want: "0.5"},
	{in: "softplus(0)", want: "log(2)"},
	{in: "sigma(-x) + sigma(x)", want: "1"},
	{in: "sigma(-2*x)", want: "1 - sigma(2*x)"},
	{in: "Phi(-x) + Phi(x)", want: "1"},
	{in: "phi(-x)", want: "phi(x)"},
	{in: "tanh(-x)", want: "-tanh(x)"},
	{in: "sin(-x) + cos(-x)", want: "cos(x) - sin(x)"},
	{in: "sin(x)^2 + cos(x)^2", want: "1"},
	{in: "1/(1 + exp(-x))", want: "sigma(x)"},
	{in: "exp(x)/(1 + exp(x))", want: "sigma(x)"},
	{in: "log(1 + exp(x))", want: "softplus(x)"},
	// The canonical x - softplus(x) is shown as the log-sigmoid a person
	// writes (forms_named.go).
	{in: "softplus(-x)", want: "-log(sigma(x))"},
	{in: "log(sigma(x))", want: "log(sigma(x))"},
	{in: "log(1 - sigma(x))", want: "-softplus(x)"},
	{in: "exp(-softplus(x))", want: "1 - sigma(x)"},
	{in: "exp(softplus(x))", want: "exp(x) + 1"},
	{in: "log(sigma(x)/(1 - sigma(x)))", want: "x"},
	{in: "sigma(x)*(1 - sigma(x)) + sigma(x)^2", want: "sigma(x)"},
	// Sums, means and deltas.
	{in: "sum(i=1..n, 1)", want: "n"},
	{in: "sum(i=1..n, x)", want: "n*x"},
	{in: "mean(i=1..n, 3)", want: "3"},
	{in: "sum(i=1..n, i)", want: "(n + n^2)/2"},
	{in: "sum(i=1..n, 2*a[i])", want: "2*sum(i=1..n, a[i])"},
	{in: "mean(i=1..n, a[i])*n", want: "sum(i=1..n, a[i])"},
	{in: "sum(i=1..n, a[i]) - sum(j=1..n, a[j])", want: "0"},
	{in: "sum(i=1..n, sum(j=1..m, a[i]*b[j]))", want: "sum(i=1..m, b[i])*sum(i=1..n, a[i])"},
	// k indexes no array here: nothing says it is at most d.
	{in: "sum(j=1..d, a[j]*delta(j,k))", want: "a[k]*[k <= d]"},
	{in: "sum(j=1..d, delta(j,k))", want: "[k <= d]"},
	// k indexes a, whose extent is d: k = 1..d.
	{in: "sum(j=1..d, a[j]*delta(j,k)) + a[k]", want: "2*a[k]"},
	// k indexes b, whose extent nothing says.
	{in: "sum(j=1..d, a[j]*b[k]*delta(j,k))", want: "a[k]*b[k]*[k <= d]"},
	{in: "delta(k, k) + delta(1, 2)", want: "1"},
	// The seed gradients of examples/logistic.sd.
	{defs: "logistic", in: "d(CE, z[m])", want: "(p[m] - y[m])/n"},
	{defs: "logistic", in: "d(CE, w[k])", want: "mean(i=1..n, x[i,k]*(p[i] - y[i]))"},
	{defs: "logistic", in: "d(MSE, w[k])", want: "2*mean(i=1..n, x[i,k]*(q[i] - y[i]))"},
	{defs: "logistic", in: "d(SQ, w[k])", want: "2*mean(i=1..n, p[i]*x[i,k]*(1 - p[i])*(p[i] - y[i]))"},
}

func defsFor(t *testing.T, which string) *ast.Defs { t.Helper(); return parsetest.DefsFor(t, which) }

// TestSimplifyDisplay checks the printed form of each case, and that the
// input, the result, its canonical form and the printed text read back
// all evaluate equal at random points.
func TestSimplifyDisplay(t *testing.T) {
	for ci, c := range displayCases {
		t.Run(c.in, func(t *testing.T) {
			defs := defsFor(t, c.defs)
			in := mustParse(t, c.in, defs)
			res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin, Defs: defs})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop != simplify.StopFixpoint {
				t.Errorf("stopped early: %s (%s)", res.Stop, res.Detail)
			}
			got := ast.String(res.Expr)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Simplify(%s) (-want +got):\n%s", c.in, diff)
			}
			checkNumerically(t, uint64(ci), in, defs, c.lo, c.hi, map[string]ast.Expr{
				"result":    res.Expr,
				"canonical": res.Canonical,
				"reparsed":  mustParse(t, got, defs),
			})
		})
	}
}

// checkNumerically evaluates in and each of outs at random points where
// in is defined; they must agree.
func checkNumerically(t *testing.T, seed uint64, in ast.Expr, defs *ast.Defs, lo, hi float64, outs map[string]ast.Expr) {
	t.Helper()
	if lo == 0 && hi == 0 {
		lo, hi = -3, 3
	}
	fn, _, err := derive.Expand(bg, in, derive.Options{Rules: builtin, Defs: defs})
	if err != nil {
		t.Fatal(err)
	}
	all := []ast.Expr{defs.Expand(fn)}
	for _, o := range outs {
		all = append(all, defs.Expand(o))
	}
	nm := namesOf(all...)
	rng := rand.New(rand.NewPCG(seed, 0x51))
	checked := 0
	for k := 0; k < 300 && checked < 60; k++ {
		pt := point(rng, nm, lo, hi)
		ok := true
		for what, o := range outs {
			c, complaint := agreeAt(fn, o, defs, pt, 1e-9)
			if complaint != "" {
				t.Fatalf("%s %s: %s at %v", what, ast.String(o), complaint, pt)
			}
			ok = ok && c
		}
		if ok {
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("only %d points where the input is defined", checked)
	}
}

// TestSimplifyKnownBugs holds the failures found. Each input has a value
// that is easy to check by hand at the point given, and a simplest form;
// Simplify got the value wrong (or left the input unsimplified) before
// they were fixed; they guard against a regression.
func TestSimplifyRegressions(t *testing.T) {
	cases := []struct {
		bug  string
		in   string
		want string       // the simplest form
		pt   ast.Bindings // a point where the input is defined
	}{
		{"a sum over an empty numeric range is 0",
			"sum(i=5..2, i)", "0", ast.Bindings{}},
		{"a sum of a constant over an empty numeric range is 0",
			"sum(i=3..1, 1)", "0", ast.Bindings{}},
		{"a delta with a number outside a numeric range is 0",
			"sum(j=1..3, a[j]*delta(j,5))", "0", ast.Bindings{"a": {Shape: []int{5}, Data: []float64{1, 2, 3, 4, 5}}}},
		{"a delta with a number outside a numeric range is 0",
			"sum(j=1..3, delta(j,5))", "0", ast.Bindings{}},
		// By the index convention a number compared with the index of a sum
		// up to a symbolic size lies in its range (as a free index does):
		// checked where it does, m = 3.
		{"delta contraction with a number against a symbolic range",
			"sum(i=1..m, delta(3, i)*a[i])", "a[3]*[3 <= m]", ast.Bindings{"m": ast.Scalar(3), "a": {Shape: []int{3}, Data: []float64{1, 2, 3}}}},
		{"delta contraction between indices bound over different ranges (min(3,2) = 2 terms match)",
			"sum(i=1..3, sum(j=1..2, delta(i,j)))", "2", ast.Bindings{}},
		{"no delta contraction between indices bound over different symbolic ranges",
			"sum(i=1..n, sum(j=1..m, delta(i,j)))", "sum(i=1..n, sum(j=1..m, delta(i,j)))", ast.Bindings{"n": ast.Scalar(3), "m": ast.Scalar(1)}},
		{"(u*v)^(1/2) is not split with v < 0 (undefined where u = 0 makes the input 0)",
			"(-x^2)^(1/2)", "(-x^2)^(1/2)", ast.Bindings{"x": ast.Scalar(0)}},
		{"(u*v)^(1/3) is not split with v < 0",
			"(-delta(k,1))^(1/3)", "(-delta(k,1))^(1/3)", ast.Bindings{"k": ast.Scalar(2)}},
		{"terms of a sum body cancel against another sum",
			"sum(i=1..n, a[i] + b[i]) - sum(i=1..n, b[i])", "sum(i=1..n, a[i])",
			ast.Bindings{"n": ast.Scalar(2), "a": {Shape: []int{2}, Data: []float64{1, 2}}, "b": {Shape: []int{2}, Data: []float64{5, 7}}}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			in := mustParse(t, c.in, nil)
			want := mustParse(t, c.want, nil)
			vin, err := ast.Eval(in, nil, c.pt)
			if err != nil {
				t.Fatalf("test is wrong: the input is undefined at %v: %v", c.pt, err)
			}
			if vw, err := ast.Eval(want, nil, c.pt); err != nil || vw != vin {
				t.Fatalf("test is wrong: %s = %v (%v) but %s = %v at %v", c.want, vw, err, c.in, vin, c.pt)
			}
			res, err := simplify.Simplify(bg, in, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			got := ast.String(res.Expr)
			vout, err := ast.Eval(res.Expr, nil, c.pt)
			switch {
			case err != nil:
				t.Errorf("%s: Simplify(%s) = %s is undefined at %v (%v), where the input is %v", c.bug, c.in, got, c.pt, err, vin)
			case vout != vin:
				t.Errorf("%s: Simplify(%s) = %s = %v at %v, but the input is %v", c.bug, c.in, got, vout, c.pt, vin)
			case c.want != c.in && got != ast.String(want):
				t.Errorf("%s: Simplify(%s) = %s, want %s", c.bug, c.in, got, c.want)
			}
		})
	}
}

// TestDeterminism: the same input always prints the same result: twice in
// a row, in two goroutines at once, and after other expressions have been
// built (and the old nodes collected), which changes node IDs.
func TestDeterminism(t *testing.T) {
	inputs := []string{
		"y*(1 - sigma(z)) - (1 - y)*sigma(z) + x*y^2 - 3*x",
		"sum(i=1..n, sum(j=1..m, a[i]*b[j] + x[i,j]*w[j]))",
		"d(log(1 + exp(-y*x)), x)",
		"exp(x)*exp(y)*sin(x + y) + (x - y)^3",
	}
	logistic := logisticDefs(t)
	inputs = append(inputs, "logistic: d(CE, w[k])", "logistic: d(SQ, w[k])")
	type input struct {
		src  string
		e    ast.Expr
		defs *ast.Defs
	}
	var ins []input
	for _, src := range inputs {
		var defs *ast.Defs
		if s, ok := strings.CutPrefix(src, "logistic: "); ok {
			src, defs = s, logistic
		}
		ins = append(ins, input{src, mustParse(t, src, defs), defs})
	}
	simp := func(in input) string {
		res, err := simplify.Simplify(bg, in.e, simplify.Options{Rules: builtin, Defs: in.defs})
		if err != nil {
			return "error: " + err.Error()
		}
		return ast.String(res.Expr) + " | " + ast.String(res.Canonical)
	}
	for _, in := range ins {
		src := in.src
		first := simp(in)
		if second := simp(in); second != first {
			t.Errorf("%s: twice in a row: %q then %q", src, first, second)
		}
		var wg sync.WaitGroup
		got := make([]string, 4)
		for g := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[g] = simp(in)
			}()
		}
		wg.Wait()
		for g, s := range got {
			if s != first {
				t.Errorf("%s: goroutine %d: %q, want %q", src, g, s, first)
			}
		}
		// Build other expressions that share subterms, collect garbage,
		// then simplify again.
		rng := rand.New(rand.NewPCG(5, 5))
		for k := 0; k < 200; k++ {
			e := ast.NewAdd(ast.NewSym(fmt.Sprintf("v%d", rng.IntN(50))), ast.NewCall("sigma", ast.NewSym("z")), ast.NewSym("y"))
			_, _ = simplify.Simplify(bg, e, simplify.Options{Rules: builtin})
		}
		runtime.GC()
		runtime.GC()
		// Parse afresh too: the nodes are rebuilt.
		again := simp(input{src, mustParse(t, src, in.defs), in.defs})
		if again != first {
			t.Errorf("%s: after other work: %q, want %q", src, again, first)
		}
	}
}

// TestLimits: the driver stops on its limits and reports why.
func TestLimits(t *testing.T) {
	t.Run("steps", func(t *testing.T) {
		e := mustParse(t, "sigma(-x) + sigma(-y) + exp(log(z))*exp(0) + sin(x)^2 + cos(x)^2 + tanh(-y)", nil)
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin, MaxSteps: 2})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stop != simplify.StopSteps {
			t.Fatalf("Stop = %s, want %s", res.Stop, simplify.StopSteps)
		}
		if res.Detail == "" {
			t.Errorf("no detail for the step limit")
		}
		// What it returns is still equal to the input.
		checkNumerically(t, 1, e, nil, 0.1, 3, map[string]ast.Expr{"result": res.Expr})
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		e := mustParse(t, "d(sum(i=1..n, (y[i] - sigma(sum(j=1..d, x[i,j]*w[j])))^2), w[k])", nil)
		start := time.Now()
		_, err := simplify.Simplify(ctx, e, simplify.Options{Rules: builtin})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Simplify: err = %v, want context.Canceled", err)
		}
		_, err = prove.Prove(ctx, e, e, simplify.Options{Rules: builtin})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Prove: err = %v, want context.Canceled", err)
		}
		if el := time.Since(start); el > time.Second {
			t.Logf("took %v after cancellation", el) // logged: no wall-clock assertions
		}
	})
	t.Run("timeout", func(t *testing.T) {
		// A sum of 3000 distinct terms takes longer than a microsecond.
		terms := make([]ast.Expr, 3000)
		for k := range terms {
			terms[k] = ast.NewCall("sigma", ast.NewNeg(ast.NewSym(fmt.Sprintf("t%d", k))))
		}
		res, err := simplify.Simplify(bg, ast.NewAdd(terms...), simplify.Options{Rules: builtin, Timeout: time.Microsecond})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stop != simplify.StopTime {
			t.Errorf("Stop = %s, want %s", res.Stop, simplify.StopTime)
		}
	})
	for _, tc := range []struct {
		name, file, in string
	}{
		{"user rules undo each other", "deriv f(u) = 1\nderiv g(u) = 1\nrule f_to_g: f(u) -> g(u)\nrule g_to_f: g(u) -> f(u)\n", "f(x) + 1"},
		{"user rule undoes a built-in one", "rule sigma_unfold: sigma(u) -> 1/(1 + exp(-u))\n", "sigma(x)*y"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := load.File(builtin, "cycle.rules", tc.file)
			if err != nil {
				t.Fatal(err)
			}
			e, err := parseWith(tc.in, set, nil)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			var res *simplify.Result
			go func() {
				defer close(done)
				res, err = simplify.Simplify(bg, e, simplify.Options{Rules: set})
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Simplify did not return within 10s")
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop != simplify.StopCycle {
				t.Errorf("Stop = %s (%s), want %s", res.Stop, res.Detail, simplify.StopCycle)
			}
			if !strings.Contains(res.Detail, "rule") {
				t.Errorf("Detail %q does not name a rule", res.Detail)
			}
		})
	}
}

// TestNumberLimitInProducts: 2^30000*2^30000*2^30000*2^30000 would be a
// 120,000-bit integer, beyond the 65,536 bits exact numbers may have: the
// product is left unevaluated and the simplifier says why it stopped.
func TestNumberLimitInProducts(t *testing.T) {
	for _, src := range []string{
		"2^30000*2^30000*2^30000*2^30000",
		"x*2^30000*2^30000*2^30000 + 1",
		"1/(2^30000+1) + 1/(2^30000+3) + 1/(2^30000+5)",
	} {
		res, err := simplify.Simplify(bg, mustParse(t, src, nil), simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stop != simplify.StopSize {
			t.Errorf("%s: stop = %s, want size limit", src, res.Stop)
		}
		ast.Inspect(res.Expr, func(e ast.Expr) bool {
			if n, ok := e.(*ast.Num); ok && n.Value.Bits() > ast.MaxNumberBits {
				t.Errorf("%s: a %d-bit number was built", src, n.Value.Bits())
			}
			return true
		})
	}
}

// TestDerivationOfDerivative: a derivative written inside the one being
// taken (d(d(f, x), x)) is evaluated first; the derivation then replays
// the outer derivative's recorded steps and ends at the result.
func TestDerivationOfDerivative(t *testing.T) {
	for _, src := range []string{"d(sigma(x), x)", "d(x^3*sin(x), x) + x", "d(d(log(x), x), x)"} {
		e := mustParse(t, src, nil)
		res, err := simplify.Simplify(bg, ast.NewDeriv(e, ast.NewSym("x")), simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		d, err := res.Derivation()
		if err != nil {
			t.Fatalf("d(%s, x): %v", src, err)
		}
		if n := len(d.Lines); n == 0 || d.Lines[n-1].Expr != res.Expr {
			t.Errorf("d(%s, x): the derivation does not end at the result %s", src, ast.String(res.Expr))
		}
	}
}
