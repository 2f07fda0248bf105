package codegen

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/codegen/internal/seedce"
)

// Benchmarks of generated code: the seed's cross-entropy and gradient at
// n = 100,000 and d = 100, generated against written by hand.
//
//	go test -run '^$' -bench . ./cmd/internal/codegen/

const benchN, benchD = 100_000, 100

func benchData() ([][]float64, []float64, []float64) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([][]float64, benchN)
	y := make([]float64, benchN)
	for i := range x {
		x[i] = make([]float64, benchD)
		for j := range x[i] {
			x[i][j] = r.NormFloat64()
		}
		y[i] = float64(r.IntN(2))
	}
	w := make([]float64, benchD)
	for j := range w {
		w[j] = r.NormFloat64() * 0.1
	}
	return x, y, w
}

// handLossGrad is the loop a person writes: one pass over the rows.
func handLossGrad(x [][]float64, y, w []float64) (float64, []float64) {
	n := len(y)
	g := make([]float64, len(w))
	loss := 0.0
	for i, xi := range x {
		z := 0.0
		for j, v := range xi {
			z += v * w[j]
		}
		loss += math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) - y[i]*z
		var p float64
		if z >= 0 {
			p = 1 / (1 + math.Exp(-z))
		} else {
			e := math.Exp(z)
			p = e / (1 + e)
		}
		r := p - y[i]
		for k, v := range xi {
			g[k] += r * v
		}
	}
	for k := range g {
		g[k] /= float64(n)
	}
	return loss / float64(n), g
}

func BenchmarkSeedCE(b *testing.B) {
	x, y, w := benchData()
	// The two agree (the benchmark measures the same computation).
	l1, g1 := seedce.LossGrad(x, y, w)
	l2, g2 := handLossGrad(x, y, w)
	if relErr(l1, l2) > 1e-12 {
		b.Fatalf("loss: generated %v, by hand %v", l1, l2)
	}
	for k := range g1 {
		if relErr(g1[k], g2[k]) > 1e-12 {
			b.Fatalf("gradient[%d]: generated %v, by hand %v", k, g1[k], g2[k])
		}
	}
	b.Run("generated", func(b *testing.B) {
		for b.Loop() {
			seedce.LossGrad(x, y, w)
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		for b.Loop() {
			handLossGrad(x, y, w)
		}
	})
}

// BenchmarkSeedCENumPy times the generated NumPy function against the
// expression a person writes, X.T @ (sigmoid(X @ w) - y) / n, in Python
// (timeit, best of 5), and reports both; it asserts nothing about time.
func BenchmarkSeedCENumPy(b *testing.B) {
	py := pythonWithNumPy()
	if py == "" {
		if os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
			b.Fatal("Python 3 with NumPy is missing, and SYMDIFF_REQUIRE_TOOLS=1 requires it")
		}
		b.Skip("SKIPPED: Python 3 with NumPy is missing")
	}
	tc := &tcase{defs: "../../../examples/logistic.sd", loss: "CE", wrt: []string{"w[k]"}}
	en, loss, wrt := tc.setup(b)
	res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: NumPy, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gen.py"), []byte(res.Code), 0o644); err != nil {
		b.Fatal(err)
	}
	script := `import timeit
import numpy as np
from gen import loss_grad

rng = np.random.default_rng(1)
n, d = ` + strconv.Itoa(benchN) + `, ` + strconv.Itoa(benchD) + `
x = rng.standard_normal((n, d))
y = rng.integers(0, 2, n).astype(float)
w = rng.standard_normal(d) * 0.1


def by_hand(x, y, w):
    z = x @ w
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    return loss, x.T @ (1.0 / (1.0 + np.exp(-z)) - y) / len(y)


l1, g1 = loss_grad(x, y, w)
l2, g2 = by_hand(x, y, w)
assert abs(l1 - l2) < 1e-12 and np.max(np.abs(g1 - g2)) < 1e-12
for name, f in [("generated", loss_grad), ("handwritten", by_hand)]:
    t = min(timeit.repeat(lambda: f(x, y, w), number=5, repeat=5)) / 5
    print(f"{name} {t * 1e3:.3f} ms")
`
	if err := os.WriteFile(filepath.Join(dir, "bench.py"), []byte(script), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cmd := exec.Command(py, "bench.py")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		for _, m := range regexp.MustCompile(`(\w+) ([\d.]+) ms`).FindAllStringSubmatch(string(out), -1) {
			v, _ := strconv.ParseFloat(m[2], 64)
			b.ReportMetric(v, m[1]+"-ms")
		}
		b.Logf("NumPy, n = %d, d = %d:\n%s", benchN, benchD, out)
	}
}
