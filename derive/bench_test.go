package derive_test

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// sinNest returns sin(sin(...(x)...)) with n applications.
func sinNest(n int) ast.Expr {
	var e ast.Expr = ast.NewSym("x")
	for range n {
		e = ast.NewCall("sin", e)
	}
	return e
}

// powerSum returns x^1/1 + x^2/2 + ... + x^n/n as one Add node.
func powerSum(n int) ast.Expr {
	x := ast.NewSym("x")
	terms := make([]ast.Expr, n)
	for k := 1; k <= n; k++ {
		kk := ast.NewInt(int64(k))
		terms[k-1] = ast.NewDiv(ast.NewPow(x, kk), kk)
	}
	return ast.NewAdd(terms...)
}

// ceProblem is the logistic cross-entropy over n samples and d features
// written out with distinct names (x_i_j, w1..wd, y1..yn): no sum nodes.
type ceProblem struct {
	n, d     int
	ce       ast.Expr // -(1/n) * Σ_i [y_i log σ(z_i) + (1 - y_i) log(1 - σ(z_i))]
	residual ast.Expr // (1/n) * Σ_i x_i_1 (σ(z_i) - y_i), the gradient wrt w1
	w1       ast.Expr
}

func newCE(n, d int) *ceProblem {
	ws := make([]ast.Expr, d)
	for j := range ws {
		ws[j] = ast.NewSym(fmt.Sprintf("w%d", j+1))
	}
	loss := make([]ast.Expr, n)
	res := make([]ast.Expr, n)
	for i := 1; i <= n; i++ {
		prods := make([]ast.Expr, d)
		for j := 1; j <= d; j++ {
			prods[j-1] = ast.NewMul(ast.NewSym(fmt.Sprintf("x_%d_%d", i, j)), ws[j-1])
		}
		z := ast.NewAdd(prods...)
		p := ast.NewCall("sigma", z)
		y := ast.NewSym(fmt.Sprintf("y%d", i))
		loss[i-1] = ast.NewAdd(
			ast.NewMul(y, ast.NewCall("log", p)),
			ast.NewMul(ast.NewAdd(ast.One, ast.NewNeg(y)), ast.NewCall("log", ast.NewAdd(ast.One, ast.NewNeg(p)))))
		res[i-1] = ast.NewMul(ast.NewSym(fmt.Sprintf("x_%d_1", i)), ast.NewAdd(p, ast.NewNeg(y)))
	}
	inv := ast.NewNum(ast.Frac(1, int64(n)))
	return &ceProblem{
		n: n, d: d,
		ce:       ast.NewNeg(ast.NewMul(inv, ast.NewAdd(loss...))),
		residual: ast.NewMul(inv, ast.NewAdd(res...)),
		w1:       ws[0],
	}
}

// gradient is d(CE, w1), simplified.
func (p *ceProblem) gradient(tb testing.TB) ast.Expr {
	raw, err := derive.D(bg, p.ce, p.w1, derive.Options{Rules: builtin})
	if err != nil {
		tb.Fatal(err)
	}
	res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
	if err != nil {
		tb.Fatal(err)
	}
	if res.Stop != simplify.StopFixpoint {
		tb.Fatalf("Simplify stopped: %s (%s)", res.Stop, res.Detail)
	}
	return res.Expr
}

func ceBindings(p *ceProblem, seed uint64) ast.Bindings {
	rng := rand.New(rand.NewPCG(seed, 3))
	b := ast.Bindings{}
	for i := 1; i <= p.n; i++ {
		b[fmt.Sprintf("y%d", i)] = ast.Scalar(float64(rng.IntN(2)))
		for j := 1; j <= p.d; j++ {
			b[fmt.Sprintf("x_%d_%d", i, j)] = ast.Scalar(dyadic(-2 + 4*rng.Float64()))
		}
	}
	for j := 1; j <= p.d; j++ {
		b[fmt.Sprintf("w%d", j)] = ast.Scalar(dyadic(-1 + 2*rng.Float64()))
	}
	return b
}

// TestBenchmarkWorkloads checks what the benchmarks compute, at small
// sizes: the derivatives are right and the proof closes.
func TestBenchmarkWorkloads(t *testing.T) {
	t.Run("sin nest", func(t *testing.T) {
		const n = 30
		d, err := derive.D(bg, sinNest(n), ast.NewSym("x"), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		// d/dx sin^n(x) = Π_{k=0}^{n-1} cos(sin^k(x)).
		for _, x := range []float64{-1.3, 0.2, 0.9} {
			want, s := 1.0, x
			for range n {
				want *= cos(s)
				s = sin(s)
			}
			got, err := ast.Eval(d, nil, ast.Bindings{"x": ast.Scalar(x)})
			if err != nil || !near(got, want, 1e-12, 1e-300) {
				t.Errorf("at x=%g: got %v (%v), want %v", x, got, err, want)
			}
		}
	})
	t.Run("power sum", func(t *testing.T) {
		const n = 200
		d, err := derive.D(bg, powerSum(n), ast.NewSym("x"), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		res, err := simplify.Simplify(bg, d, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		// d/dx Σ x^k/k = Σ x^(k-1) = (1 - x^n)/(1 - x).
		for _, x := range []float64{-0.75, 0.5, 0.96875} {
			want := (1 - pow(x, n)) / (1 - x)
			for _, e := range []ast.Expr{d, res.Expr} {
				got, err := ast.Eval(e, nil, ast.Bindings{"x": ast.Scalar(x)})
				if err != nil || !near(got, want, 1e-10, 1e-12) {
					t.Errorf("at x=%g: got %v (%v), want %v", x, got, err, want)
				}
			}
		}
	})
	for _, n := range []int{3, 10} {
		t.Run(fmt.Sprintf("CE n=%d", n), func(t *testing.T) {
			p := newCE(n, 5)
			g := p.gradient(t)
			for seed := uint64(0); seed < 5; seed++ {
				b := ceBindings(p, seed)
				got, err1 := ast.Eval(g, nil, b)
				want, err2 := ast.Eval(p.residual, nil, b)
				if err1 != nil || err2 != nil || !near(got, want, 1e-10, 1e-13) {
					t.Errorf("gradient %v (%v), residual form %v (%v)", got, err1, want, err2)
				}
			}
			pr, err := prove.Prove(bg, ast.NewDeriv(p.ce, p.w1), p.residual, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			if pr.Verdict != prove.Proved {
				t.Errorf("d(CE, w1) == residual form: %s (%s)", pr.Verdict, pr.Tried)
			}
		})
	}
}

func reportRate(b *testing.B, nodes int64, unit string) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(nodes)*float64(b.N)/s, unit)
	}
}

func benchSinNest(b *testing.B, n int) {
	e := sinNest(n)
	x := ast.NewSym("x")
	for b.Loop() {
		if _, err := derive.D(bg, e, x, derive.Options{Rules: builtin}); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, e.Size(), "nodes/s")
}

func BenchmarkDiffSinNested1000(b *testing.B)  { benchSinNest(b, 1000) }
func BenchmarkDiffSinNested10000(b *testing.B) { benchSinNest(b, 10000) }

func BenchmarkDiffSinNestedScaling(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchSinNest(b, n) })
	}
}

func benchPowerSum(b *testing.B, n int) {
	e := powerSum(n)
	x := ast.NewSym("x")
	for b.Loop() {
		d, err := derive.D(bg, e, x, derive.Options{Rules: builtin})
		if err != nil {
			b.Fatal(err)
		}
		res, err := simplify.Simplify(bg, d, simplify.Options{Rules: builtin})
		if err != nil {
			b.Fatal(err)
		}
		if res.Stop != simplify.StopFixpoint {
			b.Fatalf("Simplify stopped: %s (%s)", res.Stop, res.Detail)
		}
	}
	reportRate(b, e.Size(), "nodes/s")
}

func BenchmarkDiffPowerSum10000(b *testing.B) { benchPowerSum(b, 10000) }

func BenchmarkDiffPowerSumScaling(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchPowerSum(b, n) })
	}
}

func benchCE(b *testing.B, n int) {
	p := newCE(n, 5)
	for b.Loop() {
		p.gradient(b)
	}
	reportRate(b, p.ce.Size(), "nodes/s")
}

func BenchmarkCEWrittenOut(b *testing.B) { benchCE(b, 100) }

func BenchmarkCEWrittenOutScaling(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchCE(b, n) })
	}
}

func benchCEProof(b *testing.B, n int) {
	p := newCE(n, 5)
	a := ast.NewDeriv(p.ce, p.w1)
	for b.Loop() {
		pr, err := prove.Prove(bg, a, p.residual, simplify.Options{Rules: builtin, Timeout: 5 * time.Minute})
		if err != nil {
			b.Fatal(err)
		}
		if pr.Verdict != prove.Proved {
			b.Fatalf("not proved: %s (%s)", pr.Verdict, pr.Tried)
		}
	}
	reportRate(b, p.ce.Size(), "nodes/s")
}

func BenchmarkCEWrittenOutProof(b *testing.B) { benchCEProof(b, 100) }

func BenchmarkCEWrittenOutProofScaling(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchCEProof(b, n) })
	}
}

// BenchmarkDeriveOnlyPowerSum1000 is W4's differentiation alone (issue
// 15): the layers and their steps, without the simplifier.
func BenchmarkDeriveOnlyPowerSum1000(b *testing.B) {
	e := powerSum(1000)
	x := ast.NewSym("x")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := derive.D(bg, e, x, derive.Options{Rules: builtin}); err != nil {
			b.Fatal(err)
		}
	}
}

// mse returns W2's mean squared error written out with distinct names,
// (1/n)*((y1 - (x_1_1*w1 + ... + x_1_d*wd))^2 + ...), as the workload
// suite (cmd/internal/workload) writes it.
func mse(n, d int) ast.Expr {
	sq := make([]ast.Expr, n)
	for i := 1; i <= n; i++ {
		prods := make([]ast.Expr, d)
		for j := 1; j <= d; j++ {
			prods[j-1] = ast.NewMul(ast.NewSym(fmt.Sprintf("x_%d_%d", i, j)), ast.NewSym(fmt.Sprintf("w%d", j)))
		}
		r := ast.NewAdd(ast.NewSym(fmt.Sprintf("y%d", i)), ast.NewNeg(ast.NewAdd(prods...)))
		sq[i-1] = ast.NewPow(r, ast.Two)
	}
	return ast.NewMul(ast.NewNum(ast.Frac(1, int64(n))), ast.NewAdd(sq...))
}

// cpuNow is this process's user + system CPU time so far: on a shared
// machine, CPU time per operation varies much less than wall time.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDeriveOnly is the differentiation of the small workloads of
// issue 15 alone, as the simplifier asks for it (ExpandStep of d(E, v)),
// without simplifying.
func BenchmarkDeriveOnly(b *testing.B) {
	w1 := ast.NewSym("w1")
	for _, c := range []struct {
		name string
		d    ast.Expr
	}{
		{"W1/3x2", ast.NewDeriv(newCE(3, 2).ce, w1)},
		{"W2/3x2", ast.NewDeriv(mse(3, 2), w1)},
		{"W2/10x3", ast.NewDeriv(mse(10, 3), w1)},
		{"W4/100", ast.NewDeriv(powerSum(100), ast.NewSym("x"))},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var start time.Duration
			for i := 0; b.Loop(); i++ {
				if i == 0 {
					start = cpuNow()
				}
				if _, _, err := derive.ExpandStep(bg, c.d, derive.Options{Rules: builtin}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuNow()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}
