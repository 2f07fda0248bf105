package ast_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
)

// TestEvalEachJumpWritten (evalpos11): EachJump goes through a sum's body
// once per index value, with the index put in, and a refusal quoted that
// jump (step(sqrt(2)^2 - 2)) instead of the term as written. Jump.Written
// gives the jump as written and the values of the indices it depends on.
// The oracle is the substitution itself: the written jump with the index
// values put in is the jump met, each written jump is a node of the
// expression, and each index value is in its sum's range; the lists of
// written jumps and of index values are given by hand.
func TestEvalEachJumpWritten(t *testing.T) {
	for _, tc := range []struct {
		src     string
		b       ast.Bindings
		written []string // each jump met, as written, with its index values
	}{
		{"step(x - 1) + 2", ast.Bindings{"x": ast.Scalar(1)}, []string{"step(x - 1)"}},
		{"sum(i=1..3, step(sqrt(i)^2 - i))", nil, []string{
			"step(sqrt(i)^2 - i) at i=1", "step(sqrt(i)^2 - i) at i=2", "step(sqrt(i)^2 - i) at i=3"}},
		{"sum(i=1..2, x*sign(x - i) + step(x))", ast.Bindings{"x": ast.Scalar(1)}, []string{
			"sign(x - i) at i=1", "step(x)", "sign(x - i) at i=2"}},
		{"sum(j=1..2, sum(i=1..n, step(i - j)))", ast.Bindings{"n": ast.Scalar(2)}, []string{
			"step(i - j) at j=1 i=1", "step(i - j) at j=1 i=2", "step(i - j) at j=2 i=1", "step(i - j) at j=2 i=2"}},
		{"sum(j=1..2, sum(i=1..2, j*[i <= 1]))", nil, []string{
			"[i <= 1] at i=1", "[i <= 1] at i=2"}},
	} {
		e, _ := script(t, tc.src)
		nodes := map[ast.Expr]bool{}
		ast.InspectOnce(e, func(n ast.Expr) bool { nodes[n] = true; return true })
		var got []string
		err := ast.EachJump(context.Background(), e, tc.b, func(j ast.Jump) bool {
			w, idx := j.Written()
			s := ast.String(w)
			m := map[string]ast.Expr{}
			for k, iv := range idx {
				if k == 0 {
					s += " at"
				}
				s += fmt.Sprintf(" %s=%d", iv.Var, iv.Value)
				m[iv.Var] = ast.NewInt(iv.Value)
			}
			got = append(got, s)
			if !nodes[w] {
				t.Errorf("%s: %s is not written in it", tc.src, ast.String(w))
			}
			if back := ast.Subst(w, m); back != j.At {
				t.Errorf("%s: %s with %v is %s, but the jump met is %s", tc.src, ast.String(w), idx, ast.String(back), ast.String(j.At))
			}
			return true
		})
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
		}
		if diff := cmp.Diff(tc.written, got); diff != "" {
			t.Errorf("%s: jumps (-want +got):\n%s", tc.src, diff)
		}
	}
}
