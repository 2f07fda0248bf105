package matrix_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// The softmax cross-entropy with labels y: its gradient by the scores z is
// softmax(z)*sum(y) - y, and softmax(z) - y only for labels that sum to 1
// (one-hot labels do), which assume sum(y) == 1 says. Each result states
// which it is, and each is checked against central finite differences of
// the loss written by hand, at labels that sum to 1 and at labels that
// do not.
func TestSoftmaxOneHot(t *testing.T) {
	const loss = "-sum(y .* log(softmax(z)))"
	for _, c := range []struct {
		name     string
		assume   string
		want     string
		notes    []string
		sumToOne bool // the labels the result holds for
	}{
		{"no assumption", "", "sum(y)*softmax(z) - y",
			[]string{"(no assumption about sum(y): for labels that sum to 1, as one-hot labels do, assume sum(y) == 1)"}, false},
		{"labels sum to 1", "assume sum(y) == 1", "softmax(z) - y", []string{"(by assumption sum(y) == 1)"}, true},
		{"written the other way", "assume 1 == sum(y)", "sum(y)*softmax(z) - y",
			[]string{"(assume 1 == sum(y) was not used: an equality rewrites its left side to its right side; write assume sum(y) == 1)"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "z : vector(K)\ny : vector(K)\n" + c.assume + "\n"
			opt, pctx := setupSource(t, "t", src)
			e, err := parser.ParseExpr("d("+loss+", z)", pctx)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			r, err := matrix.Simplify(ctx, e, opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Value == nil || ast.String(r.Value) != c.want {
				t.Fatalf("d(%s, z) = %v (index form %s), want %s", loss, r.Value, ast.String(r.Simplified.Expr), c.want)
			}
			if !slices.Equal(r.Notes, c.notes) {
				t.Errorf("notes %q, want %q", r.Notes, c.notes)
			}
			// The result against central differences of the loss written
			// by hand: -sum_i y_i*(z_i - log(sum_j exp(z_j))).
			ref := func(z, y []float64) float64 {
				lse := 0.0
				for _, x := range z {
					lse += math.Exp(x)
				}
				lse = math.Log(lse)
				s := 0.0
				for i := range z {
					s -= y[i] * (z[i] - lse)
				}
				return s
			}
			rng := rand.New(rand.NewPCG(7, 11))
			for trial := range 20 {
				k := 2 + rng.IntN(4)
				z, y := make([]float64, k), make([]float64, k)
				for i := range z {
					z[i] = 3 * rng.NormFloat64()
					if trial >= 10 {
						z[i] *= 10 // far from 0
					}
				}
				switch {
				case c.sumToOne && trial%2 == 0: // one-hot
					y[rng.IntN(k)] = 1
				case c.sumToOne: // soft labels that sum to 1
					s := 0.0
					for i := range y {
						y[i] = rng.Float64()
						s += y[i]
					}
					for i := range y {
						y[i] /= s
					}
				default: // any labels, even negative ones
					for i := range y {
						y[i] = 2 * rng.NormFloat64()
					}
				}
				b := ast.Bindings{"K": ast.Scalar(float64(k)), "z": ast.Value{Shape: []int{k}, Data: z}, "y": ast.Value{Shape: []int{k}, Data: y}}
				got, err := matrix.Eval(ctx, r.Value, b, opt, opt.Simplify.Rules.Defs())
				if err != nil {
					t.Fatal(err)
				}
				for i := range z {
					h := 1e-6 * math.Max(1, math.Abs(z[i]))
					zp, zm := slices.Clone(z), slices.Clone(z)
					zp[i] += h
					zm[i] -= h
					fd := (ref(zp, y) - ref(zm, y)) / (2 * h)
					if math.Abs(got.Data[i]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
						t.Fatalf("trial %d, z=%v y=%v: %s at %d = %.12g, central differences %.12g", trial, z, y, c.want, i, got.Data[i], fd)
					}
				}
			}
		})
	}
}

// TestVectorAssumption: an assumption between vectors or matrices holds
// entry by entry (T*ones(K) == ones(n): each row of T sums to 1). It was
// dropped before, silently, and a consequence was refuted at a T whose
// rows do not sum to 1.
func TestVectorAssumption(t *testing.T) {
	for _, c := range []struct{ assume, a, b, verdict string }{
		{"", "sum(T*ones(K))", "n", "refuted"},
		{"assume T*ones(K) == ones(n)", "sum(T*ones(K))", "n", "proved"},
		{"assume T*ones(K) == ones(n)", "T*ones(K)", "ones(n)", "proved"},
		{"assume T*ones(K) == ones(n)", "sum(T*ones(K))", "2*n", "refuted"},
		{"assume T*ones(K) == ones(n)", "ones(n)'*T*ones(K)", "n", "proved"},
	} {
		src := "T : matrix(n, K)\ny : vector(K)\n" + c.assume + "\n"
		opt, pctx := setupSource(t, "t", src)
		a, b := parsePair(t, pctx, c.a, c.b)
		pr, err := matrix.Prove(context.Background(), a, b, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Verdict.String(); got != c.verdict {
			t.Errorf("%s: prove %s == %s: %s, want %s (%s)", c.assume, c.a, c.b, got, c.verdict, pr.Tried)
			continue
		}
		if pr.Verdict.String() != "refuted" || c.assume == "" {
			continue
		}
		// The counterexample is inside the assumption: the rows of T sum to 1.
		v := pr.Counter.Bindings["T"]
		if len(v.Shape) != 2 {
			t.Fatalf("%s: prove %s == %s: no matrix T in the counterexample %s", c.assume, c.a, c.b, pr.Counter.Point())
		}
		for i := range v.Shape[0] {
			s := 0.0
			for j := range v.Shape[1] {
				s += v.Data[i*v.Shape[1]+j]
			}
			if math.Abs(s-1) > 1e-9 {
				t.Errorf("%s: prove %s == %s: row %d of T sums to %g in the counterexample %s", c.assume, c.a, c.b, i+1, s, pr.Counter.Point())
			}
		}
	}
}

// TestVectorEquality: an equality between vectors (y == 2*ones(K)) holds
// entry by entry where the prover draws its points too: consequences are
// proved, not contradicted by points that break it, and a false claim's
// counterexample satisfies it, by the test's own reading of the point.
func TestVectorEquality(t *testing.T) {
	for _, c := range []struct {
		assume, a, b, verdict string
		holds                 func(y, z []float64) bool
		sides                 func(y, z []float64) (float64, float64)
	}{
		{"assume y == 2*ones(K)", "sum(y)", "2*K", "proved", nil, nil},
		{"assume y == 2*ones(K)", "y'*y", "4*K", "proved", nil, nil},
		{"assume y == 2*ones(K)", "sum(y)", "3*K", "refuted",
			func(y, z []float64) bool { return !slices.ContainsFunc(y, func(v float64) bool { return v != 2 }) },
			func(y, z []float64) (float64, float64) {
				s := 0.0
				for _, v := range y {
					s += v
				}
				return s, 3 * float64(len(y))
			}},
		{"assume y == z + ones(K)", "sum(y) - sum(z)", "K", "proved", nil, nil},
		{"assume y == z + ones(K)", "sum(y)", "sum(z)", "refuted",
			func(y, z []float64) bool {
				for k := range y {
					if y[k] != z[k]+1 {
						return false
					}
				}
				return true
			},
			func(y, z []float64) (float64, float64) {
				s, u := 0.0, 0.0
				for k := range y {
					s, u = s+y[k], u+z[k]
				}
				return s, u
			}},
	} {
		opt, pctx := setupSource(t, "t", "y : vector(K)\nz : vector(K)\n"+c.assume+"\n")
		a, b := parsePair(t, pctx, c.a, c.b)
		pr, err := matrix.Prove(context.Background(), a, b, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Verdict.String(); got != c.verdict {
			t.Errorf("%s: prove %s == %s: %s, want %s (%s)", c.assume, c.a, c.b, got, c.verdict, pr.Tried)
			continue
		}
		if c.holds == nil {
			continue
		}
		// The entries 1..K of y and z at the counterexample.
		K := int(pr.Counter.Bindings["K"].Data[0])
		entries := func(name string) []float64 {
			v, ok := pr.Counter.Bindings[name]
			if !ok || len(v.Data) < K {
				return make([]float64, K) // not drawn: the claim does not read it
			}
			return v.Data[:K]
		}
		y, z := entries("y"), entries("z")
		if !c.holds(y, z) {
			t.Errorf("%s: prove %s == %s: the counterexample %s breaks the assumption", c.assume, c.a, c.b, pr.Counter.Point())
		}
		if l, r := c.sides(y, z); l == r {
			t.Errorf("%s: prove %s == %s: the sides agree at the counterexample %s", c.assume, c.a, c.b, pr.Counter.Point())
		}
	}
}
