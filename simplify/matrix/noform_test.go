package matrix_test

import (
	"context"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestNoForm: a result with no matrix form the translation back finds is
// given in index form, with the reason, never a wrong matrix form.
func TestNoForm(t *testing.T) {
	opt, pctx := setup(t)
	tests := []struct{ src, index string }{
		{"jacobian(x .^ x, x)", "x[k]^x[k]*(delta(k, l)*(log(x[k]) + 1))"},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatal(err)
		}
		if r.Value != nil {
			t.Errorf("%s = %s, want no matrix form", tt.src, ast.String(r.Value))
			continue
		}
		if r.NoForm == nil {
			t.Errorf("%s: no reason given", tt.src)
		}
		if got := ast.String(r.Simplified.Expr); got != tt.index {
			t.Errorf("%s in index form = %s, want %s", tt.src, got, tt.index)
		}
	}
}

// TestProveMatrix: identities are proved and refuted entry by entry, and
// sides of different shapes are an error.
func TestProveMatrix(t *testing.T) {
	opt, pctx := setup(t)
	tests := []struct{ a, b, verdict string }{
		{"d(CE, w)", "X'*(sigma(X*w) - y)/n", "proved"},
		{"hessian(CE, w)", "X'*diag(sigma(X*w) .* (1 - sigma(X*w)))*X/n", "proved"},
		{"(A*B)'", "B'*A'", "proved"},
		{"A*(x + a)", "A*x + A*a", "proved"},
		{"norm(x)^2", "x'*x", "proved"},
		{"d(CE, w)", "d(MSE, w)/2", "refuted"},
		{"(A*B)'", "B'*A", "refuted"},
	}
	for _, tt := range tests {
		proveClaim(t, opt, pctx, tt.a, tt.b, tt.verdict)
	}
	a, _ := parser.ParseExpr("X*w", pctx)
	b, _ := parser.ParseExpr("w", pctx)
	if _, err := matrix.Prove(context.Background(), a, b, opt); err == nil {
		t.Errorf("prove X*w == w: no error for sides of different shapes")
	}
}

// TestNoShadow: in a result shown in index form, no summation index
// takes the name of a free index (the entry's k and l) or of an index
// bound around it, and the entries still agree with finite differences
// of the reference evaluator.
func TestNoShadow(t *testing.T) {
	opt, pctx := invSetup(t)
	for _, src := range []string{
		"d(w'*inv(X'*X + lam*eye(d))*w, X)",
		"d(y'*X*inv(X'*X + lam*eye(d))*w, X)",
		"d(inv(A)*B, A)",
	} {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatal(err)
		}
		if r.Value != nil {
			continue // a matrix form: nothing shown in index form
		}
		index := r.Simplified.Expr
		free := ast.FreeNames(index)
		var walk func(x ast.Expr, scope []string)
		walk = func(x ast.Expr, scope []string) {
			if s, ok := x.(*ast.Sum); ok {
				if slices.Contains(scope, s.Var) || slices.Contains(free, s.Var) {
					t.Errorf("%s: the sum over %s in %s shadows a free or enclosing index", src, s.Var, ast.String(index))
				}
				scope = append(slices.Clone(scope), s.Var)
			}
			for _, k := range ast.Children(x) {
				walk(k, scope)
			}
		}
		walk(index, nil)
		checkTensor(t, e, r, opt)
	}
}
