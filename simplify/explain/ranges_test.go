package explain_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/prove"
)

// The sizes the arrays are drawn with; a is a symbolic lower bound.
var rangeSizes = map[string]int{"n": 4, "d": 3, "K": 3, "a": 2}

const (
	softmax1 = "Z[i,l] := sum(j=1..d, x[i,j]*W[j,l])\nP[i,l] := exp(Z[i,l])/sum(j=1..K, exp(Z[i,j]))"
	softmax2 = "Z[i,l] := sum(j=1..d, x[i,j]*W[j,l])\nP[i,l] := exp(Z[i,l])/sum(j=2..K, exp(Z[i,j]))"
	softmaxA = "Z[i,l] := sum(j=1..d, x[i,j]*W[j,l])\nP[i,l] := exp(Z[i,l])/sum(j=a..K, exp(Z[i,j]))"
	multiLin = "Z[i,l] := sum(j=1..d, x[i,j]*W[j,l])"
)

// TestMatrixFormOnlyOnFullRanges: explain gives the weight gradient in
// matrix notation exactly when the ranges its index form is proved for
// are the full ones the notation implies (samples 1..n, features 1..d,
// classes 1..K); otherwise the note says why there is none. Every matrix
// form it gives is checked against central finite differences of the
// loss, both evaluated independently of explain: the loss by ast.Eval,
// the matrix form by the dense evaluator below.
func TestMatrixFormOnlyOnFullRanges(t *testing.T) {
	for _, c := range []struct {
		name, defs, loss string
		assume           []string
		oneHot           bool              // one-hot labels: the option, and rows of t drawn one-hot
		arrays           map[string]string // array name → its sizes
		matrix           bool              // a matrix form is given
		why              string            // what the note says when there is none
	}{
		{"softmax CE, classes 1..K", softmax1, "-mean(i=1..n, sum(l=1..K, t[i,l]*log(P[i,l])))", nil, true,
			map[string]string{"x": "n,d", "W": "d,K", "t": "n,K"}, true, ""},
		{"softmax CE, classes 2..K, assumed", softmax2, "-mean(i=1..n, sum(l=2..K, t[i,l]*log(P[i,l])))", []string{"assume l in 2..K"}, true,
			map[string]string{"x": "n,d", "W": "d,K", "t": "n,K"}, false, "classes l = 2..K only"},
		{"softmax CE, classes 2..K, no range", softmax2, "-mean(i=1..n, sum(l=2..K, t[i,l]*log(P[i,l])))", nil, true,
			map[string]string{"x": "n,d", "W": "d,K", "t": "n,K"}, false, "no range for the classes l"},
		{"softmax CE, classes a..K, assumed", softmaxA, "-mean(i=1..n, sum(l=a..K, t[i,l]*log(P[i,l])))", []string{"assume l in a..K"}, true,
			map[string]string{"x": "n,d", "W": "d,K", "t": "n,K"}, false, "classes l = a..K only"},
		{"softmax CE, samples 2..n", softmax1, "-sum(i=2..n, sum(l=1..K, t[i,l]*log(P[i,l])))", nil, true,
			map[string]string{"x": "n,d", "W": "d,K", "t": "n,K"}, false, "samples i = 2..n"},
		{"multi-output least squares, 1..K", multiLin, "sum(i=1..n, sum(l=1..K, (y[i,l] - Z[i,l])^2))/2", nil, false,
			map[string]string{"x": "n,d", "W": "d,K", "y": "n,K"}, true, ""},
		{"multi-output least squares, 2..K", multiLin, "sum(i=1..n, sum(l=2..K, (y[i,l] - Z[i,l])^2))/2", []string{"assume l in 2..K"}, false,
			map[string]string{"x": "n,d", "W": "d,K", "y": "n,K"}, false, "classes l = 2..K only"},
		{"logistic, samples 1..n", predictor, "-sum(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))", nil, false,
			map[string]string{"x": "n,d", "w": "d", "y": "n"}, true, ""},
		{"logistic, samples 2..n", predictor, "-sum(i=2..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))", nil, false,
			map[string]string{"x": "n,d", "w": "d", "y": "n"}, false, "samples i = 2..n"},
		{"logistic, samples a..n", predictor, "-sum(i=a..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))", nil, false,
			map[string]string{"x": "n,d", "w": "d", "y": "n"}, false, "samples i = a..n"},
		{"logistic, features 2..d", "z[i] := sum(j=2..d, x[i,j]*w[j])\np[i] := sigma(z[i])", "-sum(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))", nil, false,
			map[string]string{"x": "n,d", "w": "d", "y": "n"}, false, "features j = 2..d"},
		{"weighted logistic", predictor, "-mean(i=1..n, s[i]*(y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i])))", nil, false,
			map[string]string{"x": "n,d", "w": "d", "y": "n", "s": "n"}, true, ""},
		{"L2-regularised logistic", predictor, "-mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i])) + lambda/2*sum(j=1..d, w[j]^2)", nil, false,
			map[string]string{"x": "n,d", "w": "d", "y": "n"}, true, ""},
		{"Poisson", predictor, "sum(i=1..n, exp(z[i]) - y[i]*z[i])", nil, false,
			map[string]string{"x": "n,d", "w": "d", "y": "n"}, true, ""},
		{"logistic per sample (summed over 1..n)", "", "softplus(z) - y*z", nil, false,
			nil, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			defs := &ast.Defs{}
			if c.defs != "" {
				defs = parsetest.DefsFrom(t, c.defs)
			}
			var as []*ast.AssumeStmt
			for _, src := range c.assume {
				stmts, err := parser.ParseFile("t.sd", src, nil)
				if err != nil {
					t.Fatal(err)
				}
				as = append(as, stmts[0].Stmt.(*ast.AssumeStmt))
			}
			l := parsetest.MustParse(t, c.loss, defs)
			e, err := explain.Explain(context.Background(), l, explain.Options{Simplify: simplify.Options{Defs: defs, Rules: load.Builtin(), Assume: as}, Assume: explain.Assumptions{OneHot: c.oneHot}})
			if err != nil {
				t.Fatal(err)
			}
			wg := e.Weights
			if wg == nil {
				t.Fatalf("no weight gradient:\n%s\nnotes: %q", claims(e), e.Notes)
			}
			got := wg.Matrix != ""
			if got != c.matrix || got != (wg.MatrixExpr != nil) {
				t.Fatalf("matrix form %q (expr %v), want one: %v\nnotes: %q", wg.Matrix, wg.MatrixExpr != nil, c.matrix, e.Notes)
			}
			if !got {
				note := strings.Join(e.Notes, "\n")
				if !strings.Contains(note, "no matrix form") || !strings.Contains(note, c.why) {
					t.Errorf("the notes do not say why there is no matrix form (%q):\n%s", c.why, note)
				}
				return
			}
			loss, arrays := l, c.arrays
			if wg.Loss != nil { // a per-sample loss, summed over samples by explain
				loss = wg.Loss
				arrays = map[string]string{"x": "n,d", "w": "d", "y": "n"}
				if ex := e.Defs().Expand(loss); !ast.HasFree(ex, "x") || !ast.HasFree(ex, "w") {
					t.Fatalf("the summed loss %s does not use x and w", ast.String(loss))
				}
			}
			wName := wg.W.(*ast.Index).Name
			rng := rand.New(rand.NewPCG(7, uint64(len(c.name))))
			for _, scale := range []float64{1, 3} {
				for range 3 {
					b := drawArrays(rng, arrays, scale, c.oneHot)
					b["lambda"] = ast.Value{Data: []float64{0.5 + rng.Float64()}}
					checkMatrixForm(t, wg.MatrixExpr, loss, e.Defs(), b, wName)
				}
			}
		})
	}
}

// drawArrays draws each array with entries in [-scale, scale] (features
// in [-1, 1]); labels t
// of one-hot losses are rows with a single 1.
func drawArrays(rng *rand.Rand, arrays map[string]string, scale float64, oneHot bool) ast.Bindings {
	b := ast.Bindings{}
	for s, v := range rangeSizes {
		b[s] = ast.Value{Data: []float64{float64(v)}}
	}
	for name, dims := range arrays {
		var shape []int
		size := 1
		for _, s := range strings.Split(dims, ",") {
			shape = append(shape, rangeSizes[s])
			size *= rangeSizes[s]
		}
		v := ast.Value{Shape: shape, Data: make([]float64, size)}
		sc := scale
		if name == "x" {
			sc = 1 // |z| ≤ 3·scale: log(1 − σ(z)) is still accurate in float64
		}
		for k := range v.Data {
			v.Data[k] = sc * (2*rng.Float64() - 1)
		}
		if oneHot && name == "t" {
			for k := range v.Data {
				v.Data[k] = 0
			}
			for r := range shape[0] {
				v.Data[r*shape[1]+rng.IntN(shape[1])] = 1
			}
		}
		b[name] = v
	}
	return b
}

// checkMatrixForm compares the matrix form, evaluated densely, with
// central differences of the loss in every entry of the weights w.
func checkMatrixForm(t *testing.T, m, loss ast.Expr, defs *ast.Defs, b ast.Bindings, w string) {
	t.Helper()
	for _, c := range matrixFormMismatches(t, m, loss, defs, b, w) {
		t.Error(c)
	}
}

func matrixFormMismatches(t *testing.T, m, loss ast.Expr, defs *ast.Defs, b ast.Bindings, w string) []string {
	t.Helper()
	var out []string
	got, err := evalDense(m, b)
	if err != nil {
		t.Fatalf("%s: %v", ast.String(m), err)
	}
	wv := b[w]
	if got.r*got.c != len(wv.Data) {
		t.Fatalf("%s is %d×%d, the weights %s have %d entries", ast.String(m), got.r, got.c, w, len(wv.Data))
	}
	for k := range wv.Data {
		orig := wv.Data[k]
		h := 1e-6 * math.Max(1, math.Abs(orig))
		wv.Data[k] = orig + h
		up, err1 := ast.Eval(loss, defs, b)
		wv.Data[k] = orig - h
		down, err2 := ast.Eval(loss, defs, b)
		wv.Data[k] = orig
		if err1 != nil || err2 != nil {
			t.Fatalf("evaluating %s: %v %v", ast.String(loss), err1, err2)
		}
		fd := (up - down) / (2 * h)
		if !parsetest.Near(got.a[k], fd, 1e-5, 1e-6) {
			out = append(out, fmt.Sprintf("∇_%s entry %d: the matrix form %s gives %g, finite differences %g", w, k, ast.String(m), got.a[k], fd))
		}
	}
	return out
}

// TestMatrixFormCheckCatchesClassRange: the check above rejects the
// matrix form the old code printed for a softmax over the classes 2..K,
// (1/n)·Xᵀ(softmax(XW) − T), whose softmax runs over every class.
func TestMatrixFormCheckCatchesClassRange(t *testing.T) {
	defs := parsetest.DefsFrom(t, softmax2)
	loss := parsetest.MustParse(t, "-mean(i=1..n, sum(l=2..K, t[i,l]*log(P[i,l])))", defs)
	X, W, T := ast.NewSym("X"), ast.NewSym("W"), ast.NewSym("T")
	old := ast.NewMul(ast.NewDiv(ast.One, ast.NewSym("n")), ast.NewPow(X, ast.NewSym("T")), ast.NewAdd(ast.NewCall("softmax", ast.NewMul(X, W)), ast.NewNeg(T)))
	rng := rand.New(rand.NewPCG(3, 4))
	b := drawArrays(rng, map[string]string{"x": "n,d", "W": "d,K", "t": "n,K"}, 1, true)
	if len(matrixFormMismatches(t, old, loss, defs, b, "W")) == 0 {
		t.Errorf("%s passed the finite-difference check of a loss over the classes 2..K", ast.String(old))
	}
}

// dense is a row-major matrix; a scalar is 1×1 with scalar set.
type dense struct {
	r, c   int
	a      []float64
	scalar bool
}

func scalarOf(v float64) dense { return dense{1, 1, []float64{v}, true} }

// evalDense evaluates a matrix expression over dense matrices: names are
// bound arrays (a capital also the lower-case array: X is x) or sizes,
// A^T transposes, a product of matrices multiplies them, softmax works
// row by row, diag(v) is a diagonal matrix, other functions and + − /
// act entry by entry.
func evalDense(e ast.Expr, b ast.Bindings) (dense, error) {
	switch e := e.(type) {
	case *ast.Num:
		return scalarOf(e.Value.Float64()), nil
	case *ast.Sym:
		v, ok := b[e.Name]
		if !ok {
			v, ok = b[strings.ToLower(e.Name)]
		}
		if !ok {
			return dense{}, fmt.Errorf("%s is not bound", e.Name)
		}
		switch len(v.Shape) {
		case 0:
			return scalarOf(v.Data[0]), nil
		case 1:
			return dense{v.Shape[0], 1, v.Data, false}, nil
		}
		return dense{v.Shape[0], v.Shape[1], v.Data, false}, nil
	case *ast.Neg:
		x, err := evalDense(e.X, b)
		return entrywise(x, scalarOf(-1), func(p, q float64) float64 { return p * q }), err
	case *ast.Add:
		var s dense
		for k, t := range e.Terms {
			x, err := evalDense(t, b)
			if err != nil {
				return s, err
			}
			if k == 0 {
				s = x
				continue
			}
			if s.r != x.r || s.c != x.c {
				return s, fmt.Errorf("adding %d×%d and %d×%d", s.r, s.c, x.r, x.c)
			}
			s = entrywise(s, x, func(p, q float64) float64 { return p + q })
		}
		return s, nil
	case *ast.Div:
		x, err1 := evalDense(e.X, b)
		y, err2 := evalDense(e.Y, b)
		if err1 != nil || err2 != nil {
			return x, fmt.Errorf("%v %v", err1, err2)
		}
		return entrywise(x, y, func(p, q float64) float64 { return p / q }), nil
	case *ast.Pow:
		x, err := evalDense(e.X, b)
		if err != nil {
			return x, err
		}
		if s, ok := e.Y.(*ast.Sym); ok && s.Name == "T" {
			out := dense{r: x.c, c: x.r, a: make([]float64, len(x.a))}
			for i := range x.r {
				for j := range x.c {
					out.a[j*x.r+i] = x.a[i*x.c+j]
				}
			}
			return out, nil
		}
		y, err := evalDense(e.Y, b)
		return entrywise(x, y, math.Pow), err
	case *ast.Mul:
		acc := scalarOf(1)
		for _, f := range e.Factors {
			x, err := evalDense(f, b)
			if err != nil {
				return acc, err
			}
			if acc.scalar || x.scalar {
				acc = entrywise(acc, x, func(p, q float64) float64 { return p * q })
				continue
			}
			if acc.c != x.r {
				return acc, fmt.Errorf("multiplying %d×%d by %d×%d", acc.r, acc.c, x.r, x.c)
			}
			out := dense{r: acc.r, c: x.c, a: make([]float64, acc.r*x.c)}
			for i := range acc.r {
				for j := range x.c {
					for k := range acc.c {
						out.a[i*x.c+j] += acc.a[i*acc.c+k] * x.a[k*x.c+j]
					}
				}
			}
			acc = out
		}
		return acc, nil
	case *ast.Call:
		if len(e.Args) != 1 {
			return dense{}, fmt.Errorf("%s: one argument expected", ast.String(e))
		}
		x, err := evalDense(e.Args[0], b)
		if err != nil {
			return x, err
		}
		switch e.Fn {
		case "softmax":
			out := dense{r: x.r, c: x.c, a: make([]float64, len(x.a))}
			for i := range x.r {
				s := 0.0
				for j := range x.c {
					s += math.Exp(x.a[i*x.c+j])
				}
				for j := range x.c {
					out.a[i*x.c+j] = math.Exp(x.a[i*x.c+j]) / s
				}
			}
			return out, nil
		case "diag":
			out := dense{r: x.r, c: x.r, a: make([]float64, x.r*x.r)}
			for i := range x.r {
				out.a[i*x.r+i] = x.a[i]
			}
			return out, nil
		}
		f, ok := map[string]func(float64) float64{
			"exp": math.Exp, "log": math.Log,
			"sigma": func(v float64) float64 { return 1 / (1 + math.Exp(-v)) },
		}[e.Fn]
		if !ok {
			return x, fmt.Errorf("no function %s here", e.Fn)
		}
		return entrywise(x, scalarOf(0), func(p, _ float64) float64 { return f(p) }), nil
	}
	return dense{}, fmt.Errorf("%s (%T) is not matrix notation", ast.String(e), e)
}

// entrywise applies f entry by entry, a scalar broadcast.
func entrywise(x, y dense, f func(p, q float64) float64) dense {
	if x.scalar && !y.scalar {
		out := dense{r: y.r, c: y.c, a: make([]float64, len(y.a))}
		for k := range y.a {
			out.a[k] = f(x.a[0], y.a[k])
		}
		return out
	}
	out := dense{r: x.r, c: x.c, a: make([]float64, len(x.a)), scalar: x.scalar}
	for k := range x.a {
		q := y.a[0]
		if !y.scalar {
			q = y.a[k]
		}
		out.a[k] = f(x.a[k], q)
	}
	return out
}

// TestNoRangeSuggestsAssumption: a softmax over classes that do not start
// at 1, without a range for the class index, is not named; the note
// suggests the assume statement, and with it the family is proved.
func TestNoRangeSuggestsAssumption(t *testing.T) {
	for _, c := range []struct{ defs, loss string }{
		{softmax2, "-mean(i=1..n, sum(l=2..K, t[i,l]*log(P[i,l])))"},
		{softmaxA, "-mean(i=1..n, sum(l=a..K, t[i,l]*log(P[i,l])))"},
		{"", "-sum(c=2..K, y[c]*log(exp(z[c])/sum(j=2..K, exp(z[j]))))"},
	} {
		run := func(as []*ast.AssumeStmt) *explain.Explanation {
			defs := &ast.Defs{}
			if c.defs != "" {
				defs = parsetest.DefsFrom(t, c.defs)
			}
			l := parsetest.MustParse(t, c.loss, defs)
			e, err := explain.Explain(context.Background(), l, explain.Options{Simplify: simplify.Options{Defs: defs, Rules: load.Builtin(), Assume: as}, Assume: explain.Assumptions{OneHot: true}})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		e := run(nil)
		if e.Family != nil {
			t.Errorf("%s: family %s named without a range for the classes", c.loss, e.Family.Name)
		}
		suggested := ""
		for _, n := range e.Notes {
			if _, after, ok := strings.Cut(n, "(add: "); ok {
				suggested = strings.TrimSuffix(after, ")")
			}
		}
		if suggested == "" {
			t.Errorf("%s: no assumption suggested: %q", c.loss, e.Notes)
			continue
		}
		stmts, err := parser.ParseFile("t.sd", suggested, nil)
		if err != nil {
			t.Fatalf("%s: the suggestion %q does not parse: %v", c.loss, suggested, err)
		}
		e = run([]*ast.AssumeStmt{stmts[0].Stmt.(*ast.AssumeStmt)})
		if e.Family == nil || e.Family.Name != "categorical" || !has(e, explain.PartFamily, prove.Proved) {
			t.Errorf("%s, %s: the family is not proved:\n%s", c.loss, suggested, claims(e))
		}
	}
}

// TestOneHotStatesItsRange: the one-hot step says over which classes the
// labels were assumed to sum to 1, the range of the sum it set to 1.
func TestOneHotStatesItsRange(t *testing.T) {
	for _, c := range []struct{ defs, loss, lo string }{
		{softmax1, "-mean(i=1..n, sum(l=1..K, t[i,l]*log(P[i,l])))", "1"},
		{softmax2, "-mean(i=1..n, sum(l=2..K, t[i,l]*log(P[i,l])))", "2"},
		{softmaxA, "-mean(i=1..n, sum(l=a..K, t[i,l]*log(P[i,l])))", "a"},
	} {
		e, _, _ := explainCase(t, c.defs, c.loss, explain.Assumptions{OneHot: true})
		s, ok := e.OneHotSum.(*ast.Sum)
		if !ok || ast.String(s.Lo) != c.lo || ast.String(s.Hi) != "K" || len(e.Assumed) != 1 {
			t.Errorf("%s: one-hot sum %v, %d steps, want one over %s..K", c.loss, e.OneHotSum, len(e.Assumed), c.lo)
		}
	}
}
