package matrix_test

import (
	"context"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// FuzzMatrix parses matrix expressions under the corpus's declarations:
// the parser must give an error or a tree that prints and parses back to
// itself, and the calculus must give a result or an error, never panic.
func FuzzMatrix(f *testing.F) {
	for _, tt := range corpus {
		f.Add(tt.src)
		f.Add(tt.want)
	}
	for _, tt := range invCorpus {
		f.Add(tt.src)
		f.Add(tt.want)
	}
	for _, s := range []string{"X*y", "w*w", "w'''", "x^T*A", "sum(x .^ 2) ./ 2", "diag(x)*A*diag(a)", "tr(eye(m))", "ones(m)'*x",
		"inv(inv(A))", "det(inv(A'))", "0*A", "zeros(m, m)*A + A'", "inv(A)*eye(m)*x", "-(-(A*x))", "(x - a)*(a - x)'"} {
		f.Add(s)
	}
	opt, pctx := setup(f)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			if _, ok := err.(*parser.Error); !ok {
				t.Fatalf("error is a %T: %v", err, err)
			}
			return
		}
		s := ast.String(e)
		back, err := parser.ParseExpr(s, pctx)
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", src, s, err)
		}
		if back != e {
			t.Fatalf("%q prints as %q, which parses as %s, not %s", src, s, ast.Sexpr(back), ast.Sexpr(e))
		}
		if e.Size() > 200 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, _ = matrix.Simplify(ctx, e, opt)
	})
}
