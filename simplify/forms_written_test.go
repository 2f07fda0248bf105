package simplify_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// Softmaxes written out in full, with no definitions: the result keeps
// each softmax e^a/S whole, as a person writes p_k*(delta_kl - p_l). The
// printed text is asserted, read back, and compared at random points
// (logits near 0 and of size 30, of mixed signs) with two oracles that
// involve neither the differentiator nor the simplifier: central finite
// differences of the input (float64 evaluation), and the textbook
// formula written in Go with a numerically stable softmax.
const (
	smK  = "exp(z[k])/sum(i=1..K, exp(z[i]))"
	smZ1 = "exp(z1)/(exp(z1) + exp(z2) + exp(z3))"
	smZ2 = "exp(z2)/(exp(z1) + exp(z2) + exp(z3))"
)

var writtenSoftmax = []struct {
	fn, wrt, want string
	ref           func(v vals) float64 // the derivative, by the textbook formula
}{
	{smK, "z[l]",
		"exp(z[k])/sum(i=1..K, exp(z[i]))*(delta(k, l) - exp(z[l])/sum(i=1..K, exp(z[i])))",
		func(v vals) float64 { p := softmax(v.z); return p[v.k] * (kd(v.k, v.l) - p[v.l]) }},
	{"log(" + smK + ")", "z[l]",
		"delta(k, l) - exp(z[l])/sum(i=1..K, exp(z[i]))",
		func(v vals) float64 { return kd(v.k, v.l) - softmax(v.z)[v.l] }},
	{"-log(" + smK + ")", "z[l]",
		"exp(z[l])/sum(i=1..K, exp(z[i])) - delta(k, l)",
		func(v vals) float64 { return softmax(v.z)[v.l] - kd(v.k, v.l) }},
	// KL(p || q), p = softmax(z), q = softmax(b), by the logits of q.
	{"sum(k=1..K, exp(z[k])/sum(i=1..K, exp(z[i]))*log((exp(z[k])/sum(i=1..K, exp(z[i])))/(exp(b[k])/sum(i=1..K, exp(b[i])))))", "b[l]",
		"exp(b[l])/sum(i=1..K, exp(b[i])) - exp(z[l])/sum(i=1..K, exp(z[i]))",
		func(v vals) float64 { return softmax(v.b)[v.l] - softmax(v.z)[v.l] }},
	// KL(q || p) by the logits of q: q_l*(log(q_l/p_l) - KL(q || p)).
	{"sum(k=1..K, exp(b[k])/sum(i=1..K, exp(b[i]))*log((exp(b[k])/sum(i=1..K, exp(b[i])))/(exp(z[k])/sum(i=1..K, exp(z[i])))))", "b[l]",
		"exp(b[l])/sum(i=1..K, exp(b[i]))*(log(exp(b[l])/sum(i=1..K, exp(b[i]))/(exp(z[l])/sum(i=1..K, exp(z[i])))) - sum(i=1..K, exp(b[i])/sum(j=1..K, exp(b[j]))*log(exp(b[i])/sum(j=1..K, exp(b[j]))/(exp(z[i])/sum(j=1..K, exp(z[j]))))))",
		func(v vals) float64 {
			q := softmax(v.b)
			kl := 0.0
			for i := range q {
				kl += q[i] * (logSoftmax(v.b, i) - logSoftmax(v.z, i))
			}
			return q[v.l] * (logSoftmax(v.b, v.l) - logSoftmax(v.z, v.l) - kl)
		}},
	// Three classes written out.
	{smZ1, "z1",
		"exp(z1)/(exp(z1) + exp(z2) + exp(z3))*(1 - exp(z1)/(exp(z1) + exp(z2) + exp(z3)))",
		func(v vals) float64 { p := softmax(v.s3()); return p[0] * (1 - p[0]) }},
	{smZ1, "z2",
		"-exp(z1)/(exp(z1) + exp(z2) + exp(z3))*(exp(z2)/(exp(z1) + exp(z2) + exp(z3)))",
		func(v vals) float64 { p := softmax(v.s3()); return -p[0] * p[1] }},
	{"-(y1*log(" + smZ1 + ") + y2*log(" + smZ2 + "))", "z1",
		"exp(z1)/(exp(z1) + exp(z2) + exp(z3))*(y1 + y2) - y1",
		func(v vals) float64 { p := softmax(v.s3()); return p[0]*(v.y1+v.y2) - v.y1 }},
}

// vals is a point: logits z and b of K classes, class indices k and l
// (0-based here), three scalar logits and two labels.
type vals struct {
	z, b       []float64
	k, l       int
	z1, z2, z3 float64
	y1, y2     float64
}

func (v vals) s3() []float64 { return []float64{v.z1, v.z2, v.z3} }

func (v vals) bindings() ast.Bindings {
	return ast.Bindings{
		"K": ast.Scalar(float64(len(v.z))), "k": ast.Scalar(float64(v.k + 1)), "l": ast.Scalar(float64(v.l + 1)),
		"z":  ast.Value{Shape: []int{len(v.z)}, Data: slices.Clone(v.z)},
		"b":  ast.Value{Shape: []int{len(v.b)}, Data: slices.Clone(v.b)},
		"z1": ast.Scalar(v.z1), "z2": ast.Scalar(v.z2), "z3": ast.Scalar(v.z3),
		"y1": ast.Scalar(v.y1), "y2": ast.Scalar(v.y2),
	}
}

// drawVals draws a point with logits of size about scale, of both signs.
func drawVals(rng *rand.Rand, scale float64) vals {
	n := 1 + rng.IntN(5)
	draw := func() float64 { return scale * (2*rng.Float64() - 1) }
	v := vals{k: rng.IntN(n), l: rng.IntN(n), z1: draw(), z2: draw(), z3: draw(), y1: rng.Float64(), y2: rng.Float64()}
	for range n {
		v.z, v.b = append(v.z, draw()), append(v.b, draw())
	}
	return v
}

// softmax is exp(x - max)/sum(exp(x - max)): it never overflows.
func softmax(x []float64) []float64 {
	m := slices.Max(x)
	out := make([]float64, len(x))
	s := 0.0
	for i, v := range x {
		out[i] = math.Exp(v - m)
		s += out[i]
	}
	for i := range out {
		out[i] /= s
	}
	return out
}

// logSoftmax is x_i - logsumexp(x), computed stably.
func logSoftmax(x []float64, i int) float64 {
	m := slices.Max(x)
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return x[i] - m - math.Log(s)
}

func kd(a, b int) float64 { return boolf(a == b) }

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestWrittenSoftmax(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 30))
	for _, tt := range writtenSoftmax {
		fn := parsetest.MustParse(t, tt.fn, nil)
		wrt := parsetest.MustParse(t, tt.wrt, nil)
		res, err := simplify.Simplify(ctx, ast.NewDeriv(fn, wrt), simplify.Options{Rules: load.Builtin(), Defs: &ast.Defs{}})
		if err != nil {
			t.Errorf("d(%s, %s): %v", tt.fn, tt.wrt, err)
			continue
		}
		got := ast.String(res.Expr)
		if got != tt.want {
			t.Errorf("d(%s, %s) =\n  %s\nwant\n  %s", tt.fn, tt.wrt, got, tt.want)
		}
		shown := parsetest.MustParse(t, got, nil) // the text, read back
		for i := range 60 {
			scale := []float64{2, 30}[i%2]
			v := drawVals(rng, scale)
			pt := v.bindings()
			val, err := ast.Eval(shown, nil, pt)
			if err != nil {
				t.Fatalf("d(%s, %s) = %s: %v at %v", tt.fn, tt.wrt, got, err, v)
			}
			if ref := tt.ref(v); !parsetest.Near(val, ref, 1e-9, 1e-12) {
				t.Fatalf("d(%s, %s) = %s is %.17g at %+v; the formula gives %.17g", tt.fn, tt.wrt, got, val, v, ref)
			}
			if fd, ok := centralDiff(fn, wrt, &ast.Defs{}, pt); ok && !parsetest.Near(val, fd, 1e-5, 1e-6) {
				t.Fatalf("d(%s, %s) = %s is %.17g at %+v; finite differences give %.17g", tt.fn, tt.wrt, got, val, v, fd)
			}
		}
	}
}

// Hyperbolic functions written through exponentials are shown by name.
// Each printed result, read back, is compared at random points (near 0
// and of size 30, both signs) with the input written in Go.
var hyperbolicForms = []struct {
	src, want string
	ref       func(x, y float64) float64
}{
	{"(exp(u) + exp(-u))/2", "cosh(u)", func(x, y float64) float64 { return (math.Exp(x) + math.Exp(-x)) / 2 }},
	{"(exp(u) - exp(-u))/2", "sinh(u)", func(x, y float64) float64 { return (math.Exp(x) - math.Exp(-x)) / 2 }},
	{"(exp(-u) - exp(u))/2", "-sinh(u)", func(x, y float64) float64 { return (math.Exp(-x) - math.Exp(x)) / 2 }},
	{"(exp(u) - exp(-u))/(exp(u) + exp(-u))", "tanh(u)", func(x, y float64) float64 { return (math.Exp(x) - math.Exp(-x)) / (math.Exp(x) + math.Exp(-x)) }},
	{"(exp(2*u) - 1)/(exp(2*u) + 1)", "tanh(u)", func(x, y float64) float64 { return (math.Exp(2*x) - 1) / (math.Exp(2*x) + 1) }},
	{"3*(exp(u*v) + exp(-u*v))", "6*cosh(u*v)", func(x, y float64) float64 { return 3 * (math.Exp(x*y) + math.Exp(-x*y)) }},
	{"2/(exp(u) + exp(-u))", "1/cosh(u)", func(x, y float64) float64 { return 2 / (math.Exp(x) + math.Exp(-x)) }},
	{"u*(exp(u) + exp(-u)) + 1", "2*u*cosh(u) + 1", func(x, y float64) float64 { return x*(math.Exp(x)+math.Exp(-x)) + 1 }},
	{"exp(3*u) - exp(-3*u)", "2*sinh(3*u)", func(x, y float64) float64 { return math.Exp(3*x) - math.Exp(-3*x) }},
	{"(exp(u - v) + exp(v - u))/2", "cosh(u - v)", func(x, y float64) float64 { return (math.Exp(x-y) + math.Exp(y-x)) / 2 }},
	{"(exp(u - 1) - exp(1 - u))/2", "sinh(u - 1)", func(x, y float64) float64 { return (math.Exp(x-1) - math.Exp(1-x)) / 2 }},
	{"d((exp(u) + exp(-u))/2, u)", "sinh(u)", func(x, y float64) float64 { return math.Sinh(x) }},
	{"d(log(exp(2*u) + 1) - u, u)", "tanh(u)", func(x, y float64) float64 { return math.Tanh(x) }},
	// Left alone: no pair of exponentials, or a σ the user wrote.
	{"exp(u) + 1", "exp(u) + 1", func(x, y float64) float64 { return math.Exp(x) + 1 }},
	{"d(sigma(2*u), u)", "2*sigma(2*u)*(1 - sigma(2*u))", func(x, y float64) float64 {
		s := 1 / (1 + math.Exp(-2*x))
		return 2 * s * (1 - s)
	}},
}

func TestHyperbolicForms(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 3))
	for _, tt := range hyperbolicForms {
		e := parsetest.MustParse(t, tt.src, nil)
		res, err := simplify.Simplify(ctx, e, simplify.Options{Rules: load.Builtin(), Defs: &ast.Defs{}})
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		got := ast.String(res.Expr)
		if got != tt.want {
			t.Errorf("%s = %s, want %s", tt.src, got, tt.want)
		}
		shown := parsetest.MustParse(t, got, nil)
		for i := range 60 {
			scale := []float64{2, 30}[i%2]
			x, y := scale*(2*rng.Float64()-1), 2*rng.Float64()-1
			want := tt.ref(x, y)
			if math.IsInf(want, 0) || math.IsNaN(want) {
				continue
			}
			val, err := ast.Eval(shown, nil, ast.Bindings{"u": ast.Scalar(x), "v": ast.Scalar(y)})
			if err != nil || !parsetest.Near(val, want, 1e-9, 1e-12) {
				t.Fatalf("%s = %s is %.17g (%v) at u = %g, v = %g; the input gives %.17g", tt.src, got, val, err, x, y, want)
			}
		}
	}
}

// TestFormsReadBack: the displays of the forms read back as the same
// tree, and none has a product directly inside a product (which prints
// in parentheses, (a*b)*c) or a sum directly inside a sum.
func TestFormsReadBack(t *testing.T) {
	ctx := context.Background()
	var srcs []string
	for _, tt := range writtenSoftmax {
		srcs = append(srcs, "d("+tt.fn+", "+tt.wrt+")")
	}
	for _, tt := range hyperbolicForms {
		srcs = append(srcs, tt.src)
	}
	srcs = append(srcs,
		"a*b*sum(i=1..n, x[i]) - c", // a term's other factors and its sum
		"d(exp(z[k])*sum(i=1..K, z[i]*exp(z[i])), z[l])",
		"d(x[k]*y[k]*sum(i=1..n, x[i]^2), x[l])",
	)
	for _, src := range srcs {
		e := parsetest.MustParse(t, src, nil)
		res, err := simplify.Simplify(ctx, e, simplify.Options{Rules: load.Builtin(), Defs: &ast.Defs{}})
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		text := ast.String(res.Expr)
		if back := parsetest.MustParse(t, text, nil); back != res.Expr {
			t.Errorf("%s = %s reads back as %s, another tree", src, text, ast.String(back))
		}
		ast.Inspect(res.Expr, func(x ast.Expr) bool {
			switch y := x.(type) {
			case *ast.Mul:
				for _, f := range y.Factors {
					if _, ok := f.(*ast.Mul); ok {
						t.Errorf("%s = %s: the product %s is inside a product", src, text, ast.String(f))
					}
				}
			case *ast.Add:
				for _, f := range y.Terms {
					if _, ok := f.(*ast.Add); ok {
						t.Errorf("%s = %s: the sum %s is inside a sum", src, text, ast.String(f))
					}
				}
			}
			return true
		})
	}
}
