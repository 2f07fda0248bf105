package matrix_test

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestEntryDropsOnes: a product with ones(K) or eye(K) translates to index
// form without a factor 1. The code generator recognises log(sum(j, exp(u)))
// for its shifted log-sum-exp only without it: with
// log(sum(j=1..K, exp(Z[i,j])*1)) the generated softmax-regression loss
// mean(log(exp(X*W)*ones(K)) - ...) overflowed to inf for scores above 710.
func TestEntryDropsOnes(t *testing.T) {
	opt, pctx := setupSource(t, "decls", "X : matrix(n, d)\nW : matrix(d, K)\nw : vector(d)\nv : vector(K)\n")
	tests := []struct{ src, want string }{
		{"log(exp(X*W)*ones(K))", "log(sum(k=1..K, exp(sum(l=1..d, X[i,l]*W[l,k]))))"},
		{"exp(X*W)*ones(K)*ones(K)'", "sum(k=1..K, exp(sum(l=1..d, X[i,l]*W[l,k])))"},
		{"ones(d)'*w", "sum(k=1..d, w[k])"},
		{"eye(d)*w", "sum(k=1..d, delta(i, k)*w[k])"},
		{"sum(v .* ones(K))", "sum(k=1..K, v[k])"},
	}
	i, j := ast.NewSym("i"), ast.NewSym("j")
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, pctx)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		tr := matrix.NewTranslator(opt.Decls, opt.Simplify.Defs)
		tr.Use(e)
		tr.Use(ast.NewMul(i, j)) // the entry's indices are taken
		got, err := tr.Entry(e, i, j)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if s := ast.String(got); s != tt.want {
			t.Errorf("entry of %s = %s, want %s", tt.src, s, tt.want)
		}
	}
}

// TestEntryRanges: the entry at [k] of a d-vector has k in 1..d, and the
// simplifier is told so. Without it, diag(u)*v's entry u[k]*v[k]*[k <= d]
// kept its condition: diag(u)*v printed as u .* v .* 1, diag(u)*v - u .* v
// as u .* v .* (1 - 1), (diag(u)*S)' as S*diag(u .* 1), and
// diag(u)*v == u .* v was unknown. The values are checked against the
// products computed here by hand.
func TestEntryRanges(t *testing.T) {
	opt, pctx := setupSource(t, "decls", "u : vector(d)\nv : vector(d)\nS : symmetric(d)\n")
	tests := []struct{ src, want string }{
		{"diag(u)*v", "u .* v"},
		{"diag(u)*v - u .* v", "zeros(d)"},
		{"(diag(u)*S)'", "S*diag(u)"},
		{"diag(u)*diag(v)*ones(d)", "u .* v"},
	}
	u, v := []float64{1.5, -2, 0.25}, []float64{-0.5, 3, 4}
	s := []float64{2, 1, 0, 1, 3, -1, 0, -1, 1}
	b := ast.Bindings{"u": {Shape: []int{3}, Data: u}, "v": {Shape: []int{3}, Data: v}, "S": {Shape: []int{3, 3}, Data: s}, "d": ast.Scalar(3)}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, pctx)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if r.Value == nil {
			t.Errorf("%s: no matrix form, want %s", tt.src, tt.want)
			continue
		}
		if got := ast.String(r.Value); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.src, got, tt.want)
			continue
		}
		got, err := matrix.Eval(context.Background(), e, b, opt, opt.Simplify.Rules.Defs())
		if err != nil {
			t.Fatalf("eval %s: %v", tt.src, err)
		}
		for i, x := range got.Data {
			var want float64
			switch tt.src {
			case "diag(u)*v", "diag(u)*diag(v)*ones(d)":
				want = u[i] * v[i]
			case "(diag(u)*S)'": // S'*diag(u): entry [r,c] is S[c,r]*u[c]
				r, c := i/3, i%3
				want = s[c*3+r] * u[c]
			}
			if x != want {
				t.Errorf("%s: entry %d = %g, want %g", tt.src, i, x, want)
			}
		}
	}
	pr, err := matrix.Prove(context.Background(), parsetestExpr(t, "diag(u)*v", pctx), parsetestExpr(t, "u .* v", pctx), opt)
	if err != nil {
		t.Errorf("prove diag(u)*v == u .* v: %v", err)
	} else if pr.Verdict != prove.Proved {
		t.Errorf("prove diag(u)*v == u .* v: %s (%s)", pr.Verdict, pr.Tried)
	}
}

func parsetestExpr(t *testing.T, src string, pctx *parser.Context) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, pctx)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return e
}
