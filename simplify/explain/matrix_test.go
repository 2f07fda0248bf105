package explain_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// matrixScript parses declarations, definitions and assume statements,
// one a line, and returns the options for explain and the last
// definition's name.
func matrixScript(t *testing.T, src string) (explain.Options, string) {
	t.Helper()
	rs := load.Builtin()
	defs := &ast.Defs{}
	ctx := load.Context(rs, defs)
	ctx.Shapes = map[string]ast.Shape{}
	opt := explain.Options{Simplify: simplify.Options{Defs: defs, Rules: rs}, Decls: ctx.Shapes}
	last := ""
	for _, line := range strings.Split(strings.TrimSpace(src), "\n") {
		stmts, err := parser.ParseFile("t.sd", line, ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stmts {
			switch s := st.Stmt.(type) {
			case *ast.DeclStmt:
				ctx.Shapes[s.Name] = s.Shape
			case *ast.DefStmt:
				if err := defs.Define(s.Def); err != nil {
					t.Fatal(err)
				}
				last = s.Def.Name
			case *ast.AssumeStmt:
				opt.Simplify.Assume = append(opt.Simplify.Assume, s)
			default:
				t.Fatalf("%s: %T", line, s)
			}
		}
	}
	return opt, last
}

const matrixDecls = "X : matrix(n, d)\nw : vector(d)\ny : vector(n)\ns : vector(n)\nlam : scalar\nm : vector(n)\n"

// The losses in matrix notation, each with the same loss written with
// indices (from cases): explain must decide them alike.
var matrixCases = []struct {
	name    string
	src     string // declarations and definitions; the last defines the loss
	indexed string // the name of the case in cases written with indices, if any
	labels  labels
	assume  explain.Assumptions
	verdict explain.Verdict
	family  string
}{
	{"logistic", "CE := -mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w)))", "logistic 0/1", real, explain.Assumptions{}, explain.Residual, "Bernoulli"},
	{"logistic ±1", "L := mean(softplus(-y .* (X*w)))", "logistic ±1", plusMinus, explain.Assumptions{LabelSet: []ast.Number{ast.Int(-1), ast.Int(1)}}, explain.Residual, "Bernoulli"},
	{"logistic ±1, labels not restricted", "L := mean(softplus(-y .* (X*w)))", "logistic ±1, labels not restricted", real, explain.Assumptions{}, explain.NotResidual, ""},
	{"least squares", "MSE := mean((y - X*w).^2)", "least squares", real, explain.Assumptions{}, explain.Residual, "Gaussian"},
	{"Poisson", "PO := mean(exp(X*w) - y .* (X*w))", "", real, explain.Assumptions{}, explain.Residual, "Poisson"},
	{"binomial, m trials", "B := -sum(y .* log(sigma(X*w)) + (m - y) .* log(1 - sigma(X*w)))", "binomial, m trials", counts, explain.Assumptions{}, explain.Residual, "binomial"},
	{"probit", "PR := -mean(y .* log(Phi(X*w)) + (1 - y) .* log(1 - Phi(X*w)))", "probit, averaged", real, explain.Assumptions{}, explain.NotResidual, ""},
	{"complementary log-log", "CL := -sum(y .* log(1 - exp(-exp(X*w))) - (1 - y) .* exp(X*w))", "", real, explain.Assumptions{}, explain.NotResidual, ""},
	{"gamma, log link", "G := sum(y .* exp(-(X*w)) + X*w)", "", real, explain.Assumptions{}, explain.NotResidual, ""},
	{"squared error on σ", "SQ := mean((y - sigma(X*w)).^2)", "squared error on σ", real, explain.Assumptions{}, explain.NotResidual, ""},
	{"weighted logistic", "WCE := -mean(s .* (y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w))))", "weighted logistic", real, explain.Assumptions{}, explain.Residual, "Bernoulli"},
	{"L2-regularised logistic", "RCE := -mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w))) + lam/2*dot(w, w)", "L2-regularised logistic", real, explain.Assumptions{}, explain.Residual, "Bernoulli"},
}

// TestExplainMatrix: a loss in matrix notation gets the verdict its
// indexed form gets, every claim holds, and the weight gradient in matrix
// notation (proved by the prover entry by entry) agrees with central
// finite differences of the loss, evaluated by matrix.Eval at random
// data, labels as the case draws them.
func TestExplainMatrix(t *testing.T) {
	t.Parallel()
	for _, c := range matrixCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opt, name := matrixScript(t, matrixDecls+c.src)
			opt.Assume = c.assume
			e, err := explain.Explain(context.Background(), ast.NewSym(name), opt)
			if err != nil {
				t.Fatal(err)
			}
			if e.Matrix == nil || e.Matrix.Predictor == nil || ast.String(e.Matrix.Predictor) != "X*w" {
				t.Fatalf("not read as a loss of X*w: %+v", e.Matrix)
			}
			if e.Verdict != c.verdict {
				t.Fatalf("verdict %s, want %s:\n%s", e.Verdict, c.verdict, claims(e))
			}
			for _, cl := range e.Claims {
				if !cl.Holds() {
					t.Errorf("claim %q: %s, needed %s", cl.Say, cl.Proof.Verdict, cl.Want)
				}
			}
			if c.indexed != "" {
				for _, ic := range cases {
					if ic.name == c.indexed {
						ie, _, _ := explainCase(t, ic.defs, ic.loss, ic.assume)
						if ie.Verdict != e.Verdict || ie.Canonical() != e.Canonical() {
							t.Errorf("indexed: %s (canonical %v), matrix: %s (canonical %v)", ie.Verdict, ie.Canonical(), e.Verdict, e.Canonical())
						}
					}
				}
			}
			var g ast.Expr
			switch c.verdict {
			case explain.Residual:
				if e.Family == nil || e.Family.Name != c.family {
					t.Errorf("family %+v, want %s", e.Family, c.family)
				}
				if e.Weights == nil || e.Weights.MatrixExpr == nil || !has(e, explain.PartMatrix, prove.Proved) {
					t.Fatalf("no weight gradient proved in matrix notation:\n%s", claims(e))
				}
				g = e.Weights.MatrixExpr
				if !strings.Contains(ast.String(g), "X'") {
					t.Errorf("∇_w = %s is not written with Xᵀ", ast.String(g))
				}
			case explain.NotResidual:
				if e.Canonical() || !has(e, explain.PartCross, prove.Refuted) {
					t.Errorf("not residual form without a refutation, or called canonical:\n%s", claims(e))
				}
				if e.Factor != nil {
					if e.FactorGradient == nil || !has(e, explain.PartMatrix, prove.Proved) {
						t.Fatalf("a factor W but no weight gradient proved in matrix notation:\n%s", claims(e))
					}
					g = e.FactorGradient
				}
			}
			if g != nil {
				checkMatrixFD(t, opt, ast.NewSym(name), g, c.labels)
			}
		})
	}
}

// checkMatrixFD compares the matrix expression g with central finite
// differences of loss in w, both evaluated by matrix.Eval, at random
// data: n = 4 samples, d = 3 features, labels as lab says.
func checkMatrixFD(t *testing.T, opt explain.Options, loss, g ast.Expr, lab labels) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 9))
	const n, d = 4, 3
	u := func(lo, hi float64) func() float64 { return func() float64 { return lo + (hi-lo)*rng.Float64() } }
	for trial := range 3 {
		// Far from 0 on the last trial: |z| up to about 6.
		scale := []float64{1, 1, 3}[trial]
		b := ast.Bindings{"X": array(scale, u(-1, 1), n, d), "w": array(1, u(-1, 1), d), "s": array(1, u(0.5, 2), n), "lam": ast.Scalar(u(0.1, 1)())}
		b["m"] = array(1, func() float64 { return float64(1 + rng.IntN(4)) }, n)
		switch lab {
		case real:
			b["y"] = array(1, u(-1.5, 1.5), n)
		case plusMinus:
			b["y"] = array(1, func() float64 { return float64(2*rng.IntN(2) - 1) }, n)
		case counts:
			b["y"] = array(1, func() float64 { return 0 }, n)
			for i, mi := range b["m"].Data {
				b["y"].Data[i] = float64(rng.IntN(int(mi) + 1))
			}
		}
		compareFD(t, opt, loss, g, "w", b)
	}
}

// array is a value of the shape with entries scale·f().
func array(scale float64, f func() float64, shape ...int) ast.Value {
	v := ast.Value{Shape: shape}
	size := 1
	for _, k := range shape {
		size *= k
	}
	for range size {
		v.Data = append(v.Data, scale*f())
	}
	return v
}

// compareFD compares g, the gradient of loss by the array w, with
// central finite differences of loss, both evaluated by matrix.Eval.
func compareFD(t *testing.T, opt explain.Options, loss, g ast.Expr, w string, b ast.Bindings) {
	t.Helper()
	mopt := matrix.Options{Decls: opt.Decls, Simplify: opt.Simplify}
	funcs := opt.Simplify.Rules.Defs()
	eval := func(x ast.Expr, b ast.Bindings) ast.Value {
		v, err := matrix.Eval(context.Background(), x, b, mopt, funcs)
		if err != nil {
			t.Fatalf("eval %s: %v", ast.String(x), err)
		}
		return v
	}
	got := eval(g, b)
	w0 := b[w]
	if len(got.Data) != len(w0.Data) {
		t.Fatalf("%s has %d entries, %s %d", ast.String(g), len(got.Data), w, len(w0.Data))
	}
	const h = 1e-5
	for j := range w0.Data {
		at := func(delta float64) float64 {
			wv := ast.Value{Shape: w0.Shape, Data: append([]float64(nil), w0.Data...)}
			wv.Data[j] += delta
			bb := ast.Bindings{}
			for k, v := range b {
				bb[k] = v
			}
			bb[w] = wv
			return eval(loss, bb).Data[0]
		}
		fd := (at(h) - at(-h)) / (2 * h)
		if math.Abs(got.Data[j]-fd) > 1e-5*(1+math.Abs(fd)) {
			t.Errorf("∇_%s entry %d = %g from %s, finite differences give %g", w, j, got.Data[j], ast.String(g), fd)
		}
	}
}

// TestExplainMatrixSoftmax: softmax regression in matrix notation, with
// Z = XW and class labels T (n×K): written with the log-sum-exp of each
// row it is residual form for any labels; written as cross-entropy of the
// row softmax it is residual form for one-hot labels (an assume
// statement, which the prover applies too), and not without them. The
// weight gradient Xᵀ(softmax(XW) − T)/n, the softmax of each row written
// exp(XW) ./ (exp(XW)*ones(K)*ones(K)'), is proved and checked against
// finite differences at one-hot labels.
func TestExplainMatrixSoftmax(t *testing.T) {
	t.Parallel()
	const decls = "X : matrix(n, d)\nW : matrix(d, K)\nT : matrix(n, K)\n"
	for _, c := range []struct {
		name, src string
		verdict   explain.Verdict
	}{
		{"log-sum-exp of the rows", "SCE := mean(log(exp(X*W)*ones(K)) - (T .* (X*W))*ones(K))", explain.Residual},
		{"cross-entropy, one-hot", "P := exp(X*W) ./ (exp(X*W)*ones(K)*ones(K)')\nXE := -mean((T .* log(P))*ones(K))\nassume sum(c=1..K, T[i,c]) == 1", explain.Residual},
		{"cross-entropy, labels not one-hot", "P := exp(X*W) ./ (exp(X*W)*ones(K)*ones(K)')\nXE := -mean((T .* log(P))*ones(K))", explain.NotResidual},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opt, _ := matrixScript(t, decls+c.src)
			name := "SCE"
			if strings.Contains(c.src, "XE") {
				name = "XE"
			}
			e, err := explain.Explain(context.Background(), ast.NewSym(name), opt)
			if err != nil {
				t.Fatal(err)
			}
			if e.Verdict != c.verdict {
				t.Fatalf("verdict %s, want %s:\n%s", e.Verdict, c.verdict, claims(e))
			}
			for _, cl := range e.Claims {
				if !cl.Holds() {
					t.Errorf("claim %q: %s, needed %s", cl.Say, cl.Proof.Verdict, cl.Want)
				}
			}
			if c.verdict != explain.Residual {
				return
			}
			if e.Family == nil || e.Family.Name != "categorical" {
				t.Errorf("family %+v, want categorical", e.Family)
			}
			if e.Weights == nil || e.Weights.MatrixExpr == nil || !has(e, explain.PartMatrix, prove.Proved) {
				t.Fatalf("no weight gradient proved in matrix notation:\n%s", claims(e))
			}
			rng := rand.New(rand.NewPCG(3, 4))
			const n, d, K = 4, 3, 3
			u := func() float64 { return 2*rng.Float64() - 1 }
			for trial := range 3 {
				T := array(1, func() float64 { return 0 }, n, K)
				for i := range n {
					T.Data[i*K+rng.IntN(K)] = 1
				}
				b := ast.Bindings{"X": array(float64(1+2*trial), u, n, d), "W": array(1, u, d, K), "T": T}
				compareFD(t, opt, ast.NewSym(name), e.Weights.MatrixExpr, "W", b)
			}
		})
	}
}

// TestExplainMatrixPredictorVector: --wrt may name a declared vector that
// is the predictor itself; the loss is decided on it (no weights), and
// without --wrt such a loss has no predictor.
func TestExplainMatrixPredictorVector(t *testing.T) {
	opt, name := matrixScript(t, "z : vector(n)\ny : vector(n)\nL := mean(softplus(z) - y .* z)")
	if _, err := explain.Explain(context.Background(), ast.NewSym(name), opt); err == nil || !strings.Contains(err.Error(), "no linear predictor") {
		t.Errorf("without --wrt: error %v, want no linear predictor", err)
	}
	opt.Wrt = "z"
	e, err := explain.Explain(context.Background(), ast.NewSym(name), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Canonical() || e.Family.Name != "Bernoulli" || e.Weights != nil || e.Matrix == nil || e.Matrix.Predictor != nil {
		t.Errorf("verdict %s, family %+v, weights %+v, matrix %+v", e.Verdict, e.Family, e.Weights, e.Matrix)
	}
	for _, cl := range e.Claims {
		if !cl.Holds() {
			t.Errorf("claim %q: %s, needed %s", cl.Say, cl.Proof.Verdict, cl.Want)
		}
	}
}
