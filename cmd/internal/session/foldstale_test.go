package session

import (
	"context"
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestFoldAfterRedefinition: folding a result back into a definition uses
// the definition's body as it is now. c := b^2*y was folded once while
// b := x*w; after b := x*v, the cached body w^2*x^2*y folded the term
// x^2*w^2*y of a new result into c, whose value is x^2*v^2*y: the answer
// printed c + v^2*x^2*y, twice the second term, for x^2*w^2*y + c (a
// wrong value). The oracle is the closed form, written here, at a point.
func TestFoldAfterRedefinition(t *testing.T) {
	s := New()
	src := "b := x*w\nc := b^2*y\nd(c, y)\nb := x*v\nd(x^2*w^2*y*z + c*z, z)\nd(x^2*v^2*y*z + c*z, z)\n"
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []ast.Expr
	for _, st := range stmts {
		r, err := s.Exec(context.Background(), st)
		if err != nil {
			t.Fatal(err)
		}
		if r.Value != nil {
			got = append(got, r.Value)
		}
	}
	x, w, v, y := 1.3, 0.7, -2.1, 0.9
	pt := ast.Bindings{"x": ast.Scalar(x), "w": ast.Scalar(w), "v": ast.Scalar(v), "y": ast.Scalar(y), "z": ast.Scalar(0.4)}
	want := []float64{x * x * w * w, x*x*w*w*y + x*x*v*v*y, 2 * x * x * v * v * y}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i, e := range got {
		val, err := s.Eval(context.Background(), e, pt)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(val-want[i]) > 1e-9*math.Abs(want[i]) {
			t.Errorf("result %d, %s = %g at the point, want %g", i+1, ast.String(e), val, want[i])
		}
	}
}
