package codegen

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestRandomSharedLosses runs the generated code of random losses whose
// parts recur in the loss and in its gradient: sums, means, norms, dot
// products and quadratic forms of a few vectors (matrix notation and
// indexed sums), under sigma, log, exp, softplus, max, abs, in every
// language. A temp the loss shares with the gradient is computed once, and
// must be computed before it is read: NumPy once read sum(w), planned for
// the gradient further down, in the loss lam/(1 + mean(w + w)^2). Each
// program's loss and gradient are compared with ast.Eval of the loss and
// of the symbolic gradient, and the symbolic gradient with central finite
// differences of ast.Eval of the loss.
func TestRandomSharedLosses(t *testing.T) {
	t.Parallel()
	const count = 16
	en := sharedEngine(t)
	r := rand.New(rand.NewPCG(5, 2026))
	var cases []*rcase
	for len(cases) < count {
		c := newRandomCase(t, en, randomSharedLoss(r), []string{"w", "lam"}, map[string]int{"n": 4, "d": 3}, len(cases), nil)
		checkSymbolic(t, en, c)
		cases = append(cases, c)
	}
	runRandomCases(t, en, cases)
}

// checkSymbolic compares the symbolic gradient that the generated code is
// checked against with central differences of the loss, both by ast.Eval,
// so that the oracle is not the derivative alone.
func checkSymbolic(t *testing.T, en Engine, c *rcase) {
	t.Helper()
	ctx := context.Background()
	eval := func(e ast.Expr, b ast.Bindings) float64 {
		v, err := en.evaluate(ctx, e, b)
		if err != nil {
			t.Fatalf("%s: %s: %v", c.src, ast.String(e), err)
		}
		return v
	}
	for a, w := range c.p.wrt {
		n := len(c.data[w.name])
		for k := range n {
			b := bindings(c.p, c.data, c.size)
			if len(w.idx) > 0 {
				b[w.idx[0]] = ast.Scalar(float64(k + 1))
			}
			got := eval(c.p.symbolic[a], b)
			const h = 1e-5
			x := c.data[w.name][k]
			shifted := func(to float64) float64 {
				data := map[string][]float64{}
				for name, v := range c.data {
					data[name] = v
				}
				data[w.name] = append([]float64(nil), c.data[w.name]...)
				data[w.name][k] = to
				return eval(c.p.original, bindings(c.p, data, c.size))
			}
			fd := (shifted(x+h) - shifted(x-h)) / (2 * h)
			if err := relErr(got, fd); err > 1e-6 || math.IsNaN(err) {
				t.Errorf("%s: d/d%s[%d]: symbolic %.12g, central differences %.12g", c.src, w.name, k+1, got, fd)
			}
		}
	}
}

// randomSharedLoss writes a random loss in w (d) and lam over X (n × d),
// W (d × d), v (d) and y (n). Its terms are drawn from one vector over d
// and one over n, so that sums and norms of them recur in the loss and in
// the gradient; some sum a vector twice (sum(u + u), mean(u - 2*u)), so
// that a sum of terms splits into sums the gradient reads too.
func randomSharedLoss(r *rand.Rand) string {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	ud := pick("w", "w + v", "W*w", "W'*w + v", "w .* v", "sigma(w)", "tanh(W*w)", "2*w")
	un := pick("X*w", "X*w - y", "sigma(X*w)", "X*(w + v)", "softplus(X*w) - y")
	vector := func() string {
		if r.IntN(2) == 0 {
			return ud
		}
		return un
	}
	// A scalar of the two vectors, or an indexed sum.
	var scalar func(depth int) string
	scalar = func(depth int) string {
		if depth == 0 || r.IntN(3) == 0 {
			u := "(" + vector() + ")"
			switch r.IntN(15) {
			case 0:
				return "sum(" + u + ")"
			case 1:
				return "mean(" + u + ")"
			case 2:
				return "norm(" + u + ")"
			case 3:
				return "norm(" + u + ")^2"
			case 4:
				return "logsumexp(" + u + ")"
			case 5:
				return "sum(abs(" + u + "))"
			case 6:
				return "sum(" + u + " + " + u + ")"
			case 7:
				return "mean(" + u + " - 2*" + u + ")"
			case 8:
				return "sum(softplus(" + u + "))"
			case 9:
				return "(" + ud + ")'*(" + ud + ")"
			case 10:
				return "sum(j=1..d, max(w[j], 0)*v[j])"
			case 11:
				return "sum(j=1..d, w[j] + w[j]*v[j])"
			case 12:
				return "sum(i=1..n, softplus(sum(j=1..d, X[i,j]*w[j])) - y[i]*sum(j=1..d, X[i,j]*w[j]))"
			case 13:
				return "(" + ud + ")'*W*(" + ud + ")"
			}
			return "sum(log(1 + " + u + ".^2))"
		}
		s := scalar(depth - 1)
		switch r.IntN(12) {
		case 0:
			return "exp(-(" + s + ")^2)"
		case 1:
			return "lam/(1 + (" + s + ")^2)"
		case 2:
			return "log(1 + (" + s + ")^2)"
		case 3:
			return "sqrt(1 + (" + s + ")^2)"
		case 4:
			return "sigma(" + s + ")"
		case 5:
			return "softplus(" + s + ")"
		case 6:
			return "abs(" + s + ")"
		case 7:
			return "max(" + s + ", " + scalar(depth-1) + ")"
		case 8:
			return "(" + s + ")*(" + scalar(depth-1) + ")"
		case 9:
			return "lam*(" + s + ")"
		case 10:
			return "tanh(" + s + ")"
		}
		return "(" + s + ") + (" + scalar(depth-1) + ")"
	}
	loss := scalar(2)
	for range r.IntN(2) {
		loss += " + " + scalar(2)
	}
	if !strings.Contains(loss, "lam") {
		loss += " + lam^2*(" + scalar(1) + ")"
	}
	return loss
}
