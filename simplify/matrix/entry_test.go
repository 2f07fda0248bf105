package matrix_test

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
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
