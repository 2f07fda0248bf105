// Package workload generates the performance suite of issue 15: the
// workloads W1–W8 at each of their sizes, as source text that symdiff,
// SymPy and Maxima all read (the same infix syntax: + - * / ^, sigma a
// function each side defines), with what a right answer is. The
// benchmarks (cmd/symdiff/bench_test.go) and the side-by-side command
// (cmd/symdiff-peers) both take their workloads from here, so the three
// programs are timed on the same expressions.
package workload

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Kind is what a workload asks for.
type Kind int

const (
	// Diff: differentiate Input by Var (and then Var2, when set) and
	// simplify.
	Diff Kind = iota
	// Parse: read Input, a file of definitions NAME := EXPR, one a line.
	Parse
	// Prove: run Input, a script whose proofs must all be proved.
	Prove
)

// A Workload is one row of the suite.
type Workload struct {
	ID   string // W1 … W8
	Name string // what it is, for tables
	Size string // its size, as the issue writes it ("n×d = 3×2")
	key  string // the size in a benchmark's name ("3x2")
	Kind Kind

	// Input is the expression (Diff), the file of definitions (Parse) or
	// the script (Prove), in symdiff's syntax, which for Diff and Parse is
	// also SymPy's and Maxima's.
	Input     string
	Var, Var2 string // Diff: the variables of the derivative

	// Answer is the expected result of a Diff in the same syntax (the
	// residual form), or "" when written out it would be too large (W3's
	// product of 10,000 cosines).
	Answer string
	// Want computes the expected derivative at a point independently of
	// symdiff (plain Go arithmetic), or is nil.
	Want func(at map[string]float64, prec uint) *big.Float
	// Point draws a point where Input is defined: every free name gets a
	// dyadic value (exact in binary and in decimal), so all three
	// programs evaluate at the same point.
	Point func(rng *rand.Rand) map[string]float64

	// Statements is, for Parse, the number of definitions and, for Prove,
	// the number of proofs.
	Statements int
	// Sample, for Parse: a few definitions' names with their values at
	// the point Point draws, computed in Go (float64).
	Sample func(at map[string]float64) map[string]float64

	// Heavy marks a size that takes minutes today on a shared 2-core
	// machine; the benchmarks still run it unless over their budget.
	Heavy bool
}

// Title is "W1 CE written out, n×d = 3×2".
func (w *Workload) Title() string { return w.ID + " " + w.Name + ", " + w.Size }

// Key is a short name for the workload and size, usable in a benchmark
// name or a file name: "W1/3x2".
func (w *Workload) Key() string { return w.ID + "/" + w.key }

// Statement is the symdiff statement a Diff workload runs: d(E, v) or
// d(E, v, u).
func (w *Workload) Statement() string {
	if w.Var2 != "" {
		return "d(" + w.Input + ", " + w.Var + ", " + w.Var2 + ")"
	}
	return "d(" + w.Input + ", " + w.Var + ")"
}

// Sizes of the issue.
var (
	ceSizes    = [][2]int{{3, 2}, {10, 3}, {100, 10}, {1000, 10}}
	sinSizes   = []int{100, 1000, 10000}
	powerSizes = []int{100, 1000, 10000}
	prodSizes  = []int{50, 100, 1000}
)

// All returns the suite in order: W1 … W8, each at every size.
func All() []*Workload {
	var out []*Workload
	for _, s := range ceSizes {
		out = append(out, CE(s[0], s[1]))
	}
	for _, s := range ceSizes {
		out = append(out, MSE(s[0], s[1]))
	}
	for _, n := range sinSizes {
		out = append(out, SinNest(n))
	}
	for _, n := range powerSizes {
		out = append(out, PowerSum(n))
	}
	for _, n := range prodSizes {
		out = append(out, Product(n))
	}
	for _, s := range ceSizes {
		out = append(out, CEHessian(s[0], s[1]))
	}
	out = append(out, Definitions(1<<20), SeedProof(), ProofBatch(200))
	return out
}

// dyadic rounds v to a multiple of 2^-10.
func dyadic(v float64) float64 { return float64(int64(v*1024)) / 1024 }

// linear is the written-out model of n samples and d features:
// z_i = x_i_1*w1 + … + x_i_d*wd.
type linear struct{ n, d int }

func (l linear) z(i int) string {
	var b strings.Builder
	for j := 1; j <= l.d; j++ {
		if j > 1 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "x_%d_%d*w%d", i, j, j)
	}
	return b.String()
}

func (l linear) zAt(at map[string]float64, i int) float64 {
	z := 0.0
	for j := 1; j <= l.d; j++ {
		z += at[fmt.Sprintf("x_%d_%d", i, j)] * at[fmt.Sprintf("w%d", j)]
	}
	return z
}

func (l linear) point(rng *rand.Rand) map[string]float64 {
	at := map[string]float64{}
	for i := 1; i <= l.n; i++ {
		at[fmt.Sprintf("y%d", i)] = float64(rng.IntN(2))
		for j := 1; j <= l.d; j++ {
			at[fmt.Sprintf("x_%d_%d", i, j)] = dyadic(-2 + 4*rng.Float64())
		}
	}
	for j := 1; j <= l.d; j++ {
		at[fmt.Sprintf("w%d", j)] = dyadic(-1 + 2*rng.Float64())
	}
	return at
}

// sumOf writes (t_1 + … + t_n).
func sumOf(n int, term func(i int) string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(" + ")
		}
		b.WriteString(term(i))
	}
	b.WriteByte(')')
	return b.String()
}

func ceSize(n, d int) string { return fmt.Sprintf("n×d = %d×%d", n, d) }

// CE is W1: the logistic cross-entropy over n samples and d features
// written out with distinct names, -(1/n)·Σ y_i log σ(z_i) +
// (1 − y_i) log(1 − σ(z_i)), by w1; the answer is the residual form
// (1/n)·Σ x_i_1 (σ(z_i) − y_i).
func CE(n, d int) *Workload {
	l := linear{n, d}
	return &Workload{
		ID: "W1", Name: "CE written out, d/dw1 + simplify", Size: ceSize(n, d), key: fmt.Sprintf("%dx%d", n, d), Kind: Diff,
		Input: fmt.Sprintf("-(1/%d)*", n) + sumOf(n, func(i int) string {
			return fmt.Sprintf("y%d*log(sigma(%s)) + (1 - y%d)*log(1 - sigma(%s))", i, l.z(i), i, l.z(i))
		}),
		Var: "w1",
		Answer: fmt.Sprintf("(1/%d)*", n) + sumOf(n, func(i int) string {
			return fmt.Sprintf("x_%d_1*(sigma(%s) - y%d)", i, l.z(i), i)
		}),
		Point: l.point,
		Heavy: n >= 1000,
	}
}

// MSE is W2: least squares written out, (1/n)·Σ (y_i − z_i)², by w1; the
// answer is (2/n)·Σ x_i_1 (z_i − y_i).
func MSE(n, d int) *Workload {
	l := linear{n, d}
	return &Workload{
		ID: "W2", Name: "MSE written out, d/dw1 + simplify", Size: ceSize(n, d), key: fmt.Sprintf("%dx%d", n, d), Kind: Diff,
		Input: fmt.Sprintf("(1/%d)*", n) + sumOf(n, func(i int) string {
			return fmt.Sprintf("(y%d - (%s))^2", i, l.z(i))
		}),
		Var: "w1",
		Answer: fmt.Sprintf("(2/%d)*", n) + sumOf(n, func(i int) string {
			return fmt.Sprintf("x_%d_1*(%s - y%d)", i, l.z(i), i)
		}),
		Point: l.point,
		Heavy: n >= 1000,
	}
}

// CEHessian is W6: the second derivative d²CE/dw1dw2 of W1's loss; the
// answer is (1/n)·Σ x_i_1 x_i_2 σ(z_i)(1 − σ(z_i)).
func CEHessian(n, d int) *Workload {
	w := CE(n, d)
	l := linear{n, d}
	w.ID, w.Name = "W6", "CE written out, d²/dw1dw2 + simplify"
	w.Var2 = "w2"
	w.Answer = fmt.Sprintf("(1/%d)*", n) + sumOf(n, func(i int) string {
		return fmt.Sprintf("x_%d_1*x_%d_2*sigma(%s)*(1 - sigma(%s))", i, i, l.z(i), l.z(i))
	})
	return w
}

// SinNest is W3: sin(sin(…sin(x)…)) n deep, by x; the derivative is
// Π_{k=0}^{n-1} cos(sin^k(x)).
func SinNest(n int) *Workload {
	return &Workload{
		ID: "W3", Name: "sin nested, d/dx + simplify", Size: fmt.Sprintf("depth %d", n), key: strconv.Itoa(n), Kind: Diff,
		Input: strings.Repeat("sin(", n) + "x" + strings.Repeat(")", n),
		Var:   "x",
		Want: func(at map[string]float64, prec uint) *big.Float {
			return sinNestDerivative(at["x"], n, prec)
		},
		Point: func(rng *rand.Rand) map[string]float64 {
			return map[string]float64{"x": dyadic(-3 + 6*rng.Float64())}
		},
		Heavy: n >= 10000,
	}
}

// PowerSum is W4: x/1 + x^2/2 + … + x^n/n written out, by x; the
// derivative is 1 + x + … + x^(n-1).
func PowerSum(n int) *Workload {
	var b strings.Builder
	for k := 1; k <= n; k++ {
		if k > 1 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "x^%d/%d", k, k)
	}
	return &Workload{
		ID: "W4", Name: "Σ x^k/k written out, d/dx + simplify", Size: fmt.Sprintf("N = %d", n), key: strconv.Itoa(n), Kind: Diff,
		Input: b.String(),
		Var:   "x",
		Want: func(at map[string]float64, prec uint) *big.Float {
			x := new(big.Float).SetPrec(prec).SetFloat64(at["x"])
			s, p := new(big.Float).SetPrec(prec), new(big.Float).SetPrec(prec).SetInt64(1)
			for range n {
				s.Add(s, p)
				p.Mul(p, x)
			}
			return s
		},
		Point: func(rng *rand.Rand) map[string]float64 {
			return map[string]float64{"x": dyadic(-0.95 + 1.9*rng.Float64())}
		},
		Heavy: n >= 10000,
	}
}

// Product is W5: (x + 1)(x + 2)…(x + n), by x; the derivative is
// Π(x + k)·Σ 1/(x + k).
func Product(n int) *Workload {
	var b strings.Builder
	for k := 1; k <= n; k++ {
		if k > 1 {
			b.WriteByte('*')
		}
		fmt.Fprintf(&b, "(x + %d)", k)
	}
	return &Workload{
		ID: "W5", Name: "Π(x+k), d/dx + simplify", Size: fmt.Sprintf("N = %d", n), key: strconv.Itoa(n), Kind: Diff,
		Input: b.String(),
		Var:   "x",
		Want: func(at map[string]float64, prec uint) *big.Float {
			x := new(big.Float).SetPrec(prec).SetFloat64(at["x"])
			p, s := new(big.Float).SetPrec(prec).SetInt64(1), new(big.Float).SetPrec(prec)
			for k := 1; k <= n; k++ {
				xk := new(big.Float).SetPrec(prec).Add(x, big.NewFloat(float64(k)))
				p.Mul(p, xk)
				s.Add(s, new(big.Float).SetPrec(prec).Quo(big.NewFloat(1), xk))
			}
			return p.Mul(p, s)
		},
		Point: func(rng *rand.Rand) map[string]float64 {
			// Right of the roots -1, -2, …, -n.
			return map[string]float64{"x": 0.25 + dyadic(1.5*rng.Float64())}
		},
		Heavy: n >= 1000,
	}
}

// sinNestDerivative is Π_{k=0}^{n-1} cos(sin^k(x)), in float64.
func sinNestDerivative(x float64, n int, prec uint) *big.Float {
	p, s := 1.0, x
	for range n {
		p *= math.Cos(s)
		s = math.Sin(s)
	}
	return new(big.Float).SetPrec(prec).SetFloat64(p)
}

// Definitions is W7: about size bytes of definitions, one a line,
// aK := yK*log(sigma(zK)) + (1 - yK)*log(1 - sigma(zK)) with zK linear
// in three features: each sample's term of W1's loss, named.
func Definitions(size int) *Workload {
	const d = 3
	l := linear{0, d}
	var b strings.Builder
	k := 0
	for b.Len() < size {
		k++
		z := l.z(k)
		fmt.Fprintf(&b, "a%d := y%d*log(sigma(%s)) + (1 - y%d)*log(1 - sigma(%s))\n", k, k, z, k, z)
	}
	n := k
	l.n = n
	return &Workload{
		ID: "W7", Name: "parse definitions", Size: fmt.Sprintf("%d kB, %d definitions", b.Len()/1000, n), key: fmt.Sprintf("%dkB", b.Len()/1000), Kind: Parse,
		Input:      b.String(),
		Statements: n,
		Point:      l.point,
		Sample: func(at map[string]float64) map[string]float64 {
			out := map[string]float64{}
			for _, i := range []int{1, n / 2, n} {
				y, z := at[fmt.Sprintf("y%d", i)], l.zAt(at, i)
				p := 1 / (1 + math.Exp(-z))
				out[fmt.Sprintf("a%d", i)] = y*math.Log(p) + (1-y)*math.Log(1-p)
			}
			return out
		},
	}
}

// seedDefs are the definitions of examples/logistic.sd, with a suffix on
// every name so that a batch's proofs share nothing.
func seedDefs(sfx string) string {
	return strings.NewReplacer("$", sfx).Replace(`z$[i] := sum(j=1..d, x$[i,j]*w$[j])
p$[i] := sigma(z$[i])
CE$ := -mean(i=1..n, y$[i]*log(p$[i]) + (1 - y$[i])*log(1 - p$[i]))
q$[i] := z$[i]
MSE$ := mean(i=1..n, (y$[i] - q$[i])^2)
`)
}

// SeedProof is W8: the seed question's proof, d(CE, w[k]) ==
// mean(i=1..n, x[i,k]*(p[i] - y[i])), after examples/logistic.sd's
// definitions.
func SeedProof() *Workload {
	return &Workload{
		ID: "W8", Name: "seed proof", Size: "1 proof", key: "seed", Kind: Prove,
		Input:      seedDefs("") + "prove d(CE, w[k]) == mean(i=1..n, x[i,k]*(p[i] - y[i]))\n",
		Statements: 1,
	}
}

// ProofBatch is W8's batch: n independent proofs, alternately the CE and
// the MSE gradient in residual form, each over names of its own.
func ProofBatch(n int) *Workload {
	var b strings.Builder
	for j := 1; j <= n; j++ {
		sfx := fmt.Sprintf("B%d", j)
		b.WriteString(seedDefs(sfx))
		if j%2 == 1 {
			b.WriteString(strings.ReplaceAll("prove d(CE$, w$[k]) == mean(i=1..n, x$[i,k]*(p$[i] - y$[i]))\n", "$", sfx))
		} else {
			b.WriteString(strings.ReplaceAll("prove d(MSE$, w$[k]) == 2*mean(i=1..n, x$[i,k]*(q$[i] - y$[i]))\n", "$", sfx))
		}
	}
	return &Workload{
		ID: "W8", Name: "proof batch", Size: fmt.Sprintf("%d proofs", n), key: fmt.Sprintf("batch%d", n), Kind: Prove,
		Input:      b.String(),
		Statements: n,
	}
}
