package matrix_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestTensor: a derivative with entries of three or four indices (a
// matrix by a matrix) has no matrix form; it is given in index form, with
// a note that says so, and its entries agree with finite differences of
// the reference evaluator at every index.
func TestTensor(t *testing.T) {
	opt, pctx := invSetup(t)
	tests := []struct{ src, index, note string }{
		{"d(A*B, A)", "B[l,j]*delta(i, k)",
			"no matrix form: the derivative of A*B (m×m) by A (m×m) has 4 indices; the entry at [i,j,k,l] in index form"},
		{"d(inv(A), A)", "-Ainv[i,k]*Ainv[l,j]",
			"no matrix form: the derivative of inv(A) (m×m) by A (m×m) has 4 indices; the entry at [i,j,k,l] in index form, with Ainv = inv(A)"},
		{"d(A'*B, A)", "B[k,j]*delta(i, l)",
			"no matrix form: the derivative of A'*B (m×m) by A (m×m) has 4 indices; the entry at [i,j,k,l] in index form"},
		{"jacobian(X*diag(w), w)", "X[i,j]*delta(j, k)*[j <= d]",
			"no matrix form: the derivative of X*diag(w) (n×d) by w (d×1) has 3 indices; the entry at [i,j,k] in index form"},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if r.Value != nil || !errors.Is(r.NoForm, matrix.ErrNoMatrix) {
			t.Errorf("%s: value %v, reason %v; want no matrix form", tt.src, r.Value, r.NoForm)
			continue
		}
		if got := ast.String(r.Simplified.Expr); got != tt.index {
			t.Errorf("%s in index form = %s, want %s", tt.src, got, tt.index)
		}
		if got := r.Note(); got != tt.note {
			t.Errorf("%s: note %q, want %q", tt.src, got, tt.note)
		}
		checkTensor(t, e, r, opt)
	}
}

// checkTensor evaluates the index form at every index and compares it
// with central differences of the function by the reference evaluator.
func checkTensor(t *testing.T, e ast.Expr, r *matrix.Result, opt matrix.Options) {
	t.Helper()
	var f, w ast.Expr
	switch x := e.(type) {
	case *ast.Deriv:
		f, w = x.X, x.Wrt
	case *ast.MatOp:
		f, w = x.Args[0], x.Args[1]
	}
	env := drawRef(rand.New(rand.NewPCG(7, uint64(e.Size()))), opt.Decls)
	b := ast.Bindings{}
	for k, v := range env {
		if s, ok := opt.Decls[k]; ok {
			b[k] = v.value(s)
		} else {
			b[k] = v.value(ast.ScalarShape)
		}
	}
	for _, a := range r.Atoms {
		v, err := refEval(a.Expr(), env)
		if err != nil {
			t.Fatal(err)
		}
		b[a.Name] = v.value(ast.MatrixShape(a.Size, a.Size))
	}
	name := w.(*ast.Sym).Name
	w0 := env[name]
	fv, err := refEval(f, env)
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-6
	for q := range w0.a { // the entry of w, row major: (k, l)
		shift := func(delta float64) refMat {
			e2 := map[string]refMat{}
			for k, v := range env {
				e2[k] = v
			}
			m := w0.clone()
			m.a[q] += delta
			e2[name] = m
			v, err := refEval(f, e2)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		plus, minus := shift(h), shift(-h)
		for p := range fv.a { // the entry of f: (i, j)
			want := (plus.a[p] - minus.a[p]) / (2 * h)
			// Bind the indices: f's, then w's, as Indices lists them.
			pos := []int{}
			if fv.r > 1 {
				pos = append(pos, p/fv.c+1)
			}
			if fv.c > 1 {
				pos = append(pos, p%fv.c+1)
			}
			if w0.r > 1 {
				pos = append(pos, q/w0.c+1)
			}
			if w0.c > 1 {
				pos = append(pos, q%w0.c+1)
			}
			bb := ast.Bindings{}
			for k, v := range b {
				bb[k] = v
			}
			for i, n := range r.Indices {
				bb[n] = ast.Scalar(float64(pos[i]))
			}
			got, err := ast.Eval(r.Simplified.Expr, nil, bb)
			if err != nil {
				t.Fatalf("%s at %v: %v", ast.String(r.Simplified.Expr), pos, err)
			}
			if math.Abs(got-want) > 1e-6*(1+math.Abs(want)) {
				t.Fatalf("%s: entry %v = %g, finite differences give %g", ast.String(e), pos, got, want)
			}
		}
	}
}
