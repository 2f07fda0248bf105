package matrix_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// preamble declares the names of the corpus.
const preamble = `X : matrix(n, d)
A : matrix(m, m)
B : matrix(m, d)
W : matrix(m, d)
w : vector(d)
y : vector(n)
x : vector(m)
a : vector(m)
b : vector(d)
lam : scalar
CE  := -mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w)))
MSE := mean((y - X*w).^2)
`

// corpus holds matrix-calculus results: the Matrix Cookbook's linear and
// quadratic forms and traces, and machine-learning losses. Each result
// must print in matrix notation as given, read back as the same tree, and
// agree with central finite differences of the function it differentiates
// at random sizes and values.
var corpus = []corpusCase{
	// The Matrix Cookbook (Petersen and Pedersen), section 2.4.
	{"linear form a'x", "d(a'*x, x)", "a"},
	{"linear form x'a", "d(x'*a, x)", "a"},
	{"quadratic form", "d(x'*A*x, x)", "(A + A')*x"},
	{"inner product x'x", "d(x'*x, x)", "2*x"},
	{"squared norm", "d(norm(x)^2, x)", "2*x"},
	{"norm", "d(norm(x), x)", "x/norm(x)"},
	{"dot(x, x)", "d(dot(x, x), x)", "2*x"},
	{"sum of entries", "d(sum(x), x)", "ones(m)"},
	{"bilinear form in a matrix", "d(a'*B*b, B)", "a*b'"},
	{"trace of a square", "d(tr(A*A), A)", "2*A'"},
	{"trace of X'X", "d(tr(X'*X), X)", "2*X"},
	{"trace of X'Xbb'", "d(tr(X'*X*b*b'), X)", "2*X*b*b'"},
	{"squared norm of Xw, by X", "d(norm(X*w)^2, X)", "2*X*w*w'"},
	{"least squares in general form", "d(norm(B*w - a)^2, w)", "2*B'*(B*w - a)"},
	{"Hessian of a quadratic form", "hessian(x'*A*x, x)", "A + A'"},
	{"Hessian of the squared norm", "hessian(norm(x)^2, x)", "2*eye(m)"},
	{"Hessian of the norm", "hessian(norm(x), x)", "eye(m)/norm(x) - x*x'/norm(x)^3"},
	{"Hessian of a square of the sum", "hessian(sum(x)^2, x)", "2*ones(m, m)"},
	{"Jacobian of a linear map", "jacobian(A*x, x)", "A"},
	{"Jacobian of Xw", "jacobian(X*w, w)", "X"},
	{"Jacobian of sigma", "jacobian(sigma(x), x)", "diag(sigma(x) .* (1 - sigma(x)))"},
	{"Jacobian of a square", "jacobian(x .* x, x)", "2*diag(x)"},
	{"Jacobian of a scalar is a row", "jacobian(norm(x)^2, x)", "2*x'"},
	{"element-wise cube", "d(sum(x.^3), x)", "3*x.^2"},
	{"element-wise quotient", "d(sum(a ./ x), x)", "-a ./ x.^2"},
	{"sum of exp", "d(sum(exp(x)), x)", "exp(x)"},
	{"log-sum-exp written out", "d(log(sum(exp(x))), x)", "softmax(x)"},
	{"log-sum-exp is the softmax", "d(logsumexp(x), x)", "softmax(x)"},
	{"Hessian of log-sum-exp", "hessian(logsumexp(x), x)", "diag(softmax(x)) - softmax(x)*softmax(x)'"},
	{"Jacobian of the softmax", "jacobian(softmax(x), x)", "diag(softmax(x)) - softmax(x)*softmax(x)'"},
	{"softmax cross-entropy by the logits", "d(-dot(a, log(softmax(x))), x)", "sum(a)*softmax(x) - a"},
	{"softmax cross-entropy by the weights", "d(-dot(a, log(softmax(W*b))), W)", "(sum(a)*softmax(W*b) - a)*b'"},
	{"softmax regression, log-partition form", "d(logsumexp(W*b) - a'*W*b, W)", "(softmax(W*b) - a)*b'"},
	// Machine-learning losses.
	{"logistic cross-entropy", "d(CE, w)", "X'*(sigma(X*w) - y)/n"},
	{"logistic Hessian", "hessian(CE, w)", "X'*diag(sigma(X*w) .* (1 - sigma(X*w)))*X/n"},
	{"least squares", "d(MSE, w)", "2*X'*(X*w - y)/n"},
	{"least squares Hessian", "hessian(MSE, w)", "2*X'*X/n"},
	{"ridge", "d(norm(X*w - y)^2 + lam*norm(w)^2, w)", "2*(lam*w + X'*(X*w - y))"},
	{"ridge Hessian", "hessian(norm(X*w - y)^2 + lam*norm(w)^2, w)", "2*(lam*eye(d) + X'*X)"},
	{"weight decay", "d(lam*norm(w)^2/2, w)", "lam*w"},
	{"Poisson regression", "d(mean(exp(X*w) - y .* (X*w)), w)", "X'*(exp(X*w) - y)/n"},
	{"Poisson Hessian", "hessian(mean(exp(X*w) - y .* (X*w)), w)", "X'*diag(exp(X*w))*X/n"},
	{"logistic loss with softplus", "d(mean(softplus(X*w) - y .* (X*w)), w)", "X'*(sigma(X*w) - y)/n"},
	{"linear term", "d(y'*X*w, w)", "X'*y"},
	{"Gram quadratic form", "d(w'*X'*X*w, w)", "2*X'*X*w"},
	{"mean prediction", "d(mean(X*w), w)", "X'*ones(n)/n"},
	{"log-partition of the logistic model", "d(sum(log(1 + exp(X*w))), w)", "X'*sigma(X*w)"},
	{"Jacobian of the predictions", "jacobian(sigma(X*w), w)", "diag(sigma(X*w) .* (1 - sigma(X*w)))*X"},
}

// setup parses the preamble and returns the options and parser context.
func setup(t testing.TB) (matrix.Options, *parser.Context) {
	t.Helper()
	return setupSource(t, "preamble", preamble)
}

func TestCorpus(t *testing.T) {
	opt, pctx := setup(t)
	runCorpus(t, corpus, opt, pctx, 11, checkFD)
}

// checkFD compares the value of result with central finite differences of
// the function e differentiates, at random sizes and values.
func checkFD(t *testing.T, e, result ast.Expr, opt matrix.Options, rng *rand.Rand, trial int) {
	t.Helper()
	b := ast.Bindings{}
	sizes := map[string]int{}
	for _, n := range []string{"n", "d", "m"} {
		sizes[n] = 2 + rng.IntN(3)
		b[n] = ast.Scalar(float64(sizes[n]))
	}
	dim := func(x ast.Expr) int {
		if s, ok := x.(*ast.Sym); ok {
			return sizes[s.Name]
		}
		v, _ := x.(*ast.Num).Value.Int64()
		return int(v)
	}
	for name, s := range opt.Decls {
		var v ast.Value
		switch {
		case s.IsScalar():
			v = ast.Scalar(0.2 + rng.Float64())
		case s.IsVector():
			v.Shape = []int{dim(s.Rows)}
		default:
			v.Shape = []int{dim(s.Rows), dim(s.Cols)}
		}
		if v.Shape != nil {
			size := 1
			for _, k := range v.Shape {
				size *= k
			}
			for range size {
				// Positive values keep x in a ./ x away from zero; labels
				// y lie in (0, 1).
				v.Data = append(v.Data, 0.2+0.8*rng.Float64())
			}
		}
		b[name] = v
	}
	ctx := context.Background()
	eval := func(x ast.Expr, b ast.Bindings) ast.Value {
		v, err := matrix.Eval(ctx, x, b, opt, rulesDefs(opt.Simplify.Rules))
		if err != nil {
			t.Fatalf("eval %s: %v", ast.String(x), err)
		}
		return v
	}
	var f, wrt ast.Expr
	switch x := e.(type) {
	case *ast.Deriv:
		f, wrt = x.X, x.Wrt
	case *ast.MatOp:
		f, wrt = x.Args[0], x.Args[1]
		if x.Kind == ast.MatHessian {
			// The Hessian is the Jacobian of the gradient, which is
			// evaluated in index form, without the translation back.
			f = ast.NewDeriv(x.Args[0], x.Args[1])
		}
	}
	got := eval(result, b)
	name := wrt.(*ast.Sym).Name
	w0 := b[name]
	const h = 1e-5
	fdim := len(eval(f, b).Data)
	// want[i*len(w)+j] is d f_i / d w_j.
	want := make([]float64, fdim*len(w0.Data))
	for j := range w0.Data {
		at := func(delta float64) []float64 {
			w := ast.Value{Shape: w0.Shape, Data: append([]float64(nil), w0.Data...)}
			w.Data[j] += delta
			bb := ast.Bindings{}
			for k, v := range b {
				bb[k] = v
			}
			bb[name] = w
			return eval(f, bb).Data
		}
		plus, minus := at(h), at(-h)
		for i := range plus {
			want[i*len(w0.Data)+j] = (plus[i] - minus[i]) / (2 * h)
		}
	}
	if len(got.Data) != len(want) {
		t.Fatalf("trial %d: %s has %d entries, the finite differences %d", trial, ast.String(result), len(got.Data), len(want))
	}
	for i := range want {
		if diff := math.Abs(got.Data[i] - want[i]); diff > 1e-5*(1+math.Abs(want[i])) {
			t.Fatalf("trial %d at %v: %s entry %d = %g, finite differences give %g", trial, b, ast.String(result), i, got.Data[i], want[i])
		}
	}
}

func rulesDefs(rs *rules.Set) *ast.Defs { return rs.Defs() }
