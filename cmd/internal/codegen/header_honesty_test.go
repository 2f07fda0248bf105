package codegen

import (
	"context"
	"maps"
	"math"
	"os/exec"
	"strings"
	"testing"
)

// TestHeaderHonestRawExp checks the header's stability line against the
// cases that still overflow where the math is finite (the square of a
// sum of exps: at z = 1000 it gives NaN or
// Inf, so the header must say an exp was left as written and must not
// say "nothing needed rewriting". Losses whose every exp is shifted by a
// max (log(exp(a) + exp(b))) or removed (the logistic loss) must not carry
// the note. The oracle is the reviewer's run: NaN/Inf at the data given
// in the issue, with numpy giving finite values.
func TestHeaderHonestRawExp(t *testing.T) {
	for _, c := range []struct {
		loss, defs string
		wrt        []string
		raw        bool
	}{
		// Rewritten since (TestSoftmaxCEGradStability): its gradient's
		// numerator is linear in the exp(z[j]).
		{loss: "-sum(i=1..n, y[i]*log(exp(sum(l=1..d, x[i,l]*w[l]))/sum(j=1..n, exp(sum(l=1..d, x[j,l]*w[l])))))", wrt: []string{"w[k]"}},
		{loss: "mean(i=1..n, exp(z[i])/(1+exp(z[i])))", wrt: []string{"z[k]"}}, // rewritten to sigma
		{loss: "log(mean(i=1..n, exp(z[i])))", wrt: []string{"z[k]"}},          // shifted since (TestLogMeanExpStability)
		{loss: "log(sum(i=1..n, exp(z[i]))^2)", wrt: []string{"z[k]"}, raw: true},
		{loss: "log(exp(a) + exp(b))", wrt: []string{"a", "b"}},
		{defs: "../../../examples/logistic.sd", loss: "CE", wrt: []string{"w[k]"}},
		// cosh and sinh overflow as exp does: log(1 + cosh(z)) is Inf at
		// z = 800 (the math: 799.31), and the header said nothing needed
		// rewriting. log(cosh(z)) is rewritten (TestLogCoshStability).
		{loss: "log(1 + cosh(z))", wrt: []string{"z"}, raw: true},
		{loss: "log(cosh(z))", wrt: []string{"z"}},
		{loss: "(y - sinh(z))^2", wrt: []string{"z"}, raw: true},
		{loss: "(y - tanh(z))^2", wrt: []string{"z"}},
	} {
		tc := &tcase{defs: c.defs, loss: c.loss, wrt: c.wrt}
		en, loss, wrt := tc.setup(t)
		res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: NumPy, Package: "main", Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", c.loss, err)
		}
		src := res.Code
		gotRaw := strings.Contains(src, "NOT rewritten")
		if gotRaw != c.raw {
			t.Errorf("%s: header notes exp left as written = %v, want %v", c.loss, gotRaw, c.raw)
		}
		if c.raw && strings.Contains(src, "nothing needed rewriting") {
			t.Errorf("%s: header says nothing needed rewriting, but an exp can overflow", c.loss)
		}
	}
}

// TestExpLogisticStability runs the generated mean(i=1..n, exp(z[i])/(1 +
// exp(z[i]))) at z = (1000, 0) and (-1000, 3): written as it reads, the
// loss is Inf/Inf = NaN (Python's math raises OverflowError), where it is
// the mean of sigma(z[i]). The oracle is the loss at 2048 bits.
func TestExpLogisticStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	checkStableInZ(t, "mean(i=1..n, exp(z[i])/(1+exp(z[i])))", []map[string][]float64{{"z": {1000, 0}}, {"z": {-1000, 3}}}, 1e-14)
}

// checkStableInZ runs the code generated for a loss in z[1..2] (and its
// gradient by z[k]) in every language at the points given, and compares
// the loss (to lossTol, relative) and each gradient entry (to 1e-14) with
// 2048-bit evaluation of the loss as written and of its derivative.
func checkStableInZ(t *testing.T, lossSrc string, points []map[string][]float64, lossTol float64) {
	t.Helper()
	tc := &tcase{loss: lossSrc, wrt: []string{"z[k]"}}
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	p, err := analyse(ctx, en, loss, wrt, false)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{"n": 2}
	for _, lang := range []Lang{Go, C, NumPy, Python} {
		res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		for _, data := range points {
			z := data["z"]
			b := bindings(p, data, sizes)
			want := bigEval(t, p.original, en, b, 2048)
			out := runDriver(t, lang, res, p, data, sizes)
			if got := out.Outs[0][0]; math.IsNaN(got) || math.IsInf(got, 0) || relErr(got, want) > lossTol {
				t.Errorf("%s at z = %v: loss %v, 2048-bit oracle %v", lang, z, got, want)
			}
			for k, idx := range indices("k", 2) {
				bb := maps.Clone(b)
				maps.Copy(bb, idx)
				wg := bigEval(t, p.symbolic[0], en, bb, 2048)
				if g := out.Outs[1][k]; math.IsNaN(g) || math.IsInf(g, 0) || math.Abs(g-wg) > 1e-14*math.Max(1, math.Abs(wg)) {
					t.Errorf("%s at z = %v: d/dz[%d] %v, 2048-bit oracle %v", lang, z, k+1, g, wg)
				}
			}
		}
	}
}

// TestHeaderRawNoteByLanguage: how an exp left as written overflows is the
// language's. Plain Python's math.exp raises OverflowError (it does not
// give Inf), so its header must say so; the others give Inf. The oracle
// for Python is Python itself: math.exp(800) raises.
func TestHeaderRawNoteByLanguage(t *testing.T) {
	tc := &tcase{loss: "(y - sinh(z))^2", wrt: []string{"z"}}
	en, loss, wrt := tc.setup(t)
	for _, c := range []struct {
		lang Lang
		want string
	}{
		{Python, "raise OverflowError"},
		{NumPy, "overflow to Inf"},
		{Go, "overflow to Inf"},
		{C, "overflow to Inf"},
	} {
		res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: c.lang, Package: "main", Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Code, c.want) {
			t.Errorf("%s: header does not say the raw exp/cosh/sinh %s:\n%s", c.lang, c.want, res.Code)
		}
	}
	py := pythonWithNumPy()
	needTool(t, py != "", "python3 with numpy")
	{
		out, err := exec.Command(py, "-c", "import math\ntry:\n  math.cosh(800.0)\n  print('inf')\nexcept OverflowError:\n  print('raises')").Output()
		if err != nil || strings.TrimSpace(string(out)) != "raises" {
			t.Errorf("python's math.cosh(800): %q, %v; the header's claim is wrong", out, err)
		}
	}
}

// TestLogCoshStability runs the generated log-cosh loss mean(i=1..n,
// log(cosh(z[i] - y[i]))) and its gradient in every language at
// residuals of ±800 and ±1000, where cosh overflows (Inf, or Python's
// OverflowError) and the loss is about |r| - log(2), and at small and
// moderate residuals. The oracle is the loss and gradient at 2048 bits.
func TestLogCoshStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	var points []map[string][]float64
	for _, z := range [][]float64{{1000, -800}, {-1000, 0.5}, {800.25, 3}, {0.75, -2}} {
		points = append(points, map[string][]float64{"z": z, "y": {0.5, -0.25}})
	}
	checkStableInZ(t, "mean(i=1..n, log(cosh(z[i] - y[i])))", points, 1e-13)
}
