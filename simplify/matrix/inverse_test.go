package matrix_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// invPreamble declares the names of the inverse corpus. The square
// matrices are drawn diagonally dominant, so that they are invertible,
// well conditioned and of positive determinant.
const invPreamble = `A : matrix(m, m)
B : matrix(m, m)
S : matrix(m, m)
X : matrix(n, d)
w : vector(d)
y : vector(n)
x : vector(m)
mu : vector(m)
lam : scalar
`

// invCorpus holds results with inverses, determinants and
// log-determinants (the Matrix Cookbook, sections 2.1 and 2.2, and the
// pieces of ridge regression and of the Gaussian log-likelihood). Each is
// checked against central finite differences of the function, both
// evaluated by refEval, an evaluator of the tests' own on plain Go
// matrices (Laplace expansion for determinants, Gauss-Jordan elimination
// for inverses), which shares no code with the engine.
var invCorpus = []corpusCase{
	{"determinant", "d(det(A), A)", "det(A)*inv(A)'"},
	{"log-determinant", "d(logdet(A), A)", "inv(A)'"},
	{"log of the determinant", "d(log(det(A)), A)", "inv(A)'"},
	{"square of the log-determinant", "d(logdet(A)^2, A)", "2*logdet(A)*inv(A)'"},
	{"determinant of a multiple", "d(det(2*A), A)", "2*det(2*A)*inv(2*A)'"},
	{"quadratic form with an inverse", "d(x'*inv(A)*x, x)", "(inv(A) + inv(A)')*x"},
	{"quadratic form with an inverse, by the matrix", "d(x'*inv(A)*x, A)", "-(inv(A)'*x*x'*inv(A)')"},
	{"Hessian of a quadratic form with an inverse", "hessian(x'*inv(A)*x, x)", "inv(A) + inv(A)'"},
	{"Jacobian of a linear map by an inverse", "jacobian(inv(A)*x, x)", "inv(A)"},
	{"trace of an inverse product", "d(tr(inv(A)*B), A)", "-(inv(A)'*B'*inv(A)')"},
	{"trace of a product with an inverse", "d(tr(A*inv(B)), B)", "-(inv(B)'*A'*inv(B)')"},
	{"trace of an inverse", "d(tr(inv(A)), A)", "-(inv(A)'*inv(A)')"},
	{"sum of the entries of an inverse", "d(sum(inv(A)), A)", "-(inv(A)'*ones(m)*ones(m)'*inv(A)')"},
	{"squared norm through an inverse", "d(norm(inv(A)*x)^2, x)", "2*inv(A)'*inv(A)*x"},
	{"determinant times a quadratic form", "d(det(A)*x'*A*x, x)", "det(A)*(A + A')*x"},
	{"shifted inverse, by the shift", "d(x'*inv(A + lam*eye(m))*x, lam)", "-(x'*inv(A + lam*eye(m))*inv(A + lam*eye(m))*x)"},
	// Ridge regression: the solution inv(X'X + lam I) X'y and its pieces.
	{"ridge solution by the penalty", "d(inv(X'*X + lam*eye(d))*X'*y, lam)", "-(inv(X'*X + lam*eye(d))*inv(X'*X + lam*eye(d))*X'*y)"},
	{"ridge solution by the labels", "jacobian(inv(X'*X + lam*eye(d))*X'*y, y)", "inv(X'*X + lam*eye(d))*X'"},
	{"ridge fit by the labels", "d(y'*X*inv(X'*X + lam*eye(d))*X'*y, y)", "2*X*inv(X'*X + lam*eye(d))*X'*y"},
	{"ridge log-determinant by the penalty", "d(logdet(X'*X + lam*eye(d)), lam)", "tr(inv(X'*X + lam*eye(d)))"},
	{"ridge log-determinant by the data", "d(logdet(X'*X + lam*eye(d)), X)", "2*X*inv(X'*X + lam*eye(d))"},
	{"weighted log-determinant", "d(logdet(X'*diag(y .* y)*X + eye(d)), y)", "2*(y .* ((X .* (X*inv(X'*diag(y .* y)*X + eye(d))))*ones(d)))"},
	// The Gaussian negative log-likelihood (up to constants).
	{"Gaussian by the mean", "d(logdet(S) + (x - mu)'*inv(S)*(x - mu), mu)", "(inv(S) + inv(S)')*(mu - x)"},
	{"Gaussian by the covariance", "d(logdet(S) + (x - mu)'*inv(S)*(x - mu), S)", "inv(S)' - inv(S)'*(x - mu)*(x - mu)'*inv(S)'"},
	{"Gaussian by the covariance, halved", "d((x - mu)'*inv(S)*(x - mu)/2 + logdet(S)/2, S)", "(inv(S)' - inv(S)'*(x - mu)*(x - mu)'*inv(S)')/2"},
}

// invSetup parses invPreamble.
func invSetup(t testing.TB) (matrix.Options, *parser.Context) {
	t.Helper()
	return setupSource(t, "preamble", invPreamble)
}

func TestInverseCorpus(t *testing.T) {
	opt, pctx := invSetup(t)
	runCorpus(t, invCorpus, opt, pctx, 29, checkRefFD)
}

// checkRefFD draws sizes and values, and compares the result, evaluated
// by refEval, with central finite differences of the function, also
// evaluated by refEval; it also compares the engine's evaluation of the
// function with refEval's.
func checkRefFD(t *testing.T, e, result ast.Expr, opt matrix.Options, rng *rand.Rand, trial int) {
	t.Helper()
	env := drawRef(rng, opt.Decls)
	var f, wrt ast.Expr
	kind := "d"
	switch x := e.(type) {
	case *ast.Deriv:
		f, wrt = x.X, x.Wrt
	case *ast.MatOp:
		f, wrt = x.Args[0], x.Args[1]
		kind = map[ast.MatKind]string{ast.MatJacobian: "jacobian", ast.MatHessian: "hessian"}[x.Kind]
	}
	name := wrt.(*ast.Sym).Name
	eval := func(x ast.Expr, env map[string]refMat) refMat {
		v, err := refEval(x, env)
		if err != nil {
			t.Fatalf("refEval %s: %v", ast.String(x), err)
		}
		return v
	}
	at := func(g ast.Expr, j int, delta float64) refMat {
		w := env[name].clone()
		w.a[j] += delta
		e2 := map[string]refMat{}
		for k, v := range env {
			e2[k] = v
		}
		e2[name] = w
		return eval(g, e2)
	}
	got := eval(result, env)
	w0 := env[name]
	var want []float64
	switch kind {
	case "hessian":
		const h = 1e-4
		nw := len(w0.a)
		want = make([]float64, nw*nw)
		for i := range nw {
			for j := range nw {
				second := func(si, sj float64) float64 {
					w := w0.clone()
					w.a[i] += si * h
					w.a[j] += sj * h
					e2 := map[string]refMat{}
					for k, v := range env {
						e2[k] = v
					}
					e2[name] = w
					return eval(f, e2).a[0]
				}
				want[i*nw+j] = (second(1, 1) - second(1, -1) - second(-1, 1) + second(-1, -1)) / (4 * h * h)
			}
		}
	default:
		const h = 1e-6
		fdim := len(eval(f, env).a)
		want = make([]float64, fdim*len(w0.a))
		for j := range w0.a {
			plus, minus := at(f, j, h), at(f, j, -h)
			for i := range plus.a {
				// d f_i / d w_j: a gradient (one f) lists w's entries; a
				// derivative by a scalar (one w) lists f's.
				want[i*len(w0.a)+j] = (plus.a[i] - minus.a[i]) / (2 * h)
			}
		}
	}
	if len(got.a) != len(want) {
		t.Fatalf("trial %d: %s has %d entries, the finite differences %d", trial, ast.String(result), len(got.a), len(want))
	}
	for i := range want {
		if diff := math.Abs(got.a[i] - want[i]); diff > 1e-5*(1+math.Abs(want[i])) {
			t.Fatalf("trial %d: %s entry %d = %.10g, finite differences give %.10g", trial, ast.String(result), i, got.a[i], want[i])
		}
	}
	// The engine's evaluation of the function (LU for inverses and
	// determinants) against the reference.
	b := ast.Bindings{}
	for k, v := range env {
		b[k] = v.value(opt.Decls[k])
	}
	ev, err := matrix.Eval(context.Background(), f, b, opt, opt.Simplify.Rules.Defs())
	if err != nil {
		t.Fatalf("matrix.Eval %s: %v", ast.String(f), err)
	}
	ref := eval(f, env)
	for i := range ref.a {
		if math.Abs(ev.Data[i]-ref.a[i]) > 1e-9*(1+math.Abs(ref.a[i])) {
			t.Fatalf("trial %d: matrix.Eval(%s) entry %d = %.15g, the reference %.15g", trial, ast.String(f), i, ev.Data[i], ref.a[i])
		}
	}
}

// A refMat is a matrix of the reference evaluator, row major; a scalar
// is 1×1 and a vector n×1.
type refMat struct {
	r, c int
	a    []float64
}

func (m refMat) clone() refMat { return refMat{m.r, m.c, append([]float64(nil), m.a...)} }

func (m refMat) at(i, j int) float64 { return m.a[i*m.c+j] }

// value converts m to a binding for the engine.
func (m refMat) value(s ast.Shape) ast.Value {
	switch {
	case s.IsScalar():
		return ast.Scalar(m.a[0])
	case s.IsVector():
		return ast.Value{Shape: []int{m.r}, Data: m.a}
	}
	return ast.Value{Shape: []int{m.r, m.c}, Data: m.a}
}

func scalarRef(x float64) refMat { return refMat{1, 1, []float64{x}} }

// drawRef draws sizes from 2 to 4 and values: square matrices diagonally
// dominant with a positive diagonal, other entries in [-1, 1], scalars in
// [0.5, 1.5].
func drawRef(rng *rand.Rand, decls map[string]ast.Shape) map[string]refMat {
	env := map[string]refMat{}
	sizes := map[string]int{}
	for _, n := range []string{"n", "d", "m"} {
		sizes[n] = 2 + rng.IntN(3)
		env[n] = scalarRef(float64(sizes[n]))
	}
	dim := func(x ast.Expr) int {
		if s, ok := x.(*ast.Sym); ok {
			return sizes[s.Name]
		}
		v, _ := x.(*ast.Num).Value.Int64()
		return int(v)
	}
	names := []string{"A", "B", "S", "X", "w", "y", "x", "mu", "lam"}
	for _, name := range slices.Sorted(maps.Keys(decls)) {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		s, ok := decls[name]
		if !ok {
			continue
		}
		if s.IsScalar() {
			env[name] = scalarRef(0.5 + rng.Float64())
			continue
		}
		m := refMat{r: dim(s.Rows), c: dim(s.Cols)}
		m.a = make([]float64, m.r*m.c)
		for i := range m.a {
			m.a[i] = 2*rng.Float64() - 1
		}
		if s.Rows == s.Cols {
			for i := range m.r {
				m.a[i*m.c+i] = float64(m.r) + 1 + rng.Float64()
			}
		}
		if s.Symmetric {
			for i := range m.r {
				for j := range i {
					m.a[j*m.c+i] = m.a[i*m.c+j]
				}
			}
		}
		env[name] = m
	}
	return env
}

// refEval evaluates a matrix expression directly, operation by
// operation, with no translation to index form.
func refEval(e ast.Expr, env map[string]refMat) (refMat, error) {
	args := func(xs []ast.Expr) ([]refMat, error) {
		out := make([]refMat, len(xs))
		for i, x := range xs {
			v, err := refEval(x, env)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	switch x := e.(type) {
	case *ast.Num:
		return scalarRef(x.Value.Float64()), nil
	case *ast.Sym:
		v, ok := env[x.Name]
		if !ok {
			return refMat{}, fmt.Errorf("no value for %s", x.Name)
		}
		return v, nil
	case *ast.Neg:
		v, err := refEval(x.X, env)
		return elementwise(func(a, _ float64) float64 { return -a }, v, scalarRef(0)), err
	case *ast.Add:
		vs, err := args(x.Terms)
		if err != nil {
			return refMat{}, err
		}
		acc := vs[0]
		for _, v := range vs[1:] {
			acc = elementwise(func(a, b float64) float64 { return a + b }, acc, v)
		}
		return acc, nil
	case *ast.Mul:
		vs, err := args(x.Factors)
		if err != nil {
			return refMat{}, err
		}
		acc := vs[0]
		for _, v := range vs[1:] {
			acc = elementwise(func(a, b float64) float64 { return a * b }, acc, v)
		}
		return acc, nil
	case *ast.Div:
		vs, err := args([]ast.Expr{x.X, x.Y})
		if err != nil {
			return refMat{}, err
		}
		return elementwise(func(a, b float64) float64 { return a / b }, vs[0], vs[1]), nil
	case *ast.Pow:
		vs, err := args([]ast.Expr{x.X, x.Y})
		if err != nil {
			return refMat{}, err
		}
		return elementwise(math.Pow, vs[0], vs[1]), nil
	case *ast.Call:
		v, err := refEval(x.Args[0], env)
		if err != nil {
			return refMat{}, err
		}
		f := map[string]func(float64) float64{"exp": math.Exp, "log": math.Log, "sqrt": math.Sqrt,
			"sigma": func(u float64) float64 { return 1 / (1 + math.Exp(-u)) }}[x.Fn]
		if f == nil || len(x.Args) != 1 {
			return refMat{}, fmt.Errorf("refEval: no function %s", x.Fn)
		}
		return elementwise(func(a, _ float64) float64 { return f(a) }, v, scalarRef(0)), nil
	case *ast.MatOp:
		vs, err := args(x.Args)
		if err != nil {
			return refMat{}, err
		}
		return refMatOp(x.Kind, vs)
	}
	return refMat{}, fmt.Errorf("refEval: cannot evaluate %s", ast.String(e))
}

// elementwise applies f entry by entry, broadcasting a 1×1 operand.
func elementwise(f func(a, b float64) float64, x, y refMat) refMat {
	if x.r*x.c == 1 && y.r*y.c != 1 {
		out := refMat{y.r, y.c, make([]float64, len(y.a))}
		for i := range y.a {
			out.a[i] = f(x.a[0], y.a[i])
		}
		return out
	}
	out := refMat{x.r, x.c, make([]float64, len(x.a))}
	for i := range x.a {
		b := y.a[0]
		if len(y.a) > 1 {
			b = y.a[i]
		}
		out.a[i] = f(x.a[i], b)
	}
	return out
}

func refMatOp(k ast.MatKind, vs []refMat) (refMat, error) {
	size := func(v refMat) int { return int(v.a[0]) }
	switch k {
	case ast.MatMul:
		acc := vs[0]
		for _, v := range vs[1:] {
			if acc.r*acc.c == 1 || v.r*v.c == 1 {
				acc = elementwise(func(a, b float64) float64 { return a * b }, acc, v)
				continue
			}
			out := refMat{acc.r, v.c, make([]float64, acc.r*v.c)}
			for i := range acc.r {
				for j := range v.c {
					for l := range acc.c {
						out.a[i*v.c+j] += acc.at(i, l) * v.at(l, j)
					}
				}
			}
			acc = out
		}
		return acc, nil
	case ast.MatTranspose:
		v := vs[0]
		out := refMat{v.c, v.r, make([]float64, len(v.a))}
		for i := range v.r {
			for j := range v.c {
				out.a[j*v.r+i] = v.at(i, j)
			}
		}
		return out, nil
	case ast.MatHadamard:
		return elementwise(func(a, b float64) float64 { return a * b }, vs[0], vs[1]), nil
	case ast.MatElemDiv:
		return elementwise(func(a, b float64) float64 { return a / b }, vs[0], vs[1]), nil
	case ast.MatElemPow:
		return elementwise(math.Pow, vs[0], vs[1]), nil
	case ast.MatSumAll, ast.MatMeanAll:
		s := 0.0
		for _, a := range vs[0].a {
			s += a
		}
		if k == ast.MatMeanAll {
			s /= float64(len(vs[0].a))
		}
		return scalarRef(s), nil
	case ast.MatNorm:
		s := 0.0
		for _, a := range vs[0].a {
			s += a * a
		}
		return scalarRef(math.Sqrt(s)), nil
	case ast.MatTrace:
		s := 0.0
		for i := range vs[0].r {
			s += vs[0].at(i, i)
		}
		return scalarRef(s), nil
	case ast.MatDiag:
		n := vs[0].r
		out := refMat{n, n, make([]float64, n*n)}
		for i := range n {
			out.a[i*n+i] = vs[0].a[i]
		}
		return out, nil
	case ast.MatOnes:
		r, c := size(vs[0]), 1
		if len(vs) == 2 {
			c = size(vs[1])
		}
		out := refMat{r, c, make([]float64, r*c)}
		for i := range out.a {
			out.a[i] = 1
		}
		return out, nil
	case ast.MatZeros:
		r, c := size(vs[0]), 1
		if len(vs) == 2 {
			c = size(vs[1])
		}
		return refMat{r, c, make([]float64, r*c)}, nil
	case ast.MatEye:
		n := size(vs[0])
		out := refMat{n, n, make([]float64, n*n)}
		for i := range n {
			out.a[i*n+i] = 1
		}
		return out, nil
	case ast.MatDet:
		return scalarRef(laplace(vs[0])), nil
	case ast.MatLogDet:
		return scalarRef(math.Log(laplace(vs[0]))), nil
	case ast.MatInv:
		return gaussJordan(vs[0])
	}
	return refMat{}, fmt.Errorf("refEval: no matrix operation %d", k)
}

// laplace is the determinant by cofactor expansion along the first row.
func laplace(m refMat) float64 {
	if m.r == 1 {
		return m.a[0]
	}
	det := 0.0
	for j := range m.c {
		minor := refMat{m.r - 1, m.c - 1, nil}
		for i := 1; i < m.r; i++ {
			for l := range m.c {
				if l != j {
					minor.a = append(minor.a, m.at(i, l))
				}
			}
		}
		sign := 1.0
		if j%2 == 1 {
			sign = -1
		}
		det += sign * m.at(0, j) * laplace(minor)
	}
	return det
}

// gaussJordan inverts m by elimination on [m | I], choosing the largest
// pivot of each column.
func gaussJordan(m refMat) (refMat, error) {
	n := m.r
	w := 2 * n
	a := make([]float64, n*w)
	for i := range n {
		for j := range n {
			a[i*w+j] = m.at(i, j)
		}
		a[i*w+n+i] = 1
	}
	for c := range n {
		p := c
		for i := c + 1; i < n; i++ {
			if math.Abs(a[i*w+c]) > math.Abs(a[p*w+c]) {
				p = i
			}
		}
		if a[p*w+c] == 0 {
			return refMat{}, fmt.Errorf("singular")
		}
		for j := range w {
			a[c*w+j], a[p*w+j] = a[p*w+j], a[c*w+j]
		}
		piv := a[c*w+c]
		for j := range w {
			a[c*w+j] /= piv
		}
		for i := range n {
			if i != c {
				f := a[i*w+c]
				for j := range w {
					a[i*w+j] -= f * a[c*w+j]
				}
			}
		}
	}
	out := refMat{n, n, make([]float64, n*n)}
	for i := range n {
		copy(out.a[i*n:(i+1)*n], a[i*w+n:(i+1)*w])
	}
	return out, nil
}
