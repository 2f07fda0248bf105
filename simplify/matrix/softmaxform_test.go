package matrix_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// softmaxCorpus: the softmax's Jacobian as MatrixCalculus.org writes it,
// diag(s) - s*s' with s = softmax(u), times the derivative of u; the
// derivative of sum(softmax(u)), identically 0, as zeros of its shape;
// and an entry that depends on one index of two as an outer product with
// ones (ones(m)*b' for d(sum(W*b), W)). Each result is compared with
// central finite differences of the function (checkFD).
var softmaxCorpus = []corpusCase{
	{"softmax Jacobian", "jacobian(softmax(x), x)", "diag(softmax(x)) - softmax(x)*softmax(x)'"},
	{"softmax by the weights' product", "d(softmax(W*b), b)", "(diag(softmax(W*b)) - softmax(W*b)*softmax(W*b)')*W"},
	{"softmax as exponentials", "jacobian(exp(A*x)/sum(exp(A*x)), x)", "(diag(softmax(A*x)) - softmax(A*x)*softmax(A*x)')*A"},
	{"softmax of a multiple", "jacobian(softmax(2*x), x)", "2*(diag(softmax(2*x)) - softmax(2*x)*softmax(2*x)')"},
	{"minus the softmax", "jacobian(-softmax(A*x), x)", "(softmax(A*x)*softmax(A*x)' - diag(softmax(A*x)))*A"},
	{"a weighted softmax", "d(a'*softmax(A*x), x)", "A'*(diag(softmax(A*x)) - softmax(A*x)*softmax(A*x)')*a"},
	{"sum of the softmax by the matrix", "d(sum(softmax(W*b)), W)", "zeros(m, d)"},
	{"sum of the softmax by the vector", "d(sum(softmax(W*b)), b)", "zeros(d)"},
	{"sum of the softmax as exponentials", "d(sum(exp(X*w)/sum(exp(X*w))), X)", "zeros(n, d)"},
	{"log-softmax", "jacobian(log(softmax(W*b)), b)", "W - ones(m)*softmax(W*b)'*W"},
	{"sum by the matrix", "d(sum(W*b), W)", "ones(m)*b'"},
	{"sum of the transpose by the matrix", "d(sum(X'*y), X)", "y*ones(d)'"},
	{"scaled sum by the matrix", "d(lam*sum(W*b), W)", "lam*ones(m)*b'"},
	{"square of a sum by the matrix", "d(sum(W*b)^2, W)", "2*tr(b*ones(m)'*W)*ones(m)*b'"},
	{"negated sum by the matrix", "d(-sum(W*b), W)", "-(ones(m)*b')"},
	{"a vector times its sum", "jacobian(x .* sum(x), x)", "x*ones(m)' + sum(x)*eye(m)"},
	{"a product times a sum", "jacobian(A*x .* sum(x), x)", "A*x*ones(m)' + sum(x)*A"},
	{"the softmax sums to 1", "d(lam*sum(softmax(A*x)), lam)", "1"},
	{"a softmax against ones", "d(lam^2*ones(m)'*softmax(A*x), lam)", "2*lam"},
	{"normalised", "jacobian(x ./ sum(x), x)", "(sum(x)*eye(m) - x*ones(m)')/sum(x)^2"},
}

func TestSoftmaxCorpus(t *testing.T) {
	opt, pctx := setup(t)
	runCorpus(t, softmaxCorpus, opt, pctx, 23, checkFD)
}

// TestSoftmaxRulesNamed: the softmax forms are the named steps
// softmax_form and softmax_sum.
func TestSoftmaxRulesNamed(t *testing.T) {
	opt, pctx := setup(t)
	for _, c := range []struct{ src, rule string }{
		{"jacobian(softmax(x), x)", "softmax_form"},
		{"d(sum(softmax(W*b)), W)", "softmax_sum"},
		{"sum(softmax(x))", "softmax_sum"},
	} {
		r, err := matrix.Simplify(context.Background(), mustExpr(t, c.src, pctx), opt)
		if err != nil {
			t.Fatal(err)
		}
		if applied := append(ruleNames(r.Written), ruleNames(r.Shown)...); !slices.Contains(applied, c.rule) {
			t.Errorf("%s: rule %s not applied (applied: %v)", c.src, c.rule, applied)
		}
	}
}

// TestSoftmaxFormRandom: random losses and maps through a softmax (of a
// product, a multiple, a sum), weighted, summed, logged, negated,
// differentiated by a vector or a matrix, keep their value: each result
// in matrix notation is compared with central finite differences of the
// function (checkFD), and enough of them take the softmax forms for the
// test to say something.
func TestSoftmaxFormRandom(t *testing.T) {
	opt, pctx := setup(t)
	rng := rand.New(rand.NewPCG(5, 77))
	inner := []string{"A*x", "2*x", "x", "A*x + a", "W*b", "-(A*x)", "x/lam"}
	outer := []string{"sum(%s)", "a'*%s", "-%s", "lam*%s", "sum(log(%s))", "%s .* a", "log(%s)", "sum(%s)^2", "dot(a, %s)*lam", "lam*sum(%s)", "sum(%s)*x", "x'*ones(m)*ones(m)'*%s"}
	formed, checked := 0, 0
	for range 60 {
		u := inner[rng.IntN(len(inner))]
		s := "softmax(" + u + ")"
		if rng.IntN(3) == 0 {
			s = fmt.Sprintf("exp(%s)/sum(exp(%s))", u, u)
		}
		f := fmt.Sprintf(outer[rng.IntN(len(outer))], s)
		wrt := "x"
		switch {
		case strings.Contains(f, "lam") && rng.IntN(2) == 0:
			wrt = "lam"
		case strings.Contains(u, "W"):
			wrt = []string{"b", "W"}[rng.IntN(2)]
		case rng.IntN(2) == 0:
			wrt = "A"
		}
		src := fmt.Sprintf("d(%s, %s)", f, wrt)
		if sh := opt.Decls[wrt]; sh.IsVector() && !strings.HasPrefix(f, "sum") && !strings.HasPrefix(f, "a'") && !strings.HasPrefix(f, "dot") {
			src = fmt.Sprintf("jacobian(%s, %s)", f, wrt)
		}
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			continue // a shape the generator got wrong (jacobian of a scalar, d of a vector by a matrix)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil || r.Value == nil {
			continue
		}
		applied := append(ruleNames(r.Written), ruleNames(r.Shown)...)
		if slices.Contains(applied, "softmax_form") || slices.Contains(applied, "softmax_sum") {
			formed++
		}
		checked++
		for trial := range 2 {
			checkFD(t, e, r.Value, opt, rng, trial)
		}
		if t.Failed() {
			t.Fatalf("%s = %s", src, ast.String(r.Value))
		}
	}
	t.Logf("%d results checked, %d in softmax form", checked, formed)
	if checked < 30 || formed < 15 {
		t.Errorf("%d results checked, %d in softmax form: too few", checked, formed)
	}
}
