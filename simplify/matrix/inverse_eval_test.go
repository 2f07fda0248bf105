package matrix_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestEvalInverse: inverses, determinants and log-determinants of given
// matrices, against values worked out exactly by hand (the adjugate over
// the determinant), including a matrix whose first pivot is 0, and the
// messages where they are undefined.
func TestEvalInverse(t *testing.T) {
	opt, pctx := invSetup(t)
	pivot := ast.Value{Shape: []int{3, 3}, Data: []float64{0, 1, 2, 1, 0, 3, 4, -3, 8}} // det -2
	spd := ast.Value{Shape: []int{2, 2}, Data: []float64{2, 1, 1, 3}}                   // det 5
	singular := ast.Value{Shape: []int{2, 2}, Data: []float64{1, 2, 2, 4}}
	// det 1e-400 and -1e-400, below the float64 range, and 1e400 above it:
	// logdet is still defined (the sign comes from the pivots).
	tiny := ast.Value{Shape: []int{2, 2}, Data: []float64{1e-200, 0, 0, 1e-200}}
	tinyNeg := ast.Value{Shape: []int{2, 2}, Data: []float64{0, 1e-200, 1e-200, 0}}
	huge := ast.Value{Shape: []int{2, 2}, Data: []float64{1e200, 0, 0, 1e200}}
	tests := []struct {
		src  string
		a    ast.Value
		want []float64
		err  string
	}{
		{"inv(A)", pivot, []float64{-4.5, 7, -1.5, -2, 4, -1, 1.5, -2, 0.5}, ""},
		{"det(A)", pivot, []float64{-2}, ""},
		{"inv(A)*A", pivot, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}, ""},
		{"inv(A)'", spd, []float64{0.6, -0.2, -0.2, 0.4}, ""},
		{"det(A)", spd, []float64{5}, ""},
		{"logdet(A)", spd, []float64{math.Log(5)}, ""},
		{"logdet(2*A)", spd, []float64{math.Log(20)}, ""},
		{"tr(inv(A))", spd, []float64{1}, ""},
		{"det(inv(A))", spd, []float64{0.2}, ""},
		{"det(A)", singular, []float64{0}, ""},
		{"logdet(A)", pivot, nil, "logdet(A) is undefined at the values given: det(A) = -2 is not positive"},
		{"logdet(A)", tiny, []float64{-400 * math.Ln10}, ""},
		{"logdet(A)", huge, []float64{400 * math.Ln10}, ""},
		{"logdet(A)", tinyNeg, nil, "logdet(A) is undefined at the values given: det(A) = -1e-400 is not positive"},
		// Exactly singular: the inverse and determinant are computed in
		// rationals where the entries are (exactly singular, not "to
		// working precision").
		{"inv(A)", singular, nil, "inv(A) is undefined at the values given: A is singular"},
		{"logdet(A)", singular, nil, "logdet(A) is undefined at the values given: A is singular"},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		m := tt.a.Shape[0]
		b := ast.Bindings{"A": tt.a, "m": ast.Scalar(float64(m))}
		v, err := matrix.Eval(context.Background(), e, b, opt, opt.Simplify.Rules.Defs())
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s at A=%s: error %v, want %q", tt.src, matrix.FormatValue(tt.a), err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s at A=%s: %v", tt.src, matrix.FormatValue(tt.a), err)
			continue
		}
		if diff := cmp.Diff(tt.want, v.Data, cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) <= 1e-14*(1+math.Abs(x)) })); diff != "" {
			t.Errorf("%s at A=%s (-want +got):\n%s", tt.src, matrix.FormatValue(tt.a), diff)
		}
	}
}

// TestProveInverse: identities with traces and inverses. A refutation
// found with inv(A) read as a free unknown stands only with concrete
// matrices (det(A)*det(B) == det(A*B) is true and must not be refuted).
func TestProveInverse(t *testing.T) {
	opt, pctx := invSetup(t)
	tests := []struct{ a, b, verdict, tried string }{
		{"tr(A*B*S)", "tr(S*A*B)", "proved", ""},
		{"tr(A*B*S)", "tr(B*S*A)", "proved", ""},
		{"tr(A*B*S*A)", "tr(S*A*A*B)", "proved", ""},
		{"tr(X'*X)", "sum(X .* X)", "proved", ""},
		{"tr(X*X')", "norm(X*ones(d))^2", "refuted", ""},
		{"tr(A*B)", "tr(B'*A')", "proved", ""},
		{"tr(A*B)", "tr(A'*B)", "refuted", ""},
		{"tr(A*B*S)", "tr(A*S*B)", "refuted", ""},
		{"tr(inv(A)*B)", "tr(B*inv(A))", "proved", ""},
		{"x'*inv(A)*x", "x'*inv(A)'*x", "proved", ""},
		{"inv(A)'", "inv(A)", "refuted", ""},
		{"inv(A)*A", "eye(m)", "proved", ""},
		{"A*inv(A)", "eye(m)", "proved", ""},
		{"inv(A)'*A'", "eye(m)", "proved", ""},
		{"inv(A)*A*B", "B", "proved", ""},
		{"tr(inv(A)*B*A)", "tr(B)", "proved", ""},
		{"x'*inv(A)*A*x", "x'*x", "proved", ""},
		{"inv(A)*B", "eye(m)", "refuted", ""},
		{"det(A)*det(B)", "det(A*B)", "proved", ""}, // by det_product
		{"inv(A*B)", "inv(B)*inv(A)", "proved", ""}, // by inv_product
		{"inv(A*B)", "inv(A)*inv(B)", "refuted", ""},
		{"det(A + B)", "det(A) + det(B)", "refuted", ""},
		{"det(lam*A)", "lam*det(A)", "refuted", ""},
		{"inv(inv(A))", "A", "proved", ""}, // by inv_inv, where inv(A) is defined
		{"det(A)*det(B)", "det(A + B)", "refuted", ""},
		// An undeclared scalar is drawn too: with none, no point was
		// defined and a false identity was left unknown.
		{"det(A)", "c", "refuted", ""},
		{"inv(A)", "c*A", "refuted", ""},
		{"det(A)*c", "1", "refuted", ""},
	}
	for _, tt := range tests {
		a, b, pr, ok := proveClaim(t, opt, pctx, tt.a, tt.b, tt.verdict)
		if !ok {
			continue
		}
		if tt.tried != "" && pr.Tried != tt.tried {
			t.Errorf("prove %s == %s: %q, want %q", tt.a, tt.b, pr.Tried, tt.tried)
		}
		if pr.Verdict.String() != "refuted" {
			continue
		}
		// The counterexample binds concrete matrices, at which the sides
		// differ by the reference evaluator.
		env := map[string]refMat{}
		for name, v := range pr.Counter.Bindings {
			m := refMat{r: 1, c: 1, a: v.Data}
			switch len(v.Shape) {
			case 1:
				m.r = v.Shape[0]
			case 2:
				m.r, m.c = v.Shape[0], v.Shape[1]
			}
			env[name] = m
		}
		va, errA := refEval(a, env)
		vb, errB := refEval(b, env)
		if errA != nil || errB != nil {
			t.Errorf("prove %s == %s: counterexample %s: %v %v", tt.a, tt.b, pr.Counter.Point(), errA, errB)
			continue
		}
		differ := false
		for i := range va.a {
			differ = differ || math.Abs(va.a[i]-vb.a[i]) > 1e-9*(1+math.Abs(va.a[i]))
		}
		if !differ {
			t.Errorf("prove %s == %s: the sides agree at the counterexample %s", tt.a, tt.b, pr.Counter.Point())
		}
		if !strings.Contains(pr.Counter.Point(), "[[") {
			t.Errorf("prove %s == %s: the counterexample %s has no matrix", tt.a, tt.b, pr.Counter.Point())
		}
	}
}

// TestTraceCyclic: the trace of a product equals the trace of each of its
// rotations, and a proof of tr(P) == tr(Q) for other orders must agree
// with the reference evaluator at random matrices.
func TestTraceCyclic(t *testing.T) {
	opt, pctx := invSetup(t)
	rng := rand.New(rand.NewPCG(3, 5))
	names := []string{"A", "B", "S", "A'", "inv(B)"}
	for range 12 {
		n := 3 + rng.IntN(2)
		fs := make([]string, n)
		for i := range fs {
			fs[i] = names[rng.IntN(len(names))]
		}
		r := 1 + rng.IntN(n-1)
		rot := append(append([]string{}, fs[r:]...), fs[:r]...)
		other := append([]string{}, fs...)
		rng.Shuffle(len(other), func(i, j int) { other[i], other[j] = other[j], other[i] })
		for _, q := range [][]string{rot, other} {
			src := "tr(" + strings.Join(fs, "*") + ")"
			dst := "tr(" + strings.Join(q, "*") + ")"
			a, b := parsePair(t, pctx, src, dst)
			pr, err := matrix.Prove(context.Background(), a, b, opt)
			if err != nil {
				t.Fatalf("prove %s == %s: %v", src, dst, err)
			}
			env := drawRef(rng, opt.Decls)
			va, _ := refEval(a, env)
			vb, _ := refEval(b, env)
			equal := math.Abs(va.a[0]-vb.a[0]) <= 1e-9*(1+math.Abs(va.a[0]))
			switch {
			case &q[0] == &rot[0] && pr.Verdict.String() != "proved":
				t.Errorf("prove %s == %s (a rotation): %s (%s)", src, dst, pr.Verdict, pr.Tried)
			case pr.Verdict.String() == "proved" && !equal:
				t.Errorf("prove %s == %s: proved, but the sides are %g and %g", src, dst, va.a[0], vb.a[0])
			case pr.Verdict.String() == "refuted" && equal:
				t.Logf("prove %s == %s: refuted, and equal at one random point (%g)", src, dst, va.a[0])
			}
		}
	}
}
