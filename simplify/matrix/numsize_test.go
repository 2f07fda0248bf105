package matrix_test

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// numPreamble declares shapes with whole-number sizes, a row matrix among
// them.
const numPreamble = `x : vector(3)
A : matrix(2, 3)
P : matrix(1, 3)
`

func numSetup(t testing.TB) (matrix.Options, *parser.Context) {
	t.Helper()
	return setupSource(t, "preamble", numPreamble)
}

// TestProveNumericSizes: a counterexample to an identity between shapes
// of whole-number sizes binds values of the declared sizes (x : vector(3)
// was refuted at x=[1,-1.25,-1.75,-1.5], and A*x == zeros(2) at row k=3 of
// a 2×3 A), at which the sides differ by the reference evaluator.
func TestProveNumericSizes(t *testing.T) {
	opt, pctx := numSetup(t)
	want := map[string][]int{"x": {3}, "A": {2, 3}, "P": {1, 3}}
	for _, tt := range []struct{ a, b string }{
		{"sum(x)", "0"},
		{"x'*x", "2*x'*x"},
		{"A*x", "zeros(2)"},
		{"P*x", "0"},
		{"P'", "x"},
	} {
		a, b := parsePair(t, pctx, tt.a, tt.b)
		pr, err := matrix.Prove(context.Background(), a, b, opt)
		if err != nil {
			t.Fatalf("prove %s == %s: %v", tt.a, tt.b, err)
		}
		if pr.Verdict.String() != "refuted" {
			t.Errorf("prove %s == %s: %s, want refuted (%s)", tt.a, tt.b, pr.Verdict, pr.Tried)
			continue
		}
		env := map[string]refMat{}
		for name, v := range pr.Counter.Bindings {
			if w, ok := want[name]; ok {
				n := 1
				for _, k := range w {
					n *= k
				}
				if len(v.Data) != n {
					t.Errorf("prove %s == %s: the counterexample's %s is %s, not of its declared size %v", tt.a, tt.b, name, matrix.FormatValue(v), w)
				}
				m := refMat{r: w[0], c: 1, a: v.Data}
				if len(w) == 2 {
					m.c = w[1]
				}
				env[name] = m
			} else if len(v.Shape) == 0 {
				env[name] = refMat{r: 1, c: 1, a: v.Data}
			}
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
	}
}

// TestEvalRowMatrix: a matrix(1, 3) takes its value as written, one row.
func TestEvalRowMatrix(t *testing.T) {
	opt, pctx := numSetup(t)
	e, err := parser.ParseExpr("P*x", pctx)
	if err != nil {
		t.Fatal(err)
	}
	b := ast.Bindings{"P": {Shape: []int{1, 3}, Data: []float64{1, 2, 3}}, "x": {Shape: []int{3}, Data: []float64{4, 5, 6}}}
	v, err := matrix.Eval(context.Background(), e, b, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Data) != 1 || v.Data[0] != 32 {
		t.Errorf("P*x at P=[[1,2,3]], x=[4,5,6] is %s, want 32", matrix.FormatValue(v))
	}
}
