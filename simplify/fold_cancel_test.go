package simplify

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
)

// TestFoldStopsWhenCancelled: folding the result of Simplify honours its
// context (FoldContext; Display and Show later fold whatever the
// context). With the context done it leaves the
// expression as it is; live, it folds the same expression into the
// defined name (the control, so that the test can fail).
func TestFoldStopsWhenCancelled(t *testing.T) {
	body := ast.Expr(ast.NewSym("x"))
	for range 200 {
		body = ast.NewCall("sin", body)
	}
	defs := &ast.Defs{}
	if err := defs.Define(&ast.Def{Name: "y", Kind: ast.DefScalar, Body: body}); err != nil {
		t.Fatal(err)
	}
	e := ast.NewAdd(body, ast.NewSym("z"))
	prefer := map[string]int{"y": 0}
	for _, cancelled := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		if cancelled {
			cancel()
		}
		s := New(Options{Defs: defs, Rules: load.Builtin()})
		got := s.FoldContext(ctx, e, prefer, false)
		want := ast.Expr(ast.NewAdd(ast.NewSym("y"), ast.NewSym("z")))
		if cancelled {
			want = e
		}
		if got != want {
			t.Errorf("cancelled %v: folded to %.80s, want %.80s", cancelled, ast.String(got), ast.String(want))
		}
		cancel()
	}
}
