package codegen

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestStability runs the generated logistic loss and gradient where the
// linear predictor is ±800: written as the formula reads, log(sigma(z))
// and log(1 - sigma(z)) are log(0) there. The generated code must give
// finite numbers, equal to the loss and gradient evaluated with 2048-bit
// arithmetic (ast.EvalBig, the independent oracle) to float64 accuracy.
func TestStability(t *testing.T) {
	// z = x w = 800, -800, 800.5, -799.75 with labels that make two of
	// the four terms about 800 and two about exp(-800).
	data := map[string][]float64{
		"x": {800, 0, -800, 0, 800, 1, -800, 0.5},
		"w": {1, 0.5},
		"y": {1, 1, 0, 0},
	}
	tc := &tcase{defs: "../../../examples/logistic.sd", loss: "CE", wrt: []string{"w[k]"}}
	checkStable(t, tc, data, map[string]int{"n": 4, "d": 2}, indices("k", 2), 1e-14)
}

// bigEval evaluates e at the given precision and rounds to float64.
func bigEval(t *testing.T, e ast.Expr, en Engine, b ast.Bindings, prec uint) float64 {
	t.Helper()
	v, err := ast.EvalBig(context.Background(), e, en.allDefs(), b, prec)
	if err != nil {
		t.Fatalf("EvalBig(%s): %v", ast.String(e), err)
	}
	f, _ := v.Float64()
	return f
}

// checkStable runs the code generated for tc in the four languages on data
// and compares its loss and gradient with the loss and the symbolic
// gradient evaluated at 2048 bits (ast.EvalBig, the independent oracle),
// within tol relative; at holds the index values of the gradient's
// components, in the order the driver writes them. The data must reach
// the extreme region (a loss of 100 or more), or the test proves nothing.
func checkStable(t *testing.T, tc *tcase, data map[string][]float64, sizes map[string]int, at []ast.Bindings, tol float64) {
	t.Helper()
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	p, err := analyse(ctx, en, loss, wrt, false)
	if err != nil {
		t.Fatal(err)
	}
	b := bindings(p, data, sizes)
	const prec = 2048
	wantLoss := bigEval(t, p.original, en, b, prec)
	var wantGrad []float64
	for _, idx := range at {
		bb := ast.Bindings{}
		for n, v := range b {
			bb[n] = v
		}
		for n, v := range idx {
			bb[n] = v
		}
		wantGrad = append(wantGrad, bigEval(t, p.symbolic[0], en, bb, prec))
	}
	if math.IsInf(wantLoss, 0) || math.Abs(wantLoss) < 100 {
		t.Fatalf("the oracle's loss is %v: the data does not reach the extreme region", wantLoss)
	}
	for _, lang := range []Lang{Go, C, NumPy, Python} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			out := runDriver(t, lang, res, p, data, sizes)
			if got := out.Outs[0][0]; math.IsInf(got, 0) || math.IsNaN(got) || relErr(got, wantLoss) > tol {
				t.Errorf("loss: generated %v, 2048-bit oracle %v", got, wantLoss)
			}
			for k, g := range out.Outs[1] {
				if math.IsInf(g, 0) || math.IsNaN(g) || relErr(g, wantGrad[k]) > tol {
					t.Errorf("gradient[%d]: generated %v, 2048-bit oracle %v", k, g, wantGrad[k])
				}
			}
		})
	}
}

// indices returns name = 1, …, n as bindings.
func indices(name string, n int) []ast.Bindings {
	var out []ast.Bindings
	for i := 1; i <= n; i++ {
		out = append(out, ast.Bindings{name: ast.Scalar(float64(i))})
	}
	return out
}

// TestSoftmaxStability runs the generated softmax cross-entropy and its
// gradient where the scores reach ±1600: exp overflows there, and the
// code must shift by the row's largest score (log-sum-exp).
func TestSoftmaxStability(t *testing.T) {
	data := map[string][]float64{
		"x": {1, 0.5, -1, 0.25, 2, -1},       // n = 3 rows, d = 2
		"W": {800, -300, 400, 0.5, 1, -2},    // d × K, K = 3
		"t": {1, 0, 0, 0, 0.5, 0.5, 0, 1, 0}, // n × K
	}
	var at []ast.Bindings
	for a := 1; a <= 2; a++ {
		for e := 1; e <= 3; e++ {
			at = append(at, ast.Bindings{"a": ast.Scalar(float64(a)), "e": ast.Scalar(float64(e))})
		}
	}
	tc := &tcase{defs: "testdata/softmax.sd", loss: "L", wrt: []string{"W[a,e]"}}
	checkStable(t, tc, data, map[string]int{"n": 3, "d": 2, "K": 3}, at, 1e-13)
}

// TestLogSumExpGradStability runs the generated log-sum-exp of a linear
// predictor and its gradient, sum(i, x[i,l]*exp(z[i]))/sum(i, exp(z[i])),
// where z reaches 800. The loss was shifted by the largest z but the
// gradient was not: exp(800) overflowed and the gradient was NaN where the
// loss was finite. The oracle is the loss and the symbolic gradient
// evaluated at 2048 bits.
func TestLogSumExpGradStability(t *testing.T) {
	data := map[string][]float64{
		"x": {800, 0, 799.5, 1, -800, 0.5}, // n = 3 rows, d = 2: z = 800, 800.5, -799.75
		"w": {1, 1},
	}
	tc := &tcase{defs: "testdata/logsumexp.sd", loss: "L", wrt: []string{"w[l]"}}
	checkStable(t, tc, data, map[string]int{"n": 3, "d": 2}, indices("l", 2), 1e-13)
}

// TestProbitStability runs the generated probit cross-entropy and its
// gradient at predictors from 9 to 30: 1 - Phi(z) rounds to 0 from about
// z = 8.3, so log(1 - Phi(z)) was -Inf and the loss inf (the gradient
// inf or NaN) where both are moderate numbers; the header said nothing
// needed rewriting. Phi(-z) is the same number without the cancellation.
// The oracle is the loss and the symbolic gradient at 2048 bits.
func TestProbitStability(t *testing.T) {
	// z = x w with w = (1, 0.5): 9, -9, 10, 30, with labels that put
	// each term on the far side.
	data := map[string][]float64{
		"x": {9, 0, -9, 0, 0, 20, 30, 0},
		"w": {1, 0.5},
		"y": {0, 1, 0, 0},
	}
	tc := &tcase{defs: "testdata/probit.sd", loss: "-mean(i=1..n, y[i]*log(Phi(z[i])) + (1 - y[i])*log(1 - Phi(z[i])))", wrt: []string{"w[k]"}}
	checkStable(t, tc, data, map[string]int{"n": 4, "d": 2}, indices("k", 2), 1e-12)
}

// TestLogAddExpStability runs the generated log(exp(a) + exp(b)) (and a
// third term) and its gradient where a score passes 709 or all are below
// -745: written as it reads, exp overflows to inf (the loss inf, the
// gradient inf/inf = NaN) or underflows to 0 (the loss log(0)), where the
// loss and gradient are moderate numbers; the header said nothing needed
// rewriting. Where the first score is far below the others, the join must
// not cancel: the log is then about the largest score, and a +
// softplus(b - a) lost it (0 for log(exp(-1e17) + exp(1.5)) = 1.5). The
// oracle is the loss and the symbolic gradient at 2048 bits.
func TestLogAddExpStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	for _, c := range []struct {
		loss   string
		wrt    []string
		points []map[string][]float64
	}{
		{"log(exp(a) + exp(b))", []string{"a", "b"}, []map[string][]float64{
			{"a": {800}, "b": {-5}}, {"a": {-800}, "b": {-801.5}}, {"a": {710}, "b": {709.25}},
			// The first term far below the second: a + softplus(b - a) cancelled
			// (1e17 + 1.5 rounds to 1e17, so the loss was 0 for 1.5).
			{"a": {-1e17}, "b": {1.5}}, {"a": {-3e6}, "b": {0.001}},
		}},
		{"log(exp(a) + exp(b) + exp(2*c))", []string{"a", "b", "c"}, []map[string][]float64{
			{"a": {-3}, "b": {750}, "c": {400}}, {"a": {-900}, "b": {-901}, "c": {-450.5}},
			{"a": {-1e16}, "b": {3.25}, "c": {-5e15}}, {"a": {-2e6}, "b": {-3e6}, "c": {0.0625}},
		}},
		// The gradient by b is a negated share, -exp(b)/(exp(a) + exp(b)):
		// it was left as written (inf/inf or 0/0, NaN) while the one by a
		// was rewritten.
		{"log(exp(a)/(exp(a) + exp(b)))", []string{"a", "b"}, []map[string][]float64{
			{"a": {-800}, "b": {-800}}, {"a": {800}, "b": {799}}, {"a": {-1e6}, "b": {-1e6 + 2}}, {"a": {0.5}, "b": {-3}},
		}},
	} {
		tc := &tcase{loss: c.loss, wrt: c.wrt}
		en, loss, wrt := tc.setup(t)
		ctx := context.Background()
		p, err := analyse(ctx, en, loss, wrt, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []Lang{Go, C, NumPy, Python} {
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			for _, data := range c.points {
				b := bindings(p, data, nil)
				wantLoss := bigEval(t, p.original, en, b, 2048)
				out := runDriver(t, lang, res, p, data, nil)
				if got := out.Outs[0][0]; math.IsInf(got, 0) || math.IsNaN(got) || relErr(got, wantLoss) > 1e-14 {
					t.Errorf("%s, %s at %v: loss %v, 2048-bit oracle %v", lang, c.loss, data, got, wantLoss)
				}
				for k := range c.wrt {
					want := bigEval(t, p.symbolic[k], en, b, 2048)
					g := out.Outs[1+k][0]
					if math.IsInf(g, 0) || math.IsNaN(g) || math.Abs(g-want) > 1e-14*math.Max(1, math.Abs(want)) {
						t.Errorf("%s, %s at %v: d/d%s %v, 2048-bit oracle %v", lang, c.loss, data, c.wrt[k], g, want)
					}
				}
			}
		}
	}
}

// TestLogPhiStability runs the generated log(Phi(z)) and its gradient
// phi(z)/Phi(z) from z = -10^4 to 40: Phi(z) is a subnormal from about
// -37.5 and 0 below -38.5, where the loss was -inf and the gradient 0/0 =
// NaN; above 8 it rounds to 1 and the loss to 0, where it is -Phi(-z).
// The oracle is the loss and the symbolic gradient at 2048 bits; both
// sides of the switch to the tail series at -30 are checked. The probit
// cross-entropy with predictors down to -1000 is checked the same way.
func TestLogPhiStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	far := []float64{-1e4, -1000, -100, -40, -38.7, -38, -37.5, -30.5, -30, -29.5, -20, -5, -1, 0, 0.5, 3, 10, 40}
	for _, c := range []struct {
		loss string
		zs   []float64
	}{
		{"log(Phi(z))", far},
		// 1 - Phi(z) is Phi(-z); 2048 bits resolve it up to z of about 50.
		{"log(1 - Phi(z))", []float64{-40, -10, -1, 0, 2, 29.5, 30.5, 38, 39, 45}},
	} {
		tc := &tcase{loss: c.loss, wrt: []string{"z"}}
		en, loss, wrt := tc.setup(t)
		ctx := context.Background()
		p, err := analyse(ctx, en, loss, wrt, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []Lang{Go, C, NumPy, Python} {
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			for _, z := range c.zs {
				data := map[string][]float64{"z": {z}}
				b := bindings(p, data, nil)
				wantLoss := bigEval(t, p.original, en, b, 2048)
				want := bigEval(t, p.symbolic[0], en, b, 2048)
				out := runDriver(t, lang, res, p, data, nil)
				if got := out.Outs[0][0]; math.IsInf(got, 0) || math.IsNaN(got) || relErr(got, wantLoss) > 1e-13 {
					t.Errorf("%s, %s at z = %v: loss %v, 2048-bit oracle %v", lang, c.loss, z, got, wantLoss)
				}
				if g := out.Outs[1][0]; math.IsInf(g, 0) || math.IsNaN(g) || relErr(g, want) > 1e-13 {
					t.Errorf("%s, %s at z = %v: gradient %v, 2048-bit oracle %v", lang, c.loss, z, g, want)
				}
			}
		}
	}

	// The probit loss: z = x w with w = (1, 0.5) at -1000, 45, -40.25,
	// -31, with labels that put each term on the far side.
	data := map[string][]float64{
		"x": {-1000, 0, 45, 0, -40, -0.5, -31, 0},
		"w": {1, 0.5},
		"y": {1, 0, 1, 1},
	}
	ptc := &tcase{defs: "testdata/probit.sd", loss: "-mean(i=1..n, y[i]*log(Phi(z[i])) + (1 - y[i])*log(1 - Phi(z[i])))", wrt: []string{"w[k]"}}
	checkStable(t, ptc, data, map[string]int{"n": 4, "d": 2}, indices("k", 2), 1e-12)
}

// TestSoftmaxCEGradStability runs the softmax cross-entropy's generated
// gradient where a score reaches 800: its quotient's numerator is linear
// in the exp(z[j]) but not a single weighted sum, so neither softmax
// rewrite saw it, and the gradient was [NaN, NaN] where numpy's answer is
// [800, -1] (the reviewer's case). The oracle is the loss and the
// symbolic gradient evaluated at 2048 bits.
func TestSoftmaxCEGradStability(t *testing.T) {
	data := map[string][]float64{
		"x": {800, 0, 0, 1, 1, 1}, // n = 3 rows, d = 2: z = 800, 1, 2
		"w": {1, 1},
		"y": {0, 1, 0},
	}
	tc := &tcase{defs: "testdata/softmax_ce.sd", loss: "CE", wrt: []string{"w[k]"}}
	checkStable(t, tc, data, map[string]int{"n": 3, "d": 2}, indices("k", 2), 1e-13)
}

// TestShiftLinearOnlyDegreeOne: the shift is taken only where every term
// of the numerator holds exactly one exp of the denominator's exponent;
// shifting a term with none or two changes the quotient's value.
func TestShiftLinearOnlyDegreeOne(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"sum(i=1..n, y[i]*(sum(j=1..n, x[j]*exp(z[j])) - x[i]*sum(j=1..n, exp(z[j]))))/sum(j=1..n, exp(z[j]))", true},
		{"(a*exp(z[k]) + exp(z[m])*b)/sum(j=1..n, exp(z[j]))", true},
		{"(exp(z[k]) + 1)/sum(j=1..n, exp(z[j]))", false},
		{"exp(z[k])^2/sum(j=1..n, exp(z[j]))", false},
		{"exp(z[k])*exp(z[m])/sum(j=1..n, exp(z[j]))", false},
		{"log(exp(z[k]))/sum(j=1..n, exp(z[j]))", false},
		{"a/sum(j=1..n, exp(z[j]))", false},
		{"(sum(j=1..n, exp(z[j]))*sum(j=1..n, x[j]*exp(z[j])) - exp(z[k])*exp(z[m]))/sum(j=1..n, exp(z[j]))^2", true},
		{"(exp(z[k]) + exp(z[k])*exp(z[m]))/sum(j=1..n, exp(z[j]))^2", false},
		{"exp(z[k])/sum(j=1..n, exp(z[j]))^2", false},
	} {
		e, err := parser.ParseExpr(c.src, nil)
		if err != nil {
			t.Fatal(err)
		}
		q, ok := e.(*ast.Div)
		if !ok {
			t.Fatalf("%s: %T", c.src, e)
		}
		if _, got := shiftLinear(q); got != c.want {
			t.Errorf("shiftLinear(%s): %v, want %v", c.src, got, c.want)
		}
	}
}

// TestLogMeanExpStability runs the generated log(mean(i, exp(z[i]))) at
// z = (1000, 0): its canonical form is log(sum(i, exp(z[i]))/n), which the
// log-sum-exp rewrite did not match, so the loss was inf (Python raised
// OverflowError) where it is 999.31 (review2's U3). The oracle is the loss
// and gradient evaluated at 2048 bits.
func TestLogMeanExpStability(t *testing.T) {
	tc := &tcase{loss: "log(mean(i=1..n, exp(z[i])))", wrt: []string{"z[k]"}}
	checkStable(t, tc, map[string][]float64{"z": {1000, 0, 998.5}}, map[string]int{"n": 3}, indices("k", 3), 1e-14)
}

// TestLogSumExpHessianStability runs the generated Hessian of the
// log-sum-exp of a linear predictor where z reaches 800: its second
// derivative is a quotient over sum(i, exp(z[i]))^2 whose numerator has
// two exps in every term, which no rewrite shifted, so it was NaN
// (review2's U2). The oracle is the Hessian the engine derived, evaluated
// at 2048 bits; the tolerance allows for the cancellation in
// sum(p x x) - (sum p x)(sum p x) that float64 code cannot avoid.
func TestLogSumExpHessianStability(t *testing.T) {
	data := map[string][]float64{
		"x": {800, 0, 799.5, 1, -800, 0.5}, // n = 3 rows, d = 2: z = 800, 800.5, -799.75
		"w": {1, 1},
	}
	sizes := map[string]int{"n": 3, "d": 2}
	tc := &tcase{defs: "testdata/logsumexp.sd", loss: "L", wrt: []string{"w[l]"}}
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	p, err := analyse(ctx, en, loss, wrt, true)
	if err != nil {
		t.Fatal(err)
	}
	b := bindings(p, data, sizes)
	w := p.wrt[0]
	// p.hess is the stabilized form; the oracle differentiates the
	// engine's gradient again.
	hess, err := en.derivative(ctx, p.symbolic[0], w.expr(w.hidx))
	if err != nil {
		t.Fatal(err)
	}
	var want []float64
	for i := 1; i <= 2; i++ {
		for j := 1; j <= 2; j++ {
			bb := ast.Bindings{w.idx[0]: ast.Scalar(float64(i)), w.hidx[0]: ast.Scalar(float64(j))}
			for n, v := range b {
				bb[n] = v
			}
			want = append(want, bigEval(t, hess, en, bb, 2048))
		}
	}
	for _, lang := range []Lang{Go, C, NumPy, Python} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Hessian: true, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			out := runDriver(t, lang, res, p, data, sizes)
			h := out.Outs[2]
			if len(h) != len(want) {
				t.Fatalf("Hessian has %d entries, want %d", len(h), len(want))
			}
			for e := range h {
				if math.IsNaN(h[e]) || math.IsInf(h[e], 0) || math.Abs(h[e]-want[e]) > 1e-8*(1+math.Abs(want[e])) {
					t.Errorf("Hessian[%d]: generated %v, 2048-bit oracle %v", e, h[e], want[e])
				}
			}
		})
	}
}

// TestExpQuotientStability runs the generated exp(-x^2) and the logistic
// written out, 1/(1 + exp(-x)), with their gradients where an exponential
// in a denominator overflows: the gradient of exp(-x^2) came out as
// -2*x/exp(x^2), and exp(1600) at x = 40 made plain Python raise
// OverflowError (Go and C gave -0); 1/(1 + exp(-x)) at x = -800 raised in
// the loss. Written as a*exp(-u) and a*sigma(-u), every language gives the
// value, 0 or tiny. The oracle is the loss and the symbolic gradient at
// 2048 bits, to 1e-14 relative to at least 1 (the values are below 1).
func TestExpQuotientStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	for _, c := range []struct {
		loss string
		xs   []float64
	}{
		{"exp(-x^2)", []float64{40, -40, 27, 1000, 0.5, 0}},
		{"1/(1 + exp(-x))", []float64{-800, -710, 800, -1e5, 0.25}},
		{"3*y/(exp(x)*(1 + y^2))", []float64{800, 1e4, -3, 0}},
	} {
		wrt := []string{"x"}
		if strings.Contains(c.loss, "y") {
			wrt = []string{"x", "y"}
		}
		tc := &tcase{loss: c.loss, wrt: wrt}
		en, loss, w := tc.setup(t)
		ctx := context.Background()
		p, err := analyse(ctx, en, loss, w, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []Lang{Go, C, NumPy, Python} {
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: w, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range c.xs {
				data := map[string][]float64{"x": {x}}
				if len(wrt) == 2 {
					data["y"] = []float64{0.5}
				}
				b := bindings(p, data, nil)
				out := runDriver(t, lang, res, p, data, nil)
				if want := bigEval(t, p.original, en, b, 2048); relErr(out.Outs[0][0], want) > 1e-14 {
					t.Errorf("%s, %s at x = %v: loss %v, 2048-bit oracle %v", lang, c.loss, x, out.Outs[0][0], want)
				}
				for k := range wrt {
					want := bigEval(t, p.symbolic[k], en, b, 2048)
					if g := out.Outs[1+k][0]; math.IsNaN(g) || math.IsInf(g, 0) || relErr(g, want) > 1e-14 {
						t.Errorf("%s, %s at x = %v: d/d%s %v, 2048-bit oracle %v", lang, c.loss, x, wrt[k], g, want)
					}
				}
			}
		}
	}
}
